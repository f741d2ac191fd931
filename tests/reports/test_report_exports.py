"""The year-end report exported as PDF, Word, CSV and XLSX, read back; formulas neutralised; nothing fetched."""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from cohorts.models import Event, Finding, Membership
from reports.building import build_report
from reports.exports.tables import TABLE_NAMES, report_table, report_tables
from reports.models import CaseStudy, YearEndReport
from reports.rendering import REFUSED_URL, ReportURLFetcher, html_to_pdf, report_pdf
from tests.factories import FindingFactory, InsightFactory, MembershipFactory
from tests.reports.reading import docx_footnotes, prepared_file
from tests.reports.test_report import add_report_data

FORMULA = '=HYPERLINK("http://evil.example","click")'


@pytest.fixture
def report_world(world):
    return add_report_data(world)


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    texts = [paragraph.text for paragraph in document.paragraphs]
    texts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(texts)


def _expected_texts(cohort) -> list[str]:
    questions = [q.short_title for q in cohort.questions.all()]
    findings = list(Finding.objects.filter(question__cohort=cohort).values_list("title", flat=True))
    members = list(Membership.objects.for_cohort(cohort).taking_part().values_list("user__full_name", flat=True))
    assert questions and findings and members
    return questions + findings + members


def _squash(text: str) -> str:
    return " ".join(text.split())


def test_pdf_holds_every_question_finding_and_annex_member(world, report_world, login_as):
    response = prepared_file(login_as("facilitator"), world.cohort.pk, "pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="')
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) >= 6  # cover, contents, sections each on a new page
    text = pdf_text(response.content)
    for expected in _expected_texts(world.cohort):
        assert _squash(expected) in text, expected
    assert "Walter Withdrawn *" in text
    assert "Y2 policymaker, Workshop 1" in text  # an insight's footnote
    assert "Case study 1: Comparing two approaches to consultation" in text
    assert "[Executive summary not yet written]" in text


def test_pdf_has_a_cover_contents_with_page_numbers_a_running_footer_and_footnotes(world, report_world):
    data = build_report(world.cohort)
    reader = PdfReader(io.BytesIO(report_pdf(data)))
    pages = [" ".join((page.extract_text() or "").split()) for page in reader.pages]

    assert data.title in pages[0]
    assert pages[1].startswith("Contents")
    section_page = next(n for n, text in enumerate(pages, start=1) if text.startswith("Section 1: "))
    annex_page = next(n for n, text in enumerate(pages, start=1) if text.startswith("Annex A "))
    assert re.search(rf"Section 1: What have we learned about the questions\? \.+ {section_page}\b", pages[1])
    assert re.search(rf"Annex A \.+ {annex_page}$", pages[1])
    # The running footer: the title and the page number.
    assert pages[section_page - 1].endswith(f"{data.title} {section_page}")
    # The quotation's attribution is a footnote on the same page.
    # The quote's footnote is cited inside the finding whose sentence it supports.
    finding_page = next(n for n, text in enumerate(pages, start=1) if "ways of involving service users.1" in text)
    assert "“The boundaries can be pushed further than I thought.”" in pages[finding_page - 1]
    assert "“The boundaries can be pushed further than I thought.” (Y2 policymaker, Workshop 1)" in " ".join(pages)


def test_docx_holds_every_question_finding_and_annex_member_with_word_footnotes(world, report_world, login_as):
    YearEndReport.objects.create(
        cohort=world.cohort,
        introduction="## Background\n\nThe programme is a **partnership**.\n\n- one\n- two",
    )
    response = prepared_file(login_as("facilitator"), world.cohort.pk, "docx")

    assert response.status_code == 200
    text = docx_text(response.content)
    for expected in _expected_texts(world.cohort):
        assert expected in text, expected
    assert "Walter Withdrawn *" in text
    assert "“The boundaries can be pushed further than I thought.” (Y2 policymaker, Workshop 1)" in (
        docx_footnotes(response.content).values()
    )
    assert "[Executive summary not yet written]" in text
    document = Document(io.BytesIO(response.content))
    headings = [p.text for p in document.paragraphs if p.style and p.style.name.startswith("Heading")]
    assert "Engaging service users" in headings
    assert "Background" in headings
    bullets = [p.text for p in document.paragraphs if p._p.pPr is not None and p._p.pPr.numPr is not None]
    assert {"one", "two"} <= set(bullets)
    assert "Annex A" in headings


