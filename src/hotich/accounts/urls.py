from django.urls import path

from hotich.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.home, name="home"),
    path("dang-nhap/", views.login_view, name="login"),
    path("xac-thuc/", views.otp_view, name="otp"),
    path("dang-xuat/", views.logout_view, name="logout"),
    path("tai-khoan/", views.account, name="account"),
    path("tai-khoan/ma-truy-cap/", views.api_token_create, name="api_token_create"),
    path(
        "tai-khoan/ma-truy-cap/<int:token_id>/thu-hoi/",
        views.api_token_revoke,
        name="api_token_revoke",
    ),
    path("nguoi-dung/", views.users, name="users"),
    path("nguoi-dung/<int:user_id>/khoa/", views.user_disable, name="user_disable"),
]
