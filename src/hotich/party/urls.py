from django.urls import path

from hotich.party import views

app_name = "party"
urlpatterns = [
    path("", views.home, name="home"),
    path("nhap/", views.members_import_page, name="import"),
    path("cua-toi/", views.own_page, name="own"),
    path("chi-thi/<int:organization_id>/", views.directives_page, name="directives"),
    path("chi-thi/van-ban/<int:directive_id>/", views.directive_detail, name="directive"),
    path(
        "chi-thi/van-ban/<int:directive_id>/van-ban.pdf", views.directive_pdf, name="directive_pdf"
    ),
    path("to-chuc/<int:organization_id>/", views.member_list, name="list"),
    path("<int:member_id>/", views.member_detail, name="detail"),
    path("<int:member_id>/chinh-thuc/", views.member_official, name="official"),
    path("<int:member_id>/khen-thuong-ky-luat/", views.distinction_new, name="distinction"),
    path("<int:member_id>/chuyen/", views.transfer_new, name="transfer_new"),
    path("chuyen-sinh-hoat/", views.transfer_list, name="transfers"),
    path("chuyen-sinh-hoat/<int:transfer_id>/", views.transfer_detail, name="transfer"),
    path(
        "chuyen-sinh-hoat/<int:transfer_id>/thao-tac/",
        views.transfer_action,
        name="transfer_action",
    ),
    path("dang-phi/<int:organization_id>/", views.fees_page, name="fees"),
    path("xep-loai/<int:organization_id>/", views.ratings_page, name="ratings"),
    path("huy-hieu/<int:organization_id>/", views.badges_page, name="badges"),
    path("thong-ke/<int:organization_id>/", views.statistics_page, name="statistics"),
    path("xuat/<int:organization_id>/<what>/", views.export, name="export"),
    path("dang-phi/<int:organization_id>/bao-cao/", views.fees_report_page, name="fees_report"),
    path(
        "chuyen-sinh-hoat/<int:transfer_id>/giay-gioi-thieu.pdf",
        views.transfer_letter,
        name="transfer_letter",
    ),
]
