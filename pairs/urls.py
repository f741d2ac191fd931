from django.urls import path

from .views import facilitator, workspace

app_name = "pairs"

urlpatterns = [
    path("facilitate/", facilitator.facilitator_home, name="facilitator-home"),
    path("pairs/<int:pk>/", workspace.detail, name="detail"),
    path("pairs/<int:pk>/steps/<int:step>/", workspace.step_edit, name="step-edit"),
]
