"""The report preview, built once per change: the page's report part is kept per process under the report's
stamp (reports.stamp.report_stamp), which any write to the report's data changes in every process at once."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import caches
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from cohorts.models import Cohort

from .building import build_report
from .exports.files import report_data_fingerprint
from .pipeline import report_html
from .stamp import report_stamp

PARTS = "reports/_preview_report.html"


@dataclass(frozen=True)
class ReportPreview:
    title: str
    intro: SafeString  # the byline and the sections not yet written
    article: SafeString  # the report itself
    fingerprint: str  # of the data every file shows (reports.exports.files): a file built from it is current


def report_preview(cohort: Cohort) -> ReportPreview:
    """The cohort's report as the preview shows it: one query when nothing changed since it was last built."""
    cache = caches["report_preview"]
    key = "report-preview:" + report_stamp(cohort)
    preview: ReportPreview | None = cache.get(key)
    if preview is None:
        data = build_report(cohort)
        context = {"data": data, "body": report_html(data)}
        preview = ReportPreview(
            title=data.title,
            intro=mark_safe(render_to_string(f"{PARTS}#intro", context)),  # noqa: S308 - rendered by a template
            article=mark_safe(render_to_string(f"{PARTS}#article", context)),  # noqa: S308 - rendered by a template
            fingerprint=report_data_fingerprint(data),
        )
        cache.set(key, preview)
    return preview
