"""The outbox: every message Pairwise sends is a row, keyed so that the same message is sent once."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Count, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils import timezone

from programme.models import User


class OutboundMessageQuerySet(models.QuerySet["OutboundMessage"]):
    def pending(self) -> OutboundMessageQuerySet:
        return self.filter(status=OutboundMessage.Status.PENDING)

    def recorded_keys(self, keys: set[str]) -> set[str]:
        """Those of the keys already in the outbox, so a job can skip building messages it queued before."""
        return set(self.filter(key__in=keys).values_list("key", flat=True))


class OutboundMessage(models.Model):
    """One email to one address. Its `key` names what it is about ("reminder:event:12:34"), so enqueueing
    the same message twice, from two runs or two workers at once, records and sends it once."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to send"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        REFUSED = "refused", "Refused by the recipient's mail server"

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=40, help_text='What the message is, e.g. "event_reply" or "risk_digest".')
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outbound_messages",
    )
    to = models.EmailField("to address")
    subject = models.CharField(max_length=255)
    body = models.TextField()
    body_html = models.TextField("HTML body", blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = OutboundMessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_status_due_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False), name="outbound_message_sent_has_sent_at"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} to {self.to}"


class RefusingPersonManager(models.Manager["PersonRefusingMail"]):
    def get_queryset(self) -> models.QuerySet[PersonRefusingMail]:
        return super().get_queryset().filter(email_refused_at__isnull=False)


class PersonRefusingMail(User):
    """A person whose mail server refused their address for good: the admin lists them to clear it."""

    objects = RefusingPersonManager()  # type: ignore[assignment,misc]

    class Meta:
        proxy = True
        verbose_name = "person whose address refuses mail"
        verbose_name_plural = "people whose address refuses mail"
        ordering = ["-email_refused_at"]


class Kind(models.TextChoices):
    """What a notification is about; each person chooses per kind how they hear of it by email."""

    PARTNER_STEP = "partner_step", "A partner changed a step"
    PARTNER_ACTIVITY = "partner_activity", "A partner logged an activity"
    COMMENT = "comment", "A comment on one of your pair's steps"
    OUTPUT_REVIEWED = "output_reviewed", "An output was sent back, published or featured"
    EVENT_INVITATION = "event_invitation", "An invitation to an event"
    EVENT_CHANGED = "event_changed", "An event was changed or cancelled"
    SURVEY_OPENED = "survey_opened", "A survey opened"
    PAIRING = "pairing", "You were added to, or moved between, pairs"


class Delivery(models.TextChoices):
    IMMEDIATELY = "immediately", "Email me at once"
    DIGEST = "digest", "Email me a daily digest"
    OFF = "off", "No email (in Pairwise only)"


class NotificationQuerySet(models.QuerySet["Notification"]):
    def for_user(self, user: User) -> NotificationQuerySet:
        return self.filter(recipient=user)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)

    def waiting_for_digest(self) -> NotificationQuerySet:
        return self.filter(delivery=Delivery.DIGEST, emailed_at__isnull=True)


def unread_count_subquery(user_ref: Any) -> Coalesce:
    """A person's unread notifications as a subquery, for a query that reads other things about them at once."""
    unread = (
        Notification.objects.filter(recipient=user_ref, read_at__isnull=True)
        .order_by()
        .values("recipient")
        .annotate(unread=Count("pk"))
        .values("unread")
    )
    return Coalesce(Subquery(unread), 0)


_UNREAD_ON_REQUEST = "_unread_notifications"


def remember_unread_count(request: HttpRequest | None, user: User, count: int) -> None:
    """Keep a count read by another query of this request (the main menu's), so the bell does not ask again."""
    if request is not None:
        setattr(request, _UNREAD_ON_REQUEST, (user.pk, count))


def remembered_unread_count(request: HttpRequest | None, user: User) -> int | None:
    kept = getattr(request, _UNREAD_ON_REQUEST, None)
    return kept[1] if kept is not None and kept[0] == user.pk else None


class Notification(models.Model):
    """Something one person should know, shown in Pairwise and, per their preference, emailed.

    `key` names the event it reports for this recipient ("step:12:3:v4:alice"), so raising the same
    notification twice shows and sends it once. `batch` groups the rows raised together, so one
    fan-out task emails all of them.
    """

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    key = models.CharField(max_length=200, unique=True)
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    delivery = models.CharField(
        max_length=16, choices=Delivery.choices, help_text="How it is emailed, chosen when it was raised."
    )
    batch = models.UUIDField(db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            models.Index(fields=["delivery", "emailed_at"], name="notification_digest_idx"),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """A person's choice of how to hear of one kind of notification by email; without a row, the default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    delivery = models.CharField(max_length=16, choices=Delivery.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_user_and_kind")]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_kind_display()} → {self.get_delivery_display()}"
