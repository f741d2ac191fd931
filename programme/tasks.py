"""Background work of programme: big exports, written by `manage.py db_worker` off the request."""

from __future__ import annotations

from django.tasks import task

from .export_files import export_file_write, export_files_delete_expired


@task()
def export_file_write_task(export_id: int) -> str:
    """Write one export's file; safe to run twice, since a ready file is not written again."""
    return export_file_write(export_id=export_id)


@task()
def export_files_delete_expired_task() -> int:
    """Delete exports older than EXPORT_FILES_KEEP_DAYS days, with their files."""
    return export_files_delete_expired()
