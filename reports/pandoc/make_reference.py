"""Make reports/pandoc/reference.docx, the house styles pandoc gives the report's Word file.

Run from the project root after changing the styles: `.venv/bin/python -m reports.pandoc.make_reference`,
and commit the result. It starts from pandoc's own reference document (so every style pandoc writes
exists) and sets what pandoc's default leaves out: an A4 page with the PDF's margins, the report's fonts
and colours, headings kept with the text that follows them, and each section starting on a new page.
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pypandoc
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt, RGBColor, Twips

REFERENCE_DOCX = Path(__file__).resolve().parent / "reference.docx"
A4_TWIPS = (11906, 16838)  # 210 x 297 mm
MARGINS_MM = {"top": 22, "right": 20, "bottom": 24, "left": 20}  # as static/css/report.css
NAVY = RGBColor(0x1F, 0x3A, 0x5F)
FONT = "Arial"
HEADING_SIZES = {1: 20, 2: 13, 3: 11, 4: 10.5, 5: 10.5, 6: 10.5}


def pandoc_default_reference() -> bytes:
    return subprocess.run(  # noqa: S603 - pandoc as pypandoc ships it
        [pypandoc.get_pandoc_path(), "--print-default-data-file", "reference.docx"],
        capture_output=True,
        check=True,
    ).stdout


def build_reference_docx() -> bytes:
    """pandoc's reference document with the report's page and house styles."""
    document = Document(io.BytesIO(pandoc_default_reference()))
    for section in document.sections:
        section.page_width, section.page_height = Twips(A4_TWIPS[0]), Twips(A4_TWIPS[1])
        section.top_margin = Mm(MARGINS_MM["top"])
        section.right_margin = Mm(MARGINS_MM["right"])
        section.bottom_margin = Mm(MARGINS_MM["bottom"])
        section.left_margin = Mm(MARGINS_MM["left"])
    styles = document.styles
    for name in ("Normal", "Body Text", "First Paragraph", "Compact", "Footnote Text", "Table"):
        if name in [style.name for style in styles]:
            styles[name].font.name = FONT
    styles["Normal"].font.size = Pt(10.5)
    styles["Footnote Text"].font.size = Pt(8.5)
    for level, size in HEADING_SIZES.items():
        heading = styles[f"Heading {level}"]
        heading.font.name = FONT
        heading.font.size = Pt(size)
        heading.font.color.rgb = NAVY
        heading.font.bold = True
        heading.paragraph_format.keep_with_next = True
        heading.paragraph_format.keep_together = True
        heading.paragraph_format.space_before = Pt(14 if level == 1 else 10)
        heading.paragraph_format.space_after = Pt(4)
    # Every section of the report starts a page, as in the PDF; so do the contents, after the cover.
    styles["Heading 1"].paragraph_format.page_break_before = True
    styles["TOC Heading"].paragraph_format.page_break_before = True
    styles["TOC Heading"].font.color.rgb = NAVY
    title = styles["Title"]
    title.font.name = FONT
    title.font.size = Pt(28)
    title.font.color.rgb = NAVY
    title.paragraph_format.space_before = Mm(60)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    for name in ("Subtitle", "Author", "Date"):
        styles[name].font.name = FONT
        styles[name].font.color.rgb = NAVY
        styles[name].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    styles["Image Caption"].paragraph_format.keep_together = True
    styles["Table Caption"].paragraph_format.keep_with_next = True
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def main() -> int:
    REFERENCE_DOCX.write_bytes(build_reference_docx())
    print(f"wrote {REFERENCE_DOCX}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
