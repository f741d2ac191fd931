"""Admin for programme managers: cohorts, questions and findings, recruitment, events and surveys.

Memberships are registered in pairs/admin, because their commitment days are derived from pair
activities and this app must not import pairs. Importing the modules registers their admin classes.
"""

from .cohorts import CohortAdmin
from .common import CohortFilter, cohort_members
from .events import EventAdmin
from .surveys import SurveyAdmin

__all__ = ["CohortAdmin", "CohortFilter", "EventAdmin", "SurveyAdmin", "cohort_members"]
