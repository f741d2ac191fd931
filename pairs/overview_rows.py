"""The long tables under the cohort overview (the pairs grid and the member table), built as HTML in Python.

At 140 pairs and 300 members, the template engine spent more than half the overview's time on these rows
(a variable lookup costs microseconds, and each row has dozens). Building each row once here, with
`format_html` escaping every value, gives the same markup in a fraction of the time. Each table is now on a
page of its own, a page of rows at a time; the templates keep the headings and structure, and only the rows
come from here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.dateformat import format as format_date
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from .commitment import commitment_days_of
from .models import LearningPair, StepProgress

if TYPE_CHECKING:
    from .selectors import MemberHistory, PairRow

# The placeholder pk reversed once per URL name, then replaced per row: one `reverse()` per table, not per link.
_PK = 2147483647


def _url_maker(name: str) -> Callable[[int], str]:
    pattern = reverse(name, args=[_PK])
    marker = str(_PK)
    return lambda pk: pattern.replace(marker, str(pk))


def _date(value: date | None, fmt: str) -> str:
    return format_date(value, fmt) if value else ""


def _step_cell(progress: StepProgress | None) -> SafeString:
    if progress is None:  # no record of this step (the pair formed before the programme had it)
        return format_html('<td><span class="text-muted">{}</span></td>', "—")
    if progress.status == StepProgress.Status.DONE:
        colour = "text-bg-success"
    elif progress.status == StepProgress.Status.IN_PROGRESS:
        colour = "text-bg-warning"
    else:
        colour = "text-bg-light border"
    overdue = progress.is_overdue
    due: SafeString | str = ""
    due_on = getattr(progress, "due_on", None)
    if due_on:
        extended = progress.due_extended
        due = format_html(
            '<br><small class="text-muted"{}>due {}{}</small>',
            format_html(' title="{}"', progress.due_extension_note) if extended else "",
            _date(due_on, "j F"),
            " (grace)" if extended else "",
        )
    another_look = (
        mark_safe('<br><span class="badge text-bg-danger another-look">Needs another look</span>')
        if progress.needs_another_look
        else ""
    )
    return format_html(
        '<td><span class="badge {}{}">{}{}</span>{}{}</td>',
        colour,
        " border border-danger border-2 text-danger" if overdue else "",
        progress.get_status_display(),
        " · overdue" if overdue else "",
        due,
        another_look,
    )


def pair_grid_rows(rows: Iterable[PairRow]) -> list[SafeString]:
    """One `<tr>` per pair of the overview's pairs × steps grid."""
    activities_url = _url_maker("pairs:activity-list")
    add_member_url = _url_maker("pairs:pair-member-add")
    detail_url = _url_maker("pairs:detail")
    closed = {LearningPair.Status.DISSOLVED, LearningPair.Status.COMPLETED}
    html = []
    for row in rows:
        pair = row.pair
        members = format_html_join(
            mark_safe("<br>"),
            '{} <small class="text-muted">({})</small>',
            (
                (member.membership.user.full_name, member.membership.get_side_display().lower())
                for member in pair.current_member_list()
            ),
        )
        angle = format_html('<br><small class="text-muted">{}</small>', pair.angle) if pair.angle else ""
        outputs = format_html_join("", "{}: {}<br>", ((label, count) for label, count in row.outputs if count))
        add_member = (
            format_html('<a href="{}">Add member</a>', add_member_url(pair.pk)) if pair.status not in closed else ""
        )
        html.append(
            format_html(
                '<tr id="pair-{number}">\n'
                '<th scope="row"><a href="{detail}">{label}</a><br><small class="text-muted">{status}</small>'
                "{risk}</th>\n"
                "<td>{members}</td>\n"
                "<td>{question}{angle}</td>\n"
                "{steps}\n"
                "<td>{last_activity}</td>\n"
                "<td><small>{outputs}</small></td>\n"
                '<td class="text-nowrap small">\n'
                '<a href="{activities}">Activities</a><br>\n'
                "{add_member}\n"
                "</td>\n"
                "</tr>",
                number=pair.number,
                label=pair.label,
                detail=detail_url(pair.pk),
                status=pair.get_status_display(),
                risk=mark_safe(' <span class="badge text-bg-danger">at risk</span>') if row.reasons else "",
                members=members or "—",
                question=pair.question or "—",
                angle=angle,
                steps=format_html_join("", "{}", ((_step_cell(progress),) for progress in row.step_cells)),
                last_activity=_date(getattr(pair, "last_activity_on", None), "j F Y") or "none yet",
                outputs=outputs,
                activities=activities_url(pair.pk),
                add_member=add_member,
            )
        )
    return html


def member_rows(histories: Iterable[MemberHistory]) -> list[SafeString]:
    """One `<tr>` per member of the members page's table (read with their commitment days), with the links to
    move, take out or withdraw."""
    detail_url = _url_maker("pairs:detail")
    move_url = _url_maker("pairs:pair-member-move")
    remove_url = _url_maker("pairs:pair-member-remove")
    withdraw_url = _url_maker("pairs:membership-withdraw")
    html = []
    for history in histories:
        membership, seat = history.membership, history.current_seat
        name = escape(membership.user.full_name)
        actions = []
        if seat:
            actions.append(
                format_html(
                    '<a href="{}">Move</a> · <a href="{}">Take out of pair</a>{}',
                    move_url(seat.pk),
                    remove_url(seat.pk),
                    " ·" if membership.is_current else "",
                )
            )
        if membership.is_current:
            actions.append(format_html('<a href="{}">Withdraw</a>', withdraw_url(membership.pk)))
        withdrawn = f" {_date(membership.withdrawn_on, 'j F Y')}" if membership.withdrawn_on else ""
        days = commitment_days_of(membership).quantize(Decimal("0.1"), ROUND_HALF_UP)
        html.append(
            format_html(
                '<tr data-member="{name}">\n<td>{name}</td>\n<td>{side}</td>\n<td>{organisation}</td>\n'
                "<td>{status}{withdrawn}</td>\n<td>{days}</td>\n<td>{pair}</td>\n"
                '<td class="small text-nowrap">{actions}</td>\n</tr>',
                name=name,
                side=membership.get_side_display(),
                organisation=membership.user.organisation or "—",
                status=membership.get_status_display(),
                withdrawn=withdrawn,
                days=days,
                pair=format_html('<a href="{}">{}</a>', detail_url(seat.pair_id), seat.pair.label) if seat else "—",
                actions=format_html_join(" ", "{}", ((action,) for action in actions)),
            )
        )
    return html
