"""Where higher apps put their links and panels on lower apps' pages, so that no lower app names a higher one.

The app order (programme → notifications → cohorts → pairs → outputs → reports, then dashboard and demo)
allows imports and `{% url %}` links downward only. When a page of a lower app needs something from above
(the cohort overview's button to the year-end report, a member's way back to their dashboard, a bell
counting unread notifications in the menu, a pair workspace's links to its outputs), the app above
registers it here in its AppConfig.ready(), and the lower app renders whatever is registered:

    # reports/apps.py
    navigation.register_link(
        navigation.COHORT_STAFF_ACTIONS,
        navigation.Link("Year-end report", "reports:preview", args=lambda context: [context["cohort"].pk]),
    )

    {# pairs/templates/pairs/facilitate/overview.html #}
    {% load navigation %}{% page_links "cohort-staff-actions" as links %}
    {% for link in links %}<a href="{{ link.url }}">{{ link.label }}</a>{% endfor %}

A slot is a name for a place on a page; each slot documents the context its callables receive. Links
resolve with the page's template context, so `args`, `when` and `badge` can read the page's objects
(`cohort`, `pair`) and `request`. Panels are templates included into a slot with extra context.
A destination is a page named by its role ("member-home"), for a lower app's redirects. A tally counts a
higher app's rows per row of a lower one (each pair's outputs by status) inside the lower app's query. An
admin inline lets a higher app add its rows to a lower app's admin page (a cohort's step deadlines).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count, Q
from django.urls import reverse

Context = Mapping[str, Any]

# Slots. Each says where it is rendered and what its context holds; add one where a page needs it.
MAIN_MENU = "main-menu"
"""The right of the main navigation bar, for signed-in people (base.html); context: `request`, `user`.
A link's badge shows beside its label (a count of unread notifications, say)."""
COHORT_STAFF_ACTIONS = "cohort-staff-actions"
"""The buttons at the top of a cohort's staff overview (pairs); context: `cohort`, `request`."""
PAIR_WORKSPACE_LINKS = "pair-workspace-links"
"""Links beside a pair's workspace, under its activity log (pairs); context: `pair`, `request`."""
ACCOUNT_LINKS = "account-links"
"""Links on a person's own profile page (programme); context: `request`, `user`."""
PAIR_OUTPUTS = "pair-outputs"
"""A tally: each pair's outputs by status, on the cohort overview (pairs)."""

# Destinations: pages named by their role, for redirects and links from lower apps.
MEMBER_HOME = "member-home"
"""Where a cohort member goes back to: their dashboard."""


def _no_args(context: Context) -> Sequence[Any]:
    return ()


def _always(context: Context) -> bool:
    return True


@dataclass(frozen=True)
class Link:
    """A link a higher app puts in a slot: its label, URL name, and how to read its arguments from the page."""

    label: str
    url_name: str
    args: Callable[[Context], Sequence[Any]] = _no_args
    when: Callable[[Context], bool] = _always
    badge: Callable[[Context], int | str | None] | None = None
    order: int = 100


@dataclass(frozen=True)
class Panel:
    """A template a higher app includes in a slot, with context of its own built from the page's."""

    template_name: str
    context: Callable[[Context], Mapping[str, Any]] = lambda context: {}
    when: Callable[[Context], bool] = _always
    order: int = 100


@dataclass(frozen=True)
class Tally:
    """Rows of a higher app's model counted per row of a lower app's, by the value of one field.

    `relation` is the lookup from the lower model (the higher model's related_name), so the lower app can
    count in its own query without naming the higher app: `pairs.annotate(**tally.annotations("outputs_"))`.
    """

    relation: str
    field: str
    choices: Sequence[tuple[str, str]]

    def annotations(self, prefix: str) -> dict[str, Count]:
        """One Count per value, named prefix + value."""
        return {
            f"{prefix}{value}": Count(self.relation, filter=Q(**{f"{self.relation}__{self.field}": value}))
            for value, _label in self.choices
        }


@dataclass(frozen=True)
class ResolvedLink:
    """A link ready for a template: label, URL and badge (None for none)."""

    label: str
    url: str
    badge: int | str | None = None


@dataclass(frozen=True)
class ResolvedPanel:
    template_name: str
    context: Mapping[str, Any]


_links: dict[str, list[Link]] = {}
_panels: dict[str, list[Panel]] = {}
_destinations: dict[str, str] = {}
_tallies: dict[str, Tally] = {}
_admin_inlines: dict[str, list[type]] = {}


def register_link(slot: str, link: Link) -> None:
    """Put a link in a slot; registering the same link twice (a second ready() call) keeps one."""
    links = _links.setdefault(slot, [])
    if link not in links:
        links.append(link)


def register_panel(slot: str, panel: Panel) -> None:
    panels = _panels.setdefault(slot, [])
    if panel not in panels:
        panels.append(panel)


def register_destination(name: str, url_name: str) -> None:
    """Name the page a destination leads to. One app owns each destination: a second, different claim is an error."""
    if _destinations.get(name, url_name) != url_name:
        raise ImproperlyConfigured(f"Destination {name!r} already leads to {_destinations[name]!r}, not {url_name!r}")
    _destinations[name] = url_name


def register_tally(slot: str, tally: Tally) -> None:
    """One app owns each tally: a second, different claim is an error."""
    if _tallies.get(slot, tally) != tally:
        raise ImproperlyConfigured(f"Tally {slot!r} is already registered")
    _tallies[slot] = tally


def tally(slot: str) -> Tally:
    """The registered tally, or an empty one (no values, nothing counted) when no app above registers it."""
    return _tallies.get(slot) or Tally(relation="", field="", choices=())


def register_admin_inline(model: str, inline: type) -> None:
    """Add an inline to a lower app's admin page for `model` ("app_label.modelname"), which stays registered once,
    by its own app. The lower admin asks admin_inlines() per request, so the order of INSTALLED_APPS does not matter."""
    inlines = _admin_inlines.setdefault(model.lower(), [])
    if inline not in inlines:
        inlines.append(inline)


def admin_inlines(model: str) -> list[type]:
    return list(_admin_inlines.get(model.lower(), []))


def links(slot: str, context: Context) -> list[ResolvedLink]:
    """The slot's links that apply to this page, in order, with their URLs reversed."""
    return [
        ResolvedLink(
            label=link.label,
            url=reverse(link.url_name, args=list(link.args(context))),
            badge=link.badge(context) if link.badge else None,
        )
        for link in sorted(_links.get(slot, []), key=lambda link: link.order)
        if link.when(context)
    ]


def panels(slot: str, context: Context) -> list[ResolvedPanel]:
    return [
        ResolvedPanel(template_name=panel.template_name, context=panel.context(context))
        for panel in sorted(_panels.get(slot, []), key=lambda panel: panel.order)
        if panel.when(context)
    ]


def destination_url(name: str) -> str:
    """The URL of a destination; without an app registering it, the site's home page, which sends people on."""
    url_name = _destinations.get(name)
    return reverse(url_name) if url_name else reverse("home")
