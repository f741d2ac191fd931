"""Time the year-end report's PDF export for a cohort of 100 members with a year of activity (median < 3 s).

Run from the project root: `.venv/bin/python bench/report_pdf.py`. It builds a throwaway SQLite database
in /tmp (never the project's own database), migrates it, creates a cohort of 100 members in 50 pairs
with 8 events, 400 activities, 40 insights all cited in the findings with 8 references, 20 featured case studies
(10 placed after findings), a survey and a written narrative,
then times reports.building.build_report plus reports.rendering.report_pdf (the limit), each step of the
pandoc pipeline on its own, and the Word export; it prints a table, writes it to bench/results/report_pdf.txt
and exits non-zero when the PDF's median takes 3 s or more.

What it judges: the PDF is made by a long-running process (the task worker in production, which makes
one report after another), so the first PDF of the process, which also loads WeasyPrint, fontconfig's
fonts and the user-agent stylesheet, is timed on its own and reported as "cold" but not judged. Then
RUNS further PDFs are timed; the limit applies to their median wall time, and their best, worst and
CPU time (this process and its pandoc children; it does not grow with the machine's load) are printed
beside it, with the load average, so a slow outlier on a shared machine is visible but does not decide.
Every run pays for pandoc: the preview's per-process HTML cache is emptied before each one.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE = Path(tempfile.gettempdir()) / "pairwise-bench-report.sqlite3"
MEMBERS = 100
INSIGHTS = 40
CASE_STUDIES = 20
REFERENCES = 8
RUNS = 5
LIMIT_SECONDS = 3.0

sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "programme.settings"
os.environ["DATABASE_URL"] = f"sqlite:///{DATABASE}"
os.environ.setdefault("LOG_LEVEL", "WARNING")
DATABASE.unlink(missing_ok=True)

import django  # noqa: E402

django.setup()

from django.core.cache import caches  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from cohorts.models import (  # noqa: E402
    Attendance,
    Cohort,
    Event,
    ExternalGuest,
    Finding,
    Insight,
    Membership,
    Question,
    Side,
    Survey,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
)
from outputs.models import Output  # noqa: E402
from pairs.commitment import commitment_totals_refresh  # noqa: E402
from pairs.models import Activity, LearningPair, PairMember, Step, StepProgress  # noqa: E402
from programme.models import Organisation, Programme, SectorCode, User  # noqa: E402
from reports.building import build_report  # noqa: E402
from reports.figures import report_figures_svg  # noqa: E402
from reports.models import CaseStudy as ReportCaseStudy  # noqa: E402
from reports.models import Reference, YearEndReport  # noqa: E402
from reports.pipeline import markdown_to_html, pdf_footnotes, report_docx  # noqa: E402
from reports.rendering import html_to_pdf, report_pdf, report_pdf_html  # noqa: E402
from reports.source import report_markdown  # noqa: E402

PARAGRAPH = (
    "Policymaking in Whitehall can seem far removed from the reality of services on the ground. "
    "Far from being an academic research exercise, the programme has drawn insights from pairs of "
    "policymakers and practitioners who worked together to solve problems and explore each other's worlds."
)


def build() -> Cohort:
    random.seed(2015)
    today = timezone.localdate()
    now = timezone.now()
    programme = Programme.objects.create(name="Connecting Policy with Practice", slug="cpp")
    cohort = Cohort.objects.create(
        programme=programme,
        name="2014-15",
        number=2,
        status=Cohort.Status.CONCLUDED,
        starts_on=today - timedelta(days=365),
        ends_on=today - timedelta(days=1),
    )
    facilitator = User.objects.create(email="facilitator@bench.test", full_name="Nicola Hughes")
    cohort.facilitators.add(facilitator)
    questions = [
        Question.objects.create(cohort=cohort, order=n, short_title=title, text=f"How can we {title.lower()}?")
        for n, title in enumerate(("Engage service users", "Build whole-person services"), start=1)
    ]
    Finding.objects.bulk_create(
        Finding(question=question, order=n, title=f"Finding {question.order}.{n}", body=f"{PARAGRAPH}\n\n{PARAGRAPH}")
        for question in questions
        for n in range(1, 5)
    )
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Organisation {n}", sector=random.choice(SectorCode.values)) for n in range(80)
    )
    users = User.objects.bulk_create(
        User(
            email=f"member{n}@bench.test",
            full_name=f"Member {n:03d} Surname{n:03d}",
            organisation=organisations[n % len(organisations)],
        )
        for n in range(MEMBERS)
    )
    memberships = Membership.objects.bulk_create(
        Membership(
            cohort=cohort,
            user=user,
            side=Side.POLICYMAKER if n % 2 else Side.PRACTITIONER,
            joined_on=cohort.starts_on,
            status=Membership.Status.WITHDRAWN if n % 17 == 0 else Membership.Status.COMPLETED,
            withdrawn_on=today - timedelta(days=100) if n % 17 == 0 else None,
        )
        for n, user in enumerate(users)
    )
    pairs = LearningPair.objects.bulk_create(
        LearningPair(cohort=cohort, number=n + 1, question=questions[n % 2], status=LearningPair.Status.COMPLETED)
        for n in range(MEMBERS // 2)
    )
    PairMember.objects.bulk_create(
        PairMember(pair=pairs[n // 2], membership=membership, joined_on=cohort.starts_on)
        for n, membership in enumerate(memberships)
    )
    events = []
    for n in range(8):
        kind = Event.Kind.ROUNDTABLE if n % 3 == 2 else Event.Kind.WORKSHOP
        starts_at = now - timedelta(days=330 - n * 40)
        events.append(
            Event(
                cohort=cohort,
                kind=kind,
                title=f"Event {n + 1}",
                topic="Service users",
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=6),
                length_days=Decimal("1"),
            )
        )
    events = Event.objects.bulk_create(events)
    Attendance.objects.bulk_create(
        Attendance(
            event=event,
            membership=membership,
            status=Attendance.Status.ATTENDED if random.random() < 0.8 else Attendance.Status.APOLOGIES,
        )
        for event in events
        for membership in memberships
    )
    guests = ExternalGuest.objects.bulk_create(
        ExternalGuest(event=event, name=f"Guest {n}", organisation="Revolving Doors Agency")
        for n, event in enumerate(events)
        if event.kind == Event.Kind.ROUNDTABLE
    )
    activities = Activity.objects.bulk_create(
        Activity(
            pair=pair,
            kind=random.choice(Activity.Kind.values),
            hours=Decimal(random.randint(1, 7)),
            occurred_on=cohort.starts_on + timedelta(days=random.randint(0, 360)),
            place=f"Place {n % 60}",
            learning=PARAGRAPH,
        )
        for n, pair in enumerate(pairs * 8)
    )
    pair_memberships: dict[int, list[int]] = {}
    for member in PairMember.objects.all():
        pair_memberships.setdefault(member.pair_id, []).append(member.membership_id)
    Activity.attendees.through.objects.bulk_create(
        Activity.attendees.through(activity_id=activity.pk, membership_id=membership_id)
        for activity in activities
        for membership_id in pair_memberships[activity.pair_id]
    )
    Insight.objects.bulk_create(
        Insight(
            cohort=cohort,
            event=events[n % len(events)],
            question=questions[n % 2] if n % 5 else None,
            text=f"Insight {n}: {PARAGRAPH[:120]}",
            speaker=memberships[n] if n % 4 else None,
            guest=guests[n % len(guests)] if n % 4 == 0 else None,
        )
        for n in range(INSIGHTS)
    )
    Output.objects.bulk_create(
        Output(
            pair=pairs[n],
            question=questions[n % 2],
            kind=Output.Kind.CASE_STUDY,
            title=f"Case study {n}",
            summary=PARAGRAPH,
            body=f"## What we did\n\n{PARAGRAPH}\n\n- one\n- two\n\n{PARAGRAPH}",
            status=Output.Status.PUBLISHED,
            published_at=now,
            visibility=Output.Visibility.PUBLIC,
            featured=True,
        )
        for n in range(CASE_STUDIES)
    )
    # The facilitators' writing: every insight cited in a finding's text, the references cited alongside, and
    # half the featured outputs placed as case studies after a finding (the rest print after the questions).
    references = Reference.objects.bulk_create(
        Reference(cohort=cohort, author=f"Author {n}", title=f"Publication {n}", publisher="Institute", year=2014)
        for n in range(REFERENCES)
    )
    findings = list(Finding.objects.filter(question__cohort=cohort).order_by("question__order", "order"))
    insight_pks = list(Insight.objects.filter(cohort=cohort).order_by("pk").values_list("pk", flat=True))
    for n, finding in enumerate(findings):
        cited = "".join(f"[[insight:{pk}]]" for pk in insight_pks[n :: len(findings)])
        finding.body = f"{PARAGRAPH}{cited}\n\n{PARAGRAPH}[[ref:{references[n % REFERENCES].pk}]]"
    Finding.objects.bulk_update(findings, ["body"])
    ReportCaseStudy.objects.bulk_create(
        ReportCaseStudy(
            cohort=cohort,
            finding=findings[n % len(findings)],
            order=n + 1,
            title=output.title,
            origin=ReportCaseStudy.Origin.PAIR_OUTPUT,
            output=output,
        )
        for n, output in enumerate(Output.objects.filter(pair__cohort=cohort).order_by("pk")[: CASE_STUDIES // 2])
    )
    survey = Survey.objects.create(
        cohort=cohort, title="End of year", opens_at=now - timedelta(days=20), closes_at=now - timedelta(days=5)
    )
    survey_questions = SurveyQuestion.objects.bulk_create(
        SurveyQuestion(survey=survey, order=n, text=f"The programme helped me {n}", kind=SurveyQuestion.Kind.SCALE)
        for n in range(1, 6)
    )
    responses = SurveyResponse.objects.bulk_create(
        SurveyResponse(survey=survey, membership=m) for m in memberships if m.status == Membership.Status.COMPLETED
    )
    SurveyAnswer.objects.bulk_create(
        SurveyAnswer(response=r, question=q, scale_value=random.randint(2, 5))
        for r in responses
        for q in survey_questions
    )
    StepProgress.objects.bulk_create(
        StepProgress(pair=pair, step=step, status=StepProgress.Status.DONE, summary=PARAGRAPH, completed_on=today)
        if step <= 1 + n % 4
        else StepProgress(pair=pair, step=step)
        for n, pair in enumerate(pairs)
        for step in Step.values
    )
    commitment_totals_refresh(Membership.objects.filter(cohort=cohort))  # bulk_create sends no signals
    narrative = "\n\n".join([PARAGRAPH] * 6)
    YearEndReport.objects.create(
        cohort=cohort,
        executive_summary=narrative,
        introduction=narrative,
        lessons=f"## Lesson 1\n\n{narrative}",
        conclusion=narrative,
        updated_by=facilitator,
    )
    return cohort


CPU: dict[str, list[float]] = {}


def _cpu_seconds() -> float:
    """CPU time of this process and its children (pandoc, rsvg-convert): what the work costs on an idle machine."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def _timed[T](timings: dict[str, list[float]], name: str, work: Callable[[], T]) -> T:
    # Every run pays for pandoc: the preview's per-process HTML cache (settings.CACHES["report_html"]) would
    # otherwise answer the same source from memory after the first run.
    caches["report_html"].clear()
    started, cpu_started = time.perf_counter(), _cpu_seconds()
    result = work()
    timings.setdefault(name, []).append(time.perf_counter() - started)
    CPU.setdefault(name, []).append(_cpu_seconds() - cpu_started)
    return result


