from django.urls import path

from .views import files, pair_outputs, review

app_name = "outputs"

urlpatterns = [
    path("", pair_outputs.index, name="index"),
    path("pairs/<int:pair_pk>/", pair_outputs.pair_list, name="pair-list"),
    path("pairs/<int:pair_pk>/new/", pair_outputs.create, name="create"),
    path("cohorts/<int:cohort_pk>/", review.cohort_outputs, name="cohort"),
    path("<int:pk>/", pair_outputs.detail, name="detail"),
    path("<int:pk>/edit/", pair_outputs.edit, name="edit"),
    path("<int:pk>/submit/", pair_outputs.submit, name="submit"),
    path("<int:pk>/archive/", pair_outputs.archive, name="archive"),
    path("<int:pk>/publish/", review.publish, name="publish"),
    path("<int:pk>/send-back/", review.send_back, name="send-back"),
    path("<int:pk>/feature/", review.feature, name="feature"),
    path("<int:pk>/file/", files.download, name="file"),
]
