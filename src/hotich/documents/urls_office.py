from django.urls import path

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
]
