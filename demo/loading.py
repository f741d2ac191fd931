"""The demo: the Connecting Policy with Practice programme (Institute for Government and Big Lottery Fund).

Content follows the programme's 2014-15 report (seeds/programme-report-2014-15.txt): its five disconnects,
two exam questions, eight findings, workshops, roundtables and case studies, and the kinds of organisation in
its Annex A. The organisations are real; every person is fictional. Dates are anchored to today so that the
2014-15 cohort is running: two workshops behind it, two ahead, step 2 due next week.

The content is data, in demo/data/*.yaml (read by demo.content); this module and demo.loading_work only
load it. `demo_load()` deletes any earlier demo data and rebuilds it in one transaction, so running it twice
leaves the same rows. Memberships, events, replies, insights, pairs, steps, moves, activities, outputs,
surveys and the report are written through the owning apps' services, so every rule holds. No service
exists yet for the rest (the programme, people, cohorts, their questions, findings and deadlines).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from cohorts.models import (
    Application,
    Cohort,
    Finding,
    Insight,
    Membership,
    Question,
)
from cohorts.services import (
    membership_create,
)
from outputs.models import Output
from pairs.models import Activity, LearningPair, PairMember, Step, StepDeadline, StepProgress
from pairs.services import pair_create
from programme.models import Disconnect, Organisation, PolicyArea, Programme, User
from reports.models import CaseStudy, Reference, ReportPart, YearEndReport

from .content import (
    DEMO_EMAIL_DOMAIN,
    DISCONNECTS,
    END_OF_YEAR_QUESTIONS,
    FINDINGS,
    MEMBERS_2013,
    MEMBERS_2014,
    ORGANISATIONS,
    PAIRS_2013,
    PAIRS_2014,
    QUESTIONS_2014,
    STAFF,
    THEMES_2013,
)
from .loading_recruitment import load_year3
from .loading_report import load_writing
from .loading_work import (
    PM,
    PR,
    at_time,
    days_from,
    load_events,
    load_insights,
    load_outputs,
    load_pairs,
    load_report,
    load_survey,
    load_year2_surveys,
)

DEMO_PASSWORD = "pairwise-demo"  # noqa: S105 - a published demo password, never a real one
PROGRAMME_SLUG = "connecting-policy-with-practice"

DEMO_LOGINS: list[tuple[str, str]] = [
    ("manager@pairwise.test", "Programme manager: staff and superuser, sees every cohort and the admin"),
    ("facilitator@pairwise.test", "Facilitator of the 2014-15 cohort (not staff)"),
    ("policymaker@pairwise.test", "Policymaker (DWP) in pair 6 of 2014-15: active, at step 2"),
    ("practitioner@pairwise.test", "Practitioner (Talent Match Staffordshire) in the same pair 6"),
    ("other@pairwise.test", "Policymaker (Department of Health) in pair 7, another pair of 2014-15"),
]


@dataclass
class Demo:
    """What demo_load() built, for the command's summary and for tests."""

    programme: Programme
    year1: Cohort
    year2: Cohort
    people: dict[str, User]
    memberships: dict[str, Membership]
    pairs: dict[int, LearningPair]


def demo_delete() -> None:
    """Delete the demo programme, its cohorts and everything in them, the demo people and their history rows."""
    cohort_ids = list(Cohort.objects.filter(programme__slug=PROGRAMME_SLUG).values_list("pk", flat=True))
    pair_ids = list(LearningPair.objects.filter(cohort_id__in=cohort_ids).values_list("pk", flat=True))
    question_ids = list(Question.objects.filter(cohort_id__in=cohort_ids).values_list("pk", flat=True))
    # Outputs, pairs and cohorts PROTECT what they point at, so they go first and in this order.
    Output.objects.filter(pair_id__in=pair_ids).delete()
    LearningPair.objects.filter(pk__in=pair_ids).delete()
    Cohort.objects.filter(pk__in=cohort_ids).delete()
    Programme.objects.filter(slug=PROGRAMME_SLUG).delete()
    User.objects.filter(email__iendswith=f"@{DEMO_EMAIL_DOMAIN}").delete()
    # Deleting records history rows too; drop the demo's so that a reload leaves the same rows.
    apps.get_model("pairs", "HistoricalActivity_attendees").objects.filter(history__pair_id__in=pair_ids).delete()
    for model, by_pair in (
        (Activity.history.model, True),
        (PairMember.history.model, True),
        (StepProgress.history.model, True),
        (Output.history.model, True),
        (LearningPair.history.model, False),
        (Membership.history.model, False),
        (Application.history.model, False),
        (YearEndReport.history.model, False),
        (Question.history.model, False),
        (Insight.history.model, False),
        (CaseStudy.history.model, False),
        (Reference.history.model, False),
        (ReportPart.history.model, False),
    ):
        lookup = {"pair_id__in": pair_ids} if by_pair else {"cohort_id__in": cohort_ids}
        model.objects.filter(**lookup).delete()
    Finding.history.model.objects.filter(question_id__in=question_ids).delete()


