"""One source, one pipeline: pandoc turns the report's Markdown (reports.source) into HTML and into Word.

- `report_html(data)`: HTML cleaned with nh3, with the notes as pandoc's endnotes. The browser preview
  shows it as it is; the PDF (`pdf_footnotes`) moves each note to the point that cites it, where
  WeasyPrint floats it to the foot of the page.
- `report_docx(data)`: a .docx with real Word footnotes, styled by the committed A4 reference document
  (`reports/pandoc/reference.docx`, made by `reports/pandoc/make_reference.py`), then its tables told
  not to split rows or leave one row alone on a page.

pandoc runs with --sandbox (it reads no file but those named on its command line, and fetches nothing)
and the report's Lua filter (reports/pandoc/report.lua): headings never skip a level, and the only images
are the report's own figures, passed in as data: addresses.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
import tempfile
from pathlib import Path

import nh3
import pypandoc
from django.core.cache import caches
from django.utils.safestring import SafeString, mark_safe
from lxml import html as lxml_html

from programme.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, ALLOWED_URL_SCHEMES

from .data import ReportData
from .figures import report_figures_svg, svg_to_png
from .source import report_markdown

PANDOC_DIR = Path(__file__).resolve().parent / "pandoc"
LUA_FILTER = PANDOC_DIR / "report.lua"
REFERENCE_DOCX = PANDOC_DIR / "reference.docx"
# Raw HTML, LaTeX and raw blocks are off: what someone types reads the same in every output, and Word
# would silently drop what HTML kept.
SOURCE_FORMAT = "markdown-raw_html-raw_tex-raw_attribute"
COMMON_ARGS = ["--wrap=none", f"--lua-filter={LUA_FILTER}"]

# The report's HTML: the sanitiser of everything people type (programme.markdown), plus what pandoc
# writes for sections, figures and notes. Classes are the report's own, listed per tag.
REPORT_TAGS = ALLOWED_TAGS | {"section", "div", "span", "figure", "figcaption", "img", "caption", "colgroup", "col"}
REPORT_ATTRIBUTES = {
    **{tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
    "*": {"id"},
    "img": {"src", "alt", "width", "height", "style"},
    "th": {"align", "style"},
    "td": {"align", "style"},
    "col": {"style"},
}
REPORT_CLASSES = {
    **{f"h{level}": {"section", "question"} for level in range(1, 7)},
    "div": {
        "unwritten",
        "narrative",
        "framing",
        "finding",
        "case-study",
        "case-study-body",
        "credits",
        "note",
        "question-text",
    },
    "section": {"section", "question", "footnotes", "footnotes-end-of-document"},
    "a": {"footnote-ref", "footnote-back"},
}
REPORT_STYLE_PROPERTIES = {"text-align", "width"}
FIGURE_ADDRESS = re.compile(r"\]\(figure:([a-z0-9-]+)\)")
FIGURE_TYPES = ("data:image/svg+xml;base64,", "data:image/png;base64,", "data:image/jpeg;base64,")


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    """data: addresses only for the report's own figures, never for links."""
    if attribute in {"href", "src"} and value.strip().lower().startswith("data:"):
        return value if tag == "img" and value.startswith(FIGURE_TYPES) else None
    if tag == "img" and attribute == "src":
        return None  # the Lua filter already dropped every other image; this is the second lock
    return value


def clean_report_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=REPORT_TAGS,
        attributes=REPORT_ATTRIBUTES,
        allowed_classes=REPORT_CLASSES,
        attribute_filter=_attribute_filter,
        filter_style_properties=REPORT_STYLE_PROPERTIES,
        url_schemes=ALLOWED_URL_SCHEMES | {"data"},
        link_rel="nofollow noopener noreferrer",
    )


def _with_figures(source: str, figures: dict[str, tuple[str, bytes]]) -> str:
    """Swap each `figure:<name>` address for the figure itself, (media type, content), as a data: address
    (unknown names drop)."""

    def address(match: re.Match[str]) -> str:
        figure = figures.get(match.group(1))
        if figure is None:
            return "]()"
        media_type, content = figure
        return f"](data:{media_type};base64,{base64.b64encode(content).decode()})"

    return FIGURE_ADDRESS.sub(address, source)


def _uploaded(data: ReportData) -> dict[str, tuple[str, bytes]]:
    return {name: (figure.media_type, figure.content) for name, figure in data.uploaded_figures.items()}


def markdown_to_html(
    source: str,
    *,
    figures_svg: dict[str, str] | None = None,
    uploaded: dict[str, tuple[str, bytes]] | None = None,
) -> str:
    """Report Markdown to clean HTML, headings from h2 (the page's own title is the h1)."""
    figures = {name: ("image/svg+xml", svg.encode()) for name, svg in (figures_svg or {}).items()}
    text = _with_figures(source, figures | (uploaded or {}))
    # Sections wrap each heading with its text, as the page's anchors and print styles expect.
    args = [*COMMON_ARGS, "--section-divs", "--metadata=heading-base:2", "--metadata=pagetitle:report"]
    # The same source gives the same HTML: kept per process (settings.CACHES["report_html"]), so the preview
    # viewed again without a change skips pandoc. The key covers the text with its figures and the arguments.
    key = "report-html:" + hashlib.sha256("\0".join([text, *args, LUA_FILTER.read_text()]).encode()).hexdigest()
    cache = caches["report_html"]
    cached: str | None = cache.get(key)
    if cached is not None:
        return cached
    html = clean_report_html(pypandoc.convert_text(text, "html5", format=SOURCE_FORMAT, extra_args=args, sandbox=True))
    cache.set(key, html)
    return html


