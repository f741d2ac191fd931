from __future__ import annotations

import time
from argparse import ArgumentParser

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench.scale import SCALE_LOGINS, SCALE_PASSWORD, scale_exists, scale_load, scale_row_counts


class Command(BaseCommand):
    help = (
        "Build a programme 100 times the real one for benchmarks (bench/pages.py) and the backup drill: 50 cohorts, "
        "1,500 people, 700 pairs, 100,000 activities, 400 events with 30,000 attendance rows and 2,000 outputs, the "
        "largest cohort having 300 members. --scale multiplies every count (0.01 for a smoke run). Logins for a "
        f"manager, a facilitator and a member of the largest cohort use the password {SCALE_PASSWORD!r}. Meant for "
        "an empty benchmark database: refuses when scale data is already there (--flush empties the database "
        "first) and with DEBUG off unless --force."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--scale", type=float, default=1.0, help="Multiply every count (default 1: the 100x programme)."
        )
        parser.add_argument("--seed", type=int, default=2015, help="Random seed, for the same data every run.")
        parser.add_argument("--flush", action="store_true", help="Empty the whole database first (manage.py flush).")
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off: logins have a published password."
        )

    def handle(self, *args: object, scale: float, seed: int, flush: bool, force: bool, **options: object) -> None:
        if not settings.DEBUG and not force:
            raise CommandError("DEBUG is off: this looks like production. Pass --force to build scale data anyway.")
        if scale <= 0:
            raise CommandError("--scale must be greater than 0.")
        if flush:
            call_command("flush", interactive=False, verbosity=0)
        elif scale_exists():
            raise CommandError("Scale data is already in this database: pass --flush to empty the database first.")
        started = time.monotonic()
        built = scale_load(scale=scale, seed=seed)
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # Fresh statistics and visibility maps, as autovacuum would leave a live database.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        elapsed = time.monotonic() - started
        counts = ", ".join(f"{n:,} {name}" for name, n in scale_row_counts().items())
        self.stdout.write(self.style.SUCCESS(f"Built scale {scale:g} in {elapsed:.1f} s: {counts}."))
        self.stdout.write(
            f"Largest cohort: {built.largest} (id {built.largest.pk}), {built.counts.largest_cohort} members."
        )
        self.stdout.write(f"Sign in with any of these, password {SCALE_PASSWORD}:")
        for email, role in SCALE_LOGINS:
            self.stdout.write(f"  {email:<24}  {role}")
