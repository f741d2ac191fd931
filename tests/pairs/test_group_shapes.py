"""Groups to the programme's shape: its group word, sizes, number of sides and organisation rule, in the rules,
the forming pages and the suggestions."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Side as SideCode
from pairs import services
from pairs.models import LearningPair
from pairs.suggestions import ALL_FULL, suggest_pairs, suggestions_accept
from programme import shape as shapes
from programme.models import Side
from tests.factories import CohortFactory, MembershipFactory, OrganisationFactory, PolicyAreaFactory, ProgrammeFactory

EXCHANGE_SIDES = [
    ("trust", "NHS trust", "NHS trusts"),
    ("council", "Council", "Councils"),
    ("lived", "Person with lived experience", "People with lived experience"),
]


@pytest.fixture
def exchange(db):
    """A cohort of a health and care exchange: learning groups of 3 or 4 that span its three sides."""
    programme = ProgrammeFactory(
        name="Health and care exchange",
        group_word="learning group",
        group_word_plural="learning groups",
        min_group_size=3,
        max_group_size=4,
        min_sides_per_group=3,
    )
    Side.objects.filter(programme=programme).delete()
    for order, (code, name, plural) in enumerate(EXCHANGE_SIDES, start=1):
        Side.objects.create(
            programme=programme, code=code, name=name, plural=plural, short_label=name.lower(), order=order
        )
    shapes.forget()
    return CohortFactory(programme=programme, name="Exchange 1")


def _set(cohort, **fields) -> None:
    """Change the cohort's programme's group rules (saving the programme refreshes its shape)."""
    programme = cohort.programme
    for name, value in fields.items():
        setattr(programme, name, value)
    programme.save()
    shapes.forget()


def _member(cohort, side, name, organisation=None, interests=()):
    membership = MembershipFactory(cohort=cohort, side=side, user__full_name=name, user__organisation=organisation)
    membership.user.interests.set([PolicyAreaFactory(name=area) for area in interests])
    return membership


def test_three_sides_of_five_each_make_groups_that_span_the_three_sides_with_no_organisation_twice(exchange):
    # Member i of every side works for organisation i and shares topic i with the others of index i: the best
    # scores would group one organisation together, which the rules forbid.
    organisations = [OrganisationFactory(name=f"Place {i}") for i in range(5)]
    for code, name, _ in EXCHANGE_SIDES:
        for i in range(5):
            _member(exchange, code, f"{name} {i}", organisations[i], [f"topic {i}", f"{code} matters"])
    result = suggest_pairs(exchange)

    assert result.unmatched == []
    assert len(result.suggestions) == 5
    for suggestion in result.suggestions:
        assert {m.side for m in suggestion.members} == {"trust", "council", "lived"}
        organisation_ids = [m.user.organisation_id for m in suggestion.members]
        assert len(set(organisation_ids)) == len(organisation_ids) == 3
    grouped = [m.pk for s in result.suggestions for m in s.members]
    assert len(grouped) == len(set(grouped)) == 15

    groups = suggestions_accept(cohort=exchange, keys=[s.key for s in result.suggestions], on=timezone.localdate())
    assert len(groups) == 5
    assert all(group.status == LearningPair.Status.ACTIVE for group in groups)


def test_an_extra_member_joins_a_group_up_to_the_largest_size(exchange):
    for code, name, _ in EXCHANGE_SIDES:
        for i in range(2):
            _member(exchange, code, f"{name} {i}")
    _member(exchange, "lived", "Lived extra")
    result = suggest_pairs(exchange)
    assert result.unmatched == []
    assert sorted(len(s.members) for s in result.suggestions) == [3, 4]


def test_with_the_organisation_rule_off_two_colleagues_may_be_grouped(db):
    cohort = CohortFactory()
    council = OrganisationFactory(name="Leeds City Council")
    ann = _member(cohort, SideCode.POLICYMAKER, "Ann", council, ["housing"])
    pat = _member(cohort, SideCode.PRACTITIONER, "Pat", council, ["housing"])
    assert suggest_pairs(cohort).suggestions == []
    with pytest.raises(ValidationError, match="same organisation"):
        services.pair_create(cohort=cohort, members=[ann, pat], on=cohort.starts_on)

    _set(cohort, one_per_organisation=False)
    [suggestion] = suggest_pairs(cohort).suggestions
    assert set(suggestion.members) == {ann, pat}
    [pair] = suggestions_accept(cohort=cohort, keys=[suggestion.key], on=timezone.localdate())
    assert pair.status == LearningPair.Status.ACTIVE
    colleague = _member(cohort, SideCode.POLICYMAKER, "Cal", council)
    services.pair_member_add(pair=pair, membership=colleague, on=timezone.localdate())
    assert pair.members.current().count() == 3


def test_the_largest_size_is_kept_with_a_clear_message(world, login_as):
    _set(world.cohort, max_group_size=2)
    newcomer = MembershipFactory(cohort=world.cohort, side=SideCode.PRACTITIONER)
    with pytest.raises(ValidationError, match="A pair has at most 2 members"):
        services.pair_member_add(pair=world.pair, membership=newcomer, on=timezone.localdate())
    response = login_as("facilitator").post(
        reverse("pairs:pair-member-add", args=[world.pair.pk]),
        {"membership": newcomer.pk, "on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 400
    assert "A pair has at most 2 members." in response.text
    assert world.pair.members.current().count() == 2


def test_with_pairs_only_the_odd_one_out_is_reported_with_the_size(db):
    cohort = CohortFactory()
    _set(cohort, max_group_size=2)
    _member(cohort, SideCode.POLICYMAKER, "Ann", interests=["housing"])
    _member(cohort, SideCode.POLICYMAKER, "Ben")
    _member(cohort, SideCode.PRACTITIONER, "Pat", interests=["housing"])
    result = suggest_pairs(cohort)
    assert [tuple(m.user.full_name for m in s.members) for s in result.suggestions] == [("Ann", "Pat")]
    [left] = result.unmatched
    assert left.membership.user.full_name == "Ben"
    assert left.reason.startswith("Every suggested pair already has 2 members")
    assert ALL_FULL.split("{")[0] in left.reason


def test_the_smallest_size_is_kept_when_forming_with_a_clear_message(exchange, world, login_as):
    trust = _member(exchange, "trust", "Tia Trust")
    council = _member(exchange, "council", "Col Council")
    response = login_as("manager").post(
        reverse("pairs:pair-create", args=[exchange.pk]),
        {"members": [trust.pk, council.pk], "on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 400
    assert "Choose at least 3 members for a learning group, from at least 3 different sides" in response.text
    assert "NHS trusts, Councils, People with lived experience" in response.text
    assert not LearningPair.objects.filter(cohort=exchange).exists()

    lived = _member(exchange, "lived", "Lee Lived")
    response = login_as("manager").post(
        reverse("pairs:pair-create", args=[exchange.pk]),
        {"members": [trust.pk, council.pk, lived.pk], "on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    assert LearningPair.objects.get(cohort=exchange).status == LearningPair.Status.ACTIVE


@pytest.mark.parametrize(("min_sides", "status"), [(2, LearningPair.Status.FORMING), (1, LearningPair.Status.ACTIVE)])
def test_a_trio_losing_a_member_stays_active_only_if_the_two_left_keep_the_rules(world, min_sides, status):
    _set(world.cohort, min_sides_per_group=min_sides)
    second = MembershipFactory(cohort=world.cohort, side=SideCode.POLICYMAKER)
    services.pair_member_add(pair=world.pair, membership=second, on=timezone.localdate())
    services.membership_withdraw(membership=world.bob_membership, on=timezone.localdate(), reason="Moved away")
    world.pair.refresh_from_db()
    assert world.pair.members.current().count() == 2
    assert world.pair.status == status


def test_the_pages_use_the_programmes_group_word_and_sides(exchange, world, login_as):
    for code, name, _ in EXCHANGE_SIDES:
        _member(exchange, code, f"{name} A")
    _member(exchange, "trust", "Lonely Trust")  # joins the one group: 4 at most
    _member(exchange, "trust", "Left Trust")
    client = login_as("manager")
    page = client.get(reverse("pairs:suggestions", args=[exchange.pk])).text
    assert "Suggested learning groups" in page
    assert "Form the ticked learning groups" in page
    assert "Left without a learning group" in page
    assert "Every suggested learning group already has 4 members" in page
    form = client.get(reverse("pairs:pair-create", args=[exchange.pk])).text
    assert "Form a learning group" in form
    overview = client.get(reverse("pairs:cohort-overview", args=[exchange.pk])).text
    assert "Suggest learning groups" in overview and "Form a learning group" in overview
    for text in (page, form):
        assert "olicymaker" not in text and "ractitioner" not in text

    keys = [s.key for s in suggest_pairs(exchange).suggestions]
    response = client.post(reverse("pairs:suggestions-accept", args=[exchange.pk]), {"accept": keys}, follow=True)
    assert "Formed 1 learning group: learning group 1" in response.text
