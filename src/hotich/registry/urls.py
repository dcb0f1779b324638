from django.urls import path, register_converter

from hotich.registry import views
from hotich.registry.vocabulary import EVENT_BY_SLUG, EVENT_SLUGS


class EventSlug:
    """An event type in a URL by its Vietnamese slug (``khai-sinh``); the view gets the code."""

    regex = "|".join(sorted(EVENT_BY_SLUG, key=len, reverse=True))

    def to_python(self, value: str) -> str:
        return EVENT_BY_SLUG[value]

    def to_url(self, value: str) -> str:  # the code
        return EVENT_SLUGS[value]


register_converter(EventSlug, "event")

app_name = "registry"
urlpatterns = [
    path("", views.home, name="home"),
    path("tra-cuu/", views.search, name="search"),
    path("ban-sao/", views.copy_request, name="copy_request"),
    path("dang-ky/<event:event_type>/", views.record_new, name="record_new"),
    # the form's old address, by the event type's code (``/dang-ky/birth/``), moved for good
    path("dang-ky/<slug:code>/", views.record_new_moved),
    path("ban-ghi/<int:record_id>/", views.record, name="record"),
    path("ban-ghi/<int:record_id>/ghi-chu/", views.amend, name="amend"),
    path("ban-ghi/<int:record_id>/trang-thai/", views.transition, name="transition"),
    path("ban-ghi/<int:record_id>/trich-luc/", views.extract, name="extract"),
]
