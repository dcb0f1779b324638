from django.urls import path

from hotich.linkage import views

app_name = "linkage"

urlpatterns = [
    path("", views.home, name="home"),
    path("chay/", views.run_new, name="run_new"),
    path("lan/<int:run_id>/", views.run, name="run"),
    path("xem-xet/", views.review, name="review"),
    path("cap/<int:pair_id>/", views.pair, name="pair"),
    path("khac-biet/", views.disagreements, name="disagreements"),
    path("khac-biet/doi-chieu/", views.disagreements_check, name="disagreements_check"),
    path("khac-biet/<int:disagreement_id>/", views.disagreement, name="disagreement"),
]
