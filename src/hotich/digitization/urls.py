from django.urls import URLPattern

app_name = "digitization"

urlpatterns: list[URLPattern] = []
