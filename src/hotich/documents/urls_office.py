from django.urls import path

from hotich.documents import views_files as files
from hotich.documents import views_office as views

app_name = "office"
urlpatterns = [
    path("hom-nay/", views.today, name="today"),
    path("nhiem-vu/", views.task_list, name="tasks"),
    path("nhiem-vu/giao/", views.task_new, name="task_new"),
    path("nhiem-vu/<int:task_id>/", views.task, name="task"),
    path("nhiem-vu/<int:task_id>/thao-tac/", views.task_action, name="task_action"),
    path("lich-cong-tac/", views.calendar, name="calendar"),
    path("lich-cong-tac/them/", views.calendar_new, name="calendar_new"),
    path("lich-cong-tac/cong-bo/", views.calendar_publish, name="calendar_publish"),
    path("lich-cong-tac/cong-khai/<str:code>/", views.calendar_public, name="calendar_public"),
    path("thong-ke-van-phong/", files.office_statistics, name="stats"),
    path(
        "thong-ke-van-phong/xep-hang-ky-so.xlsx",
        files.signature_ranking_download,
        name="signature_ranking_xlsx",
    ),
    path("ho-so-cong-viec/", files.files, name="files"),
    path("ho-so-cong-viec/lap/", files.file_new, name="file_new"),
    path("ho-so-cong-viec/ket-thuc-nam/", files.files_close, name="files_close_year"),
    path("ho-so-cong-viec/nop-luu/", files.files_hand_over_view, name="files_hand_over"),
    path(
        "ho-so-cong-viec/nop-luu/<int:handover_id>/muc-luc.<str:kind>",
        files.handover_download,
        name="handover_file",
    ),
    path("ho-so-cong-viec/<int:file_id>/", files.file, name="file"),
    path("ho-so-cong-viec/<int:file_id>/van-ban/", files.file_add, name="file_add"),
    path("ho-so-cong-viec/<int:file_id>/rut-van-ban/", files.file_remove, name="file_remove"),
    path("ho-so-cong-viec/<int:file_id>/thao-tac/", files.file_action, name="file_action"),
]