@transaction.atomic
def demo_load(*, today: date | None = None) -> Demo:
    """Replace any earlier demo data with a fresh build of the programme, anchored on today."""
    today = today or timezone.localdate()
    demo_delete()
    rng = random.Random(2014)

    organisations = load_organisations()
    people = load_people(organisations)
    programme = load_programme(organisations)
    disconnects = load_disconnects(programme)
    year2_start = days_from(today, -150)
    year1 = load_year1(programme, people, disconnects, year2_start=year2_start)
    year2, memberships = load_year2(programme, people, disconnects, today=today, start=year2_start)
    events = load_events(year2, people, memberships, today=today, rng=rng)
    load_insights(year2, events, memberships, people["facilitator"])
    pairs = load_pairs(year2, memberships, today=today)
    load_outputs(pairs, today=today)
    load_report(year2, people["facilitator"])
    load_year2_surveys(year2, memberships, pairs, today=today)
    load_writing(year2, events, memberships, people["facilitator"])  # quotes the surveys
    load_year3(programme, organisations, people, today=today)
    return Demo(programme=programme, year1=year1, year2=year2, people=people, memberships=memberships, pairs=pairs)


def load_organisations() -> dict[str, Organisation]:
    organisations = {}
    for name, sector in ORGANISATIONS.items():
        organisations[name], _ = Organisation.objects.get_or_create(name=name, defaults={"sector": sector})
    return organisations


def load_people(organisations: dict[str, Organisation]) -> dict[str, User]:
    password = make_password(DEMO_PASSWORD)  # hashed once: the slow hasher runs once, not fifty times
    everyone = STAFF + [person for _, person in MEMBERS_2014 + MEMBERS_2013]
    areas = {
        name: PolicyArea.objects.get_or_create(name=name)[0]
        for name in sorted({area for person in everyone for area in person.interests})
    }
    people = {}
    for person in everyone:
        is_manager = person.key == "manager"
        user = User(
            email=person.address,
            full_name=person.name,
            job_title=person.job_title,
            organisation=organisations[person.organisation],
            bio=person.bio,
            consents_to_be_named=person.consents_to_be_named,
            naming_consent_changed_at=timezone.now() if person.consents_to_be_named else None,
            password=password,
            is_staff=is_manager,
            is_superuser=is_manager,
        )
        user.save()
        user.interests.set([areas[name] for name in person.interests])
        people[person.key] = user
    return people


def load_programme(organisations: dict[str, Organisation]) -> Programme:
    programme = Programme.objects.create(
        name="Connecting Policy with Practice",
        slug=PROGRAMME_SLUG,
        description=(
            "A partnership between the Big Lottery Fund and the Institute for Government that connects Whitehall "
            "policymakers with the people who deliver services to vulnerable groups. Cross-sector learning pairs "
            "explore each other's worlds and work together on the disconnects between policy and practice."
        ),
    )
    programme.partners.set([organisations["Institute for Government"], organisations["Big Lottery Fund"]])
    return programme


def load_disconnects(programme: Programme) -> list[Disconnect]:
    return [
        Disconnect.objects.create(
            programme=programme, title=title, practice_finds=practice, policy_does=policy, order=order
        )
        for order, (title, practice, policy) in enumerate(DISCONNECTS, start=1)
    ]


def _new_cohort(**fields: object) -> Cohort:
    cohort = Cohort(**fields)
    cohort.full_clean()
    cohort.save()
    return cohort


