"""Writes that touch pairs: forming, joining, leaving, moving, step progress and activities."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from cohorts import rules as cohort_rules
from cohorts.models import Cohort, Membership, Question, shape_for_cohort
from cohorts.rules import WITHDRAWN_BEFORE_JOINING as WITHDRAWN_BEFORE_JOINING
from cohorts.services import membership_leave_future_events
from notifications.models import Kind
from notifications.services import Recipient, notification_raise, notifications_raise
from programme.models import User

from . import rules
from .models import Activity, LearningPair, PairMember, PrivateNotesReading, StepDeadline, StepProgress
from .notify import pair_notify

# The pairing pages and tests read these messages from here too.
from .rules import ALREADY_PAIRED, NOT_CURRENT_MEMBER, NOT_IN_COHORT, group_message
from .rules import ATTENDEE_NOT_IN_PAIR as ATTENDEE_NOT_IN_PAIR
from .rules import LEFT_BEFORE_JOINING as LEFT_BEFORE_JOINING
from .rules import SAME_ORGANISATION as SAME_ORGANISATION
from .rules import SIDES_SO_FAR as SIDES_SO_FAR
from .rules import TOO_FEW_SIDES as TOO_FEW_SIDES
from .rules import TOO_MANY_MEMBERS as TOO_MANY_MEMBERS
from .statuses import pair_status_keep

STALE_STEP = (
    "Someone else changed this step since you opened it. Their version is shown; merge your changes and save again."
)
MOVE_TO_SAME_PAIR = "This member is already in that pair; choose another pair."
PAIR_NOT_LIVE = "That pair is no longer working; choose a forming, active or stalled pair."


class StaleEditError(ValidationError):
    """The record changed since the editor loaded it."""


def _check_can_join(pair: LearningPair, membership: Membership) -> None:
    shape = shape_for_cohort(pair.cohort_id)
    if membership.cohort_id != pair.cohort_id:
        raise ValidationError(group_message(NOT_IN_COHORT, shape))
    if not membership.is_current:
        raise ValidationError(group_message(NOT_CURRENT_MEMBER, shape))
    if PairMember.objects.current().filter(membership=membership).exclude(pair=pair).exists():
        raise ValidationError(group_message(ALREADY_PAIRED, shape))
    others = list(
        pair.members.current()
        .exclude(membership=membership)
        .values_list("membership__user__organisation_id", flat=True)
    )
    rules.check_group_size(len(others) + 1, shape=shape)
    rules.check_no_shared_organisation([membership.user.organisation_id, *others], shape=shape)


def _check_sides(pair: LearningPair, members: list[PairMember]) -> None:
    """Two or more current members must span the programme's sides as they grow (two policymakers alone make no
    pair): re-pairing must not produce a group that breaks it."""
    rules.check_sides_so_far([member.membership.side for member in members], shape=shape_for_cohort(pair.cohort_id))


def _refresh_pair_status(pair: LearningPair) -> None:
    """A group that no longer keeps the programme's rules goes back to forming; a forming group that keeps them
    becomes active. A trio that loses one member stays active if the two left still keep the rules."""
    members = list(pair.members.current().with_people())
    complete = rules.is_complete_pair(members, shape_for_cohort(pair.cohort_id))
    if pair.status == LearningPair.Status.ACTIVE and not complete:
        pair.status = LearningPair.Status.FORMING if members else LearningPair.Status.DISSOLVED
        pair.save(update_fields=["status"])
    elif pair.status == LearningPair.Status.FORMING and complete:
        pair.status = LearningPair.Status.ACTIVE
        pair.save(update_fields=["status"])


def pair_forming_lock(cohort: Cohort) -> None:
    """Pairs of a cohort are formed one forming at a time (one pair, or many from the suggestions), until the
    caller's transaction ends: two staff forming pairs at once would otherwise both take the same next
    number. The second waits here, then numbers after the first."""
    Cohort.objects.select_for_update().filter(pk=cohort.pk).first()


def _last_pair_number(cohort: Cohort) -> int:
    """The highest pair number of the cohort, under the forming lock: the one way pairs are numbered."""
    pair_forming_lock(cohort)
    return LearningPair.objects.filter(cohort=cohort).aggregate(n=Max("number"))["n"] or 0


def _step_numbers(cohort: Cohort) -> list[int]:
    """The numbers of the steps a new pair works through: its programme's current steps, in order."""
    return sorted(step.number for step in cohort.shape.steps.current())


