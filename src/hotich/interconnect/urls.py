from django.urls import path

from hotich.interconnect import views

app_name = "interconnect"
urlpatterns = [
    path("", views.packages, name="packages"),
    path("gui/<int:document_id>/", views.send, name="send"),
    path("<int:package_id>/tra-lai/", views.give_back, name="return"),
]
