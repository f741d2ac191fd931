"""The navigation registry: higher apps put links, panels and destinations on lower apps' pages."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.template import Context, Template
from django.urls import reverse

from programme import navigation

SLOT = "test-slot"


@pytest.fixture
def registry(monkeypatch):
    """An empty registry for the test, restored afterwards (the apps' own registrations are kept)."""
    for name in ("_links", "_panels", "_destinations", "_tallies", "_admin_inlines"):
        monkeypatch.setattr(navigation, name, {})
    return navigation


def test_links_come_in_order_with_their_arguments_from_the_page_and_only_when_they_apply(registry):
    registry.register_link(SLOT, navigation.Link("Second", "cohorts:events", order=20))
    registry.register_link(
        SLOT, navigation.Link("First", "pairs:detail", args=lambda context: [context["pk"]], order=10)
    )
    registry.register_link(SLOT, navigation.Link("Hidden", "cohorts:events", when=lambda context: False))

    links = registry.links(SLOT, {"pk": 7})

    assert [(link.label, link.url) for link in links] == [
        ("First", reverse("pairs:detail", args=[7])),
        ("Second", reverse("cohorts:events")),
    ]


def test_registering_a_link_twice_shows_it_once(registry):
    link = navigation.Link("Events", "cohorts:events")
    registry.register_link(SLOT, link)
    registry.register_link(SLOT, link)

    assert len(registry.links(SLOT, {})) == 1


def test_a_main_menu_link_shows_its_badge_on_every_signed_in_page(registry, login_as):
    registry.register_link(
        navigation.MAIN_MENU, navigation.Link("Notifications", "cohorts:events", badge=lambda context: 3)
    )

    page = login_as("alice").get(reverse("dashboard:home")).content.decode()

    assert f'href="{reverse("cohorts:events")}">Notifications <span class="badge text-bg-light">3</span>' in page


def test_a_destination_leads_where_its_app_registered_it_and_home_without_one(registry):
    assert registry.destination_url(navigation.MEMBER_HOME) == reverse("home")

    registry.register_destination(navigation.MEMBER_HOME, "dashboard:home")

    assert registry.destination_url(navigation.MEMBER_HOME) == reverse("dashboard:home")


def test_a_destination_has_one_owner(registry):
    registry.register_destination(navigation.MEMBER_HOME, "dashboard:home")

    with pytest.raises(ImproperlyConfigured):
        registry.register_destination(navigation.MEMBER_HOME, "pairs:facilitator-home")


def test_panels_render_their_template_with_their_own_context(registry, settings, tmp_path):
    (tmp_path / "panel.html").write_text("<p>{{ cohort }}: {{ count }}</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    registry.register_panel(SLOT, navigation.Panel("panel.html", context=lambda context: {"count": 4}))
    registry.register_panel(SLOT, navigation.Panel("panel.html", when=lambda context: False))

    html = Template('{% load navigation %}{% page_panels "test-slot" %}').render(Context({"cohort": "2014-15"}))

    assert html == "<p>2014-15: 4</p>"


def test_a_tally_counts_nothing_until_an_app_registers_it(registry):
    assert registry.tally(navigation.PAIR_OUTPUTS).annotations("outputs_") == {}


def test_the_apps_register_the_report_link_the_member_home_and_the_outputs_tally():
    assert [link.label for link in navigation._links[navigation.COHORT_STAFF_ACTIONS]] == [
        "Year-end report",
        "Report findings",
    ]
    assert navigation.destination_url(navigation.MEMBER_HOME) == reverse("dashboard:home")
    assert navigation.tally(navigation.PAIR_OUTPUTS).relation == "outputs"
