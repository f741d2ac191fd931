"""Big spreadsheets written off the request, in constant memory, and offered for download when ready.

`export_file_request` records an `ExportFile` and queues `programme.tasks.export_file_write_task` once the
request commits; the task worker asks the export's source for its rows and streams them, one row at a time,
into a CSV or XLSX file in storage, counting progress as it goes. Every cell passes through safe_cell.

A source is registered by name (`register_source`): it rebuilds an export's headers and rows from the
export's parameters. The admin's exports are the source "admin" (programme.admin). Reports or any other app
can register their own, so every task-made file shares this record, its page and its expiry.
"""

from __future__ import annotations

import csv
import io
import logging
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook

from .exports import safe_cell, safe_row
from .models import ExportFile, User

logger = logging.getLogger(__name__)

# The written-rows count on the export's page moves on every this many rows (one UPDATE each time).
PROGRESS_EVERY = 1000


@dataclass
class ExportRows:
    """What a source gives the writer: the headings, the rows as an iterator (never a list), and how many."""

    headers: list[str]
    rows: Iterator[Sequence[object]]
    total: int | None = None


ExportSource = Callable[[ExportFile], ExportRows]
_SOURCES: dict[str, ExportSource] = {}


def register_source(name: str, source: ExportSource) -> None:
    """Let exports whose `source` is `name` be written by `source`."""
    _SOURCES[name] = source


# --- Writing ------------------------------------------------------------------------------------


def _xlsx_cell(value: object) -> object:
    """A typed cell for a workbook: text through safe_cell; numbers and dates kept (a workbook has no time zones)."""
    if value is None or isinstance(value, (bool, int, float, Decimal)):
        return value
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, date):
        return value
    return safe_cell(value)


def write_csv(
    out: IO[bytes], headers: Sequence[object], rows: Iterable[Sequence[object]], progress: Callable[[int], None]
) -> int:
    """Stream the rows into `out` as CSV (UTF-8 with a byte-order mark, as the admin's CSV exports are)."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
    writer = csv.writer(text)
    writer.writerow(safe_row(headers))
    written = 0
    for written, row in enumerate(rows, 1):
        writer.writerow(safe_row(row))
        if written % PROGRESS_EVERY == 0:
            progress(written)
    text.flush()
    text.detach()  # leave `out` open for the caller
    return written


def write_xlsx(
    out: IO[bytes],
    headers: Sequence[object],
    rows: Iterable[Sequence[object]],
    progress: Callable[[int], None],
    title: str,
) -> int:
    """Stream the rows into `out` as a workbook; openpyxl's write-only mode keeps no rows in memory."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31] or "Export")
    sheet.append(safe_row(headers))
    written = 0
    for written, row in enumerate(rows, 1):
        sheet.append([_xlsx_cell(value) for value in row])
        if written % PROGRESS_EVERY == 0:
            progress(written)
    workbook.save(out)
    return written


# --- Services -----------------------------------------------------------------------------------


@transaction.atomic
def export_file_request(
    *,
    requested_by: User,
    title: str,
    source: str,
    parameters: dict[str, Any],
    file_format: str,
    filename: str,
    rows_total: int | None = None,
) -> ExportFile:
    """Record an export and queue the task that writes it, once this transaction commits."""
    from .tasks import export_file_write_task

    if source not in _SOURCES:
        raise ValueError(f"No export source named {source!r}")
    export = ExportFile.objects.create(
        requested_by=requested_by,
        title=title,
        source=source,
        parameters=parameters,
        file_format=file_format,
        filename=filename,
        rows_total=rows_total,
    )
    transaction.on_commit(lambda: export_file_write_task.enqueue(export.pk))
    return export


def export_file_write(*, export_id: int) -> str:
    """Write an export's file, one row at a time; safe to run twice (a ready file is not written again)."""
    export = ExportFile.objects.filter(pk=export_id).select_related("requested_by").first()
    if export is None or export.status == ExportFile.Status.READY:
        return "nothing to do"
    rows_of = ExportFile.objects.filter(pk=export.pk)
    rows_of.update(status=ExportFile.Status.WRITING, rows_written=0, error="")

    def progress(written: int) -> None:
        rows_of.update(rows_written=written)

    try:
        rows = _SOURCES[export.source](export)
        if rows.total is not None:
            rows_of.update(rows_total=rows.total)
        with tempfile.TemporaryFile() as out:
            if export.file_format == "xlsx":
                written = write_xlsx(out, rows.headers, rows.rows, progress, export.title)
            else:
                written = write_csv(out, rows.headers, rows.rows, progress)
            out.seek(0)
            export.file.save(export.filename, File(out), save=False)
    except Exception:
        logger.exception("Export %s failed", export.pk)
        rows_of.update(
            status=ExportFile.Status.FAILED,
            error="The file could not be written. Try again, or ask for a smaller export.",
            finished_at=timezone.now(),
        )
        return "failed"
    rows_of.update(
        status=ExportFile.Status.READY,
        file=export.file.name,
        rows_written=written,
        rows_total=written,
        finished_at=timezone.now(),
    )
    return "ready"


@transaction.atomic
def export_files_delete(*, exports: QuerySet[ExportFile]) -> int:
    """Delete these exports; their files go from storage once the deletion commits."""
    names = [name for name in exports.values_list("file", flat=True) if name]
    deleted = exports.delete()[0]
    storage = ExportFile._meta.get_field("file").storage

    def remove_files() -> None:
        for name in names:
            storage.delete(name)

    transaction.on_commit(remove_files)
    return deleted


def export_files_delete_expired(*, now: datetime | None = None) -> int:
    """Delete exports older than EXPORT_FILES_KEEP_DAYS days, with their files; safe to run twice."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.EXPORT_FILES_KEEP_DAYS)
    return export_files_delete(exports=ExportFile.objects.filter(created_at__lt=cutoff))


def export_files_delete_expired_enqueue() -> None:
    """Queue the deletion of expired exports for the task worker."""
    from .tasks import export_files_delete_expired_task

    export_files_delete_expired_task.enqueue()
