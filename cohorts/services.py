"""Writes for cohorts: members and their invitations, events and replies, the register, guests and insights.

Recruitment (applications and decisions) is in cohorts/recruitment.py; the admin uses both."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from notifications.models import Kind, OutboundMessage
from notifications.services import Recipient, message_enqueue, notifications_raise
from programme.models import User, new_calendar_token
from programme.tokens import INVITATION_VALID_FOR, invitation_token_generator

from . import reminders, rules
from .models import Attendance, Cohort, Event, ExternalGuest, Finding, Insight, Membership, Question, event_numbers
from .rules import ATTENDANCE_NOT_MEMBER as ATTENDANCE_NOT_MEMBER
from .rules import ATTENDANCE_TOO_EARLY as ATTENDANCE_TOO_EARLY

INVITATION = "invitation"
EVENT_CANCELLED = rules.EVENT_CANCELLED
EVENT_ALREADY_CANCELLED = "This event was already cancelled."
REPLY_NOT_INVITED = "You are not invited to this event."
REPLY_STATUSES = (Attendance.Status.ACCEPTED, Attendance.Status.APOLOGIES)

EVENT_FIELDS = (
    "kind",
    "title",
    "topic",
    "question",
    "starts_at",
    "ends_at",
    "length_days",
    "place",
    "description",
)


def _event_url(event: Event) -> str:
    return reverse("cohorts:event-detail", args=[event.pk])


def _invite(*, event: Event, memberships: list[Membership] | Any) -> int:
    """Invite members to an event, skipping anyone already invited, and tell them. Returns how many were added."""
    already = set(event.attendances.values_list("membership_id", flat=True))
    rows = [Attendance(event=event, membership=m) for m in memberships if m.pk not in already]
    Attendance.objects.bulk_create(rows)
    if rows and event.starts_at > timezone.now():
        when = timezone.localtime(event.starts_at)
        notifications_raise(
            recipients=[
                Recipient(row.membership.user_id, f"event-invitation:{event.pk}:u{row.membership.user_id}")
                for row in rows
            ],
            kind=Kind.EVENT_INVITATION,
            text=f"You are invited to {event.title} on {when:%-d %B %Y, %H:%M}",
            url=_event_url(event),
        )
    return len(rows)


def _tell_invited(*, event: Event, text: str, key: str) -> None:
    """Tell everyone invited to the event (whatever they replied) that it changed."""
    user_ids = set(event.attendances.values_list("membership__user_id", flat=True))
    notifications_raise(
        recipients=[Recipient(user_id, f"{key}:u{user_id}") for user_id in user_ids],
        kind=Kind.EVENT_CHANGED,
        text=text,
        url=_event_url(event),
    )


@transaction.atomic
def event_create(*, cohort: Cohort, by: User | None = None, **fields: Any) -> Event:
    """Schedule an event and invite every current member of its cohort."""
    event = Event(cohort=cohort, **{name: fields[name] for name in EVENT_FIELDS if name in fields})
    return event_schedule(event=event, by=by)


@transaction.atomic
def event_schedule(*, event: Event, by: User | None = None) -> Event:
    """Save a new event (built by a form or the admin) and invite every current member of its cohort."""
    event.full_clean()
    event.save()
    if by is not None and event.cohort.facilitators.filter(pk=by.pk).exists():
        event.facilitators.add(by)
    _invite(event=event, memberships=Membership.objects.for_cohort(event.cohort).current())
    return event


@transaction.atomic
def event_numbers_keep(*, cohort: Cohort) -> int:
    """Keep each of the cohort's events at the number a report exported now prints ("Workshop 4"), so events
    added later never change a printed citation; returns how many events had no kept number before."""
    rows = list(
        Event.objects.select_for_update()
        .filter(cohort=cohort)
        .order_by("starts_at", "pk")
        .values_list("pk", "cohort_id", "kind", "report_number")
    )
    numbers = event_numbers(rows)
    unkept = [Event(pk=pk, report_number=numbers[pk]) for pk, _cohort, _kind, kept in rows if kept is None]
    Event.objects.bulk_update(unkept, ["report_number"])
    return len(unkept)


@transaction.atomic
def event_update(*, event: Event, **fields: Any) -> Event:
    """Change an event's details; invitations and replies are kept, and the invited are told."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.is_cancelled:
        raise ValidationError(EVENT_CANCELLED)
    changed = [name for name in EVENT_FIELDS if name in fields and getattr(event, name) != fields[name]]
    for name in changed:
        setattr(event, name, fields[name])
    event.full_clean()
    if not changed:
        return event
    event.sequence += 1
    event.save()
    when = timezone.localtime(event.starts_at)
    _tell_invited(
        event=event,
        text=f"{event.title} has changed: now {when:%-d %B %Y, %H:%M}{f' at {event.place}' if event.place else ''}",
        key=f"event-changed:{event.pk}:s{event.sequence}",
    )
    return event


