from django.urls import URLPattern

app_name = "signing"

urlpatterns: list[URLPattern] = []
