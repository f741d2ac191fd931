"""Notifying many people at once, and the daily digest (targets below; exits non-zero on a miss).

- A new event for a cohort of 300 members: the invitations are bulk-created and ONE fan-out task is
  enqueued; the raise takes under 1 s and the fan-out task (which queues the emails) under 10 s.
- 500 pairs formed at once from the matcher's suggestions (1,000 members, each told of their pair and
  partner): one bulk insert and ONE fan-out task; forming them takes under 10 s.
- The daily digest for 1,500 people: one task run queues 1,500 digests in under 60 s, streaming the
  recipients, with Python's peak traced memory under 64 MB.

Run from the project root: `.venv/bin/python bench/notification_fanout.py`. It builds a throwaway SQLite
database in /tmp (never the project's own), with tasks recorded rather than run, so each task is timed
on its own, and mail sent nowhere. The table goes to stdout and bench/results/notification_fanout.txt.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE = Path(tempfile.gettempdir()) / "pairwise-bench-notifications.sqlite3"
EVENT_MEMBERS = 300
PAIRS = 500
DIGEST_PEOPLE = 1_500

sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "programme.settings"
os.environ["DATABASE_URL"] = f"sqlite:///{DATABASE}"
DATABASE.unlink(missing_ok=True)

import django  # noqa: E402
from django.conf import settings  # noqa: E402

django.setup()
settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.tasks import task_backends  # noqa: E402
from django.tasks.backends.dummy import DummyBackend  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from cohorts.models import Cohort, Membership, Side  # noqa: E402
from cohorts.services import event_create  # noqa: E402
from notifications.models import Delivery, Kind, Notification, OutboundMessage  # noqa: E402
from notifications.services import notification_digest_send, notifications_fan_out  # noqa: E402
from pairs.services import pairs_create_many  # noqa: E402
from programme.models import Organisation, Programme, SectorCode, User  # noqa: E402

FAN_OUT = "notifications.tasks.notifications_fan_out_task"


def _cohort(name: str, members: int) -> tuple[Cohort, list[Membership]]:
    today = timezone.localdate()
    programme, _ = Programme.objects.get_or_create(slug="bench", defaults={"name": "Bench"})
    cohort = Cohort.objects.create(
        programme=programme,
        name=name,
        number=Cohort.objects.count() + 1,
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=300),
        status=Cohort.Status.RUNNING,
    )
    organisations = Organisation.objects.bulk_create(
        Organisation(
            name=f"{name} organisation {n}", sector=SectorCode.CENTRAL_GOVERNMENT if n % 2 else SectorCode.VOLUNTARY
        )
        for n in range(members)
    )
    users = User.objects.bulk_create(
        User(email=f"{name.lower()}{n}@bench.test", full_name=f"{name} member {n:04d}", organisation=organisations[n])
        for n in range(members)
    )
    memberships = Membership.objects.bulk_create(
        Membership(
            cohort=cohort,
            user=user,
            side=Side.POLICYMAKER if n % 2 else Side.PRACTITIONER,
            joined_on=cohort.starts_on,
        )
        for n, user in enumerate(users)
    )
    return cohort, memberships


def _recorded() -> DummyBackend:
    """The task backend that records tasks instead of running them (set above)."""
    backend = task_backends["default"]
    assert isinstance(backend, DummyBackend)
    return backend


def _fan_out_batches() -> list[str]:
    return [result.kwargs["batch"] for result in _recorded().results if result.task.module_path == FAN_OUT]


def _timed[T](action: Callable[[], T]) -> tuple[T, float]:
    started = time.perf_counter()
    value = action()
    return value, time.perf_counter() - started


def bench_event() -> list[tuple[str, str, str, bool]]:
    cohort, _ = _cohort("Event", EVENT_MEMBERS)
    _recorded().results.clear()
    start = timezone.now() + timedelta(days=14)

    def create() -> None:
        with transaction.atomic():
            event_create(cohort=cohort, title="Workshop 1", starts_at=start, ends_at=start + timedelta(hours=6))

    _, raise_seconds = _timed(create)
    batches = _fan_out_batches()
    notified = Notification.objects.filter(kind=Kind.EVENT_INVITATION).count()
    queued, fan_out_seconds = _timed(lambda: sum(notifications_fan_out(batch=batch) for batch in batches))
    return [
        ("event for 300: notifications", str(notified), f"= {EVENT_MEMBERS}", notified == EVENT_MEMBERS),
        ("event for 300: fan-out tasks", str(len(batches)), "= 1", len(batches) == 1),
        ("event for 300: raise", f"{raise_seconds:.2f} s", "< 1 s", raise_seconds < 1),
        ("event for 300: fan-out run", f"{fan_out_seconds:.2f} s ({queued} emails)", "< 10 s", fan_out_seconds < 10),
    ]


def bench_pairs() -> list[tuple[str, str, str, bool]]:
    cohort, memberships = _cohort("Pairs", PAIRS * 2)
    _recorded().results.clear()
    on = timezone.localdate()

    def form() -> None:
        # As accepting the matcher's suggestions does: all pairs in one service call.
        with transaction.atomic():
            pairs_create_many(
                cohort=cohort, groups=[(memberships[2 * n : 2 * n + 2], None) for n in range(PAIRS)], on=on
            )

    _, seconds = _timed(form)
    batches = _fan_out_batches()
    notified = Notification.objects.filter(kind=Kind.PAIRING, recipient__memberships__cohort=cohort).count()
    return [
        ("500 pairs formed: notifications", str(notified), f"= {PAIRS * 2}", notified == PAIRS * 2),
        ("500 pairs formed: fan-out tasks", str(len(batches)), "= 1", len(batches) == 1),
        ("500 pairs formed: forming", f"{seconds:.2f} s", "< 10 s", seconds < 10),
    ]


def _waiting_digests(memberships: list[Membership], batch: str) -> None:
    """Two notifications waiting for each person's digest."""
    now = timezone.now()
    Notification.objects.bulk_create(
        Notification(
            recipient_id=membership.user_id,
            kind=Kind.PARTNER_STEP,
            key=f"bench:{batch}:{membership.user_id}:{n}",
            text=f"Your partner updated step {n + 1}",
            url="/pairs/1/",
            delivery=Delivery.DIGEST,
            batch="00000000-0000-0000-0000-000000000000",
            created_at=now,
        )
        for membership in memberships
        for n in range(2)
    )


