"""Everything Pairwise holds about a person, as a ZIP of JSON and their files (a subject access request).

Each `Section` is one model's rows about the person, named after the model. `SECTIONS` must name every model
that links to the user model (tests/privacy/test_coverage.py walks the app registry and fails otherwise), so
a model added later cannot be left out. History tables are covered generically: every history row whose
user fields point at the person (they made the change, or the row is about them).
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath
from tempfile import SpooledTemporaryFile
from typing import IO, Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q, QuerySet
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from simple_history.models import HistoricalChanges

from cohorts.models import (
    Application,
    Attendance,
    Cohort,
    Event,
    Finding,
    Insight,
    Membership,
    SurveyAnswer,
    SurveyResponse,
)
from notifications.models import Notification, NotificationPreference, OutboundMessage
from outputs.models import Output, OutputRevision
from pairs.models import Activity, PairMember, PrivateNotesReading, StepComment, StepProgress
from programme.models import ExportFile, User
from reports.models import CaseStudy as ReportCaseStudy
from reports.models import YearEndReport

from .models import Erasure

# Never in a download: secrets that would let the file's reader sign in as the person or read their calendar.
SECRET_FIELDS = {"password", "calendar_token", "session_hash"}


@dataclass(frozen=True)
class Section:
    """One model's rows about a person: `name` is the JSON file, `label` the model it reads."""

    name: str
    model: type[models.Model]
    rows: Callable[[User], QuerySet[Any]]
    fields: tuple[str, ...] | None = None  # None: every concrete field but the secrets
    files: tuple[str, ...] = ()  # file fields whose files go into the ZIP

    @property
    def label(self) -> str:
        return self.model._meta.label


def _all_fields(model: type[models.Model]) -> tuple[str, ...]:
    return tuple(f.attname for f in model._meta.concrete_fields if f.attname not in SECRET_FIELDS)


def _own_pairs(user: User) -> Q:
    return Q(pair__members__membership__user=user)


