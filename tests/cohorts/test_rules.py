"""The cohorts app's rules, each on its own: the model, services, forms and admin all call these."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cohorts import rules
from cohorts.models import Application, Membership, Survey, SurveyQuestion
from tests.factories import EventFactory, MembershipFactory, QuestionFactory, SurveyFactory

NOON = datetime(2015, 3, 5, 12, 0, tzinfo=ZoneInfo("Europe/London"))


def test_rule_statuses_are_the_models_statuses() -> None:
    """The rules name statuses and kinds by value, since the models call the rules."""
    assert set(rules.CURRENT_OR_COMPLETED_STATUSES) <= set(Membership.Status.values)
    assert (SurveyQuestion.Kind.CHOICE, Application.Status.SUBMITTED) == ("choice", "submitted")


@pytest.mark.parametrize(
    ("status", "current", "current_or_completed"),
    [
        ("applied", False, False),
        ("accepted", True, True),
        ("active", True, True),
        ("withdrawn", False, False),
        ("completed", False, True),
    ],
)
def test_who_counts_as_a_current_member(status: str, current: bool, current_or_completed: bool) -> None:
    assert rules.is_current_member(status) is current
    assert rules.is_current_or_completed(status) is current_or_completed


def test_current_member_queryset_and_predicate_agree(world) -> None:
    for status in Membership.Status.values:
        MembershipFactory(cohort=world.cohort, status=status, withdrawn_on=date(2015, 1, 1))
    members = Membership.objects.for_cohort(world.cohort)
    assert set(members.current()) == {m for m in members if m.is_current}
    assert set(members.current_or_completed()) == {m for m in members if rules.is_current_or_completed(m.status)}


def test_replies_close_when_the_event_starts() -> None:
    assert rules.replies_open(NOON, NOON - timedelta(minutes=1))
    assert not rules.replies_open(NOON, NOON)
    with pytest.raises(ValidationError, match=rules.REPLY_AFTER_START):
        rules.check_replies_open(NOON, NOON + timedelta(minutes=1))


@pytest.mark.parametrize(
    ("rule", "field", "message"),
    [
        (rules.check_event_times, "ends_at", rules.EVENT_ENDS_BEFORE_START),
        (rules.check_survey_window, "closes_at", rules.SURVEY_CLOSES_BEFORE_OPEN),
    ],
)
def test_a_window_closes_after_it_opens(rule, field: str, message: str) -> None:
    rule(NOON, NOON + timedelta(hours=1))
    rule(None, NOON)
    for closes in (NOON, NOON - timedelta(hours=1)):
        with pytest.raises(ValidationError) as error:
            rule(NOON, closes)
        assert error.value.message_dict == {field: [message]}


def test_a_cohort_ends_after_it_starts_and_applications_close_after_they_open() -> None:
    day = date(2014, 9, 1)
    rules.check_cohort_dates(
        starts_on=day, ends_on=day + timedelta(1), applications_open_on=day, applications_close_on=day
    )
    with pytest.raises(ValidationError, match=rules.COHORT_ENDS_BEFORE_START):
        rules.check_cohort_dates(starts_on=day, ends_on=day, applications_open_on=None, applications_close_on=None)
    with pytest.raises(ValidationError, match=rules.APPLICATIONS_CLOSE_BEFORE_OPEN):
        rules.check_cohort_dates(
            starts_on=None, ends_on=None, applications_open_on=day, applications_close_on=day - timedelta(1)
        )


def test_a_withdrawal_has_a_date_not_before_joining() -> None:
    day = date(2015, 1, 5)
    rules.check_withdrawal(status="withdrawn", withdrawn_on=day, joined_on=day)
    with pytest.raises(ValidationError, match=rules.WITHDRAWN_NEEDS_DATE):
        rules.check_withdrawal(status="withdrawn", withdrawn_on=None, joined_on=day)
    with pytest.raises(ValidationError, match=rules.WITHDRAWN_BEFORE_JOINING):
        rules.check_withdrawal(status="withdrawn", withdrawn_on=day - timedelta(1), joined_on=day)


def test_a_choice_question_needs_two_options() -> None:
    assert rules.choice_options(" Yes \n\n No ") == ["Yes", "No"]
    rules.check_choice_options("choice", "Yes\nNo")
    rules.check_choice_options("text", "")
    with pytest.raises(ValidationError, match=rules.CHOICE_NEEDS_TWO_OPTIONS):
        rules.check_choice_options("choice", "Yes\n  \n")


def test_an_answered_question_is_kept_and_keeps_its_kind() -> None:
    rules.check_question_deletable(survey_has_responses=False)
    with pytest.raises(ValidationError, match=rules.QUESTION_DELETE_AFTER_RESPONSES):
        rules.check_question_deletable(survey_has_responses=True)
    rules.check_question_kind_change(old_kind="scale", new_kind="text", has_answers=False)
    rules.check_question_kind_change(old_kind="scale", new_kind="scale", has_answers=True)
    with pytest.raises(ValidationError, match=rules.QUESTION_KIND_AFTER_ANSWERS):
        rules.check_question_kind_change(old_kind="scale", new_kind="text", has_answers=True)


def test_an_insight_has_one_speaker() -> None:
    rules.check_one_speaker(1, None)
    with pytest.raises(ValidationError, match=rules.INSIGHT_ONE_SPEAKER):
        rules.check_one_speaker(1, 2)


def test_what_belongs_to_a_cohort_answers_its_own_questions() -> None:
    question = SimpleNamespace(cohort_id=1)
    rules.check_question_in_cohort(question, 1, owner="event")
    rules.check_question_in_cohort(None, 1, owner="event")
    with pytest.raises(ValidationError) as error:
        rules.check_question_in_cohort(question, 2, owner="member", field="preferred_question")
    assert error.value.message_dict == {"preferred_question": ["Choose a question of this member's cohort."]}


def test_an_event_of_another_cohorts_question_is_refused(world) -> None:
    event = EventFactory.build(cohort=world.cohort, question=QuestionFactory(cohort=world.other_cohort))
    with pytest.raises(ValidationError, match="question of this event's cohort"):
        event.full_clean()


def test_an_accepted_application_is_final_and_other_decisions_can_change() -> None:
    for current in ("submitted", "shortlisted", "waitlisted", "declined"):
        for decision in ("shortlisted", "accepted", "waitlisted", "declined"):
            rules.check_decision_allowed(current=current, decision=decision)
    rules.check_decision_allowed(current="accepted", decision="accepted")
    for decision in ("shortlisted", "waitlisted", "declined"):
        with pytest.raises(ValidationError, match=rules.DECISION_FINAL):
            rules.check_decision_allowed(current="accepted", decision=decision)


def test_a_survey_is_answered_from_its_opening_until_its_closing() -> None:
    opens, closes = NOON, NOON + timedelta(days=7)
    assert rules.survey_window(opens, closes, opens - timedelta(seconds=1)) == "scheduled"
    assert rules.survey_window(opens, closes, opens) == "open"
    assert rules.survey_window(opens, closes, closes) == "closed"


def test_open_surveys_in_sql_match_the_rule(world) -> None:
    now = timezone.now()
    windows = {
        "open": (now - timedelta(days=1), now + timedelta(days=1)),
        "scheduled": (now + timedelta(days=1), now + timedelta(days=2)),
        "closed": (now - timedelta(days=2), now),
    }
    surveys = {state: SurveyFactory(cohort=world.cohort, opens_at=o, closes_at=c) for state, (o, c) in windows.items()}
    assert list(Survey.objects.filter(rules.open_survey_q(now))) == [surveys["open"]]
    for state, survey in surveys.items():
        assert rules.survey_window(survey.opens_at, survey.closes_at, now) == state


def test_the_register_opens_on_the_day_of_the_event_in_london() -> None:
    starts_at = datetime(2015, 3, 5, 9, 0, tzinfo=ZoneInfo("Europe/London"))
    assert not rules.register_is_open(starts_at, datetime(2015, 3, 4, 23, 59, tzinfo=ZoneInfo("Europe/London")))
    assert rules.register_is_open(starts_at, datetime(2015, 3, 5, 0, 1, tzinfo=ZoneInfo("Europe/London")))
    with pytest.raises(ValidationError, match=rules.ATTENDANCE_TOO_EARLY):
        rules.check_register_open(starts_at, starts_at - timedelta(days=1))


def test_only_current_members_of_the_events_cohort_are_marked_attending() -> None:
    rules.check_can_mark_attendance(member_cohort_id=1, event_cohort_id=1, status="active")
    for cohort_id, status in [(2, "active"), (1, "withdrawn"), (1, "applied")]:
        with pytest.raises(ValidationError, match=rules.ATTENDANCE_NOT_MEMBER):
            rules.check_can_mark_attendance(member_cohort_id=cohort_id, event_cohort_id=1, status=status)


def test_a_cohort_recruits_runs_then_concludes_one_stage_at_a_time():
    from cohorts.rules import check_cohort_status_move, next_cohort_status

    assert next_cohort_status("recruiting") == "running"
    assert next_cohort_status("running") == "concluded"
    assert next_cohort_status("concluded") is None
    check_cohort_status_move(current="recruiting", to="running")
    check_cohort_status_move(current="running", to="concluded")
    for current, to in (("running", "recruiting"), ("recruiting", "concluded"), ("concluded", "running")):
        with pytest.raises(ValidationError):
            check_cohort_status_move(current=current, to=to)
