"""Reading exported reports back in tests: the PDF's text page by page, and the .docx's own XML parts."""

from __future__ import annotations

import io
import itertools
import re
import zipfile
from dataclasses import dataclass
from typing import Any

from django.test import Client, TestCase
from django.urls import reverse
from lxml import etree
from pypdf import PdfReader

from reports.data import ReportData

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def pdf_pages(content: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(content))
    return [" ".join((page.extract_text() or "").split()) for page in reader.pages]


def docx_part(content: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return etree.fromstring(archive.read(name))


def docx_names(content: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.namelist()


def _text(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())


def docx_footnotes(content: bytes) -> dict[str, str]:
    """Word footnotes by id, the separators left out."""
    root = docx_part(content, "word/footnotes.xml")
    return {
        note.get(f"{{{W}}}id"): _text(note)
        for note in root.findall("w:footnote", NS)
        if note.get(f"{{{W}}}type") in (None, "normal")
    }


def _heading_level(paragraph: etree._Element, styles: dict[str, str]) -> int | None:
    style = paragraph.find("w:pPr/w:pStyle", NS)
    name = styles.get(style.get(f"{{{W}}}val"), "") if style is not None else ""
    if name.lower().startswith("heading ") and name[8:].isdigit():
        return int(name[8:])
    return None


def docx_style_names(content: bytes) -> dict[str, str]:
    root = docx_part(content, "word/styles.xml")
    return {
        style.get(f"{{{W}}}styleId"): style.find("w:name", NS).get(f"{{{W}}}val")
        for style in root.findall("w:style", NS)
        if style.find("w:name", NS) is not None
    }


@dataclass
class DocxHeading:
    level: int
    text: str


def docx_headings(content: bytes) -> list[DocxHeading]:
    styles = docx_style_names(content)
    body = docx_part(content, "word/document.xml").find("w:body", NS)
    headings = []
    for paragraph in body.iter(f"{{{W}}}p"):
        level = _heading_level(paragraph, styles)
        if level is not None:
            headings.append(DocxHeading(level, _text(paragraph)))
    return headings


def docx_notes_under_headings(content: bytes) -> dict[str, list[str]]:
    """Each footnote's text, keyed by the heading the paragraph citing it sits under (in document order)."""
    styles = docx_style_names(content)
    notes = docx_footnotes(content)
    body = docx_part(content, "word/document.xml").find("w:body", NS)
    under: dict[str, list[str]] = {}
    current = ""
    for paragraph in body.iter(f"{{{W}}}p"):
        if _heading_level(paragraph, styles) is not None:
            current = _text(paragraph)
            continue
        for reference in paragraph.iter(f"{{{W}}}footnoteReference"):
            under.setdefault(current, []).append(notes[reference.get(f"{{{W}}}id")])
    return under


def docx_page_size(content: bytes) -> tuple[int, int]:
    size = docx_part(content, "word/document.xml").find(".//w:sectPr/w:pgSz", NS)
    return int(size.get(f"{{{W}}}w")), int(size.get(f"{{{W}}}h"))


def assert_headings_never_skip(headings: list[DocxHeading]) -> None:
    assert headings, "no headings"
    assert headings[0].level == 1, headings[0]
    for before, after in itertools.pairwise(headings):
        assert after.level <= before.level + 1, f"{before} then {after}"


def pdf_page_range(pages: list[str], start: str, end: str | None) -> range:
    """The pages from the one where `start` begins to the one where `end` begins (or the last page)."""
    first = next(index for index, text in enumerate(pages) if start in text and "Contents" not in text[:10])
    if end is None:
        return range(first, len(pages))
    last = next(index for index in range(first, len(pages)) if end in pages[index])
    return range(first, last + 1)


def docx_notes_by_heading(content: bytes, *, level: int) -> list[tuple[str, list[str]]]:
    """The footnotes cited under each heading of `level` (subheadings included), in document order."""
    styles = docx_style_names(content)
    notes = docx_footnotes(content)
    body = docx_part(content, "word/document.xml").find("w:body", NS)
    sections: list[tuple[str, list[str]]] = [("", [])]
    for paragraph in body.iter(f"{{{W}}}p"):
        heading = _heading_level(paragraph, styles)
        if heading is not None and heading <= level:
            sections.append((_text(paragraph) if heading == level else "", []))
            continue
        for reference in paragraph.iter(f"{{{W}}}footnoteReference"):
            sections[-1][1].append(notes[reference.get(f"{{{W}}}id")])
    return sections


def letters(text: str, length: int = 40) -> str:
    """The first letters and digits of a text: compares a note's Markdown with its rendered text."""
    return "".join(character for character in text if character.isalnum())[:length]


MARKER = re.compile(r"\[\^(\d+)\]")


def cited_notes(data: ReportData) -> dict[str, list[str]]:
    """Each finding's title and the Markdown of the notes it (or a case study after it) cites, in order."""
    notes = {note.number: note.markdown for note in data.footnotes}
    cited = {}
    for finding in data.findings:
        text = finding.markdown + "".join(study.markdown for study in finding.case_studies)
        cited[finding.title] = [notes[int(number)] for number in MARKER.findall(text)]
    return cited


def assert_notes_inside_the_findings_citing_them(data: ReportData, pdf: bytes, docx: bytes) -> None:
    """Every note a finding cites is a footnote inside that finding: in Word, referenced under the finding's
    heading; in the PDF, at the foot of a page from the finding's heading to the next finding's."""
    cited = cited_notes(data)
    assert any(cited.values()), "no finding cites a note"
    pages = pdf_pages(pdf)
    by_finding = dict(docx_notes_by_heading(docx, level=3))
    titles = list(cited)
    for index, (title, notes) in enumerate(cited.items()):
        assert [letters(note) for note in by_finding[title]] == [letters(note) for note in notes], title
        start = max(n for n, text in enumerate(pages) if title in text)
        following = titles[index + 1] if index + 1 < len(titles) else None
        end = max(n for n, text in enumerate(pages) if following in text) if following else len(pages) - 1
        for note in notes:
            found = [n for n, text in enumerate(pages) if letters(note, 30) in letters(text, 10**6)]
            assert found and all(start <= n <= end for n in found), (title, note, found, start, end)


def prepared_file(client: Client, cohort_pk: int, kind: str) -> Any:
    """One of the report's files as a facilitator gets it: the preview's Prepare button, the task building it when
    the request commits (the immediate backend), then the download."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        asked = client.post(reverse("reports:export-prepare", args=[cohort_pk, kind]))
    assert asked.status_code == 302, asked.status_code
    return client.get(reverse(f"reports:{kind}", args=[cohort_pk]))
