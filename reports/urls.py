from django.urls import path

from . import views

app_name = "reports"

# Mounted under outputs/ by the root URLconf, so the report's addresses stay as they were.
urlpatterns = [
    path("cohorts/<int:cohort_pk>/report/", views.preview, name="preview"),
    path("cohorts/<int:cohort_pk>/report/edit/", views.edit, name="edit"),
    path("cohorts/<int:cohort_pk>/report/report.pdf", views.pdf, name="pdf"),
    path("cohorts/<int:cohort_pk>/report/report.docx", views.docx, name="docx"),
    path("cohorts/<int:cohort_pk>/report/data.xlsx", views.xlsx, name="xlsx"),
    path("cohorts/<int:cohort_pk>/report/data.csv", views.csv, name="csv"),
]
