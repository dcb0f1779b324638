"""The URL conf of the production settings. The stand-ins' pages are added only by
``hotich.config.urls_standins`` (the default settings); nothing here imports a stand-in."""

from django.urls import include, path

from hotich.config.api import api

urlpatterns = [
    path("", include("hotich.core.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("hotich.accounts.urls")),
    path("don-vi/", include("hotich.geo.urls")),
    path("nhat-ky/", include("hotich.audit.urls")),
    path("ho-tich/", include("hotich.registry.urls")),
    path("", include("hotich.signing.urls")),
    path("so-hoa/ngoai-tuyen/", include("hotich.offline.urls")),
    path("so-hoa/", include("hotich.digitization.urls")),
    path("iiif/3/", include("hotich.digitization.urls_iiif")),
    path("nhap-du-lieu-cu/", include("hotich.legacy.urls")),
    path("doi-chieu/", include("hotich.linkage.urls")),
    path("van-ban/", include("hotich.documents.urls")),
    path("lien-thong/", include("hotich.interconnect.urls")),
    path("co-quan/", include("hotich.agencies.urls")),
    path("", include("hotich.documents.urls_office")),
    path("", include("hotich.portal.urls")),
    path("bao-cao/", include("hotich.reporting.urls")),
    path("hop/", include("hotich.meetings.urls")),
    path("dang-vien/", include("hotich.party.urls")),
    path("api/v1/", api.urls),
]
