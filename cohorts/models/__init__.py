"""One year of a programme: the cohort, its questions and findings, members, events and surveys."""

from .cohort import Cohort, CohortQuerySet, Finding, Question, Side, shape_for_cohort
from .events import (
    Attendance,
    Event,
    EventQuerySet,
    ExternalGuest,
    Insight,
    InsightQuerySet,
    event_numbers,
    number_events,
    number_insight_events,
)
from .members import (
    Application,
    ApplicationAttempt,
    ApplicationQuerySet,
    DecisionLetter,
    Membership,
    MembershipQuerySet,
    attendance_counts_q,
    event_days_of,
)
from .surveys import Survey, SurveyAnswer, SurveyQuestion, SurveyResponse, SurveyResponseQuerySet

__all__ = [
    "Application",
    "ApplicationAttempt",
    "ApplicationQuerySet",
    "Attendance",
    "Cohort",
    "CohortQuerySet",
    "DecisionLetter",
    "Event",
    "EventQuerySet",
    "ExternalGuest",
    "Finding",
    "Insight",
    "InsightQuerySet",
    "Membership",
    "MembershipQuerySet",
    "Question",
    "Side",
    "Survey",
    "SurveyAnswer",
    "SurveyQuestion",
    "SurveyResponse",
    "SurveyResponseQuerySet",
    "attendance_counts_q",
    "event_days_of",
    "event_numbers",
    "number_events",
    "number_insight_events",
    "shape_for_cohort",
]
