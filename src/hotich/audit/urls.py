from django.urls import path

from hotich.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.entry_list_view, name="list"),
    path("kiem-tra/", views.chain_check, name="check"),
]
