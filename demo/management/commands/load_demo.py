from __future__ import annotations

from argparse import ArgumentParser

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import ProtectedError

from demo.loading import DEMO_LOGINS, DEMO_PASSWORD, demo_load


class Command(BaseCommand):
    help = (
        "Load the demo: the Connecting Policy with Practice programme with its 2013 cohort (concluded) and its "
        "2014-15 cohort (running, dated around today): thirty fictional members, fifteen pairs, events, outputs, "
        "surveys and a draft year-end report. Any earlier demo data is deleted first, so running it again gives the "
        f"same data. Demo logins use the password {DEMO_PASSWORD!r}. Refuses to run with DEBUG off unless --force."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even with DEBUG off. The demo creates a superuser with a published password.",
        )

    def handle(self, *args: object, force: bool = False, **options: object) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: this looks like production. The demo creates a superuser with a published password; "
                "pass --force to load it anyway."
            )
        try:
            demo = demo_load()
        except ProtectedError as error:
            raise CommandError(
                f"Demo people or rows are used outside the demo, so they cannot be replaced: {error}"
            ) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {demo.programme}: cohorts {demo.year1.name} ({demo.year1.get_status_display().lower()}) and "
                f"{demo.year2.name} ({demo.year2.get_status_display().lower()}), "
                f"{demo.year2.memberships.count()} members in {len(demo.pairs)} pairs."
            )
        )
        self.stdout.write(f"Sign in with any of these, password {DEMO_PASSWORD}:")
        width = max(len(email) for email, _ in DEMO_LOGINS)
        for email, role in DEMO_LOGINS:
            self.stdout.write(f"  {email.ljust(width)}  {role}")
