"""Time pair suggestions for a cohort of 1,000 unpaired members with random interests (must be < 2 s).

Run from the project root: `.venv/bin/python bench/suggestions.py`. It builds a throwaway SQLite
database in /tmp (never the project's own database), migrates it, creates the cohort in bulk, then
times pairs.suggestions.suggest_pairs and writes the result to bench/results/suggestions.txt.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE = Path(tempfile.gettempdir()) / "pairwise-bench-suggestions.sqlite3"
MEMBERS = 1_000
POLICY_AREAS = 40
LIMIT_SECONDS = 2.0

sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "programme.settings"
os.environ["DATABASE_URL"] = f"sqlite:///{DATABASE}"
DATABASE.unlink(missing_ok=True)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from cohorts.models import Cohort, Membership, Question, Side  # noqa: E402
from pairs.suggestions import suggest_pairs  # noqa: E402
from programme.models import Organisation, PolicyArea, Programme, SectorCode, User  # noqa: E402


def build() -> Cohort:
    random.seed(2015)
    today = timezone.localdate()
    programme = Programme.objects.create(name="Bench", slug="bench")
    cohort = Cohort.objects.create(
        programme=programme,
        name="Bench",
        number=1,
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=300),
        status=Cohort.Status.RUNNING,
    )
    questions = [Question.objects.create(cohort=cohort, short_title=f"Question {n}", text="?", order=n) for n in (1, 2)]
    areas = PolicyArea.objects.bulk_create(PolicyArea(name=f"Area {n}") for n in range(POLICY_AREAS))
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Organisation {n}", sector=random.choice(SectorCode.values)) for n in range(300)
    )
    users = User.objects.bulk_create(
        User(email=f"member{n}@bench.test", full_name=f"Member {n:04d}", organisation=random.choice(organisations))
        for n in range(MEMBERS)
    )
    through = User.interests.through
    through.objects.bulk_create(
        through(user_id=user.pk, policyarea_id=area.pk)
        for user in users
        for area in random.sample(areas, random.randint(0, 6))
    )
    Membership.objects.bulk_create(
        Membership(
            cohort=cohort,
            user=user,
            side=Side.POLICYMAKER if index % 2 else Side.PRACTITIONER,
            joined_on=cohort.starts_on,
            preferred_question=random.choice([None, *questions]),
        )
        for index, user in enumerate(users)
    )
    return cohort


def main() -> None:
    call_command("migrate", verbosity=0)
    cohort = build()
    started = time.perf_counter()
    result = suggest_pairs(cohort)
    seconds = time.perf_counter() - started
    line = (
        f"suggest_pairs: {MEMBERS} unpaired members -> {len(result.suggestions)} pairs, "
        f"{len(result.unmatched)} left over, total score {result.total_score}, in {seconds:.3f} s"
    )
    print(line)
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / "suggestions.txt").write_text(line + "\n")
    DATABASE.unlink(missing_ok=True)
    if seconds >= LIMIT_SECONDS:
        sys.exit(f"too slow: {seconds:.3f} s (limit {LIMIT_SECONDS} s)")


if __name__ == "__main__":
    main()
