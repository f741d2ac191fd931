"""Background work of the year-end report, run by `manage.py db_worker` (or at once by the immediate backend)."""

from __future__ import annotations

from django.tasks import task

from .services import report_export_build


@task()
def report_export_build_task(export_id: int) -> str:
    """Build one of the report's files (PDF, Word, XLSX) and keep it; safe to run twice."""
    return report_export_build(export_id=export_id)
