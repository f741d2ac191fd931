"""Time the public library's full-text search over 10,000 published outputs (target: under 100 ms).

Needs PostgreSQL: run from the project root with DATABASE_URL pointing at a PostgreSQL server, e.g.
`DATABASE_URL=postgres://postgres@127.0.0.1:5432/pairwise .venv/bin/python bench/library_search.py`.
Only the server is taken from DATABASE_URL: the script (re)creates a throwaway database named
pairwise_bench, migrates it, bulk-creates the outputs, times the library's search query (median of
RUNS runs, each a page of results plus its count, as the library page runs them), prints the result
and writes it to bench/results/library_search.txt. It never touches any other database.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

import dj_database_url

ROOT = Path(__file__).resolve().parent.parent
BENCH_DATABASE = "pairwise_bench"
OUTPUTS = 10_000
RUNS = 25
LIMIT_MS = 100.0
SEARCHES = ["hospital discharge", "housing", "service users", "commissioning", "mental health"]

url = os.environ.get("DATABASE_URL", "")
if not url.startswith(("postgres://", "postgresql://", "pgsql://")):
    sys.exit("bench/library_search.py needs PostgreSQL: set DATABASE_URL=postgres://user@host:port/anydb")

config = dj_database_url.parse(url)
os.environ["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + BENCH_DATABASE
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "programme.settings"

import psycopg2  # noqa: E402
from psycopg2 import sql  # noqa: E402


def recreate_database() -> None:
    admin = psycopg2.connect(
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        dbname="postgres",
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(BENCH_DATABASE)))
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(BENCH_DATABASE)))
    admin.close()


recreate_database()

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from cohorts.models import Cohort, Question  # noqa: E402
from outputs.models import Output  # noqa: E402
from outputs.search import search_outputs  # noqa: E402
from outputs.views.library import OUTPUTS_PER_PAGE  # noqa: E402
from pairs.models import LearningPair  # noqa: E402
from programme.models import Programme  # noqa: E402

TOPIC_TEXT = (
    "policy practice housing hospital discharge homelessness commissioning funding partnership service users "
    "mental health local authority department voluntary sector outcomes evidence pilot council early help "
    "families employment benefits skills youth justice prison probation volunteers carers social care budget "
    "procurement data sharing prevention integration community trust relationships frontline staff training"
)
TOPIC_WORDS = TOPIC_TEXT.split()
TOPIC_SHARE = 0.03  # the rest of the text is drawn from a large vocabulary, as real prose is


def filler_words(rng: random.Random, count: int = 5000) -> list[str]:
    syllables = ["ba", "ce", "di", "fo", "gu", "ha", "je", "ki", "lo", "mu", "na", "pe", "ri", "so", "tu", "ve"]
    return ["".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(count)]


def sentence(rng: random.Random, filler: list[str], length: int) -> str:
    words = (rng.choice(TOPIC_WORDS) if rng.random() < TOPIC_SHARE else rng.choice(filler) for _ in range(length))
    return " ".join(words).capitalize() + "."


def build() -> None:
    rng = random.Random(2015)
    filler = filler_words(rng)
    today = timezone.localdate()
    programme = Programme.objects.create(name="Connecting Policy with Practice", slug="cpp")
    cohorts = [
        Cohort.objects.create(
            programme=programme,
            name=f"Year {n}",
            number=n,
            starts_on=today - timedelta(days=365 * n),
            ends_on=today - timedelta(days=365 * n - 300),
            status=Cohort.Status.CONCLUDED,
        )
        for n in range(1, 5)
    ]
    questions = [
        Question.objects.create(cohort=cohort, short_title=f"Question {n}", text="?", order=n)
        for cohort in cohorts
        for n in (1, 2, 3)
    ]
    pairs = LearningPair.objects.bulk_create(
        LearningPair(cohort=cohorts[n % len(cohorts)], number=n, status=LearningPair.Status.COMPLETED)
        for n in range(1, 401)
    )
    now = timezone.now()
    Output.objects.bulk_create(
        (
            Output(
                pair=(pair := rng.choice(pairs)),
                question=rng.choice([q for q in questions if q.cohort_id == pair.cohort_id]),
                kind=rng.choice(Output.Kind.values),
                title=sentence(rng, filler, rng.randint(4, 10)),
                summary=" ".join(sentence(rng, filler, rng.randint(10, 20)) for _ in range(3)),
                body="\n\n".join(sentence(rng, filler, rng.randint(20, 40)) for _ in range(rng.randint(8, 20))),
                status=Output.Status.PUBLISHED,
                visibility=Output.Visibility.PUBLIC,
                published_at=now - timedelta(hours=n),
            )
            for n in range(OUTPUTS)
        ),
        batch_size=1000,
    )
    # Steady state, as autovacuum leaves it: a bulk load sits in the GIN index's pending list until
    # the table is vacuumed, and the planner then (rightly) avoids the index.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE outputs_output")


def one_search(text: str) -> float:
    started = time.perf_counter()
    results = search_outputs(Output.objects.public().order_by("-published_at", "-pk"), text)
    results.count()
    list(results.with_credits()[:OUTPUTS_PER_PAGE])
    return (time.perf_counter() - started) * 1000


def main() -> None:
    call_command("migrate", verbosity=0)
    build()
    for text in SEARCHES:  # warm the caches
        one_search(text)
    timings = {text: statistics.median(one_search(text) for _ in range(RUNS)) for text in SEARCHES}
    plan_query = search_outputs(Output.objects.public(), "hospital discharge")
    plan = plan_query.explain()
    uses_index = "output_search_gin" in plan
    worst = max(timings.values())
    lines = [
        f"Library search over {OUTPUTS:,} published outputs on PostgreSQL, median of {RUNS} runs "
        f"(count + first page of {OUTPUTS_PER_PAGE} with credits):",
        *(f"  {text!r}: {ms:.1f} ms" for text, ms in timings.items()),
        f"Slowest median: {worst:.1f} ms (target < {LIMIT_MS:.0f} ms): {'PASS' if worst < LIMIT_MS else 'FAIL'}",
        f"GIN index used: {'yes' if uses_index else 'no'}",
    ]
    report = "\n".join(lines)
    print(report)
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / "library_search.txt").write_text(report + "\n\nPlan:\n" + plan + "\n")
    connection.close()
    sys.exit(0 if worst < LIMIT_MS else 1)


if __name__ == "__main__":
    main()
