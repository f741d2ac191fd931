"""Recruitment: the call for applications, selection and decisions. Every write here is a service:
keyword-only, atomic, and emailing through the outbox under a key, so each letter is sent once."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from notifications.services import message_enqueue
from programme.models import Organisation, PolicyArea, SectorCode, User

from .models import Application, ApplicationAttempt, Cohort, DecisionLetter, Membership, Side
from .rules import (
    APPLICATION_RATE_LIMIT,
    APPLICATION_RATE_WINDOW,
    DECISION_UNKNOWN,
    DUPLICATE_APPLICATION,
    ORGANISATION_REQUIRED,
    TOO_MANY_APPLICATIONS,
    applications_closed_message,
    applications_open,
    check_decision_allowed,
)
from .services import membership_save

APPLICATION_LETTER = "application_letter"

DEFAULT_LETTERS: dict[str, tuple[str, str]] = {
    DecisionLetter.Kind.RECEIVED: (
        "We have your application to {programme} {cohort}",
        "Dear {name},\n\nThank you for applying to {programme}, {cohort}. We have your application.\n\n"
        "What happens next: the programme team reads every application after the call closes, and may "
        "shortlist you for a conversation. We will email you with our decision either way.\n",
    ),
    DecisionLetter.Kind.ACCEPTED: (
        "You have a place on {programme} {cohort}",
        "Dear {name},\n\nWe are delighted to offer you a place on {programme}, {cohort}.\n\n"
        "You will receive a separate email with a link to set up your Pairwise account, where you will "
        "find your learning pair, the cohort's events and everything else for the year.\n",
    ),
    DecisionLetter.Kind.WAITLISTED: (
        "Your application to {programme} {cohort}",
        "Dear {name},\n\nThank you for applying to {programme}, {cohort}. We had more strong applications "
        "than places, and have put yours on our waiting list. If a place comes free we will email you.\n",
    ),
    DecisionLetter.Kind.DECLINED: (
        "Your application to {programme} {cohort}",
        "Dear {name},\n\nThank you for applying to {programme}, {cohort}. We had many more applications than "
        "places and, with regret, cannot offer you one this year. We hope you will apply again.\n",
    ),
}


class _Fields(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"  # a placeholder the manager mistyped stays visible rather than failing


def letter_send(*, application: Application, kind: str) -> bool:
    """Email the applicant the programme's letter of this kind (the manager's wording, else the default)."""
    cohort = application.cohort
    custom = DecisionLetter.objects.filter(programme_id=cohort.programme_id, kind=kind).first()
    subject, body = (custom.subject, custom.body) if custom is not None else DEFAULT_LETTERS[kind]
    fields = _Fields(name=application.full_name, cohort=cohort.name, programme=cohort.programme.name)
    _, created = message_enqueue(
        key=f"application:{kind}:{application.pk}",
        to=application.email,
        kind=APPLICATION_LETTER,
        subject=subject.format_map(fields),
        body=body.format_map(fields),
    )
    return created


@transaction.atomic
def application_submit(
    *,
    cohort: Cohort,
    full_name: str,
    email: str,
    sector: str,
    side: str,
    motivation: str,
    organisation: Organisation | None = None,
    organisation_name: str = "",
    job_title: str = "",
    interests: Iterable[PolicyArea] = (),
    answers: list[dict[str, str]] | None = None,
    today: date | None = None,
) -> Application:
    """Record an application from the open call and email the applicant that it arrived."""
    today = today or timezone.localdate()
    if not applications_open(cohort, today=today):
        raise ValidationError(applications_closed_message(cohort))
    email = email.strip().lower()
    if Application.objects.filter(cohort=cohort, email__iexact=email).exists():
        raise ValidationError({"email": DUPLICATE_APPLICATION})
    if organisation is None:
        organisation_name = organisation_name.strip()
        if not organisation_name:
            raise ValidationError({"organisation": ORGANISATION_REQUIRED})
        organisation = Organisation.objects.filter(name__iexact=organisation_name).first()
    application = Application(
        cohort=cohort,
        full_name=full_name.strip(),
        email=email,
        organisation=organisation,
        organisation_name="" if organisation is not None else organisation_name,
        sector=organisation.sector if organisation is not None else sector,
        side=side,
        job_title=job_title.strip(),
        motivation=motivation.strip(),
        answers=answers or [],
    )
    application.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        # Two submissions of the same address at once: the constraint decides, the second is told why.
        raise ValidationError({"email": DUPLICATE_APPLICATION}) from None
    application.interests.set(list(interests))
    letter_send(application=application, kind=DecisionLetter.Kind.RECEIVED)
    return application


def _locked(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",)).select_related("cohort__programme").get(pk=application.pk)
    )


def _decide(application: Application, *, status: str, by: User, now: datetime | None) -> Application:
    check_decision_allowed(current=application.status, decision=status)
    application.status = status
    application.decided_at = now or timezone.now()
    application.decided_by = by
    application.save(update_fields=["status", "decided_at", "decided_by"])
    return application


@transaction.atomic
def application_shortlist(*, application: Application, by: User, now: datetime | None = None) -> Application:
    """Put an application on the shortlist; the applicant is not emailed."""
    return _decide(_locked(application), status=Application.Status.SHORTLISTED, by=by, now=now)


@transaction.atomic
def application_waitlist(*, application: Application, by: User, now: datetime | None = None) -> Application:
    """Put an application on the waiting list and tell the applicant."""
    application = _decide(_locked(application), status=Application.Status.WAITLISTED, by=by, now=now)
    letter_send(application=application, kind=DecisionLetter.Kind.WAITLISTED)
    return application


@transaction.atomic
def application_decline(*, application: Application, by: User, now: datetime | None = None) -> Application:
    """Decline an application and tell the applicant."""
    application = _decide(_locked(application), status=Application.Status.DECLINED, by=by, now=now)
    letter_send(application=application, kind=DecisionLetter.Kind.DECLINED)
    return application


def _person_for(application: Application) -> User:
    """The applicant's account: the existing one with their address, or a new one with no password yet."""
    user = User.objects.filter(email__iexact=application.email).first()
    if user is not None:
        return user
    organisation = application.organisation
    if organisation is None:
        organisation, _ = Organisation.objects.get_or_create(
            name=application.organisation_name.strip(), defaults={"sector": application.sector}
        )
    user = User.objects.create_user(
        email=application.email,
        password=None,  # unusable until they follow the invitation
        full_name=application.full_name,
        job_title=application.job_title,
        organisation=organisation,
    )
    user.interests.set(application.interests.all())
    return user


