"""The report's files, built by a task (reports.tasks): PDF, Word and XLSX, from one ReportData, and the
fingerprint that tells whether a file built earlier still shows the report as it is."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from ..data import ReportData
from ..figures import report_figures_svg
from ..models import ReportExport
from ..pipeline import docx_metadata, report_docx
from ..rendering import report_pdf
from ..source import report_markdown
from ..stamp import report_fingerprint
from .tables import report_tables
from .xlsx import report_xlsx

CONTENT_TYPES: dict[str, str] = {
    ReportExport.Kind.PDF: "application/pdf",
    ReportExport.Kind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ReportExport.Kind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
BUILDERS: dict[str, Callable[[ReportData], bytes]] = {
    ReportExport.Kind.PDF: report_pdf,
    ReportExport.Kind.DOCX: report_docx,
    ReportExport.Kind.XLSX: report_xlsx,
}


def report_data_fingerprint(data: ReportData) -> str:
    """Everything the PDF, the Word document and the workbook show: the Markdown with its figures, the cover, the
    tables. The build date counts only where the cover prints it (no publication date set)."""
    uploaded = sorted(
        (name, figure.media_type, hashlib.sha256(figure.content).hexdigest())
        for name, figure in data.uploaded_figures.items()
    )
    return report_fingerprint(
        report_markdown(data),
        sorted(report_figures_svg(data).items()),
        uploaded,
        docx_metadata(data),
        report_tables(data),
    )
