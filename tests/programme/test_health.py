"""Health endpoints: liveness touches nothing; readiness checks the database, storage and task backlog."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from django.apps import apps
from django.db import OperationalError, connection
from django.utils import timezone

from programme import health

LIVE = "/healthz/live"
READY = "/healthz/ready"


def test_liveness_answers_without_a_single_query(client, django_assert_num_queries, db):
    with django_assert_num_queries(0):
        response = client.get(LIVE)
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.parametrize("url", [LIVE, READY])
def test_health_is_not_redirected_to_https_so_load_balancers_can_probe_over_http(client, settings, url, db):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", [LIVE, READY])
def test_health_refuses_writes(client, url, db):
    assert client.post(url).status_code == 405


@pytest.mark.django_db
def test_readiness_is_ok_with_one_query_when_tasks_are_not_kept_in_the_database(
    client, settings, django_assert_num_queries
):
    settings.INSTALLED_APPS = [app for app in settings.INSTALLED_APPS if app != health.TASKS_APP]
    assert not apps.is_installed(health.TASKS_APP)
    with django_assert_num_queries(1):
        response = client.get(READY)
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "storage": "ok", "tasks": "ok"}}


@pytest.mark.django_db
def test_readiness_fails_with_503_when_the_database_does_not_answer(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    with monkeypatch.context() as patch:  # undone before the checks after the test read the database
        patch.setattr(connection, "cursor", broken_cursor)
        response = client.get(READY)
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "OperationalError: connection refused"


@pytest.mark.django_db
def test_readiness_fails_when_the_upload_folder_is_missing(client, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "gone")
    response = client.get(READY)
    assert response.status_code == 503
    assert "is missing" in response.json()["checks"]["storage"]


@pytest.mark.django_db
def test_readiness_reads_storage_without_writing_a_file(client, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    for _ in range(3):
        assert client.get(READY).status_code == 200
    assert os.listdir(tmp_path) == []


@pytest.fixture
def tasks_in_database(settings, transactional_db):
    """django-tasks-db installed, with its table: as it is on main once background tasks land, else made here."""
    if apps.is_installed(health.TASKS_APP):
        yield
        return
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, health.TASKS_APP]
    from django_tasks_db.models import DBTaskResult

    with connection.schema_editor() as editor:
        editor.create_model(DBTaskResult)
    try:
        yield
    finally:
        with connection.schema_editor() as editor:
            editor.delete_model(DBTaskResult)


def _task(*, waited: timedelta, status: str = "READY", run_after=None):
    from django_tasks_db.models import DBTaskResult, get_date_max

    task = DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="programme.tasks.example",
        backend_name="default",
        run_after=run_after or get_date_max(),
    )
    DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=timezone.now() - waited)
    return task


def test_readiness_fails_when_the_oldest_queued_task_waited_past_the_threshold(client, settings, tasks_in_database):
    settings.HEALTH_TASK_BACKLOG_MAX_SECONDS = 300
    _task(waited=timedelta(seconds=30))
    assert client.get(READY).status_code == 200
    _task(waited=timedelta(minutes=10))
    response = client.get(READY)
    assert response.status_code == 503
    assert "the oldest queued task has waited 6" in response.json()["checks"]["tasks"]


def test_readiness_with_tasks_in_the_database_takes_two_queries(client, tasks_in_database, django_assert_num_queries):
    _task(waited=timedelta(seconds=5))
    with django_assert_num_queries(2):  # the database check, the age of the oldest queued task
        response = client.get(READY)
    assert response.json()["checks"] == {"database": "ok", "storage": "ok", "tasks": "ok"}


def test_finished_and_scheduled_tasks_do_not_count_as_backlog(client, settings, tasks_in_database):
    settings.HEALTH_TASK_BACKLOG_MAX_SECONDS = 300
    _task(waited=timedelta(hours=2), status="SUCCESSFUL")
    _task(waited=timedelta(hours=2), run_after=timezone.now() + timedelta(hours=1))
    assert client.get(READY).status_code == 200
    assert health.task_backlog_age() is None


def test_a_delayed_task_is_late_from_its_run_after_time_not_from_when_it_was_queued(settings, tasks_in_database):
    _task(waited=timedelta(hours=2), run_after=timezone.now() - timedelta(minutes=1))
    age = health.task_backlog_age()
    assert age is not None and timedelta(seconds=50) < age < timedelta(minutes=5)
