from django.urls import path

from hotich.geo import views

app_name = "geo"
urlpatterns = [path("", views.picker, name="picker")]
