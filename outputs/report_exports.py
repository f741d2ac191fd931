"""The year-end report as files: a printable PDF, a Word document to finish it in, and the data behind it
as CSV (one table at a time) and as an XLSX workbook (one sheet per table).

Everything is made from one ReportData (outputs.report.build_report). Every spreadsheet cell passes
through programme.exports.safe_cell, so text a member typed cannot run as a formula. WeasyPrint renders
with ReportURLFetcher, which fetches nothing but data: URIs: text in a report cannot read the server's
files or reach the network.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.text import slugify
from docx import Document
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docx.text.paragraph import Paragraph
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Font
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

from programme.exports import safe_cell

from . import markdown
from .report import NarrativeSection, ReportData

REPORT_CSS = "css/report.css"
REFUSED_URL = "The report fetches nothing but data: URIs; refused {url}"

# WeasyPrint logs every rendering step at INFO; keep its warnings (such as refused URLs) only.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


# --- PDF -------------------------------------------------------------------------------------------


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


@lru_cache(maxsize=1)
def _report_css_text() -> str:
    path = finders.find(REPORT_CSS) or Path(settings.BASE_DIR) / "static" / REPORT_CSS
    return Path(path).read_text(encoding="utf-8")


def html_to_pdf(html: str, *, fetcher: ReportURLFetcher | None = None) -> bytes:
    """HTML to an A4 PDF styled by the report's print CSS, with nothing fetched from files or the network."""
    fetcher = fetcher or ReportURLFetcher()
    stylesheet = CSS(string=_report_css_text(), url_fetcher=fetcher)
    return HTML(string=html, url_fetcher=fetcher).write_pdf(stylesheets=[stylesheet])


def report_pdf_html(data: ReportData) -> str:
    return render_to_string("outputs/report/pdf.html", {"data": data, "pdf": True})


def report_pdf(data: ReportData, *, fetcher: ReportURLFetcher | None = None) -> bytes:
    """The report as a PDF: cover, contents with page numbers, sections, insights as footnotes, Annex A."""
    return html_to_pdf(report_pdf_html(data), fetcher=fetcher)


def report_filename(data: ReportData, extension: str, table: str = "") -> str:
    cohort = data.cohort
    parts = [cohort.programme.slug, cohort.name, "year-end-report", table]
    return f"{slugify('-'.join(part for part in parts if part))}.{extension}"


# --- Word ------------------------------------------------------------------------------------------


