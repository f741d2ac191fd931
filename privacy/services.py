"""Erasure and retention: the privacy writes, each in one transaction.

`ERASURE` says, for every link from a model to the user model, what erasing the person does to the rows it
links: deleted, or kept under the anonymous label of the anonymised account. tests/privacy/test_coverage.py
walks the app registry and fails when a link is missing here, so a model added later cannot be forgotten.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q, QuerySet, TextField, Value
from django.db.models.functions import Cast, Left, Replace
from django.utils import timezone
from simple_history.models import HistoricalChanges

from cohorts.models import Application, Insight, Membership
from notifications.models import Notification, NotificationPreference, OutboundMessage
from outputs.library_cache import library_changed
from programme.export_files import export_files_delete
from programme.models import ExportFile, User, new_calendar_token

from . import rules
from .models import Erasure


class Policy(StrEnum):
    DELETE = "deleted"
    KEEP = "kept, linked to the anonymised account"


# (model label, field linking to the user model) → what erasure does to the rows.
ERASURE: dict[tuple[str, str], Policy] = {
    ("programme.User", "groups"): Policy.DELETE,
    ("programme.User", "interests"): Policy.DELETE,
    ("programme.User", "user_permissions"): Policy.DELETE,
    ("admin.LogEntry", "user"): Policy.KEEP,  # what they did in the admin; names in descriptions replaced
    ("notifications.OutboundMessage", "recipient"): Policy.DELETE,
    ("notifications.Notification", "recipient"): Policy.DELETE,
    ("notifications.NotificationPreference", "user"): Policy.DELETE,
    ("cohorts.Cohort", "facilitators"): Policy.KEEP,  # who ran the year, now anonymous
    ("cohorts.Event", "facilitators"): Policy.KEEP,
    ("cohorts.Membership", "user"): Policy.KEEP,  # the seat: attendance, pairs and survey figures stay whole
    ("cohorts.Application", "user"): Policy.DELETE,  # with those made from their address before an account
    ("cohorts.Application", "decided_by"): Policy.KEEP,  # another person's application, decided by them
    ("cohorts.Insight", "recorded_by"): Policy.KEEP,
    ("pairs.Activity", "logged_by"): Policy.KEEP,
    ("pairs.StepProgress", "completed_by"): Policy.KEEP,
    ("pairs.StepComment", "author"): Policy.KEEP,
    ("pairs.PrivateNotesReading", "reader"): Policy.KEEP,  # the pair still sees that its notes were read
    ("reports.YearEndReport", "updated_by"): Policy.KEEP,
    ("cohorts.Finding", "updated_by"): Policy.KEEP,
    ("reports.CaseStudy", "updated_by"): Policy.KEEP,
    # A credit on a case study printed in a report stays, under the anonymised account (never its name:
    # an erased person has not consented to be named).
    ("reports.CaseStudy", "credited_people"): Policy.KEEP,
    ("privacy.Erasure", "erased_by"): Policy.KEEP,
    ("programme.ExportFile", "requested_by"): Policy.DELETE,  # with the files
}
# History rows keep who changed what (history_user) and whom a row was about, under the anonymised account;
# the history of rows erasure deletes is deleted with them.
HISTORY_POLICY = Policy.KEEP


@dataclass
class ErasureResult:
    erasure: Erasure
    deleted: int
    anonymised: int


def _delete_with_history(queryset: QuerySet[Any]) -> int:
    """Delete rows and every history row of them: simple-history keeps a copy of a row when it is deleted."""
    model = queryset.model
    pks = list(queryset.values_list("pk", flat=True))
    if not pks:
        return 0
    deleted, _ = model._default_manager.filter(pk__in=pks).delete()
    history = getattr(model, "history", None)
    if history is not None:
        deleted += history.filter(**{f"{model._meta.pk.attname}__in": pks}).delete()[0]
    return deleted


# Another person's own name is theirs, even when it is the same as the erased person's: a namesake keeps it.
NAME_FIELDS = {("programme.User", "full_name"), ("cohorts.ExternalGuest", "name"), ("cohorts.Application", "full_name")}


def _text_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    label = model._meta.label
    if issubclass(model, HistoricalChanges):
        label = model.instance_type._meta.label  # type: ignore[attr-defined]  # set by simple-history
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and not field.unique
        and not field.choices
        and (label, field.name) not in NAME_FIELDS
    ]


def _json_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [field for field in model._meta.concrete_fields if isinstance(field, models.JSONField)]


def _replace_in(value: Any, replacements: list[tuple[str, str]]) -> Any:
    if isinstance(value, str):
        for old, new in replacements:
            value = value.replace(old, new)
        return value
    if isinstance(value, list):
        return [_replace_in(item, replacements) for item in value]
    if isinstance(value, dict):
        return {key: _replace_in(item, replacements) for key, item in value.items()}
    return value


def text_scrub(replacements: list[tuple[str, str]]) -> int:
    """Replace each `old` by its `new` in every text column of every table, history tables included: a name or
    address written into shared records (a comment, a notification, an admin log line) reads as the label."""
    changed = 0
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        manager = model._default_manager
        for field in _text_fields(model):
            name = field.attname
            mentions = Q()
            replaced: Any = F(name)
            for old, new in replacements:
                mentions |= Q(**{f"{name}__contains": old})
                replaced = Replace(replaced, Value(old), Value(new))
            if field.max_length:
                replaced = Left(replaced, field.max_length)
            changed += manager.filter(mentions).update(**{name: replaced})
        for field in _json_fields(model):
            name = field.attname
            as_text = f"_{name}_as_text"
            mentions = Q()
            for old, _new in replacements:
                mentions |= Q(**{f"{as_text}__contains": old})
            rows = manager.annotate(**{as_text: Cast(name, TextField())}).filter(mentions).values_list("pk", name)
            for pk, value in list(rows):
                changed += manager.filter(pk=pk).update(**{name: _replace_in(value, replacements)})
    if changed:
        library_changed()  # updates send no signals, and the public library shows outputs' texts
    return changed


def _anonymise_account(person: User, label: str) -> None:
    person.email = rules.erased_email(person.pk)
    person.full_name = label
    person.job_title = ""
    person.organisation = None
    person.bio = ""
    person.phone = ""
    person.share_contact_details = False
    person.credit_on_outputs = False
    person.consents_to_be_named = False
    person.naming_consent_changed_at = None
    person.calendar_token = new_calendar_token()
    person.is_active = False
    person.is_staff = False
    person.is_superuser = False
    person.last_login = None
    person.email_refused_at = None
    person.email_refused_reason = ""
    person.set_unusable_password()  # also ends their sessions: the session hash no longer matches
    person.save()
    person.interests.clear()
    person.groups.clear()
    person.user_permissions.clear()


@transaction.atomic
def person_erase(*, person: User, by: User, confirmation: str) -> ErasureResult:
    """Erase a person: delete what is theirs alone, anonymise their account, and keep what they wrote in shared
    records (steps, comments, activities, insights, reports) under an anonymous label. All or nothing."""
    person = User.objects.select_for_update().get(pk=person.pk)
    rules.check_can_erase(person_pk=person.pk, by_pk=by.pk, person_email=person.email, confirmation=confirmation)
    label = rules.erased_label(person.pk)
    name, email = person.full_name, person.email

    deleted = 0
    deleted += _delete_with_history(Notification.objects.filter(recipient=person))
    deleted += _delete_with_history(NotificationPreference.objects.filter(user=person))
    deleted += _delete_with_history(OutboundMessage.objects.filter(Q(recipient=person) | Q(to__iexact=email)))
    deleted += _delete_with_history(Application.objects.filter(Q(user=person) | Q(email__iexact=email)))
    deleted += export_files_delete(exports=ExportFile.objects.filter(requested_by=person))
    for sign_in_model in (AccessAttempt, AccessLog, AccessFailureLog):
        deleted += sign_in_model.objects.filter(username__iexact=email).delete()[0]

    anonymised = 0
    memberships = Membership.objects.filter(user=person)
    # Why someone left is about them alone; the dates stay for the cohort's figures.
    anonymised += memberships.exclude(withdrawal_reason="").update(withdrawal_reason="")
    anonymised += Membership.history.filter(user=person).exclude(withdrawal_reason="").update(withdrawal_reason="")
    anonymised += Insight.objects.filter(speaker__user=person, speaker_agreed_to_be_named=True).update(
        speaker_agreed_to_be_named=False
    )
    _anonymise_account(person, label)
    anonymised += 1

    replacements = [(email, rules.erased_email(person.pk))]
    if rules.name_is_searchable(name):
        replacements.append((name, label))
    anonymised += text_scrub(replacements)

    erasure = Erasure.objects.create(
        label=label, erased_by=by, rows_deleted=deleted, rows_anonymised=anonymised, erased_at=timezone.now()
    )
    return ErasureResult(erasure=erasure, deleted=deleted, anonymised=anonymised)


# --- Applicants without an account ---------------------------------------------------------------------


def applicant_applications(email: str) -> QuerySet[Application]:
    """The applications made from an address by someone with no account: theirs to download or erase."""
    return Application.objects.filter(email__iexact=email, user__isnull=True)


@transaction.atomic
def applicant_erase(*, email: str, by: User, confirmation: str) -> ErasureResult:
    """Erase an applicant who never had an account: their applications (with history), the emails sent to them
    and their sign-in records; their name and address are replaced wherever they were written."""
    applications = list(applicant_applications(email).select_for_update().order_by("pk"))
    if not applications:
        raise ValidationError(rules.ALREADY_ERASED)
    rules.check_can_erase(person_pk=0, by_pk=by.pk, person_email=email, confirmation=confirmation)
    label = rules.erased_applicant_label(applications[0].pk)
    names = {application.full_name for application in applications}
    deleted = _delete_with_history(applicant_applications(email))
    deleted += _delete_with_history(OutboundMessage.objects.filter(to__iexact=email, recipient__isnull=True))
    for sign_in_model in (AccessAttempt, AccessLog, AccessFailureLog):
        deleted += sign_in_model.objects.filter(username__iexact=email).delete()[0]
    replacements = [(email, rules.erased_email(0))]
    replacements += [(name, label) for name in sorted(names) if rules.name_is_searchable(name)]
    anonymised = text_scrub(replacements)
    erasure = Erasure.objects.create(label=label, erased_by=by, rows_deleted=deleted, rows_anonymised=anonymised)
    return ErasureResult(erasure=erasure, deleted=deleted, anonymised=anonymised)


# --- Retention ------------------------------------------------------------------------------------------


def expired_declined_applications(now: datetime) -> QuerySet[Application]:
    """Applications declined before the retention period began."""
    return Application.objects.filter(
        status=Application.Status.DECLINED, decided_at__lt=rules.declined_applications_retained_before(now)
    )


@transaction.atomic
def applications_delete_expired(*, now: datetime | None = None) -> int:
    """Delete the applications declined more than the retention period ago, with their history; returns how many
    applications."""
    expired = expired_declined_applications(now or timezone.now())
    count = expired.count()
    _delete_with_history(expired)
    return count


def applications_delete_expired_enqueue() -> None:
    """Queue the retention job for the task worker (the outbox's worker runs it)."""
    from .tasks import applications_delete_expired_task

    applications_delete_expired_task.enqueue()


def is_history_model(model: type[models.Model]) -> bool:
    return issubclass(model, HistoricalChanges)