@transaction.atomic
def event_cancel(*, event: Event, reason: str = "", now: datetime | None = None) -> Event:
    """Cancel an event: it stays on record (and in calendars, marked cancelled); the invited are told."""
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if locked.is_cancelled:
        raise ValidationError(EVENT_ALREADY_CANCELLED)
    # The caller's object is updated too, so what it does next sees the event cancelled.
    event.cancelled_at = now or timezone.now()
    event.cancellation_reason = reason.strip()[:250]
    event.sequence = locked.sequence + 1
    event.save(update_fields=["cancelled_at", "cancellation_reason", "sequence"])
    _tell_invited(
        event=event,
        text=f"{event.title} on {timezone.localtime(event.starts_at):%-d %B %Y} is cancelled"
        + (f": {event.cancellation_reason}" if event.cancellation_reason else ""),
        key=f"event-cancelled:{event.pk}",
    )
    return event


@transaction.atomic
def membership_invite_to_future_events(membership: Membership, *, now: datetime | None = None) -> int:
    """Invite a member who joined late to the cohort's events that have not started yet."""
    now = now or timezone.now()
    if not membership.is_current:
        return 0
    future = Event.objects.for_cohort(membership.cohort).not_cancelled().filter(starts_at__gt=now)
    invited = set(Attendance.objects.filter(membership=membership, event__in=future).values_list("event_id", flat=True))
    rows = [Attendance(event=event, membership=membership) for event in future if event.pk not in invited]
    Attendance.objects.bulk_create(rows)
    return len(rows)


@transaction.atomic
def membership_create(
    *,
    cohort: Cohort,
    user: User,
    side: str,
    status: str = Membership.Status.ACTIVE,
    joined_on: date | None = None,
    now: datetime | None = None,
) -> Membership:
    """Add a person to a cohort. Every way in (admin, import, acceptance, the demo) comes here or to
    membership_save, which invites them to events still to come and to sign in."""
    membership = Membership(cohort=cohort, user=user, side=side, status=status)
    if joined_on is not None:
        membership.joined_on = joined_on
    return membership_save(membership=membership, now=now)


