"""Survey pages: every URL × persona, the builder's refusals and answering (results: test_surveys_results_views)."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest
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
from tests.cohorts.surveys_world import answers as answers_for
from tests.conftest import PERSONAS
from tests.factories import SurveyFactory

STAFF = {"manager", "facilitator"}
MEMBERS = {"alice", "bob", "carol"}


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
    ("survey-answer", "post", _url("survey-answer", _survey), lambda w, e: answers_for(e), MEMBERS),
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
    response = client.post(url, answers_for(evaluation))
    assert response.status_code == 302
    first = SurveyResponse.objects.get(membership=world.alice_membership)
    assert {a.question_id for a in first.answers.all()} == {evaluation.ability.pk, evaluation.recommend.pk}

    client.post(url, answers_for(evaluation, ability="2", recommend="no"))
    assert SurveyResponse.objects.filter(membership=world.alice_membership).count() == 1
    answers = {a.question_id: a for a in SurveyResponse.objects.get().answers.all()}
    assert len(answers) == 2
    assert answers[evaluation.ability.pk].scale_value == 2
    assert answers[evaluation.recommend.pk].yes_no_value is False
    page = client.get(url).content.decode()
    assert "Save my changes" in page


def test_a_missing_answer_is_refused_with_nothing_saved(world, evaluation, login_as):
    client = login_as("alice")
    data = answers_for(evaluation)
    del data[f"q{evaluation.ability.pk}"]
    response = client.post(reverse("cohorts:survey-answer", args=[evaluation.survey.pk]), data)
    assert response.status_code == 200
    assert "Please answer this question." in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_answering_after_the_survey_closed_is_refused_with_nothing_saved(world, evaluation, login_as):
    client = login_as("bob")
    url = reverse("cohorts:survey-answer", args=[evaluation.survey.pk])
    client.post(url, answers_for(evaluation))
    Survey.objects.filter(pk=evaluation.survey.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    before = _state()
    response = client.post(url, answers_for(evaluation, ability="1", comments="Too late"), follow=True)
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
        client.post(reverse("cohorts:survey-answer", args=[evaluation.survey.pk]), answers_for(evaluation)).status_code
        == 404
    )
    assert _state() == before


def test_a_survey_for_the_other_side_only_is_404(world, login_as):
    survey = SurveyFactory(cohort=world.cohort, title="For practitioners")
    survey_question_add(survey=survey, text="Useful?", kind=SurveyQuestion.Kind.YES_NO, audience=Side.PRACTITIONER)
    assert login_as("alice").get(reverse("cohorts:survey-answer", args=[survey.pk])).status_code == 404
    assert login_as("bob").get(reverse("cohorts:survey-answer", args=[survey.pk])).status_code == 200
