from django.urls import path

from hotich.signing import views

app_name = "signing"

urlpatterns = [
    # The QR code carries this address exactly (no trailing slash).
    path("verify/<str:code>", views.verify, name="verify"),
    path("ky-so/", views.home, name="home"),
    path("ky-so/nhap/", views.identity_import_view, name="identity_import"),
    path("ky-so/<int:identity_id>/thu-hoi/", views.identity_revoke_view, name="identity_revoke"),
]