@transaction.atomic
def step_deadlines_create_default(*, cohort: Cohort) -> list[StepDeadline]:
    """Give a new cohort a deadline for each of its programme's current steps that has none yet: the step's
    default offset after the cohort starts. The cohort may change them afterwards."""
    dated = set(StepDeadline.objects.filter(cohort=cohort).values_list("step", flat=True))
    deadlines = [
        StepDeadline(
            cohort=cohort,
            step=step.number,
            due_on=rules.default_step_due_on(starts_on=cohort.starts_on, after_days=step.default_due_after_days),
        )
        for step in cohort.shape.steps.current()
        if step.number not in dated
    ]
    return StepDeadline.objects.bulk_create(deadlines)


@transaction.atomic
def pair_create(
    *,
    cohort: Cohort,
    members: Iterable[Membership],
    on: date,
    question: Question | None = None,
    angle: str = "",
) -> LearningPair:
    """Form a pair of the given members with a progress record for each of its programme's current steps; active
    once it keeps the programme's group rules."""
    number = _last_pair_number(cohort) + 1
    pair = LearningPair(cohort=cohort, number=number, question=question, angle=angle)
    pair.full_clean()
    pair.save()
    StepProgress.objects.bulk_create(StepProgress(pair=pair, step=step) for step in _step_numbers(cohort))
    for membership in members:
        # Forming a pair may start from members of one side; facilitators' forms ask for both.
        pair_member_add(pair=pair, membership=membership, on=on, allow_single_sided=True)
    return pair


@transaction.atomic
def pairs_create_many(
    *, cohort: Cohort, groups: Sequence[tuple[Sequence[Membership], Question | None]], on: date, by: User | None = None
) -> list[LearningPair]:
    """Form many pairs at once, with their steps and history, in a fixed number of queries.

    For members just checked together (the matcher's suggestions): each group is checked in memory
    against the pairing rules, and the database's one-current-pair constraint catches a race.
    """
    number = _last_pair_number(cohort)
    pairs: list[LearningPair] = []
    groups_of_pairs: list[list[PairMember]] = []
    for offset, (memberships, question) in enumerate(groups, start=1):
        group = [PairMember(membership=membership, joined_on=on) for membership in memberships]
        for membership in memberships:
            if membership.cohort_id != cohort.pk:
                raise ValidationError(group_message(NOT_IN_COHORT, cohort.shape))
            if not membership.is_current:
                raise ValidationError(group_message(NOT_CURRENT_MEMBER, cohort.shape))
        rules.check_pair_composition(group, cohort.shape)
        pair = LearningPair(cohort=cohort, number=number + offset, question=question, status=LearningPair.Status.ACTIVE)
        pairs.append(pair)
        groups_of_pairs.append(group)
    pairs = bulk_create_with_history(pairs, LearningPair, default_user=by)
    for pair, group in zip(pairs, groups_of_pairs, strict=True):
        for member in group:
            member.pair = pair
        vars(pair)["current_members"] = group  # as with_current_members() leaves it: member_names() needs no query
    bulk_create_with_history(
        [StepProgress(pair=pair, step=step) for pair in pairs for step in _step_numbers(cohort)],
        StepProgress,
        default_user=by,
    )
    bulk_create_with_history([m for group in groups_of_pairs for m in group], PairMember, default_user=by)
    # Everyone paired hears of it: one bulk insert and one fan-out task, however many pairs.
    notifications_raise(
        recipients=[
            Recipient(
                member.membership.user_id,
                f"pair-formed:{pair.pk}:u{member.membership.user_id}",
                text=f"You are now in {cohort.shape.group_word} {pair.number} of {cohort.name}, with "
                + " & ".join(m.membership.user.full_name for m in group if m is not member),
                url=pair.get_absolute_url(),
            )
            for pair, group in zip(pairs, groups_of_pairs, strict=True)
            for member in group
        ],
        kind=Kind.PAIRING,
        text=f"You are now in a {cohort.shape.group_word}",
    )
    return pairs


