from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pairs.commitment import commitment_totals_out_of_date, commitment_totals_refresh_all


class Command(BaseCommand):
    help = (
        "Check, or recompute, every membership's stored commitment totals (days of events attended, hours of "
        "activities) from attendance and activities. Every write keeps them; run this after loading rows with "
        "raw SQL or a restore from elsewhere."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check", action="store_true", help="Only report memberships whose totals are out of date; exit 1 if any."
        )

    def handle(self, *args: Any, check: bool, **options: Any) -> None:
        stale = commitment_totals_out_of_date()
        if check:
            if stale:
                raise CommandError(f"{len(stale)} membership(s) have out-of-date commitment totals: {stale[:20]}")
            self.stdout.write("Every membership's commitment totals are up to date.")
            return
        updated = commitment_totals_refresh_all()
        self.stdout.write(f"Recomputed the commitment totals of {updated} membership(s); {len(stale)} had changed.")
