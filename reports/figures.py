"""Figures drawn from the report's data: SVG for the preview and the PDF, PNG (through rsvg-convert) for Word.

Word's support for SVG is patchy, so the .docx gets PNG. Rasterising uses Debian's `librsvg2-bin`
(`rsvg-convert`), installed the same way on every machine (`.ci/run`, the README's set-up): one tool, no
browser or font stack of our own. Without it the Word export stops with RSVG_MISSING, saying what to install.
"""

from __future__ import annotations

import shutil
import subprocess
from xml.sax.saxutils import escape

from .data import ReportData, SurveyBar
from .source import FIGURE_STEPS, FIGURE_SURVEY

RSVG_CONVERT = "rsvg-convert"
RSVG_MISSING = (
    "The Word export draws its figures with rsvg-convert, which is not installed. "
    "On Debian or Ubuntu: apt-get install librsvg2-bin"
)
PNG_DPI = 192  # sharp in print, small enough for email

NAVY = "#1f3a5f"
BLUE = "#5b8ec9"
PALE = "#eef3f8"
INK = "#1d2327"
FONT = "Liberation Sans, DejaVu Sans, Arial, sans-serif"


class FigureToolMissing(RuntimeError):
    """rsvg-convert is not installed, so figures cannot be rasterised for Word."""


def _svg(width: int, height: int, body: list[str], title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" font-family="{FONT}">'
        f"<title>{escape(title)}</title>" + "".join(body) + "</svg>"
    )


def steps_svg(steps_done: list[tuple[int, str, int]], pairs: int) -> str:
    """The programme's refining steps as chevrons, each with its number and the pairs that finished it."""
    width, height, gap = max(640, 150 * len(steps_done)), 120, 8  # room for each name when there are many steps
    step_width = (width - gap * (len(steps_done) - 1)) / max(len(steps_done), 1)
    body = []
    for index, (number, label, done) in enumerate(steps_done):
        x = index * (step_width + gap)
        tip = 18
        points = [
            (x, 10),
            (x + step_width - tip, 10),
            (x + step_width, 60),
            (x + step_width - tip, 110),
            (x, 110),
            (x + (tip if index else 0), 60),
        ]
        fill = NAVY if done else BLUE
        body.append(
            f'<polygon points="{" ".join(f"{px:.1f},{py}" for px, py in points)}" fill="{fill}"/>'
            f'<text x="{x + step_width / 2:.1f}" y="48" fill="#fff" font-size="15" font-weight="bold" '
            f'text-anchor="middle">{number} {escape(label)}</text>'
            f'<text x="{x + step_width / 2:.1f}" y="80" fill="#fff" font-size="12" text-anchor="middle">'
            f"{done} of {pairs} pairs</text>"
        )
    return _svg(width, height, body, "The refining steps, and how many pairs finished each")


def survey_svg(bars: list[SurveyBar]) -> str:
    """One horizontal bar per survey statement: the percentage who agreed."""
    row, label_width, bar_width = 34, 300, 300
    height = row * len(bars) + 10
    body = []
    for index, bar in enumerate(bars):
        y = index * row + 5
        label = bar.label if len(bar.label) <= 48 else bar.label[:47] + "…"
        body.append(
            f'<text x="0" y="{y + 19}" fill="{INK}" font-size="12">{escape(label)}</text>'
            f'<rect x="{label_width}" y="{y + 4}" width="{bar_width}" height="20" fill="{PALE}"/>'
            f'<rect x="{label_width}" y="{y + 4}" width="{bar_width * bar.percent / 100:.1f}" height="20" '
            f'fill="{NAVY}"/>'
            f'<text x="{label_width + bar_width + 6}" y="{y + 19}" fill="{INK}" font-size="12">{bar.percent}%</text>'
        )
    return _svg(label_width + bar_width + 44, height, body, "Survey: share who agreed with each statement")


def report_figures_svg(data: ReportData) -> dict[str, str]:
    """Every figure the report's Markdown may show, by name, as SVG."""
    figures = {FIGURE_STEPS: steps_svg(data.steps_done, data.figures.pairs)}
    if data.survey_bars:
        figures[FIGURE_SURVEY] = survey_svg(data.survey_bars)
    return figures


def require_rsvg_convert() -> str:
    path = shutil.which(RSVG_CONVERT)
    if path is None:
        raise FigureToolMissing(RSVG_MISSING)
    return path


def svg_to_png(svg: str) -> bytes:
    """Rasterise one SVG figure for Word."""
    result = subprocess.run(  # noqa: S603 - our own tool, with an SVG we drew on stdin
        [require_rsvg_convert(), "--format=png", f"--dpi-x={PNG_DPI}", f"--dpi-y={PNG_DPI}", "--zoom=2"],
        input=svg.encode(),
        capture_output=True,
        check=False,
        timeout=30,
    )
    if result.returncode != 0:
        raise RuntimeError(f"rsvg-convert could not draw a figure: {result.stderr.decode(errors='replace')}")
    return result.stdout
