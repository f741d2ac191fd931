"""Markdown written by people (outputs, step comments), rendered to HTML that is safe to show to anyone."""

from __future__ import annotations

import re

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "dl",
    "dt",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


HEADING_TAG = re.compile(r"<(/?)h([1-6])>")


def _shift_headings(html: str, below: int) -> str:
    return HEADING_TAG.sub(lambda tag: f"<{tag[1]}h{min(int(tag[2]) + below, 6)}>", html)


def render(text: str, *, below: int = 0, scroll_tables: bool = False) -> SafeString:
    """Markdown to HTML, then sanitised: no scripts, event handlers, styles or javascript: links get through.

    `below` shifts headings down that many levels, so a "# Heading" typed in an output's body sits below the
    page's own heading (an h1 becomes an h2 with below=1). `scroll_tables` puts each table in a box that
    scrolls sideways on a narrow screen.
    """
    html = markdown_lib.markdown(text or "", extensions=["extra", "sane_lists"], output_format="html")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
    )
    if below:
        clean = _shift_headings(clean, below)
    if scroll_tables:
        clean = clean.replace("<table>", '<div class="table-scroll"><table class="table table-sm">').replace(
            "</table>", "</table></div>"
        )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above
