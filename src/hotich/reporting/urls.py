from django.urls import path

from hotich.reporting import views

app_name = "reporting"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("xuat/", views.export, name="export"),
    path("gui/", views.push, name="push"),
    path("ky-pdf/", views.sign_pdf, name="sign_pdf"),
    path("lich/", views.calendar, name="calendar"),
    path("chu-ky-so/", views.signatures, name="signatures"),
    path("so-hoa/", views.digitization, name="digitization"),
    path("dich-vu-cong/", views.services, name="services"),
    path("da-gui/", views.submissions, name="submissions"),
    path("da-gui/<int:submission_id>/", views.submission, name="submission"),
    path("da-gui/<int:submission_id>/gui-lai/", views.resubmit, name="resubmit"),
    path("da-gui/<int:submission_id>/trang-thai/", views.refresh, name="refresh"),
]
