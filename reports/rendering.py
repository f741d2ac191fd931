"""Rendering the year-end report: the printable PDF, made with WeasyPrint from the report's HTML template.

Everything is made from one ReportData (reports.building.build_report), through the same pandoc HTML the
browser preview shows (reports.pipeline). WeasyPrint renders with
ReportURLFetcher, which fetches nothing but data: URIs: text in a report cannot read the server's files
or reach the network.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.text import slugify

from cohorts.models import Cohort

from .data import ReportData
from .pipeline import pdf_footnotes, report_html

REPORT_CSS = "css/report.css"
REFUSED_URL = "The report fetches nothing but data: URIs; refused {url}"

# WeasyPrint logs every rendering step at INFO; keep its warnings (such as refused URLs) only.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


@lru_cache(maxsize=1)
def _report_url_fetcher_class() -> type:
    """ReportURLFetcher, defined on first use: importing WeasyPrint costs half a second, which no page,
    command or worker start should pay before it makes a PDF."""
    from weasyprint.urls import URLFetcher

    class ReportURLFetcher(URLFetcher):
        """A WeasyPrint fetcher that refuses every URL but data: URIs (file://, http(s)://, ftp://, relative paths).

        The refused URLs are kept in `refused`, so a test can see the fetcher was asked and said no.
        """

        def __init__(self) -> None:
            super().__init__(timeout=1, allowed_protocols={"data"}, allow_redirects=False, fail_on_errors=False)
            self.refused: list[str] = []

        def fetch(self, url: str, headers: dict[str, str] | None = None) -> Any:
            if not url.strip().lower().startswith("data:"):
                self.refused.append(url)
                raise ValueError(REFUSED_URL.format(url=url))
            return super().fetch(url, headers)

    return ReportURLFetcher


def __getattr__(name: str) -> Any:
    if name == "ReportURLFetcher":
        return _report_url_fetcher_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@lru_cache(maxsize=1)
def _report_css_text() -> str:
    path = finders.find(REPORT_CSS) or Path(settings.BASE_DIR) / "static" / REPORT_CSS
    return Path(path).read_text(encoding="utf-8")


def html_to_pdf(html: str, *, fetcher: Any = None) -> bytes:
    """HTML to an A4 PDF styled by the report's print CSS, with nothing fetched from files or the network."""
    from weasyprint import CSS, HTML

    fetcher = fetcher or _report_url_fetcher_class()()
    stylesheet = CSS(string=_report_css_text(), url_fetcher=fetcher)
    return HTML(string=html, url_fetcher=fetcher).write_pdf(stylesheets=[stylesheet])


def report_pdf_html(data: ReportData) -> str:
    """The preview's HTML (reports.pipeline.report_html), with a cover and the notes as page footnotes."""
    body = mark_safe(pdf_footnotes(report_html(data)))  # noqa: S308 - sanitised by report_html, moved by lxml
    return render_to_string("reports/pdf.html", {"data": data, "pdf": True, "body": body})


def report_pdf(data: ReportData, *, fetcher: Any = None) -> bytes:
    """The report as a PDF: cover, contents with page numbers, sections, insights as footnotes, Annex A."""
    return html_to_pdf(report_pdf_html(data), fetcher=fetcher)


def report_filename(data: ReportData | Cohort, extension: str, table: str = "") -> str:
    cohort = data if isinstance(data, Cohort) else data.cohort
    parts = [cohort.programme.slug, cohort.name, "year-end-report", table]
    return f"{slugify('-'.join(part for part in parts if part))}.{extension}"
