from django.urls import path

from .views import activities, directory, facilitator, forming, private_notes, suggestions, workspace

app_name = "pairs"

urlpatterns = [
    path("facilitate/", facilitator.facilitator_home, name="facilitator-home"),
    path("facilitate/cohorts/<int:pk>/", facilitator.cohort_overview, name="cohort-overview"),
    path("facilitate/cohorts/<int:pk>/pairs/", facilitator.cohort_pairs, name="cohort-pairs"),
    path("facilitate/cohorts/<int:pk>/members/", facilitator.cohort_members, name="cohort-members"),
    path("facilitate/cohorts/<int:pk>/attendance/", facilitator.cohort_attendance, name="cohort-attendance"),
    path("facilitate/cohorts/<int:pk>/status/", facilitator.cohort_status, name="cohort-status"),
    path("facilitate/cohorts/<int:pk>/pairs/new/", forming.pair_create_view, name="pair-create"),
    path("facilitate/cohorts/<int:pk>/suggestions/", suggestions.suggestion_list, name="suggestions"),
    path("facilitate/cohorts/<int:pk>/suggestions/accept/", suggestions.suggestion_accept, name="suggestions-accept"),
    path("facilitate/pairs/<int:pk>/members/add/", forming.member_add, name="pair-member-add"),
    path("facilitate/pair-members/<int:pk>/remove/", forming.member_remove, name="pair-member-remove"),
    path("facilitate/pair-members/<int:pk>/move/", forming.member_move_view, name="pair-member-move"),
    path("facilitate/memberships/<int:pk>/withdraw/", forming.membership_withdraw_view, name="membership-withdraw"),
    path("pairs/<int:pk>/", workspace.detail, name="detail"),
    path("pairs/<int:pk>/steps/<int:step>/", workspace.step_edit, name="step-edit"),
    path("pairs/<int:pk>/steps/<int:step>/comments/", workspace.step_comment, name="step-comment"),
    path("pairs/<int:pk>/steps/<int:step>/another-look/", workspace.step_another_look, name="step-another-look"),
    path("pairs/<int:pk>/activities/", activities.activity_list, name="activity-list"),
    path("pairs/<int:pk>/activities/new/", activities.activity_create, name="activity-create"),
    path("pairs/<int:pk>/activities/<int:activity_pk>/edit/", activities.activity_edit, name="activity-edit"),
    path("pairs/<int:pk>/activities/<int:activity_pk>/delete/", activities.activity_delete, name="activity-delete"),
    path("pairs/<int:pk>/private-notes/", private_notes.private_notes, name="private-notes"),
    path("directory/", directory.my_directory, name="my-directory"),
    path("cohorts/<int:cohort_pk>/directory/", directory.directory, name="directory"),
]
