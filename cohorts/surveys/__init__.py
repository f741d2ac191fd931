"""Surveys: results figures (shared with the year-end report), access, reading and the services that write them.

The modules are along their seams: `results` (arithmetic), `permissions` (access helpers, 404 for
others), `selectors` (states and what a member is asked) and `services` (building and answering).
Callers may import from the package.
"""

from ..rules import (
    CHOICE_NEEDS_TWO_OPTIONS,
    QUESTION_DELETE_AFTER_RESPONSES,
    QUESTION_KIND_AFTER_ANSWERS,
    SURVEY_CLOSES_BEFORE_OPEN,
)
from .permissions import get_question_for_staff, get_survey_for_member, get_survey_for_staff
from .results import (
    AGREE_VALUES,
    NO_LABEL,
    SCALE_LABELS,
    YES_LABEL,
    OptionCount,
    QuestionResult,
    SurveyResults,
    percent,
    question_labels,
    sides_for_audience,
    survey_highlights,
    survey_results,
)
from .selectors import is_survey_open, questions_for_side, staff_surveys, survey_state, surveys_to_answer
from .services import (
    SURVEY_CLOSED,
    SURVEY_NEEDS_A_QUESTION,
    SURVEY_NOT_ASKED,
    SURVEY_NOT_OPEN,
    answer_value,
    survey_closed_message,
    survey_create,
    survey_question_add,
    survey_question_delete,
    survey_question_move,
    survey_question_update,
    survey_response_save,
    survey_update,
)

__all__ = [
    "AGREE_VALUES",
    "CHOICE_NEEDS_TWO_OPTIONS",
    "NO_LABEL",
    "QUESTION_DELETE_AFTER_RESPONSES",
    "QUESTION_KIND_AFTER_ANSWERS",
    "SCALE_LABELS",
    "SURVEY_CLOSED",
    "SURVEY_CLOSES_BEFORE_OPEN",
    "SURVEY_NEEDS_A_QUESTION",
    "SURVEY_NOT_ASKED",
    "SURVEY_NOT_OPEN",
    "YES_LABEL",
    "OptionCount",
    "QuestionResult",
    "SurveyResults",
    "answer_value",
    "get_question_for_staff",
    "get_survey_for_member",
    "get_survey_for_staff",
    "is_survey_open",
    "percent",
    "question_labels",
    "questions_for_side",
    "sides_for_audience",
    "staff_surveys",
    "survey_closed_message",
    "survey_create",
    "survey_highlights",
    "survey_question_add",
    "survey_question_delete",
    "survey_question_move",
    "survey_question_update",
    "survey_response_save",
    "survey_results",
    "survey_state",
    "survey_update",
    "surveys_to_answer",
]