@transaction.atomic
def pair_member_add(
    *, pair: LearningPair, membership: Membership, on: date, allow_single_sided: bool = False
) -> PairMember:
    """Add a cohort member to a pair, keeping the programme's group rules (size, sides, organisations)."""
    LearningPair.objects.select_for_update().filter(pk=pair.pk).first()
    # Two pairs claiming one member at once: the second waits, then sees the first's pairing and refuses.
    Membership.objects.select_for_update().filter(pk=membership.pk).first()
    _check_can_join(pair, membership)
    member = PairMember(pair=pair, membership=membership, joined_on=on)
    if not allow_single_sided:
        _check_sides(pair, [*pair.members.current().exclude(membership=membership).with_people(), member])
    member.full_clean()
    member.save()
    _refresh_pair_status(pair)
    user = membership.user
    url = pair.get_absolute_url()
    notification_raise(
        recipient=user,
        key=f"pair-joined:{member.pk}",
        kind=Kind.PAIRING,
        text=f"You are now in {shape_for_cohort(pair.cohort_id).group_word} {pair.number} of {pair.cohort.name}",
        url=url,
    )
    pair_notify(
        pair=pair,
        kind=Kind.PAIRING,
        key=f"pair-joined:{member.pk}:partner",
        text=f"{user.full_name} joined your {shape_for_cohort(pair.cohort_id).group_word} {pair.number}",
        url=url,
        by=user,
    )
    return member


@transaction.atomic
def pair_member_leave(
    *, member: PairMember, on: date, reason: str = "", allow_single_sided: bool = False
) -> PairMember:
    """Record that a member left their pair; the row stays as history."""
    rules.check_left_after_joining(joined_on=member.joined_on, left_on=on)
    if not allow_single_sided:  # a withdrawal cannot be refused; a facilitator's re-pairing can
        _check_sides(member.pair, list(member.pair.members.current().exclude(pk=member.pk).with_people()))
    member.left_on = on
    member.left_reason = reason
    member.save(update_fields=["left_on", "left_reason"])
    _refresh_pair_status(member.pair)
    pair_notify(
        pair=member.pair,
        kind=Kind.PAIRING,
        key=f"pair-left:{member.pk}",
        text=f"{member.membership.user.full_name} left your {shape_for_cohort(member.pair.cohort_id).group_word} "
        f"{member.pair.number}" + (f": {reason}" if reason else ""),
        url=member.pair.get_absolute_url(),
    )
    return member


@transaction.atomic
def member_move(*, member: PairMember, to_pair: LearningPair, on: date, reason: str = "") -> PairMember:
    """Move a member from their pair into another pair of the same cohort, all or nothing."""
    if to_pair.pk == member.pair_id:
        raise ValidationError(MOVE_TO_SAME_PAIR)
    if to_pair.status not in LearningPair.LIVE_STATUSES:
        raise ValidationError(PAIR_NOT_LIVE)
    pair_member_leave(member=member, on=on, reason=reason or f"Moved to pair {to_pair.number}")
    return pair_member_add(pair=to_pair, membership=member.membership, on=on)


@transaction.atomic
def member_move_to_new_pair(
    *, member: PairMember, on: date, reason: str = "", question: Question | None = None, angle: str = ""
) -> LearningPair:
    """Take a member out of their pair into a new pair of the cohort, forming until a partner joins."""
    cohort = member.pair.cohort
    pair_member_leave(member=member, on=on, reason=reason or "Moved to a new pair")
    return pair_create(cohort=cohort, members=[member.membership], on=on, question=question, angle=angle)


@transaction.atomic
def membership_withdraw(*, membership: Membership, on: date, reason: str) -> Membership:
    """Withdraw a member from the cohort: keep the date and reason, take them out of their pair, and off the
    registers of events still to come."""
    cohort_rules.check_withdrawal(status=Membership.Status.WITHDRAWN, withdrawn_on=on, joined_on=membership.joined_on)
    membership.status = Membership.Status.WITHDRAWN
    membership.withdrawn_on = on
    membership.withdrawal_reason = reason
    membership.full_clean()
    membership.save()
    membership_leave_future_events(membership=membership)
    for member in PairMember.objects.current().filter(membership=membership).select_related("pair"):
        pair_member_leave(
            member=member, on=max(on, member.joined_on), reason="Withdrew from the programme", allow_single_sided=True
        )
    return membership


