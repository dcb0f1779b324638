from django.urls import path

from hotich.digitization import views

app_name = "digitization"
urlpatterns = [
    path("", views.home, name="home"),
    path("so/<int:book_id>/", views.book, name="book"),
    path("so/<int:book_id>/tai-len/", views.upload, name="upload"),
    path("so/<int:book_id>/cai-dat/", views.book_settings, name="book_settings"),
    path("so/<int:book_id>/dua-vao-so/", views.publish, name="publish"),
    path("so/<int:book_id>/thu-hoi/", views.unpublish, name="unpublish"),
    path("so/<int:book_id>/trung-so/<int:entry_id>/", views.clash_resolve, name="clash_resolve"),
    path("so/<int:book_id>/nhap/", views.key_next, name="key_next"),
    path("so/<int:book_id>/kiem-tra/", views.qa, name="qa"),
    path("so/<int:book_id>/xem/", views.book_viewer, name="book_viewer"),
    path("trang/<int:page_id>/", views.page, name="page"),
    path("trang/<int:page_id>/danh-dau/", views.mark, name="mark"),
    path("trang/<int:page_id>/chay-lai/", views.page_rerun, name="page_rerun"),
    path("trang/<int:page_id>/anh/", views.page_image, name="page_image"),
    path("trang/<int:page_id>/anh-nho/", views.page_thumb, name="page_thumb"),
    path("muc/<int:entry_id>/nhap/", views.key, name="key"),
    path("muc/<int:entry_id>/anh/", views.entry_crop, name="entry_crop"),
    path("muc/<int:entry_id>/phan-xu/", views.arbitrate, name="arbitrate"),
    path("muc/<int:entry_id>/kiem-tra/", views.qa_check, name="qa_check"),
    path("phan-xu/", views.arbitration, name="arbitration"),
    path("nhan-vien/", views.clerks, name="clerks"),
]