@transaction.atomic
def application_accept(
    *, application: Application, by: User, now: datetime | None = None
) -> tuple[Application, Membership]:
    """Accept an applicant: make their account if needed, add them to the cohort (which invites them to its
    future events and to sign in), and send the acceptance letter."""
    application = _locked(application)
    if application.status == Application.Status.ACCEPTED and application.user is not None:
        membership = Membership.objects.for_cohort(application.cohort).filter(user=application.user).current().first()
        if membership is not None:
            return application, membership
    user = _person_for(application)
    membership = membership_save(
        membership=Membership(
            cohort=application.cohort,
            user=user,
            side=application.side,
            status=Membership.Status.ACCEPTED,
            preferred_question_id=application.preferred_question_id,
        ),
        now=now,
    )
    application.user = user
    application.save(update_fields=["user"])
    _decide(application, status=Application.Status.ACCEPTED, by=by, now=now)
    letter_send(application=application, kind=DecisionLetter.Kind.ACCEPTED)
    return application, membership


DECISIONS: dict[str, Callable[..., Application]] = {
    Application.Status.SHORTLISTED: application_shortlist,
    Application.Status.WAITLISTED: application_waitlist,
    Application.Status.DECLINED: application_decline,
}


def application_decide(*, application: Application, decision: str, by: User) -> Application:
    """Apply a reviewer's decision by name: shortlisted, accepted, waitlisted or declined."""
    if decision == Application.Status.ACCEPTED:
        return application_accept(application=application, by=by)[0]
    decide = DECISIONS.get(decision)
    if decide is None:
        raise ValidationError(DECISION_UNKNOWN)
    return decide(application=application, by=by)


