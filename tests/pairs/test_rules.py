"""The pairs app's rules, each on its own: the models, services, admin and matcher all call these."""

from __future__ import annotations

import re
from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from pairs import rules
from programme.shape import Entries, Shape, ShapeEntry

POLICYMAKER, PRACTITIONER, LIVED = "policymaker", "practitioner", "lived_experience"


def _seat(side: str, organisation_id: int | None) -> Any:  # stands in for a PairMember
    return SimpleNamespace(membership=SimpleNamespace(side=side, user=SimpleNamespace(organisation_id=organisation_id)))


def test_people_with_no_organisation_recorded_share_none() -> None:
    assert rules.same_organisation(3, 3)
    assert not rules.same_organisation(3, 4)
    assert not rules.same_organisation(None, None)
    assert not rules.same_organisation(0, 0)


def _shape(**changes: Any) -> Shape:
    """The default shape's group rules, without the database; `changes` as another programme would set them."""
    sides = Entries(
        items=(
            ShapeEntry(code=POLICYMAKER, name="Policymaker", order=1, plural="Policymakers"),
            ShapeEntry(code=PRACTITIONER, name="Practitioner", order=2, plural="Practitioners"),
            ShapeEntry(code=LIVED, name="Person with lived experience", order=3, plural="People with lived experience"),
        )
    )
    values: dict[str, Any] = {
        "programme_id": 1,
        "programme_name": "Exchange",
        "sides": sides,
        "sectors": Entries(),
        "steps": Entries(),
        "event_kinds": Entries(),
        "activity_kinds": Entries(),
        "group_word": "pair",
        "group_word_plural": "pairs",
        "min_group_size": 2,
        "max_group_size": 3,
        "min_sides_per_group": 2,
        "one_per_organisation": True,
        "attribution_pattern": "",
        "cohort_phrase": "",
        "guest_phrase": "",
        "report_title_pattern": "",
    }
    return Shape(**(values | changes))


PAIRS = _shape()


def test_never_two_from_one_organisation_when_the_rule_is_on() -> None:
    rules.check_no_shared_organisation([1, 2, None, None], shape=PAIRS)
    with pytest.raises(ValidationError, match=rules.SAME_ORGANISATION.format(group="pair")):
        rules.check_no_shared_organisation([1, 2, 1], shape=PAIRS)
    rules.check_no_shared_organisation([1, 2, 1], shape=_shape(one_per_organisation=False))
    assert not rules.may_group(1, 1, shape=PAIRS)
    assert rules.may_group(1, 1, shape=_shape(one_per_organisation=False))
    assert rules.may_group(1, 2, shape=PAIRS)


def test_an_active_pair_has_both_sides_and_no_shared_organisation() -> None:
    rules.check_pair_composition([_seat(POLICYMAKER, 1), _seat(PRACTITIONER, 2), _seat(PRACTITIONER, None)], PAIRS)
    assert rules.is_complete_pair([_seat(POLICYMAKER, 1), _seat(PRACTITIONER, 2)], PAIRS)
    with pytest.raises(ValidationError) as error:
        rules.check_pair_composition([_seat(POLICYMAKER, 1), _seat(POLICYMAKER, 2)], PAIRS)
    assert error.value.messages == [
        "An active pair needs members from at least 2 different sides "
        "(Policymakers, Practitioners, People with lived experience)."
    ]
    with pytest.raises(ValidationError, match=rules.SAME_ORGANISATION.format(group="pair")):
        rules.check_pair_composition([_seat(POLICYMAKER, 1), _seat(PRACTITIONER, 1)], PAIRS)
    assert not rules.is_complete_pair([_seat(PRACTITIONER, 2)], PAIRS)


def test_the_programme_sets_how_many_sides_and_members_an_active_group_needs() -> None:
    trios = _shape(group_word="learning group", min_group_size=3, max_group_size=4, min_sides_per_group=3)
    three_sides = [_seat(POLICYMAKER, 1), _seat(PRACTITIONER, 2), _seat(LIVED, 3)]
    rules.check_pair_composition(three_sides, trios)
    with pytest.raises(ValidationError, match="An active learning group needs at least 3 members"):
        rules.check_pair_composition(three_sides[:2], trios)
    with pytest.raises(ValidationError, match="at least 3 different sides"):
        rules.check_pair_composition([*three_sides[:2], _seat(PRACTITIONER, 4)], trios)
    with pytest.raises(ValidationError, match="A learning group has at most 4 members"):
        rules.check_pair_composition([*three_sides, _seat(LIVED, 4), _seat(LIVED, 5)], trios)
    # One side is enough where the programme says so: two from one side make an active group.
    assert rules.is_complete_pair([_seat(PRACTITIONER, 1), _seat(PRACTITIONER, 2)], _shape(min_sides_per_group=1))
    rules.check_group_size(3, shape=PAIRS)
    with pytest.raises(ValidationError, match="A pair has at most 2 members"):
        rules.check_group_size(3, shape=_shape(max_group_size=2))


