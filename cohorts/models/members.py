"""Members of a cohort, applications to join one, and the letters applicants receive."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone
from simple_history.models import HistoricalRecords

from programme.fields import RemembersStoredValues, ShapeCodeField
from programme.models import Organisation, PolicyArea, Programme
from programme.rules import counts_towards_commitment_q

from .. import rules
from .cohort import Cohort, Question, shape_for_cohort


class MembershipQuerySet(models.QuerySet["Membership"]):
    def for_cohort(self, cohort: Cohort) -> MembershipQuerySet:
        return self.filter(cohort=cohort)

    def current(self) -> MembershipQuerySet:
        """Members taking part now: accepted or active, not withdrawn."""
        return self.filter(rules.current_member_q())

    def current_or_completed(self) -> MembershipQuerySet:
        """Current members and those who completed the year: asked to answer surveys, shown the cohort's pages."""
        return self.filter(rules.current_or_completed_q())

    def taking_part(self) -> MembershipQuerySet:
        """Everyone who was in the cohort, including those who withdrew or completed."""
        return self.filter(status__in=Membership.TAKING_PART_STATUSES)

    def with_people(self) -> MembershipQuerySet:
        return self.select_related("user__organisation", "cohort")


def attendance_counts_q() -> Q:
    """Attendance rows at events whose kind counts towards commitment (programme.rules)."""
    return counts_towards_commitment_q("eventkind", programme="membership__cohort__programme_id", kind="event__kind")


def event_days_of(membership_ref: str = "pk") -> Coalesce:
    """Days of events attended by the membership the outer query's `membership_ref` names, as a subquery."""
    from .events import Attendance  # events build on members

    attended = (
        Attendance.objects.filter(membership=OuterRef(membership_ref), status=Attendance.Status.ATTENDED)
        .filter(attendance_counts_q())
        .order_by()  # the default ordering would join each attendance's person into the subquery
        .values("membership")
        .annotate(days=Sum("event__length_days"))
        .values("days")
    )
    zero = Value(Decimal("0"), output_field=DecimalField(max_digits=8, decimal_places=2))
    return Coalesce(Subquery(attended, output_field=DecimalField(max_digits=8, decimal_places=2)), zero)


# The membership's stored commitment totals, written only by pairs.commitment.commitment_totals_refresh.
COMMITMENT_TOTALS = ("event_days", "activity_hours")


class Membership(RemembersStoredValues, models.Model):
    """A person in a cohort, on one side. Commitment days are derived, never typed in.

    The two commitment totals are stored so that lists can show and sort them without summing every attendance
    and activity row on each page. They are only ever written by pairs.commitment.commitment_totals_refresh,
    from the rule's own queries (event_days_of here, the hours subquery there), whenever an input changes."""

    class Status(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"
        ACTIVE = "active", "Active"
        WITHDRAWN = "withdrawn", "Withdrawn"
        COMPLETED = "completed", "Completed"

    TAKING_PART_STATUSES = (Status.ACCEPTED, Status.ACTIVE, Status.WITHDRAWN, Status.COMPLETED)

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships")
    side = ShapeCodeField(shape_kind="side")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    joined_on = models.DateField(default=timezone.localdate)
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawal_reason = models.TextField(blank=True)
    preferred_question = models.ForeignKey(
        Question, on_delete=models.SET_NULL, null=True, blank=True, related_name="preferred_by"
    )
    event_days = models.DecimalField(
        max_digits=8, decimal_places=2, default=Decimal("0"), editable=False, help_text="Days of events attended."
    )
    activity_hours = models.DecimalField(
        max_digits=8, decimal_places=2, default=Decimal("0"), editable=False, help_text="Hours of activities gone on."
    )
    history = HistoricalRecords()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["cohort", "user__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "user"],
                condition=~Q(status="withdrawn"),
                name="one_live_membership_per_user_and_cohort",
            ),
            models.CheckConstraint(
                condition=~Q(status="withdrawn") | Q(withdrawn_on__isnull=False),
                name="withdrawn_membership_has_date",
            ),
        ]

    # An archived side stays valid on its own records; another cohort's programme counts other kinds.
    stored_values = ("side", "cohort_id")
    _stored_side: str | None = None
    _stored_cohort_id: int | None = None  # as loaded, or as last saved

    def __str__(self) -> str:
        return f"{self.user} ({self.get_side_display()}, {self.cohort.name})"

    def save(self, **kwargs: Any) -> None:
        """Saving a membership read before its attendance or activities changed must not write back its old
        totals: an update of one read from the database writes every other loaded field, never the two totals.
        A copy made otherwise (a version restored from history) is saved whole, and pairs.commitment recounts it."""
        known_row = not self._state.adding and self._stored_cohort_id is not None
        if known_row and kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            skipped = {*COMMITMENT_TOTALS, *self.get_deferred_fields()}
            kwargs["update_fields"] = [
                f.name for f in self._meta.concrete_fields if not f.primary_key and f.attname not in skipped
            ]
        super().save(**kwargs)
        self._stored_cohort_id = self.cohort_id

    def get_side_display(self) -> str:
        return shape_for_cohort(self.cohort_id).sides.label(self.side)

    @property
    def is_current(self) -> bool:
        return rules.is_current_member(self.status)

    def clean(self) -> None:
        if self.cohort_id is not None:
            rules.check_side(self.side, shape_for_cohort(self.cohort_id).sides, keep=self._stored_side)
        rules.check_withdrawal(status=self.status, withdrawn_on=self.withdrawn_on, joined_on=self.joined_on)
        rules.check_question_in_cohort(
            self.preferred_question, self.cohort_id, owner="member", field="preferred_question"
        )