class _HtmlToDocx(HTMLParser):
    """Writes the sanitised HTML of a Markdown section into a Word document: headings, paragraphs, lists,
    bold, italics, links (their address in brackets), quotations and tables (one line per row)."""

    BLOCKS = {"p", "li", "blockquote", "pre", "dt", "dd", "tr", "h1", "h2", "h3", "h4", "h5", "h6"}

    def __init__(self, document: Any, heading_level: int) -> None:
        super().__init__(convert_charrefs=True)
        self.document = document
        self.heading_level = heading_level
        self.paragraph: Paragraph | None = None
        self.lists: list[str] = []
        self.bold = 0
        self.italic = 0
        self.code = 0
        self.quote = 0
        self.link: str | None = None
        self.link_text = ""
        self.cells = 0

    def _start_paragraph(self, style: str | None = None) -> None:
        self.paragraph = self.document.add_paragraph(style=style)
        if self.quote:
            self.paragraph.paragraph_format.left_indent = Pt(24)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self.paragraph = self.document.add_heading(level=min(9, self.heading_level + int(tag[1]) - 1))
        elif tag in {"ul", "ol"}:
            self.lists.append(tag)
        elif tag == "li":
            style = "List Number" if self.lists and self.lists[-1] == "ol" else "List Bullet"
            if len(self.lists) > 1:
                style += " 2"
            self._start_paragraph(style)
        elif tag in {"p", "pre", "dt", "dd"}:
            if not (self.lists and self.paragraph is not None and not self.paragraph.text):
                self._start_paragraph()
        elif tag == "blockquote":
            self.quote += 1
        elif tag == "tr":
            self._start_paragraph()
            self.cells = 0
        elif tag in {"td", "th"}:
            if self.cells and self.paragraph is not None:
                self.paragraph.add_run("\t")
            self.cells += 1
            self.bold += tag == "th"
        elif tag in {"strong", "b"}:
            self.bold += 1
        elif tag in {"em", "i"}:
            self.italic += 1
        elif tag == "code":
            self.code += 1
        elif tag == "br" and self.paragraph is not None:
            self.paragraph.add_run().add_break()
        elif tag == "a":
            self.link = dict(attrs).get("href") or None
            self.link_text = ""

    def handle_endtag(self, tag: str) -> None:
        if tag in {"ul", "ol"} and self.lists:
            self.lists.pop()
            self.paragraph = None
        elif tag == "blockquote":
            self.quote = max(0, self.quote - 1)
        elif tag in {"strong", "b", "th"}:
            self.bold = max(0, self.bold - 1)
        elif tag in {"em", "i"}:
            self.italic = max(0, self.italic - 1)
        elif tag == "code":
            self.code = max(0, self.code - 1)
        elif tag == "a":
            if self.link and self.link != self.link_text.strip():
                self._add_text(f" ({self.link})")
            self.link = None
        if tag in self.BLOCKS and not (tag == "p" and self.lists):
            self.paragraph = None

    def handle_data(self, data: str) -> None:
        if self.paragraph is None:
            if not data.strip():
                return
            self._start_paragraph()
            data = data.lstrip()
        if self.link is not None:
            self.link_text += data
        self._add_text(data)

    def _add_text(self, text: str) -> None:
        if self.paragraph is None:
            self._start_paragraph()
        assert self.paragraph is not None  # _start_paragraph() sets it
        run = self.paragraph.add_run(text)
        run.bold = bool(self.bold) or None
        run.italic = bool(self.italic or self.quote) or None
        if self.code:
            run.font.name = "Courier New"


def _add_markdown(document: Any, text: str, *, heading_level: int) -> None:
    writer = _HtmlToDocx(document, heading_level)
    writer.feed(str(markdown.render(text)))
    writer.close()


def _add_narrative(document: Any, section: NarrativeSection) -> None:
    document.add_heading(section.heading, level=1)
    if section.written:
        _add_markdown(document, section.text, heading_level=2)
    else:
        run = document.add_paragraph().add_run(section.placeholder)
        run.italic = True
        run.font.color.rgb = RGBColor(0x8A, 0x1C, 0x1C)


def _add_table(document: Any, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(str(header)).bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = _plain(value)
    document.add_paragraph()


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "normalize"):  # Decimal: 3.0 → "3", 2.5 → "2.5"
        return f"{value.normalize():f}"
    return str(value)


def _add_contents_field(document: Any) -> None:
    """A table of contents Word fills in (with page numbers) when the document is opened and fields update."""
    paragraph = document.add_paragraph()
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), 'TOC \\o "1-2" \\h \\z \\u')
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "Right-click and choose Update Field to show the contents with page numbers."
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    document.settings.element.append(_update_fields_on_open())


def _update_fields_on_open() -> Any:
    element = OxmlElement("w:updateFields")
    element.set(qn("w:val"), "true")
    return element


def _add_quote(document: Any, text: str, number: int) -> None:
    paragraph = document.add_paragraph(style="Quote")
    paragraph.add_run(f"“{text}”")
    call = paragraph.add_run(str(number))
    call.font.superscript = True


