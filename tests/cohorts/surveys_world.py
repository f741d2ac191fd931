"""A cohort's end-of-year evaluation with a question for everyone and one for each side, for survey tests."""

from __future__ import annotations

from dataclasses import dataclass

from cohorts.models import Side, Survey, SurveyQuestion
from cohorts.surveys import survey_question_add
from tests.factories import SurveyFactory


@dataclass
class Evaluation:
    survey: Survey
    ability: SurveyQuestion  # scale, everyone
    recommend: SurveyQuestion  # yes/no, policymakers only
    comments: SurveyQuestion  # free text, practitioners only


def make_evaluation(world) -> Evaluation:
    survey = SurveyFactory(cohort=world.cohort, title="End-of-year evaluation")
    ability = survey_question_add(
        survey=survey, text="The programme increased my ability to engage.", kind=SurveyQuestion.Kind.SCALE
    )
    recommend = survey_question_add(
        survey=survey,
        text="Would you recommend it?",
        kind=SurveyQuestion.Kind.YES_NO,
        audience=Side.POLICYMAKER,
    )
    comments = survey_question_add(
        survey=survey,
        text="Anything else?",
        kind=SurveyQuestion.Kind.TEXT,
        audience=Side.PRACTITIONER,
    )
    return Evaluation(survey=survey, ability=ability, recommend=recommend, comments=comments)


def answers(e: Evaluation, **overrides) -> dict:
    data = {f"q{e.ability.pk}": "4", f"q{e.recommend.pk}": "yes", f"q{e.comments.pk}": "Very useful"}
    data.update({f"q{getattr(e, name).pk}": value for name, value in overrides.items()})
    return data
