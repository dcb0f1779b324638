from django.urls import path

from hotich.portal import views_citizen as c
from hotich.portal import views_desk as d

app_name = "portal"

urlpatterns = [
    # citizens
    path("dich-vu-cong/", c.index, name="index"),
    path("dich-vu-cong/thu-tuc/<str:code>/", c.procedure, name="procedure"),
    path("dich-vu-cong/tra-cuu/", c.track, name="track"),
    path("dich-vu-cong/dang-nhap/", c.login, name="login"),
    path("dich-vu-cong/dang-xuat/", c.logout, name="logout"),
    path("dich-vu-cong/nop/<str:code>/", c.file, name="file"),
    path("dich-vu-cong/ho-so/", c.mine, name="mine"),
    path("dich-vu-cong/ho-so/<int:dossier_id>/", c.my_dossier, name="my_dossier"),
    path("dich-vu-cong/ho-so/<int:dossier_id>/thanh-toan/", c.pay, name="pay"),
    path("dich-vu-cong/ho-so/<int:dossier_id>/bo-sung/", c.supplement, name="supplement"),
    path("dich-vu-cong/ho-so/<int:dossier_id>/ket-qua/", c.result, name="result"),
    path("dich-vu-cong/ho-so/<int:dossier_id>/danh-gia/", c.rate, name="rate"),
    # back office
    path("mot-cua/", d.desk, name="desk"),
    path("mot-cua/ho-so/<int:dossier_id>/", d.dossier, name="dossier"),
    path("mot-cua/ho-so/<int:dossier_id>/thao-tac/", d.dossier_action, name="dossier_action"),
    path("mot-cua/ho-so/<int:dossier_id>/ket-qua/", d.dossier_result_file, name="dossier_result"),
    path("mot-cua/ho-so/<int:dossier_id>/tep/<int:file_id>/", d.dossier_file, name="dossier_file"),
    path("mot-cua/tiep-nhan/", d.desk_new, name="desk_new"),
    path("mot-cua/tiep-nhan/<str:code>/", d.desk_enter, name="desk_enter"),
    path("mot-cua/thu-tuc/", d.catalogue, name="catalogue"),
    path("mot-cua/hop-thu/", d.outbox_view, name="outbox"),
    path("mot-cua/chi-so/", d.metrics, name="metrics"),
]