@transaction.atomic
def membership_save(*, membership: Membership, now: datetime | None = None) -> Membership:
    """Save a new or changed membership. Whoever is a current member now is invited to events still to
    come, and sent an invitation to sign in if they have no usable password yet (once per membership).

    Withdrawing is pairs.services.membership_withdraw, which also takes the member out of their pair and
    off the registers of future events.
    """
    if membership.status != Membership.Status.WITHDRAWN and (
        Membership.objects.filter(cohort_id=membership.cohort_id, user_id=membership.user_id)
        .exclude(status=Membership.Status.WITHDRAWN)
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise ValidationError(rules.ALREADY_MEMBER.format(email=membership.user.email))
    membership.full_clean()
    membership.save()
    membership_invite_to_future_events(membership, now=now)
    if membership.is_current and not membership.user.has_usable_password():
        invitation_send(membership=membership)
    return membership


@transaction.atomic
def membership_leave_future_events(*, membership: Membership, now: datetime | None = None) -> int:
    """Take a member off the registers of events not yet started: they no longer count as invited or
    accepted. Returns how many replies were cancelled."""
    now = now or timezone.now()
    deleted, _ = Attendance.objects.filter(membership=membership, event__starts_at__gt=now).delete()
    return deleted


def invitation_key(*, membership_id: int, number: int) -> str:
    return f"invitation:{membership_id}:{number}"


def invitations_sent(membership: Membership) -> int:
    return OutboundMessage.objects.filter(key__startswith=f"invitation:{membership.pk}:").count()


@transaction.atomic
def invitation_send(*, membership: Membership, resend: bool = False) -> bool:
    """Email the member a one-time link to set their password (valid 14 days). The first invitation of a
    membership is sent once however often this runs; `resend` sends a fresh one. Returns whether one was queued."""
    # Lock the membership so two resends at once number their invitations apart.
    membership = (
        Membership.objects.select_for_update().select_related("user", "cohort__programme").get(pk=membership.pk)
    )
    sent = invitations_sent(membership)
    number = sent + 1 if resend or sent == 0 else 1
    user, cohort = membership.user, membership.cohort
    valid_until = timezone.localdate() + INVITATION_VALID_FOR
    link = reminders.link(
        reverse(
            "invitation-accept",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": invitation_token_generator.make_token(user),
            },
        )
    )
    body = (
        f"Dear {user.get_short_name()},\n\n"
        f"Welcome to {cohort.programme.name}, {cohort.name}. You have a place in the cohort as a "
        f"{membership.get_side_display().lower()}.\n\n"
        f"Pairwise is where the cohort works: your learning pair, events, surveys and outputs. "
        f"Choose a password to sign in with your email address ({user.email}):\n\n{link}\n\n"
        f"The link works once, until {valid_until:%-d %B %Y}. If it has expired, ask for a new one from the "
        f'sign-in page ("Forgotten your password?").\n'
    )
    _, created = message_enqueue(
        key=invitation_key(membership_id=membership.pk, number=number),
        to=user,
        kind=INVITATION,
        subject=f"Your invitation to {cohort.programme.name} {cohort.name}",
        body=body,
    )
    return created


@transaction.atomic
def attendance_reply(*, event: Event, membership: Membership, status: str, now: datetime | None = None) -> Attendance:
    """A member accepts or sends apologies; they may change their mind until the event starts."""
    now = now or timezone.now()
    if status not in REPLY_STATUSES:
        raise ValidationError("Reply with accepted or apologies.")
    rules.check_event_not_cancelled(event.cancelled_at)
    rules.check_replies_open(event.starts_at, now)
    if membership.cohort_id != event.cohort_id or not membership.is_current:
        raise ValidationError(REPLY_NOT_INVITED)
    attendance, _ = Attendance.objects.select_for_update().get_or_create(event=event, membership=membership)
    attendance.status = status
    attendance.save(update_fields=["status", "updated_at"])
    return attendance


def register_is_open(event: Event, *, now: datetime | None = None) -> bool:
    """Attendance is marked from the day the event starts (London time)."""
    return rules.register_is_open(event.starts_at, now or timezone.now())


@transaction.atomic
def attendance_mark(*, event: Event, membership: Membership, attended: bool, now: datetime | None = None) -> Attendance:
    """Mark a member as attended (or not) on the register; attended events count towards commitment days."""
    rules.check_event_not_cancelled(event.cancelled_at)
    rules.check_can_mark_attendance(
        member_cohort_id=membership.cohort_id, event_cohort_id=event.cohort_id, status=membership.status
    )
    rules.check_register_open(event.starts_at, now or timezone.now())
    attendance, _ = Attendance.objects.select_for_update().get_or_create(event=event, membership=membership)
    if attended:
        attendance.status = Attendance.Status.ATTENDED
    elif attendance.status == Attendance.Status.ATTENDED:
        # Unticking undoes a mistaken tick: the member had said they were coming.
        attendance.status = Attendance.Status.ACCEPTED
    attendance.save(update_fields=["status", "updated_at"])
    return attendance