@transaction.atomic
def application_notes_save(*, application: Application, notes: str) -> Application:
    """Save the reviewers' private notes on an application."""
    application.reviewer_notes = notes
    application.save(update_fields=["reviewer_notes"])
    return application


def _address_hash(address: str) -> str:
    # Hashed with the site's secret: the limit needs to recognise an address, not to keep it.
    return hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()


@transaction.atomic
def application_attempt_record(*, address: str, now: datetime | None = None) -> None:
    """Count one submission of the public form from this client address; refuse it past the limit."""
    now = now or timezone.now()
    address_hash = _address_hash(address)
    recent = ApplicationAttempt.objects.filter(address_hash=address_hash, at__gt=now - APPLICATION_RATE_WINDOW)
    if recent.count() >= APPLICATION_RATE_LIMIT:
        raise ValidationError(TOO_MANY_APPLICATIONS)
    ApplicationAttempt.objects.create(address_hash=address_hash, at=now)
    # Old attempts are no use to the limit: keep the table small.
    ApplicationAttempt.objects.filter(at__lt=now - APPLICATION_RATE_WINDOW * 24).delete()


@dataclass(frozen=True)
class SideTally:
    side: str
    label: str
    in_pool: int
    accepted: int
    target: int


@dataclass(frozen=True)
class DepartmentTally:
    name: str
    targeted: bool
    in_pool: int
    accepted: int


@dataclass(frozen=True)
class Tally:
    sides: list[SideTally]
    departments: list[DepartmentTally]
    targeted_represented: int
    targeted_total: int


def application_tally(cohort: Cohort) -> Tally:
    """The pool against the cohort's targets, in two queries: each side's applications in the pool and
    accepted against its target, and each department (targeted ones first) with its applications."""
    by_side: dict[str, dict[str, Any]] = {
        row["side"]: dict(row)
        for row in Application.objects.for_cohort(cohort)
        .in_pool()
        .values("side")
        .annotate(in_pool=Count("pk"), accepted=Count("pk", filter=Q(status=Application.Status.ACCEPTED)))
        .order_by()
    }
    targets: dict[str, int] = {
        Side.POLICYMAKER: cohort.policymaker_target,
        Side.PRACTITIONER: cohort.practitioner_target,
    }
    sides = [
        SideTally(
            side=side,
            label=str(label),
            in_pool=by_side.get(side, {}).get("in_pool", 0),
            accepted=by_side.get(side, {}).get("accepted", 0),
            target=targets[side],
        )
        for side, label in Side.choices
    ]
    in_pool = Q(applications__cohort=cohort) & ~Q(applications__status=Application.Status.DECLINED)
    departments = (
        Organisation.objects.filter(sector=SectorCode.CENTRAL_GOVERNMENT)
        .filter(Q(targeted_by_cohorts=cohort) | in_pool)
        .annotate(
            is_targeted=Exists(
                Cohort.targeted_departments.through.objects.filter(organisation_id=OuterRef("pk"), cohort_id=cohort.pk)
            ),
            in_pool=Count("applications", filter=in_pool, distinct=True),
            accepted=Count(
                "applications",
                filter=in_pool & Q(applications__status=Application.Status.ACCEPTED),
                distinct=True,
            ),
        )
        .order_by("-is_targeted", "name")
        .distinct()
    )
    rows = [
        DepartmentTally(name=d.name, targeted=d.is_targeted, in_pool=d.in_pool, accepted=d.accepted)
        for d in departments
    ]
    targeted = [row for row in rows if row.targeted]
    return Tally(
        sides=sides,
        departments=rows,
        targeted_represented=sum(1 for row in targeted if row.in_pool),
        targeted_total=len(targeted),
    )
