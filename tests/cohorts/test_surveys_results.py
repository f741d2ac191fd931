"""Survey results on a hand-made data set: response rate, counts and percentages overall and by side."""

from __future__ import annotations

import pytest

from cohorts.models import Membership, Side, SurveyQuestion
from cohorts.surveys import percent, survey_highlights, survey_results
from programme.exports import safe_cell
from tests.factories import (
    ApplicationFactory,
    MembershipFactory,
    SurveyAnswerFactory,
    SurveyFactory,
    SurveyQuestionFactory,
    SurveyResponseFactory,
)

pytestmark = pytest.mark.django_db


def _respond(survey, membership, answers):
    """answers: question -> value (an int for scale, a bool for yes/no, a str for choice and text)."""
    response = SurveyResponseFactory(survey=survey, membership=membership)
    for question, value in answers.items():
        field = {
            SurveyQuestion.Kind.SCALE: "scale_value",
            SurveyQuestion.Kind.YES_NO: "yes_no_value",
            SurveyQuestion.Kind.CHOICE: "choice_value",
            SurveyQuestion.Kind.TEXT: "text_value",
        }[question.kind]
        SurveyAnswerFactory(response=response, question=question, **{"scale_value": None, field: value})
    return response


@pytest.fixture
def evaluation(world):
    """4 practitioners and 2 policymakers answer (of 3 + 3 asked, plus a withdrawn member who answered)."""
    survey = SurveyFactory(cohort=world.cohort)
    ability = SurveyQuestionFactory(survey=survey, order=1, text="The programme increased my ability to engage.")
    recommend = SurveyQuestionFactory(survey=survey, order=2, kind=SurveyQuestion.Kind.YES_NO, text="Recommend it?")
    format_ = SurveyQuestionFactory(
        survey=survey,
        order=3,
        kind=SurveyQuestion.Kind.CHOICE,
        choices="Workshops\nVisits\nRoundtables",
        text="What helped most?",
        audience=Side.PRACTITIONER,
    )
    comments = SurveyQuestionFactory(survey=survey, order=4, kind=SurveyQuestion.Kind.TEXT, text="Anything else?")
    q = {"ability": ability, "recommend": recommend, "format": format_, "comments": comments}

    practitioners = [world.bob_membership, world.carol_membership]
    practitioners += MembershipFactory.create_batch(2, cohort=world.cohort, side=Side.PRACTITIONER)
    # alice, carol's partner and one more are policymakers: 3 asked; bob, carol + 2 practitioners: 4 asked.
    MembershipFactory(cohort=world.cohort, side=Side.POLICYMAKER, status=Membership.Status.COMPLETED)
    policymakers = list(Membership.objects.filter(cohort=world.cohort, side=Side.POLICYMAKER))
    withdrawn = MembershipFactory(
        cohort=world.cohort, side=Side.PRACTITIONER, status=Membership.Status.WITHDRAWN, withdrawn_on="2015-01-01"
    )
    ApplicationFactory(cohort=world.cohort, side=Side.PRACTITIONER)

    _respond(
        survey,
        practitioners[0],
        {q["ability"]: 5, q["recommend"]: True, q["format"]: "Visits", q["comments"]: "Bob's note"},
    )
    _respond(
        survey,
        practitioners[1],
        {q["ability"]: 4, q["recommend"]: True, q["format"]: "Visits", q["comments"]: "=HYPERLINK(1)"},
    )
    _respond(
        survey, practitioners[2], {q["ability"]: 2, q["recommend"]: False, q["format"]: "Workshops", q["comments"]: ""}
    )
    _respond(survey, practitioners[3], {q["ability"]: 5, q["recommend"]: True})
    _respond(survey, policymakers[0], {q["ability"]: 3, q["recommend"]: False, q["comments"]: "Alice's view"})
    _respond(survey, policymakers[1], {q["ability"]: 4, q["recommend"]: True})
    _respond(survey, withdrawn, {q["ability"]: 1, q["recommend"]: False, q["comments"]: "Withdrawn member"})
    return survey, q


def _by_question(results):
    return {result.question.text: result for result in results.questions}


