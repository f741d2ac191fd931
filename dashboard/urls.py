"""Pages that gather from every app (the member's dashboard). Not an app: it has no models and only imports downward."""

from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("dashboard/", views.home, name="home"),
]