@transaction.atomic
def attendance_register_save(*, event: Event, attended: set[int], now: datetime | None = None) -> int:
    """The plain-form register: tick exactly the memberships in `attended`. Returns how many rows changed."""
    # In id order, the order every commitment refresh locks members in (pairs.commitment): never a deadlock.
    members = list(Membership.objects.for_cohort(event.cohort).current().order_by("pk"))
    unknown = attended - {m.pk for m in members}
    if unknown:
        raise ValidationError(ATTENDANCE_NOT_MEMBER)
    rules.check_event_not_cancelled(event.cancelled_at)
    rules.check_register_open(event.starts_at, now or timezone.now())
    rows = {a.membership_id: a for a in event.attendances.select_for_update()}
    changed = 0
    for membership in members:
        row = rows.get(membership.pk)
        was_attended = row is not None and row.status == Attendance.Status.ATTENDED
        if (membership.pk in attended) != was_attended:
            attendance_mark(event=event, membership=membership, attended=membership.pk in attended, now=now)
            changed += 1
    return changed


def guest_add(*, event: Event, name: str, organisation: str = "", role: str = "") -> ExternalGuest:
    """Add an external guest (a senior policymaker or expert) to an event."""
    guest = ExternalGuest(event=event, name=name.strip(), organisation=organisation, role=role)
    guest.full_clean()
    guest.save()
    return guest


@transaction.atomic
def guest_remove(*, guest: ExternalGuest) -> None:
    """Remove a guest; insights they gave stay, attributed to the programme's guest phrase."""
    guest.delete()


@transaction.atomic
def insight_record(
    *,
    event: Event,
    text: str,
    by: User,
    question: Any = None,
    speaker: Membership | None = None,
    guest: ExternalGuest | None = None,
    speaker_agreed_to_be_named: bool = False,
) -> Insight:
    """Record something said or learned at an event, for the year-end report."""
    rules.check_one_speaker(speaker, guest)
    if guest is not None and guest.event_id != event.pk:
        raise ValidationError({"guest": "Choose a guest of this event."})
    insight = Insight(
        cohort=event.cohort,
        event=event,
        text=text,
        question=question,
        speaker=speaker,
        guest=guest,
        speaker_agreed_to_be_named=speaker_agreed_to_be_named and (speaker is not None or guest is not None),
        recorded_by=by,
    )
    insight.full_clean()
    insight.save()
    return insight


def calendar_token_reset(*, user: User) -> str:
    """Give the user a new secret calendar address; the old one stops working at once."""
    user.calendar_token = new_calendar_token()
    user.save(update_fields=["calendar_token"])
    return user.calendar_token


# --- The report's writing: framings, findings and insights (reports/ composes the pages) -------------------


class EditConflict(Exception):
    """Someone saved the text after the writer opened it: nothing was saved, and the caller shows theirs."""

    def __init__(self, *, who: str, when: datetime | None, text: str, version: int) -> None:
        # `version` is theirs: a save based on it goes through once the writer has seen their text.
        self.who, self.when, self.text, self.version = who, when, text, version
        shown = timezone.localtime(when).strftime("%H:%M") if when else "just now"
        super().__init__(EDIT_CONFLICT.format(who=who, when=shown))


EDIT_CONFLICT = (
    "{who} saved this at {when}, after you opened it, so your text was not saved. Their text is shown beside "
    "yours: copy what you need from it into your text, then save again."
)


def _check_version(*, current: int, based_on: int | None, who: User | None, when: datetime | None, text: str) -> None:
    if based_on is not None and based_on != current:
        raise EditConflict(who=who.full_name if who else "Someone else", when=when, text=text, version=current)