def test_response_rate_counts_current_and_completed_members_only(world, evaluation):
    survey, _ = evaluation
    results = survey_results(survey)
    assert results.asked == 7  # 3 policymakers + 4 practitioners; withdrawn and applied are not asked
    assert results.responded == 6
    assert results.response_rate == 86
    assert results.responded_by_side == {Side.POLICYMAKER: 2, Side.PRACTITIONER: 4}


def test_scale_question_counts_and_percentages_by_side(world, evaluation):
    survey, q = evaluation
    ability = _by_question(survey_results(survey))[q["ability"].text]
    assert ability.answered == 6
    options = {option.label: option for option in ability.options}
    assert [option.label for option in ability.options] == [
        "Strongly disagree",
        "Disagree",
        "Neither agree nor disagree",
        "Agree",
        "Strongly agree",
    ]
    assert options["Strongly agree"].overall == 2
    assert options["Strongly agree"].overall_pct == 33
    assert options["Strongly agree"].by_side == {Side.POLICYMAKER: (0, 0), Side.PRACTITIONER: (2, 50)}
    assert options["Agree"].by_side == {Side.POLICYMAKER: (1, 50), Side.PRACTITIONER: (1, 25)}
    assert options["Strongly disagree"].overall == 0  # the withdrawn member's answer is not counted
    assert ability.agree_pct == 67  # 4 of 6
    assert ability.agree_pct_by_side == {Side.POLICYMAKER: 50, Side.PRACTITIONER: 75}


def test_yes_no_and_side_only_choice_question(world, evaluation):
    survey, q = evaluation
    by_text = _by_question(survey_results(survey))
    recommend = by_text[q["recommend"].text]
    assert recommend.agree_pct == 67
    assert recommend.agree_pct_by_side == {Side.POLICYMAKER: 50, Side.PRACTITIONER: 75}
    helped = by_text[q["format"].text]
    assert helped.answered == 3
    assert helped.agree_pct is None
    assert [(o.label, o.overall, o.overall_pct) for o in helped.options] == [
        ("Workshops", 1, 33),
        ("Visits", 2, 67),
        ("Roundtables", 0, 0),
    ]
    assert helped.options[1].by_side == {Side.PRACTITIONER: (2, 67)}


def test_free_text_answers_are_listed_without_names(world, evaluation):
    survey, q = evaluation
    comments = _by_question(survey_results(survey))[q["comments"].text]
    assert comments.texts == ["=HYPERLINK(1)", "Alice's view", "Bob's note"]
    assert comments.answered == 3
    assert not hasattr(comments.texts[0], "membership")


def test_highlights_read_like_the_report(world, evaluation):
    survey, _ = evaluation
    sentences = survey_highlights(survey_results(survey))
    assert (
        "75% of practitioner respondents agreed or strongly agreed that "
        "“The programme increased my ability to engage” (3 of 4)."
    ) in sentences
    assert "67% of respondents answered yes to “Recommend it?” (4 of 6)." in sentences


def test_results_of_a_survey_without_answers(world):
    survey = SurveyFactory(cohort=world.cohort)
    SurveyQuestionFactory(survey=survey, audience=Side.POLICYMAKER)
    results = survey_results(survey)
    assert results.asked == 2  # alice and carol's partner
    assert results.responded == 0 and results.response_rate == 0
    assert results.questions[0].agree_pct is None
    assert results.questions[0].agree_pct_by_side == {Side.POLICYMAKER: None}
    assert survey_highlights(results) == []


def test_survey_results_query_count_does_not_grow(world, django_assert_num_queries):
    def survey_with(n):
        survey = SurveyFactory(cohort=world.cohort)
        scale = SurveyQuestionFactory(survey=survey)
        text = SurveyQuestionFactory(survey=survey, kind=SurveyQuestion.Kind.TEXT)
        for membership in MembershipFactory.create_batch(n, cohort=world.cohort):
            _respond(survey, membership, {scale: 4, text: "Useful"})
        return survey

    few, many = survey_with(5), survey_with(50)
    with django_assert_num_queries(5):
        survey_results(few)
    with django_assert_num_queries(5):
        assert survey_results(many).responded == 50


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Plain text", "Plain text"),
        (85, "85"),
        (None, ""),
    ],
)
def test_safe_cell_neutralises_formulae(value, expected):
    assert safe_cell(value) == expected


def test_percent_rounds_half_up():
    assert percent(1, 8) == 13  # 12.5
    assert percent(2, 3) == 67
    assert percent(0, 0) == 0