def report_html(data: ReportData) -> SafeString:
    """The report's body as HTML, for the preview and (through pdf_footnotes) the PDF."""
    html = markdown_to_html(report_markdown(data), figures_svg=report_figures_svg(data), uploaded=_uploaded(data))
    return mark_safe(html)  # noqa: S308 - cleaned by nh3


def pdf_footnotes(html: str) -> str:
    """pandoc's endnotes moved to the points that cite them, as `<span class="footnote">` WeasyPrint floats
    to the foot of the page (report.css); the endnotes section goes."""
    if 'class="footnote-ref"' not in html:
        return html
    root = lxml_html.fragment_fromstring(html, create_parent="div")
    notes = {}
    for item in root.xpath('//section[contains(@class, "footnotes")]//li[@id]'):
        for back in item.xpath('.//a[contains(@class, "footnote-back")]'):
            back.drop_tree()
        notes[item.get("id")] = item
    for section in root.xpath('//section[contains(@class, "footnotes")]'):
        section.drop_tree()
    for call in root.xpath('//a[contains(@class, "footnote-ref")]'):
        item = notes.get((call.get("href") or "").lstrip("#"))
        if item is None:
            call.drop_tree()
            continue
        note = lxml_html.Element("span", {"class": "footnote"})
        note.text = item.text
        for child in list(item):
            # A paragraph inside a span would end the line; the note's paragraphs run on.
            if child.tag == "p":
                child.tag = "span"
            note.append(child)
        note.tail = call.tail
        call.getparent().replace(call, note)
    return "".join(
        lxml_html.tostring(child, encoding="unicode") if not isinstance(child, str) else child
        for child in [root.text or "", *root]
    )


def _cover_date(data: ReportData) -> str:
    published = data.published_on or data.built_on
    partners = f" · {' and '.join(data.partners)}" if data.partners else ""
    return f"The {data.cohort.name} cohort{partners} · {published:%B %Y}"


def docx_metadata(data: ReportData) -> list[str]:
    cohort = data.cohort
    args = [
        f"--metadata=title:{data.title}",
        f"--metadata=subtitle:{cohort.programme.name}",
        f"--metadata=date:{_cover_date(data)}",
        "--metadata=toc-title:Contents",
        "--metadata=heading-base:1",
    ]
    if data.authors:
        args.append(f"--metadata=author:{' and '.join(data.authors)}")
    return args


def markdown_to_docx(
    source: str,
    *,
    figures_png: dict[str, bytes],
    metadata_args: list[str],
    uploaded: dict[str, tuple[str, bytes]] | None = None,
) -> bytes:
    """Report Markdown to a .docx on the A4 reference document, with a contents field and real footnotes."""
    figures = {name: ("image/png", png) for name, png in figures_png.items()} | (uploaded or {})
    with tempfile.TemporaryDirectory(prefix="pairwise-report-") as directory:
        path = Path(directory) / "report.docx"
        pypandoc.convert_text(
            _with_figures(source, figures),
            "docx",
            format=SOURCE_FORMAT,
            outputfile=str(path),
            extra_args=[
                *COMMON_ARGS,
                f"--reference-doc={REFERENCE_DOCX}",
                "--toc",
                "--toc-depth=2",
                *metadata_args,
            ],
            sandbox=True,
        )
        content = path.read_bytes()
    return keep_table_rows_together(content)


def keep_table_rows_together(content: bytes) -> bytes:
    """No row splits across pages, the header row repeats, and no table leaves one row alone on a page.

    Word keeps a row with the next one when its paragraphs are "keep with next": the header with the first
    row, and the last-but-one row with the last, so neither end of a table is ever stranded.
    """
    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = Document(io.BytesIO(content))
    for table in document.tables:
        rows = table.rows
        for index, row in enumerate(rows):
            properties = row._tr.get_or_add_trPr()
            if properties.find(qn("w:cantSplit")) is None:
                properties.append(OxmlElement("w:cantSplit"))
            if index == 0 and properties.find(qn("w:tblHeader")) is None:
                properties.append(OxmlElement("w:tblHeader"))
            if index in {0, len(rows) - 2} and index < len(rows) - 1:
                for cell in row.cells:
                    for paragraph in cell.paragraphs:
                        paragraph.paragraph_format.keep_with_next = True
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def report_docx(data: ReportData) -> bytes:
    """The report as a Word document from the same Markdown as the PDF: A4, house styles, real footnotes."""
    figures_png = {name: svg_to_png(svg) for name, svg in report_figures_svg(data).items()}
    return markdown_to_docx(
        report_markdown(data), figures_png=figures_png, metadata_args=docx_metadata(data), uploaded=_uploaded(data)
    )
