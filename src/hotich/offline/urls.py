from django.urls import path

from hotich.offline import views

app_name = "offline"
urlpatterns = [
    path("", views.app, name="app"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("thiet-bi/", views.devices, name="devices"),
    path("thiet-bi/<int:device_id>/thu-hoi/", views.device_revoke, name="device_revoke"),
]
