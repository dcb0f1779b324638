"""``/iiif/3/``: IIIF Image API 3.0 (level 0) per page, Presentation 3.0 manifest per book."""

from django.urls import path

from hotich.digitization import views_iiif

app_name = "iiif"
urlpatterns = [
    path("books/<int:book_id>/manifest.json", views_iiif.manifest, name="manifest"),
    path("<int:page_id>", views_iiif.service, name="service"),
    path("<int:page_id>/info.json", views_iiif.info, name="info"),
    path(
        "<int:page_id>/<str:region>/<str:size>/<str:rotation>/<str:name>",
        views_iiif.image,
        name="image",
    ),
]