def test_xlsx_sheets_hold_the_same_counts_as_the_database(world, report_world, login_as):
    response = prepared_file(login_as("facilitator"), world.cohort.pk, "xlsx")

    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    rows = {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook.worksheets}
    cohort = world.cohort
    assert len(rows["Annex A members"]) - 1 == Membership.objects.for_cohort(cohort).taking_part().count()
    assert len(rows["Events"]) - 1 == Event.objects.filter(cohort=cohort).count()
    assert len(rows["Findings"]) - 1 == Finding.objects.filter(question__cohort=cohort).count()
    assert len(rows["Notes"]) - 1 == len(build_report(cohort).footnotes)
    assert len(rows["Case studies"]) - 1 == CaseStudy.objects.filter(cohort=cohort).count()
    summary = {row[0]: row[1] for row in rows["Summary"][1:]}
    assert summary["Members"] == Membership.objects.for_cohort(cohort).taking_part().count()
    assert summary["Withdrew"] == 1
    assert {sheet.title for sheet in workbook.worksheets} == {t.title for t in report_tables(build_report(cohort))}


@pytest.mark.parametrize("table", TABLE_NAMES)
def test_each_csv_table_downloads_with_its_header(world, report_world, login_as, table):
    response = login_as("facilitator").get(reverse("reports:csv", args=[world.cohort.pk]), {"table": table})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert f"{table}.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    expected = next(t for t in report_tables(build_report(world.cohort)) if t.name == table)
    assert tuple(rows[0]) == expected.headers
    assert len(rows) - 1 == len(expected.rows)


def test_unknown_csv_table_is_404(world, login_as):
    client = login_as("facilitator")
    url = reverse("reports:csv", args=[world.cohort.pk])

    assert client.get(url, {"table": "passwords"}).status_code == 404
    assert client.get(url).status_code == 404


@pytest.fixture
def formula_world(world, report_world):
    """Text typed by members and staff that a spreadsheet would run as a formula."""
    insight = InsightFactory(
        cohort=world.cohort, event=report_world.workshop, question=report_world.questions[0], text="@SUM(A1:A9)"
    )
    # Cited, its note opens with a quotation mark: the check below still finds no cell starting a formula.
    FindingFactory(question=report_world.questions[0], order=9, title=FORMULA, body=f"+1+1[[insight:{insight.pk}]]")
    MembershipFactory(cohort=world.cohort, user__full_name="-2+3 Hacker", user__organisation__name="=cmd|' /C calc'!A0")
    return world


DANGEROUS = (FORMULA, "-2+3 Hacker", "=cmd|' /C calc'!A0")


def test_csv_cells_never_start_a_formula(formula_world, login_as):
    client = login_as("facilitator")
    cells = []
    for table in ("members", "findings", "insights"):
        response = client.get(reverse("reports:csv", args=[formula_world.cohort.pk]), {"table": table})
        cells += [cell for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig"))) for cell in row]

    for dangerous in DANGEROUS:
        assert dangerous not in cells
        assert "'" + dangerous in cells
    assert not [cell for cell in cells if cell[:1] in {"=", "+", "-", "@", "\t", "\r"}]


def test_xlsx_cells_never_start_a_formula(formula_world, login_as):
    response = prepared_file(login_as("facilitator"), formula_world.cohort.pk, "xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]

    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    texts = [cell.value for cell in cells if isinstance(cell.value, str)]
    for dangerous in DANGEROUS:
        assert "'" + dangerous in texts
    assert not [text for text in texts if text[:1] in {"=", "+", "-", "@", "\t", "\r"}]


def test_report_with_empty_sections_exports_with_not_yet_written_markers(world, login_as):
    client = login_as("facilitator")
    markers = [f"[{heading} not yet written]" for heading in ("Executive summary", "Introduction", "Conclusion")]

    pdf = prepared_file(client, world.cohort.pk, "pdf")
    docx = prepared_file(client, world.cohort.pk, "docx")
    xlsx = prepared_file(client, world.cohort.pk, "xlsx")

    assert (pdf.status_code, docx.status_code, xlsx.status_code) == (200, 200, 200)
    for marker in markers:
        assert marker in pdf_text(pdf.content)
        assert marker in docx_text(docx.content)


# --- Nothing is fetched: no files, no network -----------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://169.254.169.254/latest/meta-data/",
        "https://example.org/x.png",
        "ftp://h/x",
        "/etc/passwd",
        "FILE:///etc/hostname",
    ],
)
def test_fetcher_refuses_files_and_network(url):
    fetcher = ReportURLFetcher()

    with pytest.raises(ValueError, match="refused"):
        fetcher.fetch(url)

    assert fetcher.refused == [url]