def main() -> None:
    call_command("migrate", verbosity=0)
    cohort = build()
    # The first PDF of the process: WeasyPrint's import, fonts and stylesheets load here, once per worker.
    caches["report_html"].clear()
    cold_started, cold_cpu_started = time.perf_counter(), _cpu_seconds()
    report_pdf(build_report(cohort))
    cold, cold_cpu = time.perf_counter() - cold_started, _cpu_seconds() - cold_cpu_started
    timings: dict[str, list[float]] = {}
    for _ in range(RUNS):
        # The limit: what the PDF download does.
        content = _timed(timings, "PDF, end to end", lambda: report_pdf(build_report(cohort)))
        # Its steps, one by one, to see where the time goes.
        data = _timed(timings, "  build_report (queries)", partial(build_report, cohort))
        source = _timed(timings, "  report_markdown (one source)", partial(report_markdown, data))
        figures = _timed(timings, "  figures (SVG)", partial(report_figures_svg, data))
        html = _timed(timings, "  pandoc to HTML + nh3", partial(markdown_to_html, source, figures_svg=figures))
        _timed(timings, "  notes to page footnotes", partial(pdf_footnotes, html))
        pdf_html = report_pdf_html(data)
        _timed(timings, "  WeasyPrint", partial(html_to_pdf, pdf_html))
        docx = _timed(timings, "Word, end to end", lambda: report_docx(build_report(cohort)))
    pdf_times = timings["PDF, end to end"]
    median, worst = statistics.median(pdf_times), max(pdf_times)
    verdict = "OK" if median < LIMIT_SECONDS else "TOO SLOW"
    lines = [
        f"Year-end report for {MEMBERS} members, {INSIGHTS} insights, {CASE_STUDIES} case studies, "
        f"{RUNS} runs after a cold one",
        f"{'step':<32} {'best s':>8} {'median s':>8} {'worst s':>8} {'CPU s':>8}",
    ]
    lines += [
        f"{name:<32} {min(values):>8.3f} {statistics.median(values):>8.3f} {max(values):>8.3f} "
        f"{statistics.median(CPU[name]):>8.3f}"
        for name, values in timings.items()
    ]
    lines.append(f"{'PDF, cold (first of the process)':<32} {cold:>8.3f} {'':>8} {'':>8} {cold_cpu:>8.3f}")
    lines.append(
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (wall times grow with load; CPU s does not)"
    )
    lines += [
        f"PDF {len(content) // 1024} KiB, Word {len(docx) // 1024} KiB",
        f"PDF end to end (build_report + report_pdf, as the download) over {RUNS} warm runs: median {median:.2f} s, "
        f"worst {worst:.2f} s, cold {cold:.2f} s; limit {LIMIT_SECONDS:.0f} s on the median: {verdict}",
    ]
    text = "\n".join(lines)
    print(text)
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / "report_pdf.txt").write_text(text + "\n")
    if median >= LIMIT_SECONDS:
        sys.exit(1)


if __name__ == "__main__":
    main()
