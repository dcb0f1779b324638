from django.urls import path

from hotich.registry import views

app_name = "registry"
urlpatterns = [
    path("", views.home, name="home"),
    path("tra-cuu/", views.search, name="search"),
    path("ban-sao/", views.copy_request, name="copy_request"),
    path("dang-ky/<slug:event_type>/", views.record_new, name="record_new"),
    path("ban-ghi/<int:record_id>/", views.record, name="record"),
    path("ban-ghi/<int:record_id>/ghi-chu/", views.amend, name="amend"),
    path("ban-ghi/<int:record_id>/trang-thai/", views.transition, name="transition"),
    path("ban-ghi/<int:record_id>/trich-luc/", views.extract, name="extract"),
]
