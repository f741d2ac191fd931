"""Health endpoints for load balancers and orchestrators.

/healthz/live says the process answers: it touches neither the database nor storage, so a slow
database never gets web processes restarted. /healthz/ready says this process can serve: the
database answers, the upload storage is reachable (a read, never a write), and background tasks
are being picked up (the oldest runnable task has waited less than HEALTH_TASK_BACKLOG_MAX_SECONDS).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection
from django.db.models import Case, F, Min, When
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

TASKS_APP = "django_tasks_db"
# A name that is never written: asking whether it exists reaches the storage without changing it.
STORAGE_PROBE = ".pairwise-readiness-probe"


@never_cache
@require_safe
def live(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def check_database() -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return None


def check_storage() -> str | None:
    if isinstance(default_storage, FileSystemStorage):
        location = default_storage.location
        if not os.path.isdir(location):
            return f"upload folder {location} is missing"
        if not os.access(location, os.R_OK | os.W_OK | os.X_OK):
            return f"upload folder {location} is not readable and writable"
    default_storage.exists(STORAGE_PROBE)
    return None


def task_backlog_age() -> timedelta | None:
    """How long the oldest runnable task has waited, or None when none waits (or tasks are not kept in the database)."""
    if not apps.is_installed(TASKS_APP):
        return None
    from django_tasks_db.models import DBTaskResult, get_date_max

    # A task with no delay has run_after at the far future; it became runnable when it was enqueued.
    oldest = (
        DBTaskResult.objects.ready()
        .annotate(runnable_at=Case(When(run_after=get_date_max(), then=F("enqueued_at")), default=F("run_after")))
        .aggregate(oldest=Min("runnable_at"))["oldest"]
    )
    return None if oldest is None else timezone.now() - oldest


def check_task_backlog() -> str | None:
    age = task_backlog_age()
    limit = settings.HEALTH_TASK_BACKLOG_MAX_SECONDS
    if age is not None and age.total_seconds() > limit:
        return f"the oldest queued task has waited {int(age.total_seconds())} s (limit {limit} s)"
    return None


READINESS_CHECKS: dict[str, Callable[[], str | None]] = {
    "database": check_database,
    "storage": check_storage,
    "tasks": check_task_backlog,
}


@never_cache
@require_safe
def ready(request: HttpRequest) -> JsonResponse:
    results: dict[str, str] = {}
    for name, check in READINESS_CHECKS.items():
        try:
            problem = check()
        except Exception as error:  # any failure of a dependency means not ready
            problem = f"{type(error).__name__}: {error}"
        results[name] = problem or "ok"
    healthy = all(result == "ok" for result in results.values())
    return JsonResponse({"status": "ok" if healthy else "failing", "checks": results}, status=200 if healthy else 503)
