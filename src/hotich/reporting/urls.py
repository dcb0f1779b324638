from django.urls import path

from hotich.reporting import analytics_views, indicator_views, views

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
    path("phan-tich/", analytics_views.pivot_page, name="pivot"),
    path("phan-tich/xlsx/", analytics_views.pivot_export, name="pivot_xlsx"),
    path("phan-tich/luu/", analytics_views.view_save, name="view_save"),
    path("phan-tich/bang/<int:view_id>/", analytics_views.view_open, name="view_open"),
    path("phan-tich/bang/<int:view_id>/xoa/", analytics_views.view_delete, name="view_delete"),
    path("lanh-dao/", analytics_views.leaders, name="leaders"),
    path("chi-tieu/", indicator_views.catalogue, name="indicators"),
    path("chi-tieu/xuat/", indicator_views.catalogue_export, name="indicators_export"),
    path("bieu/", indicator_views.forms, name="forms"),
    path("bieu/<str:code>/", indicator_views.completeness, name="completeness"),
    path("bieu/<str:code>/<str:org_code>/<str:period>/", indicator_views.entry, name="entry"),
    path("bieu/<str:code>/<str:org_code>/<str:period>/o/", indicator_views.cell, name="cell"),
    path(
        "bieu/<str:code>/<str:org_code>/<str:period>/ghi-chu/",
        indicator_views.comment,
        name="comment",
    ),
    path("bieu/<str:code>/<str:org_code>/<str:period>/duyet/", indicator_views.act, name="act"),
    path(
        "bieu/<str:code>/<str:org_code>/<str:period>/xlsx/",
        indicator_views.layout,
        name="entry_xlsx",
    ),
    path(
        "bieu/<str:code>/<str:org_code>/<str:period>/tai-len/",
        indicator_views.upload,
        name="entry_upload",
    ),
]
