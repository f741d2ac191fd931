"""The year-end report built from data: figures, questions with findings, insights as numbered notes,
case studies, survey highlights and Annex A; constant queries for the preview."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Attendance, Event, Finding, Membership, Question, Side, SurveyQuestion
from outputs.models import Output
from pairs.models import Activity
from pairs.services import activity_create, membership_withdraw
from reports.building import build_report
from reports.data import NOT_YET_WRITTEN
from reports.models import CaseStudy, YearEndReport
from reports.pipeline import report_html
from tests.factories import (
    ApplicationFactory,
    AttendanceFactory,
    CaseStudyFactory,
    EventFactory,
    ExternalGuestFactory,
    FindingFactory,
    InsightFactory,
    MembershipFactory,
    PublishedOutputFactory,
    QuestionFactory,
    SurveyAnswerFactory,
    SurveyFactory,
    SurveyQuestionFactory,
    SurveyResponseFactory,
    make_pair,
)


@dataclass
class ReportWorld:
    questions: list[Question]
    findings: list[Finding]
    workshop: Event
    roundtable: Event
    withdrawn: Membership
    completed: Membership
    case_studies: list[Output]


def add_report_data(world, *, extra_members: int = 0) -> ReportWorld:
    """A cohort with a year of data: two questions with findings, events, insights, activities, case studies,
    a survey, a withdrawn and a completed member; `extra_members` more members with a pair, attendance,
    an activity, an insight and a case study each pair, so per-row queries would show."""
    cohort = world.cohort
    engaging = QuestionFactory(
        cohort=cohort,
        short_title="Engaging service users",
        order=1,
        text="How can we make better use of the experience of service users?",
    )
    whole_person = QuestionFactory(
        cohort=cohort,
        short_title="Whole-person services",
        order=2,
        text="How can we move towards whole-person solutions?",
    )
    findings = [
        FindingFactory(
            question=engaging,
            order=1,
            title="Match your engagement methods to your aims",
            body="There are **many** ways of involving service users.",
        ),
        FindingFactory(question=engaging, order=2, title="Know how to find your service users"),
        FindingFactory(question=whole_person, order=1, title="Invest in local collaboration"),
        FindingFactory(question=whole_person, order=2, title="Get the central-local division of labour right"),
    ]
    now = timezone.now()
    workshop = EventFactory(
        cohort=cohort,
        title="Launch workshop",
        starts_at=now - timedelta(days=60),
        ends_at=now - timedelta(days=60) + timedelta(hours=7),
        length_days=Decimal("1"),
    )
    roundtable = EventFactory(
        cohort=cohort,
        kind=Event.Kind.ROUNDTABLE,
        title="Engaging service users for better policy",
        starts_at=now - timedelta(days=30),
        ends_at=now - timedelta(days=30) + timedelta(hours=3),
        length_days=Decimal("0.5"),
    )
    guest = ExternalGuestFactory(event=roundtable, name="Grace Guest")
    for membership in (world.alice_membership, world.bob_membership, world.carol_membership):
        AttendanceFactory(event=workshop, membership=membership, status=Attendance.Status.ATTENDED)
    boundaries = InsightFactory(
        cohort=cohort,
        event=workshop,
        question=engaging,
        speaker=world.alice_membership,
        text="The boundaries can be pushed further than I thought.",
    )
    commissioning = InsightFactory(
        cohort=cohort,
        event=roundtable,
        question=whole_person,
        guest=guest,
        text="Commissioning can be an effective tool for joined-up working.",
    )
    eye_opener = InsightFactory(
        cohort=cohort,
        event=workshop,
        question=None,
        speaker=world.bob_membership,
        text="Seeing Whitehall from the inside was an eye opener.",
    )

    today = timezone.localdate()
    activity_create(
        pair=world.pair,
        kind=Activity.Kind.LOCAL_SERVICE_VISIT,
        occurred_on=today - timedelta(days=20),
        hours=Decimal("7.5"),
        attendees=[world.alice_membership, world.bob_membership],
        by=world.alice,
        place="Emmanuel House Day Centre",
    )
    activity_create(
        pair=world.pair,
        kind=Activity.Kind.DEPARTMENT_VISIT,
        occurred_on=today - timedelta(days=10),
        hours=Decimal("3"),
        attendees=[world.bob_membership],
        by=world.bob,
        place="Cabinet Office",
    )

    case_studies = [
        PublishedOutputFactory(
            pair=world.pair,
            question=engaging,
            featured=True,
            title="Comparing two approaches to consultation",
            summary="Experts by Experience and user personas, side by side.",
        ),
        PublishedOutputFactory(
            pair=world.other_pair,
            question=whole_person,
            featured=True,
            title="Creating a service user engagement strategy",
            summary="Blackpool's board.",
        ),
    ]
    PublishedOutputFactory(pair=world.pair, question=engaging, featured=False, title="Not featured")
    # Cited in reading order: the first finding, then the third, then the case study after it.
    Finding.objects.filter(pk=findings[0].pk).update(
        body=f"There are **many** ways of involving service users.[[insight:{boundaries.pk}]]"
    )
    Finding.objects.filter(pk=findings[2].pk).update(body=f"Commissioning helps.[[insight:{commissioning.pk}]]")
    first = CaseStudyFactory(
        cohort=cohort,
        finding=findings[0],
        order=1,
        origin=CaseStudy.Origin.PAIR_OUTPUT,
        output=case_studies[0],
        title=case_studies[0].title,
    )
    first.credited_people.set([world.alice, world.bob])
    CaseStudyFactory(
        cohort=cohort,
        finding=findings[2],
        order=2,
        origin=CaseStudy.Origin.PAIR_OUTPUT,
        output=case_studies[1],
        title=case_studies[1].title,
        body=f"Seen from Whitehall.[[insight:{eye_opener.pk}]]",
    )

    withdrawn = MembershipFactory(
        cohort=cohort, side=Side.PRACTITIONER, user__full_name="Walter Withdrawn", user__organisation__name="Groundwork"
    )
    membership_withdraw(membership=withdrawn, on=today - timedelta(days=5), reason="Changed jobs")
    completed = MembershipFactory(
        cohort=cohort,
        side=Side.POLICYMAKER,
        status=Membership.Status.COMPLETED,
        user__full_name="Cora Completed",
        user__organisation__name="Home Office",
    )
    ApplicationFactory(cohort=cohort, full_name="Arthur Applicant")

    survey = SurveyFactory(cohort=cohort)
    question = SurveyQuestionFactory(
        survey=survey,
        kind=SurveyQuestion.Kind.SCALE,
        text="The programme increased my ability to engage with policymakers",
    )
    for membership, value in ((world.alice_membership, 5), (world.bob_membership, 4), (world.carol_membership, 2)):
        SurveyAnswerFactory(
            response=SurveyResponseFactory(survey=survey, membership=membership), question=question, scale_value=value
        )

    for index in range(extra_members // 2):
        policymaker = MembershipFactory(cohort=cohort, side=Side.POLICYMAKER)
        practitioner = MembershipFactory(cohort=cohort, side=Side.PRACTITIONER)
        pair = make_pair(cohort, policymaker=policymaker, practitioner=practitioner)
        AttendanceFactory(event=workshop, membership=policymaker, status=Attendance.Status.ATTENDED)
        activity_create(
            pair=pair,
            kind=Activity.Kind.EXCHANGE,
            occurred_on=today - timedelta(days=3),
            hours=Decimal("2"),
            attendees=[policymaker, practitioner],
            by=None,
            place=f"Place {index}",
        )
        InsightFactory(
            cohort=cohort, event=roundtable, question=engaging, speaker=practitioner, text=f"Insight {index}"
        )
        output = PublishedOutputFactory(
            pair=pair, question=whole_person, featured=True, title=f"Case study of pair {index}"
        )
        CaseStudyFactory(
            cohort=cohort, finding=findings[3], output=output, origin=CaseStudy.Origin.PAIR_OUTPUT, order=10 + index
        ).credited_people.set([policymaker.user])
    return ReportWorld(
        questions=[engaging, whole_person],
        findings=findings,
        workshop=workshop,
        roundtable=roundtable,
        withdrawn=withdrawn,
        completed=completed,
        case_studies=case_studies,
    )


@pytest.fixture
def report_world(world) -> ReportWorld:
    return add_report_data(world)


def test_figures_count_members_by_side_pairs_events_and_visits(world, report_world):
    figures = build_report(world.cohort).figures

    # alice, carol's partner, Cora (policymakers); bob, carol, Walter (practitioners); the applicant is not counted
    assert figures.members == 6
    assert dict(figures.members_by_side) == {"Policymaker": 3, "Practitioner": 3}
    assert (figures.completed, figures.withdrawn) == (1, 1)
    assert figures.pairs == 2
    assert [(e.label, e.attended, e.guests) for e in figures.events] == [("Workshop 1", 3, 0), ("Roundtable 1", 0, 1)]
    assert figures.event_days == Decimal("1.5")
    assert figures.visits_by_group == [("Visits to local services", 1), ("Visits to government departments", 1)]
    assert figures.activity_hours == Decimal("10.5")
    # alice: 1 workshop day + 7.5 h = 2 days; bob: 1 + 10.5 h / 7.5 = 2.4; carol: 1
    assert figures.commitment_days == Decimal("5.4")


def test_questions_carry_findings_in_order_featured_case_studies_and_numbered_insights(world, report_world):
    data = build_report(world.cohort)

    assert [s.heading for s in data.questions] == [
        "Engaging service users",
        "Whole-person services",
    ]
    assert [f.title for f in data.questions[0].findings] == [
        "Match your engagement methods to your aims",
        "Know how to find your service users",
    ]
    assert [c.title for c in data.questions[0].findings[0].case_studies] == ["Comparing two approaches to consultation"]
    assert [c.number for c in data.case_studies] == [1, 2]
    assert data.questions[0].case_studies[0].credits == "Alice Adkins (Cabinet Office) and Bob Bradley (Shelter)"
    # Numbered in reading order: the first finding, the third, then the case study after the third.
    assert [(n.number, n.markdown) for n in data.footnotes] == [
        (1, "“The boundaries can be pushed further than I thought.” (Y2 policymaker, Workshop 1)"),
        (
            2,
            "“Commissioning can be an effective tool for joined-up working.” (Y2 roundtable participant, Roundtable 1)",
        ),
        (
            3,
            "“Seen from Whitehall was an eye opener.” (Y2 practitioner, Workshop 1)".replace(
                "Seen from Whitehall", "Seeing Whitehall from the inside"
            ),
        ),
    ]
    assert data.questions[0].findings[0].markdown == "There are **many** ways of involving service users.[^1]"
    assert data.questions[1].findings[0].case_studies[0].markdown == "Seen from Whitehall.[^3]"


def test_annex_lists_everyone_taking_part_by_surname_and_marks_who_did_not_complete(world, report_world):
    annex = build_report(world.cohort).annex

    names = [member.name for member in annex]
    assert "Arthur Applicant" not in names
    assert names.index("Alice Adkins") < names.index("Bob Bradley") < names.index("Carol Campbell")
    marked = {member.name for member in annex if member.did_not_complete}
    assert marked == {"Walter Withdrawn"}
    assert {m.name: m.organisation for m in annex}["Cora Completed"] == "Home Office"


def test_survey_highlights_come_from_the_survey_results(world, report_world):
    highlights = build_report(world.cohort).survey_highlights

    assert any(sentence.startswith("67% of respondents agreed or strongly agreed") for sentence in highlights)


def test_unwritten_sections_show_a_marker(world):
    data = build_report(world.cohort)

    assert [s.heading for s in data.unwritten_sections] == [
        "Executive summary",
        "Introduction",
        "Conclusion",
    ]
    assert (
        data.narrative["lessons"].placeholder
        == NOT_YET_WRITTEN.format(heading="Lessons")
        == "[Lessons not yet written]"
    )
    assert data.title == f"Insights from the {world.cohort.programme.name} in 2014-15"


def test_narrative_is_rendered_from_sanitised_markdown(world):
    YearEndReport.objects.create(cohort=world.cohort, executive_summary="**Bold** <script>alert(1)</script>")

    html = report_html(build_report(world.cohort))

    assert "<strong>Bold</strong>" in html
    assert "<script>" not in html


def _preview_queries(client, cohort) -> list[str]:
    url = reverse("reports:preview", args=[cohort.pk])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in queries.captured_queries]


def test_preview_query_count_does_not_grow_with_the_cohort(world, login_as):
    client = login_as("facilitator")
    add_report_data(world, extra_members=2)
    YearEndReport.objects.create(cohort=world.cohort, executive_summary="Summary")
    small = _preview_queries(client, world.cohort)
    small_members = build_report(world.cohort).figures.members

    add_report_data_rows(world, extra_members=26)
    large = _preview_queries(client, world.cohort)

    assert build_report(world.cohort).figures.members == small_members + 26
    assert len(large) == len(small), "\n".join(large)


def add_report_data_rows(world, *, extra_members: int) -> None:
    """More members, pairs, attendance, activities, insights and case studies on the existing questions."""
    cohort = world.cohort
    questions = list(cohort.questions.order_by("order"))
    workshop = cohort.events.order_by("starts_at").first()
    today = timezone.localdate()
    for index in range(extra_members // 2):
        policymaker = MembershipFactory(cohort=cohort, side=Side.POLICYMAKER)
        practitioner = MembershipFactory(cohort=cohort, side=Side.PRACTITIONER)
        pair = make_pair(cohort, policymaker=policymaker, practitioner=practitioner)
        AttendanceFactory(event=workshop, membership=practitioner, status=Attendance.Status.ATTENDED)
        activity_create(
            pair=pair,
            kind=Activity.Kind.MEETING,
            occurred_on=today - timedelta(days=2),
            hours=Decimal("1"),
            attendees=[policymaker],
            by=None,
        )
        InsightFactory(
            cohort=cohort,
            event=workshop,
            question=questions[index % 2],
            speaker=policymaker,
            text=f"More insight {index}",
        )
        output = PublishedOutputFactory(pair=pair, question=questions[index % 2], featured=True, title=f"More {index}")
        finding = Finding.objects.filter(question=questions[index % 2]).first()
        CaseStudyFactory(
            cohort=cohort, finding=finding, output=output, origin=CaseStudy.Origin.PAIR_OUTPUT
        ).credited_people.set([policymaker.user])


def test_build_report_runs_a_fixed_number_of_queries(world, report_world, django_assert_num_queries):
    # report, facilitators, members (with their stored commitment totals), pairs, events and their
    # numbers, activities, questions + findings,
    # the cited insights and their events' numbers, references, case studies + the people credited + their
    # outputs' pair members, featured outputs not yet placed (none here), surveys, and five per survey for its results,
    # and the pairs that finished each refining step
    with django_assert_num_queries(31):
        build_report(world.cohort)
