"""Two programmes whose shapes differ in every dimension read each in its own words: quotes, the report and the
admin that edits a shape. The second is a health and care exchange (three sides, learning groups, visits and
webinars, its own wording); the first keeps the 2014-15 default shape."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cohorts.models import Membership
from programme import rules, shape
from programme.models import ActivityKind, EventKind, Programme, RefiningStep, Sector, Side
from reports.building import build_report, default_title
from reports.source import report_markdown
from tests.admin.helpers import change_form_data
from tests.factories import (
    ActivityFactory,
    CohortFactory,
    EventFactory,
    ExternalGuestFactory,
    InsightFactory,
    LearningPairFactory,
    MembershipFactory,
    PairMemberFactory,
    ProgrammeFactory,
)

HEALTH_SIDES = [
    ("nhs", "NHS trust staff member", "NHS trust staff", "NHS colleague"),
    ("council", "Council officer", "Council officers", "council officer"),
    ("lived", "Person with lived experience", "People with lived experience", "person with lived experience"),
]


def health_exchange() -> Programme:
    """A programme shaped unlike the default in every part: sides, sectors, groups, steps, kinds and wording."""
    programme = ProgrammeFactory(
        name="Health and Care Exchange",
        group_word="learning group",
        group_word_plural="learning groups",
        min_group_size=2,
        max_group_size=3,
        min_sides_per_group=3,
        one_per_organisation=False,
        attribution_pattern="Year {year}, {side} at {event}",
        cohort_phrase="exchange group",
        guest_phrase="visiting speaker",
        report_title_pattern="{cohort}: what the {programme} learned",
    )
    for model in (Side, Sector, RefiningStep, EventKind, ActivityKind):
        model.objects.filter(programme=programme).delete()
    for order, (code, name, plural, short) in enumerate(HEALTH_SIDES, 1):
        Side.objects.create(programme=programme, order=order, code=code, name=name, plural=plural, short_label=short)
    Sector.objects.create(programme=programme, order=1, code="nhs_trust", name="NHS trust")
    Sector.objects.create(programme=programme, order=2, code="care_provider", name="Private care provider")
    for order, name in enumerate(["Listen", "Try", "Share"], 1):
        RefiningStep.objects.create(programme=programme, order=order, code=name.lower(), name=name, guidance="")
    EventKind.objects.create(programme=programme, order=1, code="visit", name="Visit")
    EventKind.objects.create(programme=programme, order=2, code="webinar", name="Webinar")
    ActivityKind.objects.create(
        programme=programme, order=1, code="ward_visit", name="Visit to a ward", report_group="Visits to NHS trusts"
    )
    ActivityKind.objects.create(programme=programme, order=2, code="shadowing", name="Shadowing day")
    shape.forget()
    return programme


@pytest.fixture
def health(db):
    cohort = CohortFactory(programme=health_exchange(), name="2026", number=3)
    members = {
        code: MembershipFactory(
            cohort=cohort, side=code, user__full_name=f"{name} One", user__consents_to_be_named=False
        )
        for code, name, _, _ in HEALTH_SIDES
    }
    return cohort, members


def test_quotes_are_attributed_in_each_programmes_own_pattern_and_words(world, health):
    cohort, members = health
    visit = EventFactory(cohort=cohort, kind="visit")
    lived = InsightFactory(cohort=cohort, event=visit, speaker=members["lived"])
    guest = InsightFactory(cohort=cohort, event=visit, guest=ExternalGuestFactory(event=visit))
    unplaced = InsightFactory(cohort=cohort, event=None, speaker=members["nhs"])
    world.alice.consents_to_be_named = False
    world.alice.save()
    default = InsightFactory(cohort=world.cohort, speaker=world.alice_membership)

    assert lived.attribution() == "Year 3, person with lived experience at Visit 1"
    assert guest.attribution() == "Year 3, visiting speaker at Visit 1"
    assert unplaced.attribution() == "Year 3, NHS colleague"
    assert default.attribution() == "Y2 policymaker, Workshop 1"


def test_the_record_an_insight_page_shows_how_the_programme_cites(world, health, client):
    cohort, _ = health
    cohort.facilitators.add(world.facilitator)
    webinar = EventFactory(cohort=cohort, kind="webinar")
    client.force_login(world.facilitator)

    page = client.get(reverse("cohorts:insight-create", args=[webinar.pk])).content.decode()

    assert "Year 3, NHS colleague at Webinar 1" in page


def test_the_report_reads_in_each_programmes_own_words(world, health):
    cohort, members = health
    MembershipFactory(cohort=cohort, side="lived")
    pair = LearningPairFactory(cohort=cohort)
    PairMemberFactory(pair=pair, membership=members["nhs"])
    ActivityFactory(pair=pair, kind="ward_visit")
    ActivityFactory(pair=pair, kind="shadowing")

    data = build_report(cohort)
    text = report_markdown(data).replace("\\", "")  # as read, without Markdown's escapes

    assert data.title == default_title(cohort) == "2026: what the Health and Care Exchange learned"
    assert data.figures.members_by_side == [
        ("NHS trust staff member", 1),
        ("Council officer", 1),
        ("Person with lived experience", 2),
    ]
    assert "1 NHS trust staff member, 1 council officer and 2 people with lived experience" in text
    assert "including 1 visit to NHS trusts." in text
    assert "accepted onto the exchange group" in text
    assert "core cohort" not in text and "government departments" not in text

    default = report_markdown(build_report(world.cohort)).replace("\\", "")
    assert build_report(world.cohort).title == f"Insights from the {world.cohort.programme.name} in 2014-15"
    assert "accepted onto the core cohort" in default
    assert "including 0 visits to local services and 0 visits to government departments." in default


def _programme_page(client, programme: Programme) -> tuple[str, dict[str, object]]:
    response = client.get(reverse("admin:programme_programme_change", args=[programme.pk]))
    assert response.status_code == 200
    return response.content.decode(), change_form_data(response)


def _side_field(data: dict[str, object], code: str, name: str) -> str:
    index = next(key.split("-")[1] for key, value in data.items() if key.endswith("-code") and value == code)
    return f"sides-{index}-{name}"


def test_a_manager_renames_a_side_in_use_and_quotes_use_the_new_name(world, health, client):
    cohort, members = health
    client.force_login(world.manager)
    page, data = _programme_page(client, cohort.programme)
    assert "Year 2, NHS colleague at Visit 4" in page  # the wording preview

    data[_side_field(data, "lived", "short_label")] = "expert by experience"
    response = client.post(reverse("admin:programme_programme_change", args=[cohort.programme.pk]), data)

    assert response.status_code == 302
    assert InsightFactory(cohort=cohort, event=None, speaker=members["lived"]).attribution() == (
        "Year 3, expert by experience"
    )


def test_removing_a_side_members_use_is_refused_with_the_archive_message(world, health, client):
    cohort, _ = health
    client.force_login(world.manager)
    _, data = _programme_page(client, cohort.programme)

    data[_side_field(data, "council", "DELETE")] = "on"
    response = client.post(reverse("admin:programme_programme_change", args=[cohort.programme.pk]), data)

    assert response.status_code == 200
    message = rules.SHAPE_ENTRY_IN_USE.format(name="Council officer", what="")
    assert message in response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')
    assert Side.objects.filter(programme=cohort.programme, code="council").exists()


def test_archiving_a_side_keeps_its_members_and_hides_it_from_new_choices(world, health, client):
    cohort, members = health
    client.force_login(world.manager)
    _, data = _programme_page(client, cohort.programme)

    data[_side_field(data, "council", "archived")] = "on"
    response = client.post(reverse("admin:programme_programme_change", args=[cohort.programme.pk]), data)

    assert response.status_code == 302
    sides = shape.shape_of(cohort.programme_id).sides
    assert [code for code, _ in sides.choices()] == ["nhs", "lived"]
    assert [code for code, _ in sides.choices(keep="council")] == ["nhs", "council", "lived"]
    assert Membership.objects.get(pk=members["council"].pk).get_side_display() == "Council officer"
    assert [code for code, _ in shape.shape_of(world.cohort.programme_id).sides.choices()] == [
        "policymaker",
        "practitioner",
    ]


@pytest.mark.parametrize(
    ("field", "pattern"),
    [
        ("attribution_pattern", "Y{yeer} {side}"),
        ("attribution_pattern", "Y{year}, {event}"),
        ("report_title_pattern", "Insights from {programme"),
    ],
)
def test_a_wording_pattern_with_a_wrong_placeholder_is_a_form_message(world, health, client, field, pattern):
    cohort, _ = health
    client.force_login(world.manager)
    _, data = _programme_page(client, cohort.programme)

    data[field] = pattern
    response = client.post(reverse("admin:programme_programme_change", args=[cohort.programme.pk]), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field]
    cohort.programme.refresh_from_db()
    assert getattr(cohort.programme, field) != pattern


def test_each_programme_names_its_groups_in_its_own_word(world, health, client):
    cohort, members = health
    group = LearningPairFactory(cohort=cohort, number=1)
    for code in ("nhs", "lived"):
        PairMemberFactory(pair=group, membership=members[code])
    assert (group.label, world.pair.label) == ("Learning group 1", "Pair 1")

    client.force_login(members["nhs"].user)
    page = client.get(group.get_absolute_url())
    assert page.status_code == 200
    assert '<h1 class="h3 mb-0">Learning group 1</h1>' in page.text
