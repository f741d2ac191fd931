"""The year-end report as a Word document to finish it in: headings, paragraphs, tables and numbered notes."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from html.parser import HTMLParser
from typing import Any

from docx import Document
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docx.text.paragraph import Paragraph

from outputs import markdown

from ..data import NarrativeSection, ReportData
from .tables import plain


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
            cell.text = plain(value)
    document.add_paragraph()


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
        f"The cohort met at {len(figures.events)} events over {plain(figures.event_days)} days. "
        f"Pairs logged {figures.activity_count} activities ({plain(figures.activity_hours)} hours), including "
        f"{figures.service_visits} visits to local services and {figures.department_visits} visits to government "
        f"departments. Members gave {plain(figures.commitment_days)} days in all; "
        f"{figures.members_meeting_minimum} of {figures.members} reached the minimum commitment of "
        f"{plain(figures.minimum_days)} days."
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
            [(e.label, e.title, f"{e.starts_on:%-d %B %Y}", e.days, e.attended, e.guests) for e in figures.events],
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
