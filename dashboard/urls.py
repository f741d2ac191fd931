from django.urls import path  # noqa: F401 - views are added by the issues that build them

app_name = "dashboard"

urlpatterns: list = []
