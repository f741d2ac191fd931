from django.urls import path

from . import views

app_name = "pairs"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("facilitate/", views.facilitator_home, name="facilitator-home"),
    path("pairs/<int:pk>/", views.detail, name="detail"),
]
