"""The pairs app's rules, each on its own: the models, services, admin and matcher all call these."""

from __future__ import annotations

import re
from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from pairs import rules

POLICYMAKER, PRACTITIONER = "policymaker", "practitioner"


def _seat(side: str, organisation_id: int | None) -> Any:  # stands in for a PairMember
    return SimpleNamespace(membership=SimpleNamespace(side=side, user=SimpleNamespace(organisation_id=organisation_id)))


def test_people_with_no_organisation_recorded_share_none() -> None:
    assert rules.same_organisation(3, 3)
    assert not rules.same_organisation(3, 4)
    assert not rules.same_organisation(None, None)
    assert not rules.same_organisation(0, 0)


def test_never_two_from_one_organisation() -> None:
    rules.check_no_shared_organisation([1, 2, None, None])
    with pytest.raises(ValidationError, match=rules.SAME_ORGANISATION):
        rules.check_no_shared_organisation([1, 2, 1])


def test_an_active_pair_has_both_sides_and_no_shared_organisation() -> None:
    rules.check_pair_composition([_seat(POLICYMAKER, 1), _seat(PRACTITIONER, 2), _seat(PRACTITIONER, None)])
    assert rules.is_complete_pair([_seat(POLICYMAKER, 1), _seat(PRACTITIONER, 2)])
    with pytest.raises(ValidationError, match=rules.ACTIVE_NEEDS_BOTH_SIDES):
        rules.check_pair_composition([_seat(POLICYMAKER, 1), _seat(POLICYMAKER, 2)])
    with pytest.raises(ValidationError, match=rules.SAME_ORGANISATION):
        rules.check_pair_composition([_seat(POLICYMAKER, 1), _seat(PRACTITIONER, 1)])
    assert not rules.is_complete_pair([_seat(PRACTITIONER, 2)])


def test_two_or_more_on_one_side_make_no_pair_but_one_alone_is_forming() -> None:
    rules.check_not_single_sided([POLICYMAKER])
    rules.check_not_single_sided([POLICYMAKER, PRACTITIONER, PRACTITIONER])
    with pytest.raises(ValidationError, match=rules.SINGLE_SIDED):
        rules.check_not_single_sided([PRACTITIONER, PRACTITIONER])


def test_a_member_leaves_on_or_after_joining() -> None:
    day = date(2015, 2, 1)
    rules.check_left_after_joining(joined_on=day, left_on=day)
    with pytest.raises(ValidationError, match=rules.LEFT_BEFORE_JOINING):
        rules.check_left_after_joining(joined_on=day, left_on=day - timedelta(1))


def test_a_step_is_done_with_a_summary_and_act_after_the_others() -> None:
    rules.check_step_done(status="in_progress", summary="", step=4, earlier_steps_open=True)
    rules.check_step_done(status="done", summary="Referrals overlap.", step=3, earlier_steps_open=True)
    with pytest.raises(ValidationError, match=rules.DONE_NEEDS_SUMMARY):
        rules.check_step_done(status="done", summary="  ", step=1, earlier_steps_open=False)
    with pytest.raises(ValidationError, match=re.escape(rules.ACT_BEFORE_EARLIER_STEPS)):
        rules.check_step_done(status="done", summary="We act.", step=4, earlier_steps_open=True)


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
