from django.urls import path

from hotich.meetings import views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("tao/<int:organization_id>/", views.meeting_new, name="new"),
    path("cap-uy/<int:organization_id>/", views.committee_page, name="committee"),
    path("<int:meeting_id>/", views.meeting_detail, name="detail"),
    path("<int:meeting_id>/dien-bien/", views.meeting_live, name="live"),
    path("<int:meeting_id>/thao-tac/", views.meeting_action, name="action"),
    path("<int:meeting_id>/noi-dung/", views.item_new, name="item_new"),
    path("<int:meeting_id>/tra-loi/", views.meeting_respond, name="respond"),
    path("<int:meeting_id>/ghi-chu/", views.meeting_notes, name="notes"),
    path("<int:meeting_id>/diem-danh/<str:token>/", views.checkin, name="checkin"),
    path("<int:meeting_id>/phat-bieu/", views.speak, name="speak"),
    path("<int:meeting_id>/phat-bieu/tiep/", views.speak_next, name="speak_next"),
    path("<int:meeting_id>/bien-ban/", views.minutes_edit, name="minutes"),
    path("<int:meeting_id>/bien-ban.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("nguoi-du/<int:participant_id>/diem-danh/", views.checkin_by_secretary, name="mark"),
    path("noi-dung/<int:item_id>/tai-lieu/", views.paper_new, name="paper_new"),
    path("noi-dung/<int:item_id>/bieu-quyet/", views.item_vote, name="vote"),
    path("noi-dung/<int:item_id>/ket-luan/", views.item_conclusion, name="conclusion"),
    path("noi-dung/<int:item_id>/nghi-quyet/", views.item_resolution, name="resolution"),
    path("noi-dung/<int:item_id>/giao-viec/", views.item_task, name="task"),
    path("tai-lieu/<int:paper_id>/", views.paper_view, name="paper"),
    path("<int:meeting_id>/khach/", views.guest_new, name="guest_new"),
    path("khach/<str:token>/", views.guest_page, name="guest"),
    path("khach/<str:token>/diem-danh/", views.guest_checkin, name="guest_checkin"),
    path("khach/<str:token>/tai-lieu/<int:paper_id>/", views.guest_paper, name="guest_paper"),
]
