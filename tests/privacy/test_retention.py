"""Retention: applications declined more than N months ago are deleted by a scheduled command, through a task."""

from __future__ import annotations

import signal
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cohorts.models import Application
from privacy.rules import months_before
from privacy.services import applications_delete_expired
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

Status = Application.Status


def declined(months_ago: float, **fields) -> Application:
    return ApplicationFactory(
        status=Status.DECLINED, decided_at=timezone.now() - timedelta(days=30.5 * months_ago), **fields
    )


def test_only_applications_declined_before_the_retention_period_are_deleted(settings):
    settings.PAIRWISE_RETAIN_DECLINED_APPLICATIONS_MONTHS = 6
    old, recent = declined(7), declined(5)
    accepted_long_ago = ApplicationFactory(status=Status.ACCEPTED, decided_at=timezone.now() - timedelta(days=800))
    waiting = ApplicationFactory(status=Status.SUBMITTED)
    assert applications_delete_expired() == 1
    assert set(Application.objects.all()) == {recent, accepted_long_ago, waiting}
    assert not Application.objects.filter(pk=old.pk).exists()
    assert not Application.history.filter(id=old.pk).exists()  # the history holds the applicant's details too


def test_the_setting_is_read_each_run(settings):
    declined(7)
    settings.PAIRWISE_RETAIN_DECLINED_APPLICATIONS_MONTHS = 12
    assert applications_delete_expired() == 0
    settings.PAIRWISE_RETAIN_DECLINED_APPLICATIONS_MONTHS = 3
    assert applications_delete_expired() == 1


def test_the_command_runs_the_job_and_says_so(settings):
    settings.PAIRWISE_RETAIN_DECLINED_APPLICATIONS_MONTHS = 6
    declined(8)
    out = StringIO()
    call_command("apply_retention", stdout=out)  # the tests' task backend runs tasks at once
    assert "more than 6 months ago" in out.getvalue()
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        (datetime(2026, 3, 31, 9, 0, tzinfo=UTC), 1, datetime(2026, 2, 28, 9, 0, tzinfo=UTC)),
        (datetime(2026, 1, 15, tzinfo=UTC), 1, datetime(2025, 12, 15, tzinfo=UTC)),
        (datetime(2026, 5, 10, tzinfo=UTC), 24, datetime(2024, 5, 10, tzinfo=UTC)),
        (datetime(2024, 3, 30, tzinfo=UTC), 1, datetime(2024, 2, 29, tzinfo=UTC)),
    ],
)
def test_months_are_calendar_months(moment, months, expected):
    assert months_before(moment, months) == expected


def _run_worker() -> None:
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", "--interval=0", verbosity=0)
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)


@pytest.mark.django_db(transaction=True)
def test_with_the_database_backend_the_command_only_enqueues_and_the_worker_deletes(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.PAIRWISE_RETAIN_DECLINED_APPLICATIONS_MONTHS = 6
    declined(9)
    call_command("apply_retention", stdout=StringIO())
    assert Application.objects.count() == 1
    assert set(DBTaskResult.objects.values_list("task_path", flat=True)) == {
        "privacy.tasks.applications_delete_expired_task",
        "programme.tasks.export_files_delete_expired_task",  # exported files expire in the same daily run
    }
    _run_worker()
    assert not Application.objects.exists()
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