SECTIONS: list[Section] = [
    Section("account", User, lambda u: User.objects.filter(pk=u.pk)),
    Section("admin_actions", LogEntry, lambda u: LogEntry.objects.filter(user=u)),
    Section(
        "emails_sent_to_you", OutboundMessage, lambda u: OutboundMessage.objects.filter(Q(recipient=u) | Q(to=u.email))
    ),
    Section("notifications", Notification, lambda u: Notification.objects.filter(recipient=u)),
    Section(
        "notification_preferences", NotificationPreference, lambda u: NotificationPreference.objects.filter(user=u)
    ),
    Section(
        "cohorts_you_facilitate", Cohort, lambda u: Cohort.objects.filter(facilitators=u), ("id", "name", "number")
    ),
    Section(
        "events_you_facilitate",
        Event,
        lambda u: Event.objects.filter(facilitators=u),
        ("id", "cohort_id", "kind", "title", "starts_at", "ends_at"),
    ),
    Section("memberships", Membership, lambda u: Membership.objects.filter(user=u)),
    # Applications hold the applicant's own details; one made before they had an account matches by address.
    Section("applications", Application, lambda u: Application.objects.filter(Q(user=u) | Q(email__iexact=u.email))),
    # Applications they decided as staff: the decision is theirs, the applicant's details are not.
    Section(
        "applications_you_decided",
        Application,
        lambda u: Application.objects.filter(decided_by=u),
        ("id", "cohort_id", "status", "decided_at", "decided_by_id"),
    ),
    Section("attendance", Attendance, lambda u: Attendance.objects.filter(membership__user=u)),
    Section("survey_responses", SurveyResponse, lambda u: SurveyResponse.objects.filter(membership__user=u)),
    Section("survey_answers", SurveyAnswer, lambda u: SurveyAnswer.objects.filter(response__membership__user=u)),
    Section(
        "insights",
        Insight,
        lambda u: Insight.objects.filter(Q(speaker__user=u) | Q(recorded_by=u)).distinct(),
    ),
    Section("pair_seats", PairMember, lambda u: PairMember.objects.filter(membership__user=u)),
    # Activities they logged or went on, with the pair's private notes: they were there.
    Section(
        "activities",
        Activity,
        lambda u: Activity.objects.filter(Q(logged_by=u) | Q(attendees__user=u)).distinct(),
    ),
    Section("steps_you_completed", StepProgress, lambda u: StepProgress.objects.filter(completed_by=u)),
    Section("step_comments", StepComment, lambda u: StepComment.objects.filter(author=u)),
    Section(
        "private_notes_readings",
        PrivateNotesReading,
        lambda u: PrivateNotesReading.objects.filter(Q(reader=u) | _own_pairs(u)).distinct(),
    ),
    Section(
        "outputs",
        Output,
        lambda u: Output.objects.filter(_own_pairs(u)).distinct(),
        files=("file",),
    ),
    Section(
        "output_revisions",
        OutputRevision,
        lambda u: OutputRevision.objects.filter(output__pair__members__membership__user=u).distinct(),
        files=("file",),
    ),
    Section(
        "year_end_reports_you_edited",
        YearEndReport,
        lambda u: YearEndReport.objects.filter(updated_by=u),
        ("id", "cohort_id", "title", "updated_at", "updated_by_id"),
    ),
    Section(
        "report_findings_you_edited",
        Finding,
        lambda u: Finding.objects.filter(updated_by=u),
        ("id", "question_id", "title", "updated_at", "updated_by_id"),
    ),
    # Case studies of the report crediting them (what is said about them) or last edited by them.
    Section(
        "report_case_studies",
        ReportCaseStudy,
        lambda u: ReportCaseStudy.objects.filter(Q(credited_people=u) | Q(updated_by=u)).distinct(),
    ),
    Section("erasures_you_made", Erasure, lambda u: Erasure.objects.filter(erased_by=u)),
    Section(
        "exports_you_asked_for",
        ExportFile,
        lambda u: ExportFile.objects.filter(requested_by=u),
        fields=("id", "title", "file_format", "filename", "status", "rows_written", "created_at", "finished_at"),
    ),
    # Sign-in records keep the address typed, not a link to the account.
    Section("sign_in_attempts", AccessAttempt, lambda u: AccessAttempt.objects.filter(username__iexact=u.email)),
    Section("sign_in_log", AccessLog, lambda u: AccessLog.objects.filter(username__iexact=u.email)),
    Section("sign_in_failures", AccessFailureLog, lambda u: AccessFailureLog.objects.filter(username__iexact=u.email)),
]

# Models linking to the user model through a many-to-many table, listed by the model that declares it.
M2M_SECTIONS = {"programme.User": ("groups", "user_permissions", "interests")}


def user_link_fields(model: type[models.Model]) -> list[str]:
    """The model's own foreign keys, one-to-ones and many-to-manys to the user model."""
    user_model = get_user_model()
    return [
        field.name
        for field in model._meta.get_fields()
        if (field.many_to_one or field.one_to_one or field.many_to_many)
        and not field.auto_created
        and field.related_model is not None
        and issubclass(field.related_model, user_model)
    ]


def history_models() -> list[type[models.Model]]:
    return [model for model in apps.get_models() if issubclass(model, HistoricalChanges)]


def history_sections() -> list[Section]:
    """A section per history table linking to the user model: the rows whose user fields point at the person."""
    sections = []
    for model in history_models():
        links = user_link_fields(model)
        if not links:
            continue

        def rows(user: User, model: type[models.Model] = model, links: list[str] = links) -> QuerySet[Any]:
            linked = Q()
            for name in links:
                linked |= Q(**{name: user})
            return model._default_manager.filter(linked)

        sections.append(Section(f"history_{model._meta.model_name}", model, rows))
    return sections


def all_sections() -> list[Section]:
    return SECTIONS + history_sections()


def _serialise(section: Section, user: User) -> list[dict[str, Any]]:
    fields = section.fields or _all_fields(section.model)
    rows = list(section.rows(user).order_by("pk").values(*fields))
    if section.model is User:
        person = User.objects.prefetch_related("groups", "interests").get(pk=user.pk)
        rows[0]["groups"] = [group.name for group in person.groups.all()]
        rows[0]["interests"] = [area.name for area in person.interests.all()]
        rows[0]["user_permissions"] = list(person.user_permissions.values_list("codename", flat=True))
    return rows


