"""Forming and re-pairing through the facilitator's pages: each change whole, each bad input refused."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Membership, Side
from pairs import services
from pairs.forming_forms import NEW_PAIR, TOO_FEW_MEMBERS
from pairs.models import LearningPair, PairMember
from pairs.rules import group_message
from programme.models import SectorCode
from tests.factories import MembershipFactory, OrganisationFactory, QuestionFactory, make_pair


@pytest.fixture
def today():
    return timezone.localdate()


def _snapshot() -> tuple:
    return (
        list(LearningPair.objects.order_by("pk").values_list("pk", "status")),
        list(PairMember.objects.order_by("pk").values_list("pk", "pair_id", "left_on", "left_reason")),
        list(Membership.objects.order_by("pk").values_list("pk", "status", "withdrawn_on", "withdrawal_reason")),
    )


def _words(world, pattern: str, **values: object) -> str:
    """A rule's message as the world's programme (the default shape: pairs of two sides) words it."""
    return group_message(pattern, world.cohort.shape, **values)


def _seat(pair: LearningPair, membership: Membership) -> PairMember:
    return pair.members.get(membership=membership, left_on__isnull=True)


# Forming


def test_facilitator_forms_a_pair_of_unpaired_members(world, login_as, today):
    question = QuestionFactory(cohort=world.cohort)
    policymaker = MembershipFactory(cohort=world.cohort, side=Side.POLICYMAKER, user__full_name="Pia Policy")
    practitioner = MembershipFactory(cohort=world.cohort, side=Side.PRACTITIONER, user__full_name="Pete Practice")
    response = login_as("facilitator").post(
        reverse("pairs:pair-create", args=[world.cohort.pk]),
        {
            "members": [policymaker.pk, practitioner.pk],
            "question": question.pk,
            "angle": "Whole-person services",
            "on": today.isoformat(),
        },
    )
    assert response.status_code == 302
    pair = LearningPair.objects.get(cohort=world.cohort, number=3)
    assert pair.status == LearningPair.Status.ACTIVE
    assert (pair.question, pair.angle) == (question, "Whole-person services")
    assert {m.membership for m in pair.members.all()} == {policymaker, practitioner}
    assert pair.steps.count() == 4


def test_forming_a_pair_of_one_side_is_refused(world, login_as, today):
    a = MembershipFactory(cohort=world.cohort, side=Side.POLICYMAKER)
    b = MembershipFactory(cohort=world.cohort, side=Side.POLICYMAKER)
    before = _snapshot()
    response = login_as("facilitator").post(
        reverse("pairs:pair-create", args=[world.cohort.pk]), {"members": [a.pk, b.pk], "on": today.isoformat()}
    )
    assert response.status_code == 400
    assert _words(world, services.TOO_FEW_SIDES, count=2) in response.text
    assert "An active pair needs members from at least 2 different sides" in response.text
    assert _snapshot() == before


def test_forming_a_pair_of_one_member_is_refused(world, login_as, today):
    a = MembershipFactory(cohort=world.cohort, side=Side.POLICYMAKER)
    response = login_as("facilitator").post(
        reverse("pairs:pair-create", args=[world.cohort.pk]), {"members": [a.pk], "on": today.isoformat()}
    )
    assert _words(world, TOO_FEW_MEMBERS, count=2, sides_count=2) in response.text
    assert "Choose at least 2 members for a pair" in response.text


def test_forming_a_pair_from_one_organisation_is_refused_and_nothing_is_created(world, login_as, today):
    council = OrganisationFactory(name="Leeds City Council", sector=SectorCode.LOCAL_AUTHORITY)
    a = MembershipFactory(cohort=world.cohort, side=Side.POLICYMAKER, user__organisation=council)
    b = MembershipFactory(cohort=world.cohort, side=Side.PRACTITIONER, user__organisation=council)
    before = _snapshot()
    response = login_as("facilitator").post(
        reverse("pairs:pair-create", args=[world.cohort.pk]), {"members": [a.pk, b.pk], "on": today.isoformat()}
    )
    assert response.status_code == 400
    assert _words(world, services.SAME_ORGANISATION) in response.text
    assert _snapshot() == before


def test_members_already_paired_or_of_another_cohort_cannot_be_chosen(world, login_as, today):
    MembershipFactory(cohort=world.cohort, side=Side.POLICYMAKER)  # someone who can be chosen
    response = login_as("facilitator").post(
        reverse("pairs:pair-create", args=[world.cohort.pk]),
        {"members": [world.alice_membership.pk, world.dave_membership.pk], "on": today.isoformat()},
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.text


# Adding and removing


def test_facilitator_adds_a_member_to_make_a_trio(world, login_as, today):
    newcomer = MembershipFactory(cohort=world.cohort, side=Side.PRACTITIONER)
    response = login_as("facilitator").post(
        reverse("pairs:pair-member-add", args=[world.pair.pk]), {"membership": newcomer.pk, "on": today.isoformat()}
    )
    assert response.status_code == 302
    assert world.pair.members.current().count() == 3


def test_removing_a_member_keeps_their_time_in_the_pair(world, login_as, today):
    seat = _seat(world.pair, world.bob_membership)
    response = login_as("facilitator").post(
        reverse("pairs:pair-member-remove", args=[seat.pk]), {"on": today.isoformat(), "reason": "Too busy"}
    )
    assert response.status_code == 302
    seat.refresh_from_db()
    assert (seat.left_on, seat.left_reason) == (today, "Too busy")
    world.pair.refresh_from_db()
    assert world.pair.status == LearningPair.Status.FORMING


def test_removing_with_a_date_before_joining_is_refused(world, login_as):
    seat = _seat(world.pair, world.bob_membership)
    before = _snapshot()
    response = login_as("facilitator").post(
        reverse("pairs:pair-member-remove", args=[seat.pk]),
        {"on": (seat.joined_on - timedelta(days=1)).isoformat(), "reason": "Too busy"},
    )
    assert response.status_code == 400
    assert services.LEFT_BEFORE_JOINING in response.text
    assert _snapshot() == before


def test_removing_the_only_policymaker_of_a_trio_is_refused(world, today):
    extra = MembershipFactory(cohort=world.cohort, side=Side.PRACTITIONER)
    services.pair_member_add(pair=world.pair, membership=extra, on=today)
    with pytest.raises(ValidationError, match=re.escape(_words(world, services.SIDES_SO_FAR, size=2, count=2))):
        services.pair_member_leave(member=_seat(world.pair, world.alice_membership), on=today, reason="x")
    assert world.pair.members.current().count() == 3


# Withdrawing


def test_facilitator_records_a_withdrawal_and_the_member_leaves_their_pair(world, login_as, today):
    response = login_as("facilitator").post(
        reverse("pairs:membership-withdraw", args=[world.alice_membership.pk]),
        {"on": today.isoformat(), "reason": "New post in another department"},
    )
    assert response.status_code == 302
    world.alice_membership.refresh_from_db()
    assert world.alice_membership.status == Membership.Status.WITHDRAWN
    assert world.alice_membership.withdrawn_on == today
    assert world.alice_membership.withdrawal_reason == "New post in another department"
    seat = world.pair.members.get(membership=world.alice_membership)
    assert seat.left_on == today


def test_a_withdrawal_dated_before_the_member_joined_is_refused(world, login_as):
    before = _snapshot()
    response = login_as("facilitator").post(
        reverse("pairs:membership-withdraw", args=[world.alice_membership.pk]),
        {"on": (world.alice_membership.joined_on - timedelta(days=1)).isoformat(), "reason": "Left"},
    )
    assert response.status_code == 400
    assert services.WITHDRAWN_BEFORE_JOINING in response.text
    assert _snapshot() == before


def test_withdrawing_the_only_policymaker_of_a_trio_is_allowed(world, today):
    extra = MembershipFactory(cohort=world.cohort, side=Side.PRACTITIONER)
    services.pair_member_add(pair=world.pair, membership=extra, on=today)
    services.membership_withdraw(membership=world.alice_membership, on=today, reason="Ill health")
    world.pair.refresh_from_db()
    assert world.pair.status == LearningPair.Status.FORMING


# Moving


def test_partner_of_a_withdrawn_member_moves_into_another_pair_as_a_trio(world, login_as, today):
    client = login_as("facilitator")
    client.post(
        reverse("pairs:membership-withdraw", args=[world.alice_membership.pk]),
        {"on": today.isoformat(), "reason": "Moved abroad"},
    )
    bob_seat = _seat(world.pair, world.bob_membership)
    response = client.post(
        reverse("pairs:pair-member-move", args=[bob_seat.pk]),
        {"to_pair": str(world.other_pair.pk), "on": today.isoformat(), "reason": "Partner withdrew"},
    )
    assert response.status_code == 302
    assert world.other_pair.members.current().count() == 3
    bob_seat.refresh_from_db()
    assert (bob_seat.left_on, bob_seat.left_reason) == (today, "Partner withdrew")
    world.pair.refresh_from_db()
    assert world.pair.members.current().count() == 0
    members = client.get(reverse("pairs:cohort-members", args=[world.cohort.pk]))
    assert "Bob Bradley:" in members.text  # his past pair, with dates, in the history


def test_a_member_moves_into_a_new_pair(world, login_as, today):
    bob_seat = _seat(world.pair, world.bob_membership)
    response = login_as("facilitator").post(
        reverse("pairs:pair-member-move", args=[bob_seat.pk]),
        {"to_pair": NEW_PAIR, "on": today.isoformat(), "reason": "Fresh start"},
    )
    assert response.status_code == 302
    new_pair = LearningPair.objects.get(cohort=world.cohort, number=3)
    assert [m.membership for m in new_pair.members.current()] == [world.bob_membership]
    assert new_pair.status == LearningPair.Status.FORMING


def test_moving_into_a_pair_of_another_cohort_is_refused(world, login_as, today):
    other_cohort_pair = make_pair(world.other_cohort)
    bob_seat = _seat(world.pair, world.bob_membership)
    before = _snapshot()
    response = login_as("facilitator").post(
        reverse("pairs:pair-member-move", args=[bob_seat.pk]),
        {"to_pair": str(other_cohort_pair.pk), "on": today.isoformat()},
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.text
    assert _snapshot() == before


def test_the_move_service_refuses_another_cohorts_pair_and_changes_nothing(world, today):
    other_cohort_pair = make_pair(world.other_cohort)
    before = _snapshot()
    with pytest.raises(ValidationError, match=re.escape(_words(world, services.NOT_IN_COHORT))):
        services.member_move(member=_seat(world.pair, world.bob_membership), to_pair=other_cohort_pair, on=today)
    assert _snapshot() == before


def test_a_move_that_would_make_a_one_sided_pair_is_refused(world, login_as, today):
    # Pair 3 has one practitioner; moving Bob (a practitioner) there would make two practitioners.
    lone = MembershipFactory(cohort=world.cohort, side=Side.PRACTITIONER)
    lonely_pair = services.pair_create(cohort=world.cohort, members=[lone], on=today)
    bob_seat = _seat(world.pair, world.bob_membership)
    before = _snapshot()
    response = login_as("facilitator").post(
        reverse("pairs:pair-member-move", args=[bob_seat.pk]),
        {"to_pair": str(lonely_pair.pk), "on": today.isoformat()},
    )
    assert response.status_code == 400
    assert _words(world, services.SIDES_SO_FAR, size=2, count=2) in response.text
    assert _snapshot() == before


def test_a_move_that_would_leave_a_one_sided_active_pair_is_refused(world, today):
    extra = MembershipFactory(cohort=world.cohort, side=Side.PRACTITIONER)
    services.pair_member_add(pair=world.pair, membership=extra, on=today)
    before = _snapshot()
    with pytest.raises(ValidationError, match=re.escape(_words(world, services.SIDES_SO_FAR, size=2, count=2))):
        services.member_move(member=_seat(world.pair, world.alice_membership), to_pair=world.other_pair, on=today)
    assert _snapshot() == before


def test_a_move_into_a_same_organisation_pair_is_refused_halfway_and_nothing_changes(world, today):
    # Leaving the old pair succeeds first; joining fails; the whole move is undone.
    shelter_policymaker = MembershipFactory(
        cohort=world.cohort, side=Side.POLICYMAKER, user__organisation=world.bob.organisation
    )
    target = services.pair_create(cohort=world.cohort, members=[shelter_policymaker], on=today)
    before = _snapshot()
    with pytest.raises(ValidationError, match=re.escape(_words(world, services.SAME_ORGANISATION))):
        services.member_move(member=_seat(world.pair, world.bob_membership), to_pair=target, on=today)
    assert _snapshot() == before


def test_a_seat_already_left_cannot_be_moved_again(world, login_as, today):
    seat = _seat(world.pair, world.bob_membership)
    services.pair_member_leave(member=seat, on=today, reason="Left")
    response = login_as("facilitator").get(reverse("pairs:pair-member-move", args=[seat.pk]))
    assert response.status_code == 404


def test_forms_ask_for_confirmation_before_changing_anything(world, login_as):
    before = _snapshot()
    seat = _seat(world.pair, world.bob_membership)
    client = login_as("facilitator")
    for url in (
        reverse("pairs:pair-member-remove", args=[seat.pk]),
        reverse("pairs:pair-member-move", args=[seat.pk]),
        reverse("pairs:membership-withdraw", args=[world.bob_membership.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert 'method="post"' in response.text
    assert _snapshot() == before
