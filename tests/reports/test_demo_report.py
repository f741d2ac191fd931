"""The demo's 2014-15 report exported as the facilitator downloads it: A4 Word with real footnotes and headings in
order, and every quote footnote inside the finding that cites it, in the PDF and in Word."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import transaction
from django.urls import reverse

from demo.loading import DEMO_PASSWORD, Demo, demo_load
from reports.building import build_report
from reports.data import ReportData
from tests.reports.reading import (
    assert_headings_never_skip,
    assert_notes_inside_the_findings_citing_them,
    docx_footnotes,
    docx_headings,
    docx_names,
    docx_page_size,
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
        pdf = client.get(reverse("reports:pdf", args=[demo.year2.pk]))
        docx = client.get(reverse("reports:docx", args=[demo.year2.pk]))
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
