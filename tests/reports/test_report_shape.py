"""The report's shape: survey evidence the facilitators choose (disclosure below 5 answers), events not yet held,
uploaded figures numbered with the drawn ones, and Section 2's pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Side
from reports.building import build_report
from reports.models import ReportFigure, ReportPart, SurveyEvidence
from reports.rules import FIGURE_NOT_IMAGE
from reports.services import survey_evidence_add
from reports.source import report_markdown
from tests.factories import (
    EventFactory,
    MembershipFactory,
    SurveyAnswerFactory,
    SurveyFactory,
    SurveyQuestionFactory,
    SurveyResponseFactory,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def _answered(survey, question, count: int, *, side: str = Side.PRACTITIONER, value: int = 5) -> None:
    for _ in range(count):
        membership = MembershipFactory(cohort=survey.cohort, side=side)
        response = SurveyResponseFactory(survey=survey, membership=membership)
        SurveyAnswerFactory(response=response, question=question, scale_value=value)


@pytest.mark.parametrize(
    ("count", "printed", "percent_shown"),
    [(4, "All respondents: 4 respondents", False), (5, "All respondents: 100% agreed (5 respondents)", True)],
)
def test_a_survey_figure_below_5_respondents_prints_the_count_and_no_percentage(world, count, printed, percent_shown):
    survey = SurveyFactory(cohort=world.cohort)
    question = SurveyQuestionFactory(survey=survey, text="The programme was worth my time.")
    _answered(survey, question, count)
    survey_evidence_add(cohort=world.cohort, question=question, breakdown=SurveyEvidence.Breakdown.OVERALL)

    data = build_report(world.cohort)
    line = next(line for line in report_markdown(data).splitlines() if "worth my time" in line)

    assert printed in line.replace("\\", "")
    assert ("%" in line) is percent_shown
    assert bool(data.survey_bars) is percent_shown  # no bar either


def test_survey_evidence_is_printed_once_by_side_and_may_come_from_an_earlier_cohort(world):
    earlier = SurveyFactory(cohort=world.other_cohort)
    question = SurveyQuestionFactory(survey=earlier, text="I understand policymakers better.")
    _answered(earlier, question, 6, side=Side.PRACTITIONER)
    _answered(earlier, question, 3, side=Side.POLICYMAKER)
    survey_evidence_add(cohort=world.cohort, question=question, breakdown=SurveyEvidence.Breakdown.BY_SIDE)

    lines = [line for line in report_markdown(build_report(world.cohort)).splitlines() if "policymakers better" in line]

    assert len(lines) == 1
    text = lines[0].replace("\\", "")
    assert "Practitioners: 100% agreed (6 respondents)" in text and "Policymakers: 3 respondents" in text
    with pytest.raises(Exception, match="already in the report"):
        survey_evidence_add(cohort=world.cohort, question=question, breakdown=SurveyEvidence.Breakdown.OVERALL)


def test_how_the_programme_works_counts_only_events_already_held(world):
    now = timezone.now()
    EventFactory(cohort=world.cohort, starts_at=now - timedelta(days=3), title="Held")
    EventFactory(cohort=world.cohort, starts_at=now + timedelta(days=30), title="Planned")

    events = build_report(world.cohort).figures.events

    assert [event.title for event in events] == ["Held"]


def test_an_uploaded_figure_is_placed_and_numbered_with_the_drawn_figures(world, login_as):
    client = login_as("facilitator")
    url = reverse("reports:figure-upload", args=[world.cohort.pk])
    fake = SimpleUploadedFile("figure.png", b"not an image at all", content_type="image/png")

    refused = client.post(url, {"caption": "Stewards", "description": "A diagram", "image": fake})
    accepted = client.post(
        url,
        {
            "caption": "The role of system stewards",
            "description": "A diagram",
            "image": SimpleUploadedFile("f.png", PNG),
        },
    )

    assert refused.status_code == 400 and FIGURE_NOT_IMAGE in refused.content.decode()
    assert accepted.status_code == 302
    figure = ReportFigure.objects.get(cohort=world.cohort)
    assert figure.media_type == "image/png"
    ReportPart.objects.create(
        cohort=world.cohort, title="Stewards", body=f"As the figure shows.\n\n[[figure:{figure.pk}]]"
    )
    source = report_markdown(build_report(world.cohort))
    captions = [line for line in source.splitlines() if line.startswith("![Figure") or line.startswith(": Figure")]
    assert captions and captions[-1].startswith(f"![Figure {len(captions)}: The role of system stewards]")


def test_section_two_page_lists_parts_and_adds_a_lesson(world, login_as):
    client = login_as("facilitator")
    ReportPart.objects.create(cohort=world.cohort, title="Why connect policymakers and practitioners?")

    page = client.get(reverse("reports:section-two", args=[world.cohort.pk]))
    added = client.post(
        reverse("reports:part-create", args=[world.cohort.pk]),
        {"kind": "lesson", "title": "Give participants clear tasks and deadlines", "body": "[[ref:999999]]"},
    )

    assert "Why connect policymakers and practitioners?" in page.content.decode()
    assert added.status_code == 200 and "is not a reference of this cohort" in added.content.decode()
    assert not ReportPart.objects.filter(kind=ReportPart.Kind.LESSON).exists()