def report_docx(data: ReportData) -> bytes:
    """The report as a Word document: headings, paragraphs, tables, and insights cited as numbered notes."""
    figures = data.figures
    document = Document()
    document.core_properties.title = data.title
    document.core_properties.author = ", ".join(data.authors)
    document.styles["Normal"].font.name = "Arial"
    document.styles["Normal"].font.size = Pt(10.5)

    document.add_paragraph(data.cohort.programme.name.upper())
    document.add_heading(data.title, level=0)
    if data.authors:
        document.add_paragraph(" and ".join(data.authors))
    document.add_paragraph(
        f"The {data.cohort.name} cohort · year {data.cohort.number} of the programme · {data.built_on:%B %Y}"
    )
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    document.add_heading("Contents", level=1)
    _add_contents_field(document)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    _add_narrative(document, data.narrative["executive_summary"])
    _add_narrative(document, data.narrative["introduction"])

    document.add_heading("How the programme ran", level=1)
    sides = " and ".join(
        f"{count} {label.lower()}{'s' if count != 1 else ''}" for label, count in figures.members_by_side
    )
    document.add_paragraph(
        f"{figures.members} people took part in the {data.cohort.name} cohort: {sides}. "
        f"{figures.completed} completed the programme and {figures.withdrawn} did not complete it. "
        f"They worked in {figures.pairs} learning pairs."
    )
    document.add_paragraph(
        f"The cohort met at {len(figures.events)} events over {_plain(figures.event_days)} days. "
        f"Pairs logged {figures.activity_count} activities ({_plain(figures.activity_hours)} hours), including "
        f"{figures.service_visits} visits to local services and {figures.department_visits} visits to government "
        f"departments. Members gave {_plain(figures.commitment_days)} days in all; "
        f"{figures.members_meeting_minimum} of {figures.members} reached the minimum commitment of "
        f"{_plain(figures.minimum_days)} days."
    )
    _add_table(
        document,
        ["Side", "Members"],
        [
            *((f"{label}s", count) for label, count in figures.members_by_side),
            ("Completed", figures.completed),
            ("Withdrew", figures.withdrawn),
            ("Total", figures.members),
        ],
    )
    if figures.events:
        _add_table(
            document,
            ["Event", "Title", "Date", "Days", "Attended", "Guests"],
            [(e.label, e.title, f"{e.starts_on:%d %b %Y}", e.days, e.attended, e.guests) for e in figures.events],
        )
    if figures.activities:
        _add_table(
            document,
            ["Activity", "Number", "Hours", "Places"],
            [(row.label, row.count, row.hours, row.places) for row in figures.activities],
        )
    if data.survey_highlights:
        document.add_heading("What participants told us", level=2)
        for sentence in data.survey_highlights:
            document.add_paragraph(sentence, style="List Bullet")

    for section in data.questions:
        document.add_heading(section.heading, level=1)
        document.add_paragraph().add_run(section.question.text).bold = True
        if section.findings:
            document.add_paragraph(f"The cohort reached {len(section.findings)} answers:")
            for finding in section.findings:
                document.add_paragraph(style="List Bullet").add_run(finding.title).bold = True
            for finding in section.findings:
                document.add_heading(finding.title, level=2)
                _add_markdown(document, finding.body, heading_level=3)
        else:
            document.add_paragraph("[No findings recorded for this question yet]")
        _add_insights_and_case_studies(document, section.insights, section.case_studies)

    if data.other_insights or data.other_case_studies:
        document.add_heading("Across the programme", level=1)
        _add_insights_and_case_studies(document, data.other_insights, data.other_case_studies)

    _add_narrative(document, data.narrative["lessons"])
    _add_narrative(document, data.narrative["conclusion"])

    document.add_heading("Annex A", level=1)
    note = " Those marked * did not complete the programme." if data.annex_did_not_complete else ""
    document.add_paragraph(f"{len(data.annex)} people were accepted onto the core cohort.{note}")
    _add_table(
        document,
        ["Name", "Organisation", "Side"],
        [(f"{m.name} *" if m.did_not_complete else m.name, m.organisation, m.side) for m in data.annex],
    )

    if data.footnotes:
        document.add_heading("Notes", level=1)
        for footnote in data.footnotes:
            document.add_paragraph(f"{footnote.number}. {footnote.attribution}")

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _add_insights_and_case_studies(document: Any, insights: list, case_studies: list) -> None:
    if insights:
        document.add_heading("What participants said", level=2)
        for note in insights:
            _add_quote(document, note.text, note.number)
    for study in case_studies:
        document.add_heading(f"Case study {study.number}: {study.output.title}", level=2)
        credits = document.add_paragraph().add_run(f"{study.output.get_kind_display()} by {study.credits}")
        credits.italic = True
        if study.output.summary:
            document.add_paragraph().add_run(study.output.summary).bold = True
        _add_markdown(document, study.output.body, heading_level=3)
        if study.output.link:
            document.add_paragraph(f"More at {study.output.link}")