def load_year1(
    programme: Programme, people: dict[str, User], disconnects: list[Disconnect], *, year2_start: date
) -> Cohort:
    """The 2013 cohort: three themes, the five disconnects it found, completed pairs and its closed evaluation."""
    start = days_from(year2_start, -365)
    cohort = _new_cohort(
        programme=programme,
        name="2013",
        number=1,
        starts_on=start,
        ends_on=days_from(start, 215),
        applications_open_on=days_from(start, -75),
        applications_close_on=days_from(start, -40),
        status=Cohort.Status.CONCLUDED,
    )
    cohort.facilitators.set([people["manager"]])
    cohort.disconnects_found.set(disconnects)
    themes = []
    for order, (short_title, text, linked) in enumerate(THEMES_2013, start=1):
        theme = Question.objects.create(
            cohort=cohort, kind=Question.Kind.THEME, short_title=short_title, text=text, order=order
        )
        theme.disconnects.set([disconnects[i] for i in linked])
        themes.append(theme)
    memberships = {
        person.key: membership_create(cohort=cohort, user=people[person.key], side=side, joined_on=start)
        for side, person in MEMBERS_2013
    }
    for policymaker, practitioner, theme_number, angle in PAIRS_2013:
        pair = pair_create(
            cohort=cohort,
            members=[memberships[policymaker], memberships[practitioner]],
            on=days_from(start, 14),
            question=themes[theme_number - 1],
            angle=angle,
        )
        pair.status = LearningPair.Status.COMPLETED
        pair.save(update_fields=["status"])
    for membership in memberships.values():
        membership.status = Membership.Status.COMPLETED
        membership.save(update_fields=["status"])
    practitioners = [m for m in memberships.values() if m.side == PR]
    # Two practitioners and three policymakers did not reply: 11 of the 13 practitioners who did agreed the programme
    # increased their ability to engage with policymakers, the 85% the 2014-15 report cites.
    respondents = practitioners[:13] + [m for m in memberships.values() if m.side == PM][:12]
    load_survey(
        cohort,
        "End-of-year evaluation 2013",
        END_OF_YEAR_QUESTIONS,
        respondents,
        opens=at_time(cohort.ends_on, 9) - timedelta(days=14),
        closes=at_time(cohort.ends_on, 17) + timedelta(days=14),
        introduction="Tell us what the programme gave you, and what we should change for next year.",
    )
    return cohort


def load_year2(
    programme: Programme, people: dict[str, User], disconnects: list[Disconnect], *, today: date, start: date
) -> tuple[Cohort, dict[str, Membership]]:
    """The 2014-15 cohort, running now: two exam questions, their findings, deadlines and thirty members."""
    cohort = _new_cohort(
        programme=programme,
        name="2014-15",
        number=2,
        starts_on=start,
        ends_on=days_from(today, 120),
        applications_open_on=days_from(start, -75),
        applications_close_on=days_from(start, -30),
        min_commitment_days=Decimal("5"),
        status=Cohort.Status.RUNNING,
    )
    cohort.facilitators.set([people["facilitator"]])
    questions = []
    for order, (short_title, text, linked) in enumerate(QUESTIONS_2014, start=1):
        question = Question.objects.create(
            cohort=cohort, kind=Question.Kind.EXAM_QUESTION, short_title=short_title, text=text, order=order
        )
        question.disconnects.set([disconnects[i] for i in linked])
        Finding.objects.bulk_create(
            Finding(question=question, title=title, body=body, order=n)
            for n, (title, body) in enumerate(FINDINGS[order], start=1)
        )
        questions.append(question)
    StepDeadline.objects.bulk_create(
        StepDeadline(cohort=cohort, step=step, due_on=days_from(today, days))
        for step, days in ((Step.IDENTIFY, -90), (Step.UNDERSTAND, 7), (Step.EXPLORE, 50), (Step.ACT, 100))
    )
    preferred = {}
    for plan in PAIRS_2014:
        preferred[plan.policymaker] = preferred[plan.practitioner] = questions[plan.question - 1]
    memberships = {}
    for side, person in MEMBERS_2014:
        membership = membership_create(cohort=cohort, user=people[person.key], side=side, joined_on=start)
        membership.preferred_question = preferred[person.key]
        membership.save(update_fields=["preferred_question"])
        memberships[person.key] = membership
    return cohort, memberships
