from django.urls import path

from hotich.signing import views

app_name = "signing"

urlpatterns = [
    # The QR code carries this address exactly (no trailing slash).
    path("verify/<str:code>", views.verify, name="verify"),
]
