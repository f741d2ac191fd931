"""The cohorts app's domain rules, each once: model clean(), services, forms and the admin call these.

A rule is a small function that raises ValidationError with its message (a constant tests import),
or a predicate that answers yes or no. Nothing here reads the database on its own.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

if TYPE_CHECKING:
    from programme.shape import Entries, Shape

    from .models import Cohort

COHORT_ENDS_BEFORE_START = "The cohort must end after it starts."
APPLICATIONS_CLOSE_BEFORE_OPEN = "Applications must close after they open."
EVENT_ENDS_BEFORE_START = "The event must end after it starts."
UNKNOWN_EVENT_KIND = "Choose one of the programme's kinds of event."
SURVEY_CLOSES_BEFORE_OPEN = "The survey must close after it opens."
CHOICE_NEEDS_TWO_OPTIONS = "A single-choice question needs at least two options, one per line."
QUESTION_DELETE_AFTER_RESPONSES = (
    "Members have already answered this survey, so its questions can no longer be deleted: "
    "their answers would be lost. You can still reword a question."
)
QUESTION_KIND_AFTER_ANSWERS = "Members have already answered this question, so its kind can no longer be changed."
EVENT_CANCELLED = "This event is cancelled: replies and the register are closed."
REPLY_AFTER_START = "This event has started: replies can no longer be changed. Tell your facilitator instead."
WITHDRAWN_NEEDS_DATE = "Give the date the member withdrew."
WITHDRAWN_BEFORE_JOINING = "A member cannot withdraw before they joined the cohort."
INSIGHT_ONE_SPEAKER = "Choose a member or a guest as the speaker, not both."
ATTENDANCE_NOT_MEMBER = "Only current members of this event's cohort can be marked as attending."
ATTENDANCE_TOO_EARLY = "Attendance can be marked from the day of the event."
QUESTION_OF_OTHER_COHORT = "Choose a question of this {owner}'s cohort."
COHORT_CONCLUDED = (
    "This year has concluded, so its pairs' work is read-only. Ask your programme manager if something must change."
)

# Who counts as a current member: accepted or active, not withdrawn or completed.
CURRENT_MEMBER_STATUSES = ("accepted", "active")
# Who is asked to answer surveys and sees the cohort as theirs: current members and those who completed.
CURRENT_OR_COMPLETED_STATUSES = (*CURRENT_MEMBER_STATUSES, "completed")


# --- Members ------------------------------------------------------------------------------------


def is_current_member(status: str) -> bool:
    """A membership with this status takes part now (invited to events, may join a pair)."""
    return status in CURRENT_MEMBER_STATUSES


def is_current_or_completed(status: str) -> bool:
    return status in CURRENT_OR_COMPLETED_STATUSES


def current_member_q(path: str = "") -> Q:
    """The current-member condition on a membership reached through `path` ("memberships__", "membership__")."""
    return Q(**{f"{path}status__in": CURRENT_MEMBER_STATUSES})


def current_or_completed_q(path: str = "") -> Q:
    return Q(**{f"{path}status__in": CURRENT_OR_COMPLETED_STATUSES})


def check_withdrawal(*, status: str, withdrawn_on: date | None, joined_on: date | None) -> None:
    if status == "withdrawn" and not withdrawn_on:
        raise ValidationError({"withdrawn_on": WITHDRAWN_NEEDS_DATE})
    if withdrawn_on and joined_on and withdrawn_on < joined_on:
        raise ValidationError({"withdrawn_on": WITHDRAWN_BEFORE_JOINING})


def check_question_in_cohort(question: Any, cohort_id: int | None, *, owner: str, field: str = "question") -> None:
    """What belongs to a cohort (an event, a member's preference, a pair, an output) answers one of its questions."""
    if question is not None and cohort_id is not None and question.cohort_id != cohort_id:
        raise ValidationError({field: QUESTION_OF_OTHER_COHORT.format(owner=owner)})


# --- Concluded cohorts -------------------------------------------------------------------------


def members_may_change_work(cohort: Cohort) -> bool:
    """After a cohort concludes, its members' outputs, activities and steps are read-only, unless a manager
    reopens the cohort for them. Staff still finish the record (attendance, insights, the report)."""
    return cohort.status != "concluded" or cohort.reopened_for_members


# --- Dates --------------------------------------------------------------------------------------


def check_cohort_dates(
    *,
    starts_on: date | None,
    ends_on: date | None,
    applications_open_on: date | None,
    applications_close_on: date | None,
) -> None:
    if starts_on and ends_on and ends_on <= starts_on:
        raise ValidationError({"ends_on": COHORT_ENDS_BEFORE_START})
    if applications_open_on and applications_close_on and applications_close_on < applications_open_on:
        raise ValidationError({"applications_close_on": APPLICATIONS_CLOSE_BEFORE_OPEN})


def check_event_times(starts_at: datetime | None, ends_at: datetime | None) -> None:
    if starts_at and ends_at and ends_at <= starts_at:
        raise ValidationError({"ends_at": EVENT_ENDS_BEFORE_START})


def check_survey_window(opens_at: datetime | None, closes_at: datetime | None) -> None:
    if opens_at and closes_at and closes_at <= opens_at:
        raise ValidationError({"closes_at": SURVEY_CLOSES_BEFORE_OPEN})


# --- Events -------------------------------------------------------------------------------------


def replies_open(starts_at: datetime, now: datetime) -> bool:
    """Members may reply to an event, and change their reply, until it starts."""
    return starts_at > now


def check_event_not_cancelled(cancelled_at: datetime | None) -> None:
    """A cancelled event takes no replies and no register."""
    if cancelled_at is not None:
        raise ValidationError(EVENT_CANCELLED)


def check_replies_open(starts_at: datetime, now: datetime) -> None:
    if not replies_open(starts_at, now):
        raise ValidationError(REPLY_AFTER_START)


def check_can_mark_attendance(*, member_cohort_id: int, event_cohort_id: int, status: str) -> None:
    """Only a current member of the event's cohort is ticked on its register."""
    if member_cohort_id != event_cohort_id or not is_current_member(status):
        raise ValidationError(ATTENDANCE_NOT_MEMBER)


def register_is_open(starts_at: datetime, now: datetime) -> bool:
    """Attendance is marked from the day the event starts (London time)."""
    return timezone.localdate(starts_at) <= timezone.localdate(now)


def check_register_open(starts_at: datetime, now: datetime) -> None:
    if not register_is_open(starts_at, now):
        raise ValidationError(ATTENDANCE_TOO_EARLY)


def check_one_speaker(speaker: Any, guest: Any) -> None:
    """An insight comes from a member or a guest, not both."""
    if speaker and guest:
        raise ValidationError({"guest": INSIGHT_ONE_SPEAKER})


# --- Surveys ------------------------------------------------------------------------------------


def survey_window(opens_at: datetime, closes_at: datetime, now: datetime) -> str:
    """A survey is answered from when it opens until (not at) when it closes: scheduled, open or closed."""
    if now < opens_at:
        return "scheduled"
    if now >= closes_at:
        return "closed"
    return "open"


def open_survey_q(now: datetime) -> Q:
    """The same window in SQL, for lists of open surveys."""
    return Q(opens_at__lte=now, closes_at__gt=now)


def choice_options(choices: str) -> list[str]:
    """The options of a single-choice question: one a line, blank lines and spaces dropped."""
    return [line.strip() for line in (choices or "").splitlines() if line.strip()]


def check_choice_options(kind: str, choices: str) -> None:
    if kind == "choice" and len(choice_options(choices)) < 2:
        raise ValidationError({"choices": CHOICE_NEEDS_TWO_OPTIONS})


def check_question_deletable(*, survey_has_responses: bool) -> None:
    """A question of a survey someone answered is kept: deleting it would lose their answers."""
    if survey_has_responses:
        raise ValidationError(QUESTION_DELETE_AFTER_RESPONSES)


def check_question_kind_change(*, old_kind: str, new_kind: str, has_answers: bool) -> None:
    """An answered question keeps its kind: its answers are stored in that kind's field."""
    if new_kind != old_kind and has_answers:
        raise ValidationError({"kind": QUESTION_KIND_AFTER_ANSWERS})


# --- Sides and sectors of the programme's shape ---------------------------------------------------

SIDE_NOT_IN_PROGRAMME = "“{code}” is not a side of this programme. Choose one of: {names}."
SECTOR_NOT_IN_PROGRAMME = "“{code}” is not a sector of this programme. Choose one of: {names}."


def shape_code_allowed(code: str, entries: Entries, *, keep: str | None = None) -> bool:
    """A record may take one of its programme's current entries, or keep the one it has (even if since archived)."""
    return any(item.code == code for item in entries if not item.archived or item.code == keep)


def _check_shape_code(code: str, entries: Entries, *, keep: str | None, message: str, field: str | None) -> None:
    if shape_code_allowed(code, entries, keep=keep):
        return
    text = message.format(code=code, names=", ".join(item.name for item in entries.current()))
    raise ValidationError({field: text} if field else text)


def check_side(code: str, sides: Entries, *, keep: str | None = None, field: str | None = "side") -> None:
    """A membership's or application's side is one of its programme's sides (`sides`: the shape's)."""
    _check_shape_code(code, sides, keep=keep, message=SIDE_NOT_IN_PROGRAMME, field=field)


def check_sector(code: str, sectors: Entries, *, keep: str | None = None, field: str | None = "sector") -> None:
    """An application's or organisation's sector is one of the programme's sectors."""
    _check_shape_code(code, sectors, keep=keep, message=SECTOR_NOT_IN_PROGRAMME, field=field)


ALL_MEMBERS = "all"  # a survey question's audience: every member, or one side (its code)
ALL_MEMBERS_LABEL = "All members"
SIDE_ONLY_LABEL = "{plural} only"
AUDIENCE_NOT_IN_PROGRAMME = "Choose all members or one of this programme's sides."


def audience_label(audience: str, shape: Shape) -> str:
    """ "All members", or "Practitioners only" in the programme's words."""
    if audience == ALL_MEMBERS:
        return ALL_MEMBERS_LABEL
    return SIDE_ONLY_LABEL.format(plural=shape.sides.get(audience).plural)


def audience_choices(shape: Shape, *, keep: str | None = None) -> list[tuple[str, str]]:
    """Who a survey question can be asked of: all members, or one of the programme's current sides."""
    return [(ALL_MEMBERS, ALL_MEMBERS_LABEL)] + [
        (code, audience_label(code, shape)) for code, _ in shape.sides.choices(keep=keep)
    ]


def sides_for_audience(audience: str, sides: Entries) -> list[str]:
    """The codes of the sides a question is asked of."""
    return sides.codes() if audience == ALL_MEMBERS else [audience]


def check_audience(audience: str, sides: Entries, *, keep: str | None = None) -> None:
    if audience != ALL_MEMBERS and not shape_code_allowed(audience, sides, keep=keep):
        raise ValidationError({"audience": AUDIENCE_NOT_IN_PROGRAMME})


SIDE_TARGET_INVALID = "A target is a whole number of people, 0 or more."


def check_side_targets(targets: Any, sides: Entries) -> None:
    """A cohort's recruitment targets: a whole number (0 or more) for some of its programme's sides."""
    if not isinstance(targets, dict):
        raise ValidationError({"side_targets": SIDE_TARGET_INVALID})
    for code, target in targets.items():
        if not any(item.code == code for item in sides):
            raise ValidationError(
                {
                    "side_targets": SIDE_NOT_IN_PROGRAMME.format(
                        code=code, names=", ".join(s.name for s in sides.current())
                    )
                }
            )
        if isinstance(target, bool) or not isinstance(target, int) or target < 0:
            raise ValidationError({"side_targets": SIDE_TARGET_INVALID})


# --- Recruitment ---------------------------------------------------------------------------------

ORGANISATION_REQUIRED = "Choose your organisation from the list, or type its name if it is not there."
SECTOR_REQUIRED = "Choose the sector of the organisation you typed."
APPLICATIONS_CLOSED = "Applications to this cohort are not open: the call runs from {opens} to {closes}."
APPLICATIONS_NOT_SCHEDULED = "This cohort is not taking applications."
DUPLICATE_APPLICATION = (
    "We already have an application from this email address for this cohort. "
    "If you need to change it, reply to the confirmation email we sent you."
)
ALREADY_MEMBER = "{email} is already a member of this cohort."
DECISION_FINAL = "This application has been accepted; to undo that, withdraw the membership instead."
DECISION_UNKNOWN = "Choose shortlist, accept, waitlist or decline."
TOO_MANY_APPLICATIONS = "Too many applications have been sent from your network recently. Please try again in an hour."

# The call for applications takes this many submissions per client address per window.
APPLICATION_RATE_LIMIT = 5
APPLICATION_RATE_WINDOW = timedelta(hours=1)


def applications_open(cohort: Cohort, *, today: date) -> bool:
    """The call is open from its first to its last day, inclusive (London dates)."""
    if cohort.applications_open_on is None or cohort.applications_close_on is None:
        return False
    return cohort.applications_open_on <= today <= cohort.applications_close_on


def check_decision_allowed(*, current: str, decision: str) -> None:
    """An accepted application is final: the applicant is a member, and leaving is a withdrawal."""
    if current == "accepted" and decision != "accepted":
        raise ValidationError(DECISION_FINAL)


def applications_closed_message(cohort: Cohort) -> str:
    if cohort.applications_open_on is None or cohort.applications_close_on is None:
        return APPLICATIONS_NOT_SCHEDULED
    return APPLICATIONS_CLOSED.format(
        opens=f"{cohort.applications_open_on:%-d %B %Y}", closes=f"{cohort.applications_close_on:%-d %B %Y}"
    )


# --- A cohort's stages ---------------------------------------------------------------------------

# A cohort's life, in order: it recruits, runs, then concludes; on its dates (update_statuses) or when staff choose.
COHORT_STAGES = ("recruiting", "running", "concluded")
COHORT_STAGE_ONE_AT_A_TIME = (
    "A cohort moves forward one stage at a time: from recruiting to running, then to concluded."
)
COHORT_ALREADY_CONCLUDED = "This cohort has concluded; it does not move on from there."


def next_cohort_status(status: str) -> str | None:
    """The stage after `status`, or None for a concluded cohort."""
    index = COHORT_STAGES.index(status)
    return COHORT_STAGES[index + 1] if index + 1 < len(COHORT_STAGES) else None


def check_cohort_status_move(*, current: str, to: str) -> None:
    """Staff move a cohort forward by one stage only: never back, never skipping running."""
    following = next_cohort_status(current)
    if following is None:
        raise ValidationError(COHORT_ALREADY_CONCLUDED)
    if to != following:
        raise ValidationError(COHORT_STAGE_ONE_AT_A_TIME)


# Reminding members who have not answered a survey, from its results page: at most once a day each.
SURVEY_NOT_OPEN_TO_REMIND = "The survey is not open, so there is nothing to remind members to answer."
ALREADY_REMINDED_TODAY = "Everyone who has not answered was already reminded today: reminders go once a day at most."
