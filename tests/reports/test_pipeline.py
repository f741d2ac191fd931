"""One source, one pipeline: the report's Markdown through pandoc to the preview's HTML, the PDF and Word.

The data comes from factories through build_report; only the fields the authoring pages fill (a finding's
Markdown with `[^n]` markers and the report's footnotes) are set here, through dataclasses.replace, so these
tests hold whatever fills them.
"""

from __future__ import annotations

import base64
import dataclasses
import io
import re

import pytest
from django.urls import reverse
from docx import Document
from lxml import etree

from reports import figures as report_figures
from reports.building import build_report
from reports.data import Footnote, ReportData
from reports.figures import RSVG_MISSING, FigureToolMissing
from reports.models import ReportExport, YearEndReport
from reports.pandoc.make_reference import A4_TWIPS, REFERENCE_DOCX, build_reference_docx
from reports.pipeline import markdown_to_html, pdf_footnotes, report_docx, report_html
from reports.rendering import report_pdf, report_pdf_html
from reports.source import markdown_escape, report_markdown
from tests.reports.reading import (
    MARKER,
    assert_headings_never_skip,
    assert_notes_inside_the_findings_citing_them,
    docx_footnotes,
    docx_headings,
    docx_names,
    docx_notes_under_headings,
    docx_page_size,
    docx_part,
    pdf_pages,
    prepared_file,
)
from tests.reports.test_report import add_report_data

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture
def report_world(world):
    return add_report_data(world)


def _claim(finding_index: int, sentence: int) -> str:
    return f"Claim {sentence} of finding {finding_index} rests on what people said"


def _quote(finding_index: int, sentence: int) -> str:
    return f"Quote {sentence} for finding {finding_index}"


def _unmarked(text: str) -> str:
    return MARKER.sub("", text)


def cited_report(cohort, *, paragraphs: int = 1) -> ReportData:
    """The cohort's report with every finding citing two quotes of its own at the sentences they support,
    numbered through the report, as the authoring pages' citations expand; any other citation taken out."""
    data = build_report(cohort)
    data.narrative = {
        key: dataclasses.replace(section, text=_unmarked(section.text)) for key, section in data.narrative.items()
    }
    footnotes: list[Footnote] = []
    filler = " ".join(["Facilitators argue the point at length, with evidence."] * 12)
    for section in data.questions:
        findings = []
        for finding in section.findings:
            index = finding.finding.pk
            sentences = []
            for sentence in (1, 2):
                number = len(footnotes) + 1
                footnotes.append(Footnote(number=number, markdown=f"“{_quote(index, sentence)}” Y2 policymaker"))
                sentences.append(f"{_claim(index, sentence)}.[^{number}]")
            body = f"Finding {index} opens here.\n\n" + "\n\n".join([filler] * paragraphs + sentences)
            studies = [dataclasses.replace(s, markdown=_unmarked(s.markdown)) for s in finding.case_studies]
            findings.append(dataclasses.replace(finding, markdown=body, case_studies=studies))
        section.findings = findings
        section.framing = _unmarked(section.framing)
        section.insights = []  # quoted inline now, not in a block of their own
    data.other_insights = []
    data.other_case_studies = [dataclasses.replace(s, markdown=_unmarked(s.markdown)) for s in data.other_case_studies]
    data.footnotes = footnotes
    return data


def test_markdown_has_one_footnote_per_note_and_escapes_data(world, report_world):
    world.cohort.name = "2014-15 *[x](file:///etc/passwd)*"
    data = cited_report(world.cohort)

    source = report_markdown(data)

    assert source.count("[^1]:") == 1
    assert markdown_escape("*[x](file:///etc/passwd)*") in source
    html = report_html(data)
    assert "the 2014-15 *[x](file:///etc/passwd)* cohort" in html  # shown as typed, not as Markdown
    assert 'href="file:' not in html