def test_fetcher_allows_data_uris():
    fetcher = ReportURLFetcher()

    response = fetcher.fetch("data:text/plain;base64,aGk=")

    assert response.read() == b"hi"
    assert fetcher.refused == []


def test_weasyprint_asks_the_fetcher_which_refuses_images_stylesheets_and_attachments(caplog):
    fetcher = ReportURLFetcher()
    html = (
        '<link rel="stylesheet" href="file:///etc/passwd">'
        '<link rel="attachment" href="file:///etc/hostname">'
        "<style>@import url('http://example.org/evil.css'); body { background: url(file:///etc/shadow) }</style>"
        '<p>Before <img src="file:///etc/passwd"> <img src="http://example.org/track.png"> after</p>'
    )

    content = html_to_pdf(html, fetcher=fetcher)

    assert content.startswith(b"%PDF")
    assert {"file:///etc/passwd", "http://example.org/track.png", "http://example.org/evil.css"} <= set(fetcher.refused)
    assert "root:" not in pdf_text(content)
    assert REFUSED_URL.split("{")[0].strip() in caplog.text


def test_narrative_with_file_and_network_images_fetches_nothing(world, report_world):
    YearEndReport.objects.create(
        cohort=world.cohort,
        executive_summary='![x](file:///etc/passwd)\n\n<img src="http://example.org/track.png">\n\nReal text.',
        introduction="<link rel=attachment href='file:///etc/passwd'> [a link](file:///etc/passwd)",
    )
    fetcher = ReportURLFetcher()

    content = report_pdf(build_report(world.cohort), fetcher=fetcher)

    text = pdf_text(content)
    assert "Real text." in text
    assert "root:" not in text
    # The Markdown sanitiser already drops the images; anything left would be refused, never fetched.
    assert all(url.startswith(("file:", "http:", "https:")) for url in fetcher.refused)


def test_weasyprint_is_not_imported_until_a_pdf_is_made():
    """Importing it costs half a second: every command, worker and page would pay it."""
    script = (
        "import sys, django; django.setup(); "
        "from django.urls import get_resolver; get_resolver().url_patterns; "
        "import reports.rendering, reports.views, reports.exports.tables; "
        "assert 'weasyprint' not in sys.modules, 'imported early'; "
        "reports.rendering.html_to_pdf('<p>x</p>'); "
        "assert 'weasyprint' in sys.modules"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", script], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("name", TABLE_NAMES)
def test_each_table_built_alone_matches_the_full_report_in_fewer_queries(world, report_world, name):
    with CaptureQueriesContext(connection) as whole:
        full = {table.name: table for table in report_tables(build_report(world.cohort))}
    with CaptureQueriesContext(connection) as alone:
        table = report_table(world.cohort, name)
    assert table == full[name]
    assert len(alone) < len(whole)


def test_the_events_csv_never_computes_commitment(world, report_world, login_as):
    client = login_as("facilitator")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("reports:csv", args=[world.cohort.pk]), {"table": "events"})
    assert response.status_code == 200
    assert not any("pairs_activity_attendees" in query["sql"] for query in queries.captured_queries)