def test_two_or_more_on_one_side_make_no_pair_but_one_alone_is_forming() -> None:
    rules.check_sides_so_far([POLICYMAKER], shape=PAIRS)
    rules.check_sides_so_far([POLICYMAKER, PRACTITIONER, PRACTITIONER], shape=PAIRS)
    with pytest.raises(ValidationError, match="A pair of 2 members needs members from at least 2 different sides"):
        rules.check_sides_so_far([PRACTITIONER, PRACTITIONER], shape=PAIRS)
    rules.check_sides_so_far([PRACTITIONER, PRACTITIONER], shape=_shape(min_sides_per_group=1))
    # With three sides needed, each member up to the third brings a new side.
    three = _shape(min_sides_per_group=3)
    rules.check_sides_so_far([POLICYMAKER, PRACTITIONER, LIVED, LIVED], shape=three)
    with pytest.raises(ValidationError, match="A pair of 3 members needs members from at least 3 different sides"):
        rules.check_sides_so_far([POLICYMAKER, PRACTITIONER, PRACTITIONER], shape=three)


def test_messages_use_the_programmes_words_and_name_no_fixed_side() -> None:
    shape = _shape(group_word="learning group", min_sides_per_group=3)
    for pattern in (rules.TOO_FEW_SIDES, rules.SIDES_SO_FAR, rules.TOO_FEW_MEMBERS, rules.TOO_MANY_MEMBERS):
        assert "policymaker" not in pattern.lower() and "practitioner" not in pattern.lower()
        message = rules.group_message(pattern, shape, count=3, size=2)
        assert "learning group" in message and "{" not in message


def test_a_member_leaves_on_or_after_joining() -> None:
    day = date(2015, 2, 1)
    rules.check_left_after_joining(joined_on=day, left_on=day)
    with pytest.raises(ValidationError, match=rules.LEFT_BEFORE_JOINING):
        rules.check_left_after_joining(joined_on=day, left_on=day - timedelta(1))


def _steps(*names: str, archived: tuple[str, ...] = ()) -> Entries:
    return Entries(
        items=tuple(
            ShapeEntry(code=name.lower(), name=name, order=number, archived=name in archived)
            for number, name in enumerate(names, start=1)
        )
    )


def test_a_step_is_done_with_a_summary_and_act_after_the_others() -> None:
    steps = _steps("Identify", "Understand", "Explore", "Act")
    rules.check_step_done(status="in_progress", summary="", step=4, steps=steps, earlier_steps_open=True)
    rules.check_step_done(status="done", summary="Referrals overlap.", step=3, steps=steps, earlier_steps_open=True)
    with pytest.raises(ValidationError, match=rules.DONE_NEEDS_SUMMARY):
        rules.check_step_done(status="done", summary="  ", step=1, steps=steps, earlier_steps_open=False)
    with pytest.raises(ValidationError, match=re.escape("Step 4 (Act) can only be done once steps 1 to 3 are done.")):
        rules.check_step_done(status="done", summary="We act.", step=4, steps=steps, earlier_steps_open=True)


def test_the_last_step_rule_follows_the_programmes_steps() -> None:
    steps = _steps("Notice", "Ask", "Listen", "Try", "Review", "Share")
    assert rules.last_step(steps).name == "Share"  # type: ignore[union-attr]
    rules.check_step_done(status="done", summary="Tried it.", step=4, steps=steps, earlier_steps_open=True)
    with pytest.raises(ValidationError, match=re.escape("Step 6 (Share) can only be done once steps 1 to 5 are done.")):
        rules.check_step_done(status="done", summary="Shared.", step=6, steps=steps, earlier_steps_open=True)
    # An archived last step is no longer the last: the step before it is.
    shorter = _steps("Notice", "Ask", "Listen", "Try", "Review", "Share", archived=("Share",))
    with pytest.raises(
        ValidationError, match=re.escape("Step 5 (Review) can only be done once steps 1 to 4 are done.")
    ):
        rules.check_step_done(status="done", summary="Reviewed.", step=5, steps=shorter, earlier_steps_open=True)
    # One step alone has nothing before it.
    rules.check_step_done(status="done", summary="Done.", step=1, steps=_steps("Only"), earlier_steps_open=True)


