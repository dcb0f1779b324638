"""The URL conf of the demo, development and tests: every production route plus the stand-ins'
pages (``hotich.core.standins``). The production settings use ``hotich.config.urls``, which
never includes this one."""

from django.urls import include, path

from hotich.config.urls import urlpatterns as production_urlpatterns

urlpatterns = [
    *production_urlpatterns,
    path("", include("hotich.portal.adapters.payment.standin")),
]