class ApplicationQuerySet(models.QuerySet["Application"]):
    def for_cohort(self, cohort: Cohort) -> ApplicationQuerySet:
        return self.filter(cohort=cohort)

    def in_pool(self) -> ApplicationQuerySet:
        """Applications still in the running or chosen: everything but the declined."""
        return self.exclude(status=Application.Status.DECLINED)

    def for_review(self) -> ApplicationQuerySet:
        return self.select_related("organisation", "user")


class Application(RemembersStoredValues, models.Model):
    """An application to join a cohort, from the open call to a decision. It holds the applicant's own
    details: the person's account is made only when they are accepted."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        SHORTLISTED = "shortlisted", "Shortlisted"
        ACCEPTED = "accepted", "Accepted"
        WAITLISTED = "waitlisted", "Waitlisted"
        DECLINED = "declined", "Declined"

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="applications")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
        help_text="The person's account, once accepted (or if they already had one).",
    )
    full_name = models.CharField(max_length=150)
    email = models.EmailField("email address")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="applications"
    )
    organisation_name = models.CharField(
        "organisation (if not listed)", max_length=200, blank=True, help_text="A new organisation the applicant typed."
    )
    sector = ShapeCodeField(shape_kind="sector")
    side = ShapeCodeField(shape_kind="side")
    job_title = models.CharField(max_length=150, blank=True)
    interests = models.ManyToManyField(PolicyArea, blank=True, related_name="applications")
    motivation = models.TextField("what they want to get out of it")
    answers = models.JSONField(
        default=list, blank=True, help_text="Answers to the cohort's extra questions: a list of question and answer."
    )
    preferred_question = models.ForeignKey(Question, on_delete=models.SET_NULL, null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    reviewer_notes = models.TextField(blank=True, help_text="Private to the cohort's staff.")
    submitted_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["submitted_at"], name="application_by_time")]
        constraints = [
            models.UniqueConstraint("cohort", Lower("email"), name="one_application_per_cohort_and_email"),
        ]

    stored_values = ("side", "sector")  # kept even once archived
    _stored_side: str | None = None
    _stored_sector: str | None = None

    def __str__(self) -> str:
        return f"{self.full_name} → {self.cohort.name}"

    def get_side_display(self) -> str:
        return shape_for_cohort(self.cohort_id).sides.label(self.side)

    def get_sector_display(self) -> str:
        return shape_for_cohort(self.cohort_id).sectors.label(self.sector)

    @property
    def organisation_label(self) -> str:
        return self.organisation.name if self.organisation is not None else self.organisation_name

    def clean(self) -> None:
        self.email = (self.email or "").strip().lower()
        if self.organisation_id is None and not self.organisation_name.strip():
            raise ValidationError({"organisation": rules.ORGANISATION_REQUIRED})
        if self.cohort_id is not None:
            shape = shape_for_cohort(self.cohort_id)
            rules.check_side(self.side, shape.sides, keep=self._stored_side)
            if self.organisation_id is None:  # a listed organisation keeps its own sector, set by any programme
                rules.check_sector(self.sector, shape.sectors, keep=self._stored_sector)


class ApplicationAttempt(models.Model):
    """One submission of the public application form from a client address (hashed), for its rate limit.
    Kept in the database so the limit holds across every web process."""

    address_hash = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.address_hash[:8]} at {self.at:%Y-%m-%d %H:%M}"


class DecisionLetter(models.Model):
    """The email an applicant receives for a decision; the manager edits it in the admin."""

    class Kind(models.TextChoices):
        RECEIVED = "received", "Application received"
        ACCEPTED = "accepted", "Accepted"
        WAITLISTED = "waitlisted", "Waitlisted"
        DECLINED = "declined", "Declined"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="decision_letters")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    subject = models.CharField(max_length=200)
    body = models.TextField(
        help_text="Plain text. {name}, {cohort} and {programme} are replaced by the applicant's name, the cohort "
        "and the programme."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "kind"], name="one_decision_letter_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.programme}: {self.get_kind_display()}"
