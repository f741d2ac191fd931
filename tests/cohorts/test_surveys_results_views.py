"""Survey pages, continued: the dashboard card, the results page and the export."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from cohorts.models import Side, Survey, SurveyQuestion
from cohorts.surveys import (
    survey_question_add,
    survey_response_save,
)
from tests.cohorts.surveys_world import Evaluation
from tests.cohorts.surveys_world import answers as answers_for
from tests.factories import MembershipFactory, SurveyFactory

STAFF = {"manager", "facilitator"}
MEMBERS = {"alice", "bob", "carol"}

# --- The dashboard card --------------------------------------------------------------------------


def test_dashboard_lists_open_surveys_answered_or_not(world, evaluation, login_as):
    closed = SurveyFactory(
        cohort=world.cohort,
        title="Last year's survey",
        opens_at=timezone.now() - timedelta(days=30),
        closes_at=timezone.now() - timedelta(days=1),
    )
    survey_question_add(survey=closed, text="Useful?", kind=SurveyQuestion.Kind.YES_NO)
    client = login_as("alice")
    page = client.get(reverse("dashboard:home")).content.decode()
    assert "Surveys to answer" in page and "End-of-year evaluation" in page and "Not answered yet" in page
    assert "Last year&#x27;s survey" not in page and "Last year's survey" not in page
    client.post(reverse("cohorts:survey-answer", args=[evaluation.survey.pk]), answers_for(evaluation))
    assert "Answered: you can change your answers" in client.get(reverse("dashboard:home")).content.decode()


def test_dashboard_surveys_card_query_count_is_constant(world, login_as):
    def count() -> int:
        client = login_as("alice")
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("dashboard:home"))
        return len(queries)

    def add_survey(n: int) -> None:
        survey = SurveyFactory(cohort=world.cohort, title=f"Survey {n}")
        survey_question_add(survey=survey, text="Useful?", kind=SurveyQuestion.Kind.YES_NO)

    add_survey(0)
    with_one = count()
    for n in range(1, 5):
        add_survey(n)
    survey_response_save(
        survey=Survey.objects.get(title="Survey 2"),
        membership=world.alice_membership,
        answers={Survey.objects.get(title="Survey 2").questions.get().pk: True},
    )
    assert count() == with_one


# --- Results and export --------------------------------------------------------------------------


def _respond_all(e: Evaluation, memberships) -> None:
    for index, membership in enumerate(memberships):
        survey_response_save(
            survey=e.survey,
            membership=membership,
            answers={e.ability.pk: 1 + index % 5, e.recommend.pk: index % 2 == 0, e.comments.pk: f"Comment {index}"},
        )


def test_results_page_shows_figures_and_free_text_without_names(world, evaluation, login_as):
    survey_response_save(
        survey=evaluation.survey,
        membership=world.bob_membership,
        answers={evaluation.ability.pk: 5, evaluation.comments.pk: "Visiting the job centre changed my view."},
    )
    survey_response_save(
        survey=evaluation.survey,
        membership=world.carol_membership,
        answers={evaluation.ability.pk: 2, evaluation.comments.pk: "More workshops, please."},
    )
    survey_response_save(
        survey=evaluation.survey,
        membership=world.alice_membership,
        answers={evaluation.ability.pk: 4, evaluation.recommend.pk: True},
    )
    page = login_as("facilitator").get(reverse("cohorts:survey-results", args=[evaluation.survey.pk])).content.decode()
    assert "75%" in page  # 3 of 4 members asked
    assert "Visiting the job centre changed my view." in page and "More workshops, please." in page
    for name in ("Alice", "Bob", "Carol", "alice@example.org"):
        # As a word: a random CSRF token on the page ("…aBBob1G…") is not a name.
        assert not re.search(rf"\b{re.escape(name)}\b", page), name
    assert 'id="survey-charts"' in page and f'id="survey-chart-{evaluation.ability.pk}"' in page
    assert "js/survey_charts.js" in page
    assert "<script>" not in page  # no inline script: json_script and a static file only
    assert "50% of practitioner respondents agreed or strongly agreed" in page


def test_results_page_query_count_does_not_grow_with_responses(world, django_assert_num_queries, login_as):
    def survey_with(n: int) -> Survey:
        survey = SurveyFactory(cohort=world.cohort)
        e = Evaluation(
            survey=survey,
            ability=survey_question_add(survey=survey, text="Able?", kind=SurveyQuestion.Kind.SCALE),
            recommend=survey_question_add(survey=survey, text="Recommend?", kind=SurveyQuestion.Kind.YES_NO),
            comments=survey_question_add(survey=survey, text="Else?", kind=SurveyQuestion.Kind.TEXT),
        )
        _respond_all(e, MembershipFactory.create_batch(n, cohort=world.cohort, side=Side.PRACTITIONER))
        return survey

    few, many = survey_with(5), survey_with(50)
    client = login_as("facilitator")

    def count(survey: Survey) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("cohorts:survey-results", args=[survey.pk])).status_code == 200
        return len(queries)

    count(few)  # warm the session
    assert count(few) == count(many)


def test_csv_export_neutralises_formulae_and_has_no_names(world, evaluation, login_as):
    survey_response_save(
        survey=evaluation.survey,
        membership=world.bob_membership,
        answers={evaluation.ability.pk: 5, evaluation.comments.pk: '=HYPERLINK("http://evil.example","x")'},
    )
    survey_response_save(
        survey=evaluation.survey,
        membership=world.carol_membership,
        answers={evaluation.ability.pk: 4, evaluation.comments.pk: "@SUM(1+1)"},
    )
    response = login_as("manager").get(reverse("cohorts:survey-export", args=[evaluation.survey.pk]))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    content = response.content.decode()
    rows = list(csv.reader(io.StringIO(content)))
    texts = [row[1] for row in rows if row and row[0] == "Anything else?" and len(row) == 2]
    assert texts == ['\'=HYPERLINK("http://evil.example","x")', "'@SUM(1+1)"]
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    for name in ("Bob", "Carol", "bob@example.org"):
        assert name not in content
    agree = [row for row in rows if row[:1] == ["The programme increased my ability to engage."] and row[3] == "Agree"]
    assert agree[0][4:10] == ["1", "50", "0", "0", "1", "50"]


def test_results_page_lists_who_has_not_answered_and_reminds_them_once_a_day(world, evaluation, login_as):
    from cohorts.rules import ALREADY_REMINDED_TODAY
    from notifications.models import OutboundMessage

    evaluation.survey.opens_at = timezone.now() - timedelta(days=1)
    evaluation.survey.closes_at = timezone.now() + timedelta(days=6)
    evaluation.survey.save()
    answered = {response.membership_id for response in evaluation.survey.responses.all()}
    waiting = [m for m in world.cohort.memberships.select_related("user").order_by("pk") if m.pk not in answered]
    assert waiting, "the evaluation world leaves someone who has not answered"
    client = login_as("facilitator")
    url = reverse("cohorts:survey-results", args=[evaluation.survey.pk])
    remind = reverse("cohorts:survey-remind", args=[evaluation.survey.pk])

    page = client.get(url).content.decode()
    first = client.post(remind, follow=True)
    sent = OutboundMessage.objects.filter(key__contains=f"reminder:survey:{evaluation.survey.pk}:").count()
    second = client.post(remind, follow=True)

    assert all(escape(m.user.full_name) in page for m in waiting) and "Remind them by email" in page  # "O'Brien"
    assert sent == len(waiting) and f"Reminded {len(waiting)}" in first.content.decode()
    assert OutboundMessage.objects.filter(key__contains=f"reminder:survey:{evaluation.survey.pk}:").count() == sent
    assert ALREADY_REMINDED_TODAY in second.content.decode()
    member_page = login_as("alice").get(url)
    assert member_page.status_code == 404  # staff only
