from django.urls import URLPattern

app_name = "legacy"

urlpatterns: list[URLPattern] = []
