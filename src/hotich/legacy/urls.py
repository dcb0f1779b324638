from django.urls import path

from hotich.legacy import views

app_name = "legacy"

urlpatterns = [
    path("", views.home, name="home"),
    path("<int:batch_id>/", views.batch, name="batch"),
    path("<int:batch_id>/nhap/", views.accept, name="accept"),
    path("<int:batch_id>/huy/", views.discard, name="discard"),
]
