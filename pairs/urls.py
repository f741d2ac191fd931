from django.urls import path

from .views import activities, directory, facilitator, workspace

app_name = "pairs"

urlpatterns = [
    path("facilitate/", facilitator.facilitator_home, name="facilitator-home"),
    path("pairs/<int:pk>/", workspace.detail, name="detail"),
    path("pairs/<int:pk>/steps/<int:step>/", workspace.step_edit, name="step-edit"),
    path("pairs/<int:pk>/activities/", activities.activity_list, name="activity-list"),
    path("pairs/<int:pk>/activities/new/", activities.activity_create, name="activity-create"),
    path("pairs/<int:pk>/activities/<int:activity_pk>/edit/", activities.activity_edit, name="activity-edit"),
    path("pairs/<int:pk>/activities/<int:activity_pk>/delete/", activities.activity_delete, name="activity-delete"),
    path("directory/", directory.my_directory, name="my-directory"),
    path("cohorts/<int:cohort_pk>/directory/", directory.directory, name="directory"),
]