def test_a_new_cohorts_step_deadline_is_the_steps_offset_after_it_starts() -> None:
    assert rules.default_step_due_on(starts_on=date(2015, 1, 31), after_days=30) == date(2015, 3, 2)


def test_activities_are_logged_once_they_happened_by_the_pairs_members() -> None:
    today = date(2015, 3, 1)
    rules.check_activity_date(today, today)
    with pytest.raises(ValidationError, match=rules.FUTURE_ACTIVITY_DATE):
        rules.check_activity_date(today + timedelta(1), today)
    rules.check_attendees_in_pair([1, 2], {1, 2, 3})
    with pytest.raises(ValidationError, match=rules.ATTENDEE_NOT_IN_PAIR):
        rules.check_attendees_in_pair([1, 9], {1, 2})


# --- Dates and statuses the code keeps -------------------------------------------------------------------

D = date(2015, 3, 1)


def test_a_pair_formed_before_the_cohorts_date_is_due_on_it() -> None:
    assert rules.step_due_for_pair(cohort_due_on=D, pair_changed_on=D - timedelta(days=40), grace_days=21) == D
    assert rules.step_due_for_pair(cohort_due_on=D, pair_changed_on=D, grace_days=21) == D
    assert rules.step_due_for_pair(cohort_due_on=None, pair_changed_on=D, grace_days=21) is None


def test_a_pair_changed_after_the_cohorts_date_has_the_grace_period_from_the_change() -> None:
    changed = D + timedelta(days=10)
    assert rules.step_due_for_pair(cohort_due_on=D, pair_changed_on=changed, grace_days=21) == changed + timedelta(21)


def test_the_last_sign_of_life_is_the_latest_of_activity_step_change_and_comment() -> None:
    formed = D - timedelta(days=100)
    assert rules.last_sign_of_life(
        formed_on=formed, changed_on=None, activity_on=None, step_changed_on=None, comment_on=None
    ) == (
        formed,
        rules.SignOfLife.FORMED,
    )
    assert rules.last_sign_of_life(
        formed_on=formed,
        changed_on=None,
        activity_on=D - timedelta(days=30),
        step_changed_on=D,
        comment_on=D - timedelta(days=1),
    ) == (D, rules.SignOfLife.STEP_CHANGE)
    assert rules.last_sign_of_life(
        formed_on=formed, changed_on=None, activity_on=D - timedelta(days=30), step_changed_on=None, comment_on=D
    ) == (
        D,
        rules.SignOfLife.COMMENT,
    )


def test_re_pairing_starts_the_quiet_clock_again() -> None:
    since = rules.last_sign_of_life(
        formed_on=D - timedelta(days=100),
        changed_on=D,
        activity_on=D - timedelta(days=50),
        step_changed_on=None,
        comment_on=None,
    )
    assert since == (D, rules.SignOfLife.CHANGED)


def test_stalled_means_quiet_for_the_cohorts_threshold() -> None:
    assert rules.is_stalled(since=D, today=D + timedelta(days=21), stalled_after_days=21)
    assert not rules.is_stalled(since=D, today=D + timedelta(days=20), stalled_after_days=21)


@pytest.mark.parametrize(
    ("status", "stalled", "becomes"),
    [
        ("active", True, "stalled"),
        ("active", False, "active"),
        ("stalled", False, "active"),
        ("stalled", True, "stalled"),
        ("forming", True, "forming"),
        ("dissolved", False, "dissolved"),
        ("completed", True, "completed"),
    ],
)
def test_the_stalled_rule_moves_only_active_and_stalled_pairs(status: str, stalled: bool, becomes: str) -> None:
    assert rules.pair_status_by_activity(status, stalled=stalled) == becomes


@pytest.mark.parametrize(("old", "new"), [("active", "stalled"), ("forming", "stalled"), ("stalled", "active")])
def test_nobody_moves_a_pair_into_or_out_of_stalled_by_hand(old: str, new: str) -> None:
    with pytest.raises(ValidationError, match=re.escape(rules.STATUS_KEPT_BY_RULE)):
        rules.check_status_not_set_by_hand(old=old, new=new)


@pytest.mark.parametrize(
    ("old", "new"),
    [("stalled", "stalled"), ("stalled", "dissolved"), ("stalled", "completed"), ("active", "completed")],
)
def test_staff_may_still_end_a_pair_by_hand(old: str, new: str) -> None:
    rules.check_status_not_set_by_hand(old=old, new=new)