def test_every_quote_footnote_sits_inside_the_finding_that_cites_it_in_pdf_and_docx(world, report_world):
    data = cited_report(world.cohort, paragraphs=3)
    findings = data.findings

    pdf = report_pdf(data)
    pages = pdf_pages(pdf)
    docx = report_docx(data)

    under = docx_notes_under_headings(docx)
    for position, item in enumerate(findings):
        index = item.finding.pk
        start = next(n for n, text in enumerate(pages) if f"Finding {index} opens here." in text)
        following = findings[position + 1].finding.pk if position + 1 < len(findings) else None
        end = (
            next(n for n, text in enumerate(pages) if f"Finding {following} opens here." in text)
            if following
            else len(pages) - 1
        )
        for sentence in (1, 2):
            claim_page = next(n for n, text in enumerate(pages) if _claim(index, sentence) in text)
            assert start <= claim_page <= end, (item.title, sentence)
            # WeasyPrint floats the note to the foot of the page that cites it.
            assert _quote(index, sentence) in pages[claim_page], (item.title, sentence, pages[claim_page])
            assert sum(_quote(index, sentence) in text for text in pages) == 1
        # In Word, the notes are real footnotes referenced from paragraphs under the finding's heading.
        assert [note for note in under.get(item.title, []) if "Quote" in note] == [
            f"“{_quote(index, 1)}” Y2 policymaker",
            f"“{_quote(index, 2)}” Y2 policymaker",
        ]
    # The check the demo's report goes through, on this report.
    assert_notes_inside_the_findings_citing_them(data, pdf, docx)


def test_docx_has_real_footnotes_an_a4_page_and_headings_that_never_skip(world, report_world):
    YearEndReport.objects.create(
        cohort=world.cohort,
        introduction="#### Deep first\n\nText.\n\n# Background\n\n###### Deeper still\n\nMore text.",
        lessons="Lessons text.",
    )
    data = cited_report(world.cohort)
    item = data.questions[0].findings[0]
    data.questions[0].findings[0] = dataclasses.replace(item, markdown=item.markdown + "\n\n#### Typed deep heading")

    docx = report_docx(data)

    assert "word/footnotes.xml" in docx_names(docx)
    notes = docx_footnotes(docx)
    assert len([note for note in notes.values() if "Y2 policymaker" in note]) == len(data.footnotes)
    assert docx_page_size(docx) == A4_TWIPS == (11906, 16838)
    headings = docx_headings(docx)
    assert_headings_never_skip(headings)
    levels = {heading.text: heading.level for heading in headings}
    assert levels["Introduction"] == 1
    assert levels["Deep first"] == 2
    assert levels["Background"] == 2
    assert levels["Deeper still"] == 3
    assert levels[f"Section 1: {data.section_one_title}"] == 1
    assert levels[data.questions[0].heading] == 2
    assert levels[item.title] == 3
    assert levels["Typed deep heading"] == 4
    assert levels["Annex A"] == 1


def test_docx_keeps_the_cover_contents_tables_and_annex(world, report_world):
    docx = report_docx(build_report(world.cohort))

    document = Document(io.BytesIO(docx))
    styles = [paragraph.style.name if paragraph.style else "" for paragraph in document.paragraphs[:4]]
    assert styles[:2] == ["Title", "Subtitle"]
    xml = docx_part(docx, "word/document.xml")
    assert any('TOC \\o "1-2"' in (text or "") for text in xml.itertext())
    names = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "Walter Withdrawn *" in names
    assert "Workshop 1" in names


def test_docx_table_rows_never_split_and_no_row_is_left_alone(world, report_world):
    docx = report_docx(build_report(world.cohort))

    document = Document(io.BytesIO(docx))
    assert document.tables
    for table in document.tables:
        rows = table.rows
        for row in rows:
            assert row._tr.find(f"{W}trPr/{W}cantSplit") is not None
        assert rows[0]._tr.find(f"{W}trPr/{W}tblHeader") is not None
        kept = [all(p.paragraph_format.keep_with_next for c in row.cells for p in c.paragraphs) for row in rows]
        if len(rows) > 1:
            assert kept[0] and kept[-2] and not kept[-1]


def test_preview_and_pdf_take_the_same_pandoc_html(world, report_world, login_as):
    data = cited_report(world.cohort)
    html = report_html(data)

    response = login_as("facilitator").get(reverse("reports:preview", args=[world.cohort.pk]))

    assert report_html(build_report(world.cohort)) in response.content.decode()
    # The PDF's HTML is the same body with each note moved to the point that cites it.
    pdf_html = report_pdf_html(data)
    assert 'class="footnote-ref"' in html and 'class="footnotes' in html
    assert 'class="footnote-ref"' not in pdf_html and 'class="footnotes' not in pdf_html
    assert pdf_html.count('<span class="footnote">') == len(data.footnotes)
    assert f'{_claim(data.findings[0].finding.pk, 1)}.<span class="footnote">' in pdf_html


