from django.urls import path

from hotich.agencies import views

app_name = "agencies"
urlpatterns = [
    path("", views.organization_list, name="list"),
    path("<int:organization_id>/", views.organization_detail, name="detail"),
    path("nhap-tu-tep/", views.organization_import, name="import"),
    path("cua-toi/", views.my_positions, name="mine"),
    path("cua-toi/<int:membership_id>/chon/", views.switch, name="switch"),
]
