"""Survey pages: every URL × persona, the builder's refusals, answering, results, export and the dashboard card."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Membership, Side, Survey, SurveyAnswer, SurveyQuestion, SurveyResponse
from cohorts.surveys import (
    CHOICE_NEEDS_TWO_OPTIONS,
    QUESTION_DELETE_AFTER_RESPONSES,
    QUESTION_KIND_AFTER_ANSWERS,
    SURVEY_CLOSES_BEFORE_OPEN,
    SURVEY_NEEDS_A_QUESTION,
    survey_question_add,
    survey_response_save,
)
from tests.conftest import PERSONAS
from tests.factories import MembershipFactory, SurveyFactory

STAFF = {"manager", "facilitator"}
MEMBERS = {"alice", "bob", "carol"}


@dataclass
class Evaluation:
    survey: Survey
    ability: SurveyQuestion  # scale, everyone
    recommend: SurveyQuestion  # yes/no, policymakers only
    comments: SurveyQuestion  # free text, practitioners only


@pytest.fixture
def evaluation(world) -> Evaluation:
    survey = SurveyFactory(cohort=world.cohort, title="End-of-year evaluation")
    ability = survey_question_add(
        survey=survey, text="The programme increased my ability to engage.", kind=SurveyQuestion.Kind.SCALE
    )
    recommend = survey_question_add(
        survey=survey,
        text="Would you recommend it?",
        kind=SurveyQuestion.Kind.YES_NO,
        audience=SurveyQuestion.Audience.POLICYMAKERS,
    )
    comments = survey_question_add(
        survey=survey,
        text="Anything else?",
        kind=SurveyQuestion.Kind.TEXT,
        audience=SurveyQuestion.Audience.PRACTITIONERS,
    )
    return Evaluation(survey=survey, ability=ability, recommend=recommend, comments=comments)


def _answers(e: Evaluation, **overrides) -> dict:
    data = {f"q{e.ability.pk}": "4", f"q{e.recommend.pk}": "yes", f"q{e.comments.pk}": "Very useful"}
    data.update({f"q{getattr(e, name).pk}": value for name, value in overrides.items()})
    return data


def _state() -> tuple:
    return (
        tuple(Survey.objects.order_by("pk").values_list("pk", "title", "introduction", "opens_at", "closes_at")),
        tuple(SurveyQuestion.objects.order_by("pk").values_list("pk", "order", "text", "kind", "audience", "choices")),
        tuple(SurveyResponse.objects.order_by("pk").values_list("pk", "membership_id")),
        tuple(
            SurveyAnswer.objects.order_by("pk").values_list(
                "pk", "scale_value", "yes_no_value", "choice_value", "text_value"
            )
        ),
    )


def _survey_post(w, e) -> dict:
    return {
        "title": "Mid-year check-in",
        "introduction": "",
        "opens_at": "2031-03-01T09:00",
        "closes_at": "2031-03-15T17:00",
    }


def _question_post(w, e) -> dict:
    return {"text": "Changed wording", "kind": "scale", "audience": "all", "choices": ""}


def _url(name, *args):
    return lambda w, e: reverse(f"cohorts:{name}", args=[a(w, e) for a in args])


def _cohort(w, e):
    return w.cohort.pk


def _survey(w, e):
    return e.survey.pk


def _first(w, e):
    return e.ability.pk


# (name, method, url builder, data builder, personas allowed)
CASES = [
    ("surveys", "get", _url("surveys"), None, STAFF | {"other_facilitator"}),
    ("survey-list", "get", _url("survey-list", _cohort), None, STAFF),
    ("survey-create", "get", _url("survey-create", _cohort), None, STAFF),
    ("survey-create", "post", _url("survey-create", _cohort), _survey_post, STAFF),
    ("survey-detail", "get", _url("survey-detail", _survey), None, STAFF),
    ("survey-edit", "get", _url("survey-edit", _survey), None, STAFF),
    ("survey-edit", "post", _url("survey-edit", _survey), _survey_post, STAFF),
    ("survey-question-add", "get", _url("survey-question-add", _survey), None, STAFF),
    ("survey-question-add", "post", _url("survey-question-add", _survey), _question_post, STAFF),
    ("survey-question-edit", "get", _url("survey-question-edit", _survey, _first), None, STAFF),
    ("survey-question-edit", "post", _url("survey-question-edit", _survey, _first), _question_post, STAFF),
    (
        "survey-question-move",
        "post",
        _url("survey-question-move", _survey, _first),
        lambda w, e: {"direction": "down"},
        STAFF,
    ),
    ("survey-question-delete", "get", _url("survey-question-delete", _survey, _first), None, STAFF),
    ("survey-question-delete", "post", _url("survey-question-delete", _survey, _first), lambda w, e: {}, STAFF),
    ("survey-results", "get", _url("survey-results", _survey), None, STAFF),
    ("survey-export", "get", _url("survey-export", _survey), None, STAFF),
    ("survey-answer", "get", _url("survey-answer", _survey), None, MEMBERS),
    ("survey-answer", "post", _url("survey-answer", _survey), lambda w, e: _answers(e), MEMBERS),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("name", "method", "url", "data", "allowed"), CASES, ids=[f"{c[1]}-{c[0]}" for c in CASES])
def test_permission_matrix(world, evaluation, login_as, persona, name, method, url, data, allowed):
    client = login_as(persona)
    before = _state()
    target = url(world, evaluation)
    response = client.get(target) if method == "get" else client.post(target, data(world, evaluation))

    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        assert _state() == before
    elif persona in allowed:
        assert response.status_code in (200, 302), response.content[:500]
        if method == "post":
            assert _state() != before, "an allowed POST should have done something"
    else:
        assert response.status_code == 404
        assert _state() == before


def test_other_cohorts_survey_is_404_for_its_non_staff(world, login_as):
    other = SurveyFactory(cohort=world.other_cohort)
    survey_question_add(survey=other, text="Useful?", kind=SurveyQuestion.Kind.YES_NO)
    for persona in ("facilitator", "alice"):
        client = login_as(persona)
        for name in ("survey-detail", "survey-results", "survey-export", "survey-answer"):
            assert client.get(reverse(f"cohorts:{name}", args=[other.pk])).status_code == 404
    assert login_as("dave").get(reverse("cohorts:survey-answer", args=[other.pk])).status_code == 200


# --- The builder ---------------------------------------------------------------------------------


def test_survey_that_closes_before_it_opens_is_refused_and_the_input_kept(world, login_as):
    client = login_as("facilitator")
    data = {"title": "Kept title", "introduction": "", "opens_at": "2031-03-15T09:00", "closes_at": "2031-03-01T09:00"}
    response = client.post(reverse("cohorts:survey-create", args=[world.cohort.pk]), data)
    assert response.status_code == 200
    assert SURVEY_CLOSES_BEFORE_OPEN in response.content.decode()
    assert "Kept title" in response.content.decode()
    assert not Survey.objects.exists()


def test_survey_dates_are_entered_in_london_time(world, login_as):
    client = login_as("facilitator")
    data = {"title": "Summer", "introduction": "", "opens_at": "2031-07-01T09:00", "closes_at": "2031-07-15T17:00"}
    client.post(reverse("cohorts:survey-create", args=[world.cohort.pk]), data)
    survey = Survey.objects.get()
    assert timezone.localtime(survey.opens_at).hour == 9
    assert survey.opens_at.utcoffset() is not None and survey.opens_at.astimezone(UTC).hour == 8


def test_single_choice_needs_two_options_and_keeps_the_input(world, evaluation, login_as):
    client = login_as("facilitator")
    before = _state()
    data = {"text": "Which helped most?", "kind": "choice", "audience": "all", "choices": "Workshops\n  \n"}
    response = client.post(reverse("cohorts:survey-question-add", args=[evaluation.survey.pk]), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert CHOICE_NEEDS_TWO_OPTIONS in content
    assert "Which helped most?" in content and "Workshops" in content
    assert _state() == before


def test_single_choice_options_are_saved_one_per_line(world, evaluation, login_as):
    client = login_as("facilitator")
    data = {"text": "Which helped most?", "kind": "choice", "audience": "all", "choices": " Workshops\n\nVisits \n"}
    client.post(reverse("cohorts:survey-question-add", args=[evaluation.survey.pk]), data)
    question = evaluation.survey.questions.get(text="Which helped most?")
    assert question.choice_list() == ["Workshops", "Visits"]
    assert question.order == 4


def test_survey_without_questions_is_a_draft_members_do_not_see(world, login_as):
    survey = SurveyFactory(cohort=world.cohort, title="Empty survey")
    response = login_as("facilitator").get(reverse("cohorts:survey-detail", args=[survey.pk]))
    assert SURVEY_NEEDS_A_QUESTION in response.content.decode()
    client = login_as("alice")
    assert client.get(reverse("cohorts:survey-answer", args=[survey.pk])).status_code == 404
    assert "Empty survey" not in client.get(reverse("dashboard:home")).content.decode()


def test_questions_move_up_and_down(world, evaluation, login_as):
    client = login_as("facilitator")
    url = reverse("cohorts:survey-question-move", args=[evaluation.survey.pk, evaluation.comments.pk])
    client.post(url, {"direction": "up"})
    assert list(evaluation.survey.questions.order_by("order").values_list("text", flat=True)) == [
        "The programme increased my ability to engage.",
        "Anything else?",
        "Would you recommend it?",
    ]
    client.post(reverse("cohorts:survey-question-move", args=[evaluation.survey.pk, evaluation.ability.pk]), {})
    first = evaluation.survey.questions.order_by("order").first()
    assert first.text == "The programme increased my ability to engage."  # already first: nothing moves
    client.post(url, {"direction": "down"})
    client.post(url, {"direction": "down"})  # already last
    assert evaluation.survey.questions.order_by("order").last().pk == evaluation.comments.pk


def test_delete_asks_for_confirmation_then_deletes(world, evaluation, login_as):
    client = login_as("facilitator")
    url = reverse("cohorts:survey-question-delete", args=[evaluation.survey.pk, evaluation.comments.pk])
    assert "Delete question" in client.get(url).content.decode()
    assert evaluation.survey.questions.count() == 3
    client.post(url)
    assert not SurveyQuestion.objects.filter(pk=evaluation.comments.pk).exists()


def test_delete_after_the_first_response_is_refused_with_a_message(world, evaluation, login_as):
    survey_response_save(survey=evaluation.survey, membership=world.bob_membership, answers={evaluation.ability.pk: 4})
    client = login_as("facilitator")
    url = reverse("cohorts:survey-question-delete", args=[evaluation.survey.pk, evaluation.recommend.pk])
    assert QUESTION_DELETE_AFTER_RESPONSES in client.get(url).content.decode()
    before = _state()
    response = client.post(url, follow=True)
    assert QUESTION_DELETE_AFTER_RESPONSES in response.content.decode()
    assert _state() == before


def test_kind_of_an_answered_question_cannot_change(world, evaluation, login_as):
    survey_response_save(survey=evaluation.survey, membership=world.bob_membership, answers={evaluation.ability.pk: 4})
    client = login_as("facilitator")
    url = reverse("cohorts:survey-question-edit", args=[evaluation.survey.pk, evaluation.ability.pk])
    before = _state()
    response = client.post(url, {"text": "Reworded", "kind": "yes_no", "audience": "all", "choices": ""})
    assert QUESTION_KIND_AFTER_ANSWERS in response.content.decode()
    assert _state() == before
    client.post(url, {"text": "Reworded", "kind": "scale", "audience": "all", "choices": ""})
    evaluation.ability.refresh_from_db()
    assert evaluation.ability.text == "Reworded"


# --- Answering -----------------------------------------------------------------------------------


def test_members_see_only_the_questions_for_their_side(world, evaluation, login_as):
    alice_page = login_as("alice").get(reverse("cohorts:survey-answer", args=[evaluation.survey.pk])).content.decode()
    assert "Would you recommend it?" in alice_page and "Anything else?" not in alice_page
    bob_page = login_as("bob").get(reverse("cohorts:survey-answer", args=[evaluation.survey.pk])).content.decode()
    assert "Anything else?" in bob_page and "Would you recommend it?" not in bob_page
    assert "The programme increased my ability to engage." in alice_page and "engage." in bob_page


def test_a_member_answers_once_and_answering_again_changes_the_same_response(world, evaluation, login_as):
    client = login_as("alice")
    url = reverse("cohorts:survey-answer", args=[evaluation.survey.pk])
    response = client.post(url, _answers(evaluation))
    assert response.status_code == 302
    first = SurveyResponse.objects.get(membership=world.alice_membership)
    assert {a.question_id for a in first.answers.all()} == {evaluation.ability.pk, evaluation.recommend.pk}

    client.post(url, _answers(evaluation, ability="2", recommend="no"))
    assert SurveyResponse.objects.filter(membership=world.alice_membership).count() == 1
    answers = {a.question_id: a for a in SurveyResponse.objects.get().answers.all()}
    assert len(answers) == 2
    assert answers[evaluation.ability.pk].scale_value == 2
    assert answers[evaluation.recommend.pk].yes_no_value is False
    page = client.get(url).content.decode()
    assert "Save my changes" in page


def test_a_missing_answer_is_refused_with_nothing_saved(world, evaluation, login_as):
    client = login_as("alice")
    data = _answers(evaluation)
    del data[f"q{evaluation.ability.pk}"]
    response = client.post(reverse("cohorts:survey-answer", args=[evaluation.survey.pk]), data)
    assert response.status_code == 200
    assert "Please answer this question." in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_answering_after_the_survey_closed_is_refused_with_nothing_saved(world, evaluation, login_as):
    client = login_as("bob")
    url = reverse("cohorts:survey-answer", args=[evaluation.survey.pk])
    client.post(url, _answers(evaluation))
    Survey.objects.filter(pk=evaluation.survey.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    before = _state()
    response = client.post(url, _answers(evaluation, ability="1", comments="Too late"), follow=True)
    assert "This survey closed on" in response.content.decode()
    assert "your answers were not saved" in response.content.decode()
    assert _state() == before
    # Their own answers stay readable, but not editable.
    page = client.get(url).content.decode()
    assert "has closed" in page and "Very useful" in page


def test_a_survey_not_yet_open_is_404(world, evaluation, login_as):
    Survey.objects.filter(pk=evaluation.survey.pk).update(opens_at=timezone.now() + timedelta(days=1))
    assert login_as("alice").get(reverse("cohorts:survey-answer", args=[evaluation.survey.pk])).status_code == 404


def test_withdrawn_members_are_not_asked(world, evaluation, login_as):
    Membership.objects.filter(pk=world.carol_membership.pk).update(status="withdrawn", withdrawn_on="2015-01-01")
    client = login_as("carol")
    before = _state()
    assert client.get(reverse("cohorts:survey-answer", args=[evaluation.survey.pk])).status_code == 404
    assert (
        client.post(reverse("cohorts:survey-answer", args=[evaluation.survey.pk]), _answers(evaluation)).status_code
        == 404
    )
    assert _state() == before


def test_a_survey_for_the_other_side_only_is_404(world, login_as):
    survey = SurveyFactory(cohort=world.cohort, title="For practitioners")
    survey_question_add(
        survey=survey, text="Useful?", kind=SurveyQuestion.Kind.YES_NO, audience=SurveyQuestion.Audience.PRACTITIONERS
    )
    assert login_as("alice").get(reverse("cohorts:survey-answer", args=[survey.pk])).status_code == 404
    assert login_as("bob").get(reverse("cohorts:survey-answer", args=[survey.pk])).status_code == 200


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
    client.post(reverse("cohorts:survey-answer", args=[evaluation.survey.pk]), _answers(evaluation))
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
        assert name not in page
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
