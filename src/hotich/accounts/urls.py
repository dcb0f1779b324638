from django.urls import path

from hotich.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.home, name="home"),
    path("dang-nhap/", views.login_view, name="login"),
    path("xac-thuc/", views.otp_view, name="otp"),
    path("dang-xuat/", views.logout_view, name="logout"),
    path("nguoi-dung/", views.users, name="users"),
    path("nguoi-dung/<int:user_id>/khoa/", views.user_disable, name="user_disable"),
]