def test_pdf_footnotes_keep_formatting_and_drop_the_back_links():
    html = markdown_to_html("Said.[^1]\n\n[^1]: *Title*, Publisher, 2014, <https://example.org/a>")

    moved = pdf_footnotes(html)

    assert '<span class="footnote"><span><em>Title</em>, Publisher, 2014, <a href="https://example.org/a"' in moved
    assert "↩" not in moved


def test_typed_file_and_network_images_raw_html_and_data_links_never_reach_any_output(tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(
        base64.b64decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
        )
    )
    source = (
        f"![secret]({secret}) ![remote](http://example.org/t.png) ![inline](data:image/png;base64,AAAA)\n\n"
        "<script>alert(1)</script> [click](data:text/html;base64,PHNjcmlwdD4=) [ok](https://example.org)\n"
    )

    html = markdown_to_html(source)

    # Only a data: image is left: pandoc never read the file or the network for the others.
    assert html.count("<img") == 1 and 'src="data:image/png;base64,AAAA"' in html
    assert "<script" not in html
    assert "data:text/html" not in html
    assert 'href="https://example.org"' in html
    assert "&lt;script&gt;" in html  # shown as the text it is, the same in every output


def test_docx_figures_are_png_and_pdf_figures_are_svg(world, report_world):
    data = build_report(world.cohort)

    html = report_html(data)
    docx = report_docx(data)

    assert "data:image/svg+xml;base64," in html
    assert re.search(r"Figure \d: .Refining steps", html)
    media = [name for name in docx_names(docx) if name.startswith("word/media/")]
    assert media and all(name.endswith(".png") for name in media)


def test_word_export_says_what_to_install_without_rsvg_convert(world, report_world, login_as, monkeypatch):
    monkeypatch.setattr(report_figures.shutil, "which", lambda name: None)

    with pytest.raises(FigureToolMissing, match="librsvg2-bin"):
        report_docx(build_report(world.cohort))
    client = login_as("facilitator")
    response = prepared_file(client, world.cohort.pk, "docx")
    assert response.status_code == 302  # no file: back to the preview, which says why
    assert ReportExport.objects.get(cohort=world.cohort, kind="docx").error == RSVG_MISSING
    assert RSVG_MISSING in client.get(reverse("reports:preview", args=[world.cohort.pk])).content.decode()


def test_committed_reference_docx_is_the_one_the_script_makes():
    committed, rebuilt = REFERENCE_DOCX.read_bytes(), build_reference_docx()

    for part in ("word/document.xml", "word/styles.xml"):
        assert etree.tostring(docx_part(committed, part)) == etree.tostring(docx_part(rebuilt, part)), part


def test_system_check_warns_without_rsvg_convert(monkeypatch):
    from reports.apps import check_rsvg_convert

    assert check_rsvg_convert() == []
    monkeypatch.setattr(report_figures.shutil, "which", lambda name: None)
    assert [message.id for message in check_rsvg_convert()] == ["reports.W001"]


def test_the_preview_html_is_kept_per_source_so_pandoc_runs_again_only_when_the_source_changes(monkeypatch, settings):
    from reports import pipeline

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "report_html": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test-report-html"},
    }
    runs: list[str] = []
    convert = pipeline.pypandoc.convert_text

    def counted(text: str, *args, **kwargs) -> str:
        runs.append(text)
        return convert(text, *args, **kwargs)

    monkeypatch.setattr(pipeline.pypandoc, "convert_text", counted)
    source = "A *finding*.\n\n![Chart](figure:chart)"
    first = markdown_to_html(source, figures_svg={"chart": "<svg/>"})
    again = markdown_to_html(source, figures_svg={"chart": "<svg/>"})
    assert again == first and "<em>finding</em>" in first and len(runs) == 1
    markdown_to_html(source.replace("finding", "finding, edited"), figures_svg={"chart": "<svg/>"})
    markdown_to_html(source, figures_svg={"chart": "<svg>changed</svg>"})
    assert len(runs) == 3
