"""Pair suggestions: an optimal cross-sector matching, never one organisation nor a past pair, and accepting them."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Membership, Side
from pairs import services
from pairs.models import LearningPair, PairMember, StepProgress
from pairs.rules import group_message
from pairs.suggestions import (
    ALL_FULL,
    NO_ALLOWED_GROUP,
    NOT_ENOUGH_SIDES,
    SUGGESTION_GONE,
    suggest_pairs,
    suggestions_accept,
    unpaired_members,
)
from programme.models import Organisation, SectorCode, User
from tests.factories import CohortFactory, MembershipFactory, OrganisationFactory, PolicyAreaFactory, QuestionFactory


def _member(cohort, side, name, interests=(), **user):
    membership = MembershipFactory(cohort=cohort, side=side, user__full_name=name, **user)
    membership.user.interests.set([PolicyAreaFactory(name=area) for area in interests])
    return membership


def _matches(result) -> set[tuple[str, ...]]:
    return {tuple(m.user.full_name for m in s.members) for s in result.suggestions}


def _reason(cohort, pattern: str) -> str:
    shape = cohort.shape
    return group_message(pattern, shape, count=shape.max_group_size if pattern == ALL_FULL else 2)


@pytest.fixture
def cohort(db):
    return CohortFactory()


def test_the_matching_is_optimal_where_greedy_would_choose_worse(cohort):
    # Scores: Ann–Pat 3, Ann–Quinn 2, Ben–Pat 2, Ben–Quinn 0. Taking the best match first (Ann–Pat)
    # leaves Ben–Quinn: 3 in all. The optimum pairs Ann–Quinn and Ben–Pat: 4.
    _member(cohort, Side.POLICYMAKER, "Ann", ["housing", "health", "skills", "youth", "justice"])
    _member(cohort, Side.POLICYMAKER, "Ben", ["housing", "health"])
    _member(cohort, Side.PRACTITIONER, "Pat", ["housing", "health", "skills"])
    _member(cohort, Side.PRACTITIONER, "Quinn", ["youth", "justice"])
    result = suggest_pairs(cohort)
    assert _matches(result) == {("Ann", "Quinn"), ("Ben", "Pat")}
    assert result.total_score == 4
    assert result.unmatched == []


def test_a_shared_preferred_question_counts_and_is_shown(cohort):
    question = QuestionFactory(cohort=cohort)
    ann = _member(cohort, Side.POLICYMAKER, "Ann", ["housing"])
    ann.preferred_question = question
    ann.save()
    pat = _member(cohort, Side.PRACTITIONER, "Pat", ["housing"])
    pat.preferred_question = question
    pat.save()
    _member(cohort, Side.PRACTITIONER, "Quinn", ["housing", "health"])
    _member(cohort, Side.POLICYMAKER, "Ben", ["health"])
    result = suggest_pairs(cohort)
    [ann_pat] = [s for s in result.suggestions if ann in s.members]
    assert ann_pat.members == (ann, pat)
    assert ann_pat.shared_question == question
    assert ann_pat.shared_interests == ("housing",)
    assert ann_pat.score == 3


def test_people_from_one_organisation_are_never_suggested(cohort):
    council = OrganisationFactory(name="Islington Council", sector=SectorCode.LOCAL_AUTHORITY)
    _member(cohort, Side.POLICYMAKER, "Ann", ["housing", "health"], user__organisation=council)
    _member(cohort, Side.PRACTITIONER, "Pat", ["housing", "health"], user__organisation=council)
    result = suggest_pairs(cohort)
    assert result.suggestions == []
    assert {u.membership.user.full_name: u.reason for u in result.unmatched} == {
        "Ann": _reason(cohort, NO_ALLOWED_GROUP),
        "Pat": _reason(cohort, NO_ALLOWED_GROUP),
    }


def test_people_paired_before_are_never_suggested_again(cohort):
    ann = _member(cohort, Side.POLICYMAKER, "Ann", ["housing", "health"])
    pat = _member(cohort, Side.PRACTITIONER, "Pat", ["housing", "health"])
    _member(cohort, Side.PRACTITIONER, "Quinn", [])
    today = timezone.localdate()
    pair = services.pair_create(cohort=cohort, members=[ann, pat], on=cohort.starts_on)
    for seat in pair.members.all():
        services.pair_member_leave(member=seat, on=today, reason="Did not get on", allow_single_sided=True)
    result = suggest_pairs(cohort)
    # Pat cannot join Ann and Quinn as a trio either: Ann and Pat were paired before.
    assert _matches(result) == {("Ann", "Quinn")}
    assert [(u.membership.user.full_name, u.reason) for u in result.unmatched] == [
        ("Pat", _reason(cohort, NO_ALLOWED_GROUP))
    ]


def test_people_paired_in_an_earlier_cohort_are_not_suggested(cohort):
    earlier = CohortFactory(programme=cohort.programme)
    ann_then = MembershipFactory(cohort=earlier, side=Side.POLICYMAKER, user__full_name="Ann")
    pat_then = MembershipFactory(cohort=earlier, side=Side.PRACTITIONER, user__full_name="Pat")
    services.pair_create(cohort=earlier, members=[ann_then, pat_then], on=earlier.starts_on)
    MembershipFactory(cohort=cohort, side=Side.POLICYMAKER, user=ann_then.user)
    MembershipFactory(cohort=cohort, side=Side.PRACTITIONER, user=pat_then.user)
    assert suggest_pairs(cohort).suggestions == []


def test_with_uneven_numbers_the_odd_member_out_joins_a_trio(cohort):
    _member(cohort, Side.POLICYMAKER, "Ann", ["housing"])
    _member(cohort, Side.POLICYMAKER, "Ben", ["youth"])
    _member(cohort, Side.POLICYMAKER, "Cat", ["housing", "youth"])
    _member(cohort, Side.PRACTITIONER, "Pat", ["housing"])
    _member(cohort, Side.PRACTITIONER, "Quinn", ["youth"])
    result = suggest_pairs(cohort)
    assert result.unmatched == []
    assert sorted(len(s.members) for s in result.suggestions) == [2, 3]
    assert {name for s in result.suggestions for name in (m.user.full_name for m in s.members)} == {
        "Ann",
        "Ben",
        "Cat",
        "Pat",
        "Quinn",
    }
    # Cat shares an interest with either pair: Ann and Pat share housing, Ben and Quinn youth.
    assert _matches(result) in ({("Ann", "Pat"), ("Ben", "Cat", "Quinn")}, {("Ann", "Cat", "Pat"), ("Ben", "Quinn")})
    [trio] = [s for s in result.suggestions if len(s.members) == 3]
    assert trio.score == 3 and trio.shared_interests == ("housing",)  # one point for each two sharing it


def test_the_trio_is_accepted_as_one_active_group(cohort):
    _member(cohort, Side.POLICYMAKER, "Ann", ["housing"])
    _member(cohort, Side.POLICYMAKER, "Ben", [])
    _member(cohort, Side.PRACTITIONER, "Pat", ["housing"])
    [trio] = suggest_pairs(cohort).suggestions
    [pair] = suggestions_accept(cohort=cohort, keys=[trio.key], on=timezone.localdate())
    assert pair.status == LearningPair.Status.ACTIVE
    assert pair.member_names() == "Ann & Ben & Pat"


def test_when_every_group_is_full_the_rest_are_reported_not_dropped(cohort):
    _member(cohort, Side.POLICYMAKER, "Ann", ["housing"])
    _member(cohort, Side.POLICYMAKER, "Ben", [])
    _member(cohort, Side.POLICYMAKER, "Cat", [])
    _member(cohort, Side.PRACTITIONER, "Pat", ["housing"])
    result = suggest_pairs(cohort)
    [group] = result.suggestions
    assert len(group.members) == 3 and group.members[-1].user.full_name == "Pat"
    [left] = result.unmatched
    assert left.reason == _reason(cohort, ALL_FULL)
    assert "3 members" in left.reason


def test_with_one_side_only_nobody_is_grouped_and_the_reason_names_the_sides(cohort):
    _member(cohort, Side.POLICYMAKER, "Ann")
    _member(cohort, Side.POLICYMAKER, "Ben")
    result = suggest_pairs(cohort)
    assert result.suggestions == []
    assert [u.reason for u in result.unmatched] == [_reason(cohort, NOT_ENOUGH_SIDES)] * 2
    assert "Policymakers, Practitioners" in result.unmatched[0].reason


def test_zero_score_matches_are_still_suggested(cohort):
    _member(cohort, Side.POLICYMAKER, "Ann", ["housing"])
    _member(cohort, Side.PRACTITIONER, "Pat", ["youth"])
    [suggestion] = suggest_pairs(cohort).suggestions
    assert suggestion.score == 0
    assert suggestion.shared_interests == ()


def test_members_already_in_a_pair_or_withdrawn_are_not_suggested(world):
    services.membership_withdraw(membership=world.dave_membership, on=timezone.localdate(), reason="Left")
    assert list(unpaired_members(world.cohort)) == []
    assert suggest_pairs(world.cohort).suggestions == []


def test_accepting_some_suggestions_creates_exactly_those_pairs(cohort):
    _member(cohort, Side.POLICYMAKER, "Ann", ["housing"])
    _member(cohort, Side.POLICYMAKER, "Ben", ["youth"])
    _member(cohort, Side.PRACTITIONER, "Pat", ["housing"])
    _member(cohort, Side.PRACTITIONER, "Quinn", ["youth"])
    suggestions = {s.members[0].user.full_name: s for s in suggest_pairs(cohort).suggestions}
    [pair] = suggestions_accept(cohort=cohort, keys=[suggestions["Ben"].key], on=timezone.localdate())
    assert pair.member_names() == "Ben & Quinn"
    assert pair.status == LearningPair.Status.ACTIVE
    assert LearningPair.objects.filter(cohort=cohort).count() == 1
    assert {m.user.full_name for m in unpaired_members(cohort)} == {"Ann", "Pat"}


def test_accepting_a_suggestion_no_longer_made_changes_nothing(cohort):
    _member(cohort, Side.POLICYMAKER, "Ann", ["housing"])
    _member(cohort, Side.PRACTITIONER, "Pat", ["housing"])
    [suggestion] = suggest_pairs(cohort).suggestions
    with pytest.raises(ValidationError, match="changed since"):
        suggestions_accept(cohort=cohort, keys=[suggestion.key, "999-998"], on=timezone.localdate())
    assert not LearningPair.objects.filter(cohort=cohort).exists()


def test_facilitator_accepts_ticked_suggestions_through_the_page(world, login_as):
    ann = _member(world.cohort, Side.POLICYMAKER, "Ann Other", ["housing"])
    pat = _member(world.cohort, Side.PRACTITIONER, "Pat Other", ["housing"])
    client = login_as("facilitator")
    page = client.get(reverse("pairs:suggestions", args=[world.cohort.pk]))
    assert "Shared interests: housing" in page.text
    response = client.post(
        reverse("pairs:suggestions-accept", args=[world.cohort.pk]), {"accept": [f"{ann.pk}-{pat.pk}"]}
    )
    assert response.status_code == 302
    assert PairMember.objects.current().filter(membership__in=[ann, pat]).values("pair").distinct().count() == 1


def test_accepting_none_is_refused_with_a_message(world, login_as):
    response = login_as("facilitator").post(
        reverse("pairs:suggestions-accept", args=[world.cohort.pk]), {}, follow=True
    )
    assert "Choose at least one suggested pair" in response.text


def test_a_stale_suggestion_posted_shows_the_message(world, login_as):
    response = login_as("facilitator").post(
        reverse("pairs:suggestions-accept", args=[world.cohort.pk]), {"accept": ["1-2"]}, follow=True
    )
    assert SUGGESTION_GONE in response.text


def _bulk_members(cohort, pairs: int, start: int = 0) -> None:
    """`pairs` policymakers and as many practitioners, each from an organisation of their own."""
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Bulk organisation {n}", sector=SectorCode.OTHER) for n in range(start, start + 2 * pairs)
    )
    users = User.objects.bulk_create(
        User(email=f"bulk{n}@example.org", full_name=f"Bulk {n:04d}", organisation=organisation, password="!")
        for n, organisation in enumerate(organisations, start=start)
    )
    Membership.objects.bulk_create(
        Membership(cohort=cohort, user=user, side=(Side.POLICYMAKER, Side.PRACTITIONER)[n % 2])
        for n, user in enumerate(users)
    )


def _accept_all(cohort, by) -> tuple[list[LearningPair], int]:
    keys = [s.key for s in suggest_pairs(cohort).suggestions]
    with CaptureQueriesContext(connection) as queries:
        pairs = suggestions_accept(cohort=cohort, keys=keys, on=timezone.localdate(), by=by)
    return pairs, len(queries)


def test_accepting_500_suggestions_takes_the_same_few_queries_as_accepting_5_and_keeps_history(cohort):
    facilitator = User.objects.create_user("fran@example.org", full_name="Fran")
    small_cohort = CohortFactory(programme=cohort.programme)
    _bulk_members(small_cohort, 5, start=5000)
    few, few_queries = _accept_all(small_cohort, facilitator)
    _bulk_members(cohort, 500)
    many, many_queries = _accept_all(cohort, facilitator)

    assert len(few) == 5 and len(many) == 500
    assert many_queries == few_queries < 50
    assert sorted(pair.number for pair in many) == list(range(1, 501))
    assert all(pair.status == LearningPair.Status.ACTIVE for pair in many)
    assert PairMember.objects.filter(pair__cohort=cohort, left_on__isnull=True).count() == 1000
    assert StepProgress.objects.filter(pair__cohort=cohort).count() == 2000
    assert not unpaired_members(cohort).exists()
    history = LearningPair.history.filter(cohort=cohort)
    assert history.count() == 500 and set(history.values_list("history_user", flat=True)) == {facilitator.pk}
    assert PairMember.history.filter(pair__cohort=cohort).count() == 1000
    assert StepProgress.history.filter(pair__cohort=cohort).count() == 2000


def test_pairs_formed_in_bulk_keep_the_pairing_rules(cohort):
    one = OrganisationFactory(name="Shelter")
    ann = _member(cohort, Side.POLICYMAKER, "Ann", user__organisation=one)
    pat = _member(cohort, Side.PRACTITIONER, "Pat", user__organisation=one)
    bob = _member(cohort, Side.POLICYMAKER, "Bob")
    with pytest.raises(ValidationError, match="same organisation"):
        services.pairs_create_many(cohort=cohort, groups=[((ann, pat), None)], on=timezone.localdate())
    with pytest.raises(ValidationError, match="at least 2 different sides"):
        services.pairs_create_many(cohort=cohort, groups=[((ann, bob), None)], on=timezone.localdate())
    assert not LearningPair.objects.filter(cohort=cohort).exists()