def personal_data(user: User) -> dict[str, list[dict[str, Any]]]:
    """Every section's rows about the person, by section name (a constant number of queries per section)."""
    return {section.name: _serialise(section, user) for section in all_sections()}


def _files(user: User) -> Iterator[tuple[str, FieldFile]]:
    for section in all_sections():
        for field_name in section.files:
            for obj in section.rows(user).exclude(**{field_name: ""}).order_by("pk"):
                field_file: FieldFile = getattr(obj, field_name)
                yield f"files/{section.name}/{obj.pk}-{PurePosixPath(field_file.name or '').name}", field_file


README = """What Pairwise holds about {name} ({email}), downloaded {when}.

data/*.json: one file per kind of record, each a list of rows; ids link the files to each other.
files/: the files of the outputs of the pairs you were in (if any).
Your password and calendar link are never included. Ask your programme manager about anything here.
"""


def _zip(
    name: str,
    email: str,
    data: dict[str, list[dict[str, Any]]],
    files: Iterator[tuple[str, FieldFile]] | list[tuple[str, FieldFile]],
    *,
    now: datetime | None,
) -> IO[bytes]:
    """A ZIP of JSON files and attachments, in a temporary file (spilled to disk when large), rewound."""
    when = timezone.localtime(now or timezone.now())
    archive: IO[bytes] = SpooledTemporaryFile(max_size=10 * 1024 * 1024)  # noqa: SIM115 - returned open
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("README.txt", README.format(name=name, email=email, when=f"{when:%d %B %Y %H:%M}"))
        for section_name, rows in data.items():
            zipped.writestr(
                f"data/{section_name}.json", json.dumps(rows, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
            )
        for path, field_file in files:
            try:
                with field_file.open("rb") as source:
                    zipped.writestr(path, source.read())
            except FileNotFoundError:
                zipped.writestr(path + ".missing.txt", "This file is recorded but missing from storage.")
    archive.seek(0)
    return archive


def personal_zip(user: User, *, now: datetime | None = None) -> IO[bytes]:
    """The ZIP of a person's data and files."""
    return _zip(user.full_name, user.email, personal_data(user), _files(user), now=now)


def applicant_data(email: str) -> dict[str, list[dict[str, Any]]]:
    """What Pairwise holds about an applicant who never had an account, found by the address they gave."""
    applications = Application.objects.filter(email__iexact=email, user__isnull=True)
    pks = list(applications.values_list("pk", flat=True))
    by_address: dict[str, QuerySet[Any]] = {
        "applications": applications,
        "history_historicalapplication": Application.history.filter(id__in=pks),
        "emails_sent_to_you": OutboundMessage.objects.filter(to__iexact=email, recipient__isnull=True),
        "sign_in_attempts": AccessAttempt.objects.filter(username__iexact=email),
        "sign_in_log": AccessLog.objects.filter(username__iexact=email),
        "sign_in_failures": AccessFailureLog.objects.filter(username__iexact=email),
    }
    return {name: list(rows.order_by("pk").values(*_all_fields(rows.model))) for name, rows in by_address.items()}


def applicant_zip(email: str, *, full_name: str, now: datetime | None = None) -> IO[bytes]:
    """The ZIP of an applicant's data: no account, so no files of theirs."""
    return _zip(full_name, email, applicant_data(email), [], now=now)


def download_name(key: str | int, *, now: datetime | None = None) -> str:
    return f"pairwise-data-{key}-{timezone.localdate(now):%Y-%m-%d}.zip"


def section_counts(user: User) -> list[tuple[str, int]]:
    """How many rows each section holds about the person, for the pages that describe a download."""
    return [(section.name.replace("_", " "), section.rows(user).count()) for section in all_sections()]


def covered_labels() -> set[str]:
    """Every model label a section reads, and those whose many-to-many tables the account section lists."""
    return {section.label for section in all_sections()} | set(M2M_SECTIONS)
