"""The demo's 2014-15 report exported as the facilitator downloads it: A4 Word with real footnotes and headings in
order, and every quote footnote inside the finding that cites it, in the PDF and in Word."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from django.db import transaction

from demo.loading import DEMO_PASSWORD, Demo, demo_load
from reports.building import build_report
from reports.data import ReportData
from tests.reports.reading import (
    assert_headings_never_skip,
    assert_notes_inside_the_findings_citing_them,
    docx_footnotes,
    docx_headings,
    docx_names,
    docx_notes_by_heading,
    docx_page_size,
    pdf_pages,
    prepared_file,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def exported(django_db_setup, django_db_blocker) -> Iterator[tuple[Demo, ReportData, bytes, bytes]]:
    """The demo loaded once, its report downloaded as PDF and Word, all rolled back after the last test."""
    from django.test import Client

    with django_db_blocker.unblock(), transaction.atomic():
        demo = demo_load()
        client = Client()
        assert client.login(email="facilitator@pairwise.test", password=DEMO_PASSWORD)
        pdf = prepared_file(client, demo.year2.pk, "pdf")
        docx = prepared_file(client, demo.year2.pk, "docx")
        assert (pdf.status_code, docx.status_code) == (200, 200)
        yield demo, build_report(demo.year2), pdf.content, docx.content
        transaction.set_rollback(True)


def test_demo_report_docx_is_a4_with_real_footnotes_and_headings_in_order(exported):
    _demo, data, _pdf, docx = exported

    assert "word/footnotes.xml" in docx_names(docx)
    assert len(docx_footnotes(docx)) == len(data.footnotes) > 0
    assert docx_page_size(docx) == (11906, 16838)
    assert_headings_never_skip(docx_headings(docx))


def test_demo_report_quote_footnotes_sit_inside_the_finding_that_cites_them(exported):
    _demo, data, pdf, docx = exported

    assert_notes_inside_the_findings_citing_them(data, pdf, docx)


# The seed report's order, each part by words of its content (not only its heading): the PDF and the Word
# document must show them in this order, after the cover and contents.
SEED_ORDER = [
    ("about the authors", "About the authors"),
    ("about the authors", "Lead author, Ben Hartley is a Researcher"),
    ("acknowledgements", "We are grateful to our partners at the Big Lottery Fund"),
    ("executive summary", "Policymaking in Whitehall can seem far removed"),
    ("executive summary: question 1's findings", "Match your engagement methods to your aims. There are many ways"),
    ("executive summary: question 2's findings", "Invest in local collaboration. Joined-up services mean"),
    ("introduction", "The programme is a partnership between the Big Lottery Fund and the Institute"),
    ("background", "Background to the programme"),
    ("background: partners", "is a partnership between Big Lottery Fund and Institute for Government"),
    ("background: the previous cohort's disconnects", "Figure 1: "),
    ("how the programme works", "30 people took part in the 2014-15 cohort"),
    ("this report", "This report builds on the report of the programme's first year"),
    ("section 1", "Section 1: What have we learned about the disconnects between policy and practice?"),
    ("recap of the previous year", "The 2013 cohort focused its work on 3 themes"),
    ("how the questions were chosen", "Resonance with the first cohort."),
    ("derivation", "From the disconnects we derived 2 questions"),
    ("steps figure", "Figure 2: "),
    ("question 1's framing", "What do we mean by this question?"),
    ("question 1's first finding", "There are many ways of involving service users in policy and in services"),
    ("question 2's framing", "The second question asked how policy and services can move towards whole-person"),
    ("section 2", "Section 2: Bringing together policymakers and practitioners"),
    ("section 2 sub-section", "Why connect policymakers and practitioners?"),
    ("section 2 case study", "What policymakers learned from the programme"),
    ("survey evidence", "85% agreed (13 respondents)"),
    *(
        (f"lesson {n}", f"Lesson {n}: {title}")
        for n, title in enumerate(
            [
                "Give participants clear tasks and deadlines",
                "Focus on the benefits",
                "Weigh up the pros and cons",
                "Plan for not all pairs working out well",
                "Remember that participants have day jobs",
                "Match aims to methods",
            ],
            start=1,
        )
    ),
    ("conclusion", "It is two years since we first launched the programme"),
    ("annex a", "30 people were accepted onto the core cohort"),
]


def _flat(text: str) -> str:
    """One line, typographic quotes and dashes as typed, so the PDF's and Word's text compare with the source."""
    for typographic, plain in {"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "‑": "-"}.items():
        text = text.replace(typographic, plain)
    return " ".join(text.split())


def assert_in_seed_order(text: str, where: str) -> None:
    position = text.index(_flat(SEED_ORDER[0][1]))  # after the cover and contents
    for part, words in SEED_ORDER[1:]:
        found = text.find(_flat(words), position)
        assert found >= 0, f"{where}: {part} ({words!r}) is missing or out of order"
        position = found


def test_demo_report_pdf_and_docx_follow_the_seed_reports_order_with_content(exported):
    from docx import Document

    _demo, data, pdf, docx = exported

    assert_in_seed_order(_flat(" ".join(pdf_pages(pdf))), "PDF")
    document = Document(io.BytesIO(docx))
    assert_in_seed_order(_flat(" ".join(paragraph.text for paragraph in document.paragraphs)), "DOCX")
    assert [lesson.title for lesson in data.lesson_items][:1] == ["Give participants clear tasks and deadlines"]
    assert len(data.lesson_items) == 6


def test_demo_report_section_2_has_quote_footnotes_in_pdf_and_docx(exported):
    _demo, data, pdf, docx = exported
    quote = "Policy can be about creating the right conditions for change"

    by_section = dict(docx_notes_by_heading(docx, level=1))
    assert any(quote in note for note in by_section[f"Section 2: {data.section_two_title}"])
    pages = pdf_pages(pdf)
    section = next(n for n, text in enumerate(pages) if text.startswith("Section 2: Bringing together"))
    lessons = next(n for n, text in enumerate(pages) if "Lesson 1: Give participants" in text and n >= section)
    assert any(quote in page for page in pages[section : lessons + 1])


def test_demo_report_cover_names_the_authors_partners_and_publication_date(exported):
    demo, data, pdf, _docx = exported

    cover = pdf_pages(pdf)[0]
    assert data.authors == ["Ben Hartley", "Alison Carter"]
    assert "Ben Hartley and Alison Carter" in cover
    assert "Big Lottery Fund and Institute for Government" in cover
    assert f"{demo.year2.ends_on:%B %Y}" in cover  # no date chosen: the cohort's end


def test_demo_keeps_2013s_themes_and_disconnects_and_the_seeds_attributions(exported):
    demo, data, _pdf, _docx = exported

    assert data.previous is not None
    assert len(data.previous.themes) == 3 and len(data.previous.disconnects) == 5
    assert demo.year1.memberships.count() == 30
    studies = {study.title: study for study in data.case_studies}
    blackpool = studies["Creating a service user engagement strategy"]
    assert blackpool.origin == "Contributed by a member" and " and " not in blackpool.credits
    notes = " ".join(note.markdown for note in data.footnotes)
    assert "Y2 roundtable participant, Roundtable 3" in notes  # the language roundtable is the third
    assert "Pemberton, L., *Mind your language" in notes.replace("\\", "")