@transaction.atomic
def step_update(
    *,
    progress: StepProgress,
    status: str,
    summary: str,
    by: User,
    expected_version: int | None = None,
    on: date | None = None,
) -> StepProgress:
    """Change a step's status and summary; refuse to overwrite a newer edit, or an invalid completion.

    A step done is dated today, or `on` when recording one finished earlier.
    """
    current = StepProgress.objects.select_for_update().get(pk=progress.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleEditError(STALE_STEP)
    current.status = status
    current.summary = summary
    if status == StepProgress.Status.DONE:
        if current.completed_on is None:
            current.completed_on = on or timezone.localdate()
            current.completed_by = by
    else:
        current.completed_on = None
        current.completed_by = None
    current.full_clean()
    current.version += 1
    current.save()
    pair = pair_status_keep(pair=current.pair, today=timezone.localdate())
    pair_notify(
        pair=pair,
        kind=Kind.PARTNER_STEP,
        key=f"step:{current.pk}:v{current.version}",
        text=f"{by.full_name} {'completed' if current.status == StepProgress.Status.DONE else 'updated'} "
        f"step {current.step} ({current.get_step_display()}) of pair {pair.number}",
        url=f"{pair.get_absolute_url()}#step-{current.step}",
        by=by,
    )
    return current


def _check_attendees(pair: LearningPair, attendees: Iterable[Membership]) -> None:
    allowed = set(pair.members.values_list("membership_id", flat=True))
    rules.check_attendees_in_pair([membership.pk for membership in attendees], allowed)


@transaction.atomic
def activity_create(
    *,
    pair: LearningPair,
    kind: str,
    occurred_on: date,
    hours: Decimal,
    attendees: Iterable[Membership],
    by: User | None,
    place: str = "",
    learning: str = "",
    private_notes: str = "",
    submission_key: UUID | None = None,
) -> Activity:
    """Log an activity of a pair; the hours count towards each attendee's commitment.

    With a submission_key (one per form shown), submitting the same form again returns the activity
    already logged instead of logging it twice."""
    if submission_key is not None:
        # One log write per pair at a time, so a double submit waits and then finds the first one's row.
        LearningPair.objects.select_for_update().filter(pk=pair.pk).first()
        existing = Activity.objects.filter(pair=pair, submission_key=submission_key).first()
        if existing is not None:
            return existing
    attendees = list(attendees)
    _check_attendees(pair, attendees)
    activity = Activity(
        pair=pair,
        kind=kind,
        occurred_on=occurred_on,
        hours=hours,
        place=place,
        learning=learning,
        private_notes=private_notes,
        logged_by=by,
        submission_key=submission_key,
    )
    activity.full_clean()
    activity.save()
    activity.attendees.set(attendees)
    pair_status_keep(pair=pair, today=timezone.localdate())
    pair_notify(
        pair=pair,
        kind=Kind.PARTNER_ACTIVITY,
        key=f"activity:{activity.pk}",
        text=f"{by.full_name if by else 'Someone'} logged an activity of pair {pair.number}: "
        f"{activity.get_kind_display().lower()} on {activity.occurred_on:%-d %B %Y}",
        url=reverse("pairs:activity-list", args=[pair.pk]),
        by=by,
    )
    return activity


@transaction.atomic
def activity_update(*, activity: Activity, attendees: Iterable[Membership], **fields: object) -> Activity:
    """Change a logged activity, keeping the same rules as when it was logged."""
    attendees = list(attendees)
    _check_attendees(activity.pair, attendees)
    for name, value in fields.items():
        setattr(activity, name, value)
    activity.full_clean()
    activity.save()
    activity.attendees.set(attendees)
    pair_status_keep(pair=activity.pair, today=timezone.localdate())
    return activity


@transaction.atomic
def activity_delete(*, activity: Activity, by: User) -> None:
    """Delete a logged activity; its history keeps the deletion and who made it."""
    activity._history_user = by  # type: ignore[attr-defined]  # read by django-simple-history when it records the deletion
    pair = activity.pair
    activity.delete()
    pair_status_keep(pair=pair, today=timezone.localdate())


@transaction.atomic
def private_notes_reading_log(*, pair: LearningPair, reader: User, reason: str) -> PrivateNotesReading:
    """Log that a member of staff opens the pair's private notes, and why; the pair is shown it."""
    rules.check_notes_reading_reason(reason)
    return PrivateNotesReading.objects.create(pair=pair, reader=reader, reason=reason.strip())