def bench_digest() -> list[tuple[str, str, str, bool]]:
    """Timed on one run, and its memory traced on another (tracemalloc slows Python down several times)."""
    _, memberships = _cohort("Digest", DIGEST_PEOPLE)
    Notification.objects.filter(delivery=Delivery.DIGEST).update(emailed_at=timezone.now())
    today = timezone.localdate()
    _waiting_digests(memberships, "timed")
    before = OutboundMessage.objects.filter(kind="notification_digest").count()
    queued, seconds = _timed(lambda: notification_digest_send(day=today))
    sent = OutboundMessage.objects.filter(kind="notification_digest").count() - before
    # The next day's digest (a new key per person), with memory traced.
    _waiting_digests(memberships, "traced")
    tracemalloc.start()
    traced = notification_digest_send(day=today + timedelta(days=1))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    peak_mb = peak / 1024 / 1024
    return [
        ("digest for 1,500: digests queued", str(sent), f"= {DIGEST_PEOPLE}", sent == queued == DIGEST_PEOPLE),
        ("digest for 1,500: one task run", f"{seconds:.2f} s", "< 60 s", seconds < 60),
        ("digest for 1,500: peak memory", f"{peak_mb:.1f} MB", "< 64 MB", peak_mb < 64 and traced == DIGEST_PEOPLE),
    ]


def main() -> None:
    call_command("migrate", verbosity=0)
    reverse("home")  # load the URLconf (and every view module) before anything is timed
    rows = [*bench_event(), *bench_pairs(), *bench_digest()]
    width = max(len(row[0]) for row in rows)
    lines = [f"{'measure':<{width}}  {'result':<28}  {'target':<8}  ok"]
    lines += [
        f"{name:<{width}}  {value:<28}  {target:<8}  {'yes' if ok else 'MISS'}" for name, value, target, ok in rows
    ]
    print("\n".join(lines))
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / "notification_fanout.txt").write_text("\n".join(lines) + "\n")
    DATABASE.unlink(missing_ok=True)
    missed = [row[0] for row in rows if not row[3]]
    if missed:
        sys.exit(f"missed: {', '.join(missed)}")


if __name__ == "__main__":
    main()