# --- Data: CSV and XLSX --------------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    name: str  # the ?table= value and the file name
    title: str  # the sheet name (at most 31 characters)
    headers: tuple[str, ...]
    rows: list[tuple[Any, ...]]


def report_tables(data: ReportData) -> list[Table]:
    """The data behind the report, as the tables the CSV and XLSX exports hold."""
    f = data.figures
    summary = [
        ("Members", f.members),
        *((f"{label}s", count) for label, count in f.members_by_side),
        ("Completed", f.completed),
        ("Withdrew", f.withdrawn),
        ("Learning pairs", f.pairs),
        *((f"Pairs {label.lower()}", count) for label, count in f.pairs_by_status),
        ("Events", len(f.events)),
        ("Event days", f.event_days),
        ("Activities", f.activity_count),
        ("Activity hours", f.activity_hours),
        ("Visits to local services", f.service_visits),
        ("Visits to departments", f.department_visits),
        ("Commitment days (all members)", f.commitment_days),
        ("Members reaching the minimum", f.members_meeting_minimum),
        ("Minimum commitment (days)", f.minimum_days),
    ]
    return [
        Table("summary", "Summary", ("Figure", "Value"), summary),
        Table(
            "members",
            "Annex A members",
            ("Name", "Organisation", "Side", "Status", "Did not complete", "Commitment days"),
            [
                (m.name, m.organisation, m.side, m.status, "Yes" if m.did_not_complete else "No", m.commitment_days)
                for m in data.annex
            ],
        ),
        Table(
            "events",
            "Events",
            ("Event", "Title", "Topic", "Date", "Days", "Attended", "Guests"),
            [(e.label, e.title, e.topic, e.starts_on, e.days, e.attended, e.guests) for e in f.events],
        ),
        Table(
            "activities",
            "Activities",
            ("Activity", "Number", "Hours", "Places visited"),
            [(row.label, row.count, row.hours, row.places) for row in f.activities],
        ),
        Table(
            "findings",
            "Findings",
            ("Section", "Question", "Order", "Finding", "Text"),
            [
                (s.number, s.question.short_title, i, item.title, item.body)
                for s in data.questions
                for i, item in enumerate(s.findings, start=1)
            ],
        ),
        Table(
            "case-studies",
            "Case studies",
            ("Case study", "Question", "Title", "Kind", "By", "Summary", "Link"),
            [
                (
                    study.number,
                    study.output.question.short_title if study.output.question is not None else "",
                    study.output.title,
                    study.output.get_kind_display(),
                    study.credits,
                    study.output.summary,
                    study.output.link,
                )
                for study in data.case_studies
            ],
        ),
        Table(
            "insights",
            "Insights",
            ("Note", "Question", "Insight", "Attribution"),
            [(n.number, n.question, n.text, n.attribution) for n in data.footnotes],
        ),
        Table("survey", "Survey highlights", ("Highlight",), [(sentence,) for sentence in data.survey_highlights]),
    ]


TABLE_NAMES = ("summary", "members", "events", "activities", "findings", "case-studies", "insights", "survey")


def table_csv(table: Table) -> str:
    """One table as CSV, with a byte-order mark so Excel reads it as UTF-8; formulas neutralised."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(header) for header in table.headers])
    for row in table.rows:
        writer.writerow([safe_cell(_plain(value)) for value in row])
    return buffer.getvalue()


def report_xlsx(data: ReportData) -> bytes:
    """Every table as a sheet of one workbook; formulas neutralised."""
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for table in report_tables(data):
        sheet = workbook.create_sheet(title=table.title[:31])
        sheet.append([_bold_cell(sheet, safe_cell(value), bold) for value in table.headers])
        for row in table.rows:
            sheet.append([_xlsx_value(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_value(value: Any) -> Any:
    """Numbers and dates stay numbers and dates (they cannot be formulas); text goes through safe_cell."""
    if isinstance(value, int | Decimal | float | date) and not isinstance(value, bool):
        return value
    return safe_cell(value)


def _bold_cell(sheet: Any, value: Any, font: Font) -> Cell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = font
    return cell
