from django.urls import path

from . import views, views_section_two, views_writing

app_name = "reports"

# Mounted under outputs/ by the root URLconf, so the report's addresses stay as they were.
urlpatterns = [
    path("cohorts/<int:cohort_pk>/report/", views.preview, name="preview"),
    path("cohorts/<int:cohort_pk>/report/edit/", views.edit, name="edit"),
    path("cohorts/<int:cohort_pk>/report/report.pdf", views.pdf, name="pdf"),
    path("cohorts/<int:cohort_pk>/report/report.docx", views.docx, name="docx"),
    path("cohorts/<int:cohort_pk>/report/data.xlsx", views.xlsx, name="xlsx"),
    path("cohorts/<int:cohort_pk>/report/data.csv", views.csv, name="csv"),
    path("cohorts/<int:cohort_pk>/report/files/", views.exports, name="exports"),
    path("cohorts/<int:cohort_pk>/report/files/<str:kind>/prepare/", views.export_prepare, name="export-prepare"),
    # writing the report: framings, findings and their evidence
    path("cohorts/<int:cohort_pk>/report/writing/", views_writing.writing, name="writing"),
    path("cohorts/<int:cohort_pk>/report/questions/<int:pk>/framing/", views_writing.framing, name="framing"),
    path(
        "cohorts/<int:cohort_pk>/report/questions/<int:question_pk>/findings/new/",
        views_writing.finding_new,
        name="finding-create",
    ),
    path("cohorts/<int:cohort_pk>/report/findings/<int:pk>/", views_writing.finding_edit, name="finding-edit"),
    path("cohorts/<int:cohort_pk>/report/findings/<int:pk>/move/", views_writing.finding_reorder, name="finding-move"),
    path(
        "cohorts/<int:cohort_pk>/report/findings/<int:pk>/delete/", views_writing.finding_remove, name="finding-delete"
    ),
    path("cohorts/<int:cohort_pk>/report/case-studies/", views_writing.case_studies, name="case-studies"),
    path("cohorts/<int:cohort_pk>/report/case-studies/new/", views_writing.case_study_new, name="case-study-create"),
    path(
        "cohorts/<int:cohort_pk>/report/case-studies/<int:pk>/", views_writing.case_study_edit, name="case-study-edit"
    ),
    path(
        "cohorts/<int:cohort_pk>/report/case-studies/<int:pk>/move/",
        views_writing.case_study_reorder,
        name="case-study-move",
    ),
    path(
        "cohorts/<int:cohort_pk>/report/case-studies/<int:pk>/delete/",
        views_writing.case_study_remove,
        name="case-study-delete",
    ),
    path("cohorts/<int:cohort_pk>/report/references/", views_writing.references, name="references"),
    path("cohorts/<int:cohort_pk>/report/references/<int:pk>/", views_writing.reference_edit, name="reference-edit"),
    path(
        "cohorts/<int:cohort_pk>/report/references/<int:pk>/delete/",
        views_writing.reference_remove,
        name="reference-delete",
    ),
    # Section 2: sub-sections, lessons, survey evidence, uploaded figures
    path("cohorts/<int:cohort_pk>/report/section-two/", views_section_two.section_two, name="section-two"),
    path("cohorts/<int:cohort_pk>/report/parts/new/", views_section_two.part_new, name="part-create"),
    path("cohorts/<int:cohort_pk>/report/parts/<int:pk>/", views_section_two.part_edit, name="part-edit"),
    path("cohorts/<int:cohort_pk>/report/parts/<int:pk>/delete/", views_section_two.part_remove, name="part-delete"),
    path("cohorts/<int:cohort_pk>/report/survey-evidence/", views_section_two.evidence_add, name="evidence-add"),
    path(
        "cohorts/<int:cohort_pk>/report/survey-evidence/<int:pk>/delete/",
        views_section_two.evidence_remove,
        name="evidence-delete",
    ),
    path("cohorts/<int:cohort_pk>/report/figures/", views_section_two.figure_upload, name="figure-upload"),
    path(
        "cohorts/<int:cohort_pk>/report/figures/<int:pk>/delete/",
        views_section_two.figure_remove,
        name="figure-delete",
    ),
]
