"""The attendance register's rows, built as HTML in Python.

At 300 members the template engine spent most of the register's time on its rows (an include, a `{% url %}`
and a badge include per member). Each row is built here once, every typed value escaped; the
htmx tick returns the same function's row, so the markup lives in one place. The badges come from
`_status_badge.html`, rendered once per status.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from .models import Attendance, Event, Membership

# The placeholder pk reversed once, then replaced per row: one `reverse()` per register, not per member.
_PK = 2147483647


def _badges() -> dict[str, SafeString]:
    return {
        status: mark_safe(render_to_string("cohorts/_status_badge.html", {"status": status}).strip())  # noqa: S308  # the template's own markup
        for status in Attendance.Status.values
    }


def register_rows(event: Event, rows: Iterable[Membership], *, is_open: bool) -> list[SafeString]:
    """One `<tr>` per member, each ticked as `row.ticked` says, posting its tick to attendance-toggle."""
    toggle_url = reverse("cohorts:attendance-toggle", args=[event.pk, _PK])
    placeholder = str(_PK)
    badges = _badges()
    disabled = "" if is_open else " disabled"
    html = []
    for row in rows:
        ticked = row.ticked  # type: ignore[attr-defined]  # set by the view
        # Every value people typed goes through escape(); the rest are numbers and fixed words.
        name = escape(row.user.full_name)
        organisation = f", {escape(str(row.user.organisation))}" if row.user.organisation else ""
        html.append(
            mark_safe(  # noqa: S308  # built from escaped values, see above
                f'<tr id="register-row-{row.pk}" data-announce="{name}: '
                f'{"attended" if ticked else "not marked as attended"}">\n'
                "  <td>\n"
                f'    <input class="form-check-input" type="checkbox" name="attended" value="{row.pk}" '
                f'id="attended-{row.pk}"\n'
                f"           {'checked' if ticked else ''}{disabled}\n"
                f'           hx-post="{toggle_url.replace(placeholder, str(row.pk))}" hx-trigger="change"\n'
                f'           hx-target="#register-row-{row.pk}" hx-swap="outerHTML">\n'
                "  </td>\n"
                f'  <td><label for="attended-{row.pk}">{name}</label>\n'
                f'    <div class="small text-muted">{escape(row.get_side_display())}{organisation}</div></td>\n'
                f"  <td>{badges[row.attendance_status or Attendance.Status.INVITED]}</td>\n"  # type: ignore[attr-defined]
                "</tr>"
            )
        )
    return html
