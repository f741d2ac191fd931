from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("download/", views.mine_download, name="mine-download"),
    path("people/", views.people, name="people"),
    path("people/<int:pk>/", views.person, name="person"),
    path("people/<int:pk>/download/", views.person_download, name="person-download"),
    path("people/<int:pk>/erase/", views.person_erase, name="person-erase"),
    path("applicants/<int:pk>/", views.applicant, name="applicant"),
    path("applicants/<int:pk>/download/", views.applicant_download, name="applicant-download"),
    path("applicants/<int:pk>/erase/", views.applicant_erase, name="applicant-erase"),
]