@transaction.atomic
def question_save_framing(*, question: Question, framing: str, by: User, based_on: int | None = None) -> Question:
    """Save a question's framing; refused (EditConflict) if someone saved it since version `based_on`."""
    current = Question.objects.select_for_update().get(pk=question.pk)
    last = current.history.select_related("history_user").first()
    _check_version(
        current=current.framing_version,
        based_on=based_on,
        who=last.history_user if last else None,
        when=last.history_date if last else None,
        text=current.framing,
    )
    current.framing = framing
    current.framing_version += 1
    current._history_user = by  # type: ignore[attr-defined]  # simple_history's way to name who saved
    current.save(update_fields=["framing", "framing_version"])
    return current


@transaction.atomic
def finding_create(*, question: Question, title: str, body: str = "", by: User) -> Finding:
    """Add a finding at the end of its question's list."""
    # Locking the question queues writers adding findings to it at once (there may be no finding to lock).
    Question.objects.select_for_update().filter(pk=question.pk).first()
    last = Finding.objects.filter(question=question).order_by("-order").first()
    finding = Finding(question=question, title=title.strip(), body=body, order=(last.order + 1) if last else 1)
    finding.updated_by = by
    finding.full_clean(validate_unique=False)
    finding.save()
    return finding


@transaction.atomic
def finding_save(*, finding: Finding, title: str, body: str, by: User, based_on: int | None = None) -> Finding:
    """Save a finding's title and body (every version kept); refused (EditConflict) if saved since `based_on`."""
    current = Finding.objects.select_for_update(of=("self",)).select_related("updated_by").get(pk=finding.pk)
    _check_version(
        current=current.version, based_on=based_on, who=current.updated_by, when=current.updated_at, text=current.body
    )
    current.title = title.strip()
    current.body = body
    current.version += 1
    current.updated_by = by
    current.full_clean(validate_unique=False)
    current.save()
    return current


@transaction.atomic
def finding_move(*, finding: Finding, up: bool) -> Finding:
    """Swap a finding with the one before (up) or after it in its question; at either end nothing moves."""
    Question.objects.select_for_update().filter(pk=finding.question_id).first()
    siblings = list(Finding.objects.select_for_update().filter(question_id=finding.question_id).order_by("order", "pk"))
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == finding.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(siblings):
        return siblings[index]
    siblings[index], siblings[other] = siblings[other], siblings[index]
    _renumber(siblings)
    return siblings[other]


def _renumber(findings: list[Finding]) -> None:
    """Give the findings orders 1, 2, 3... in list order, through a free range so the unique order never clashes."""
    top = max((finding.order for finding in findings), default=0) + len(findings) + 1
    for offset, finding in enumerate(findings):
        finding.order = top + offset
        finding.save(update_fields=["order"])
    for position, finding in enumerate(findings, start=1):
        finding.order = position
        finding.save(update_fields=["order"])


@transaction.atomic
def finding_delete(*, finding: Finding) -> None:
    """Delete a finding and close the gap in its question's order (its history is kept)."""
    question_id = finding.question_id
    finding.delete()
    _renumber(list(Finding.objects.select_for_update().filter(question_id=question_id).order_by("order", "pk")))


@transaction.atomic
def insight_update(
    *, insight: Insight, text: str, question: Question | None, group_attribution: str, by: User
) -> Insight:
    """Correct an insight's words, question or group attribution; history keeps what it said before."""
    insight.text = text
    insight.question = question
    insight.group_attribution = group_attribution.strip()
    insight._history_user = by  # type: ignore[attr-defined]
    insight.full_clean()
    insight.save()
    return insight


@transaction.atomic
def insight_delete(*, insight: Insight, by: User) -> None:
    """Delete an insight (its history keeps a record of who deleted it); citations of it print nothing."""
    insight._history_user = by  # type: ignore[attr-defined]
    insight.delete()
