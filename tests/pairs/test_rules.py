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
