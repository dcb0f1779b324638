from django.urls import path

from hotich.documents import views

app_name = "documents"
urlpatterns = [
    path("", views.register, name="register"),
    path("soan-thao/", views.draft_new, name="draft_new"),
    path("van-ban-den/moi/", views.incoming_new, name="incoming_new"),
    path("thong-ke/", views.stats, name="stats"),
    path("tim-kiem/", views.search, name="search"),
    path("<int:document_id>/", views.document, name="document"),
    path("<int:document_id>/sua/", views.edit, name="edit"),
    path("<int:document_id>/thao-tac/", views.transition, name="transition"),
    path("<int:document_id>/tep/", views.file, name="file"),
    path("<int:document_id>/gop-y/", views.comment, name="comment"),
    path("<int:document_id>/ho-so/", views.put_in_file, name="put_in_file"),
]
