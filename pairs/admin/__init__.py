"""Admin for programme managers: learning pairs, their members and steps, activities and memberships.

Memberships are registered here rather than in cohorts/admin: their commitment days come from
pair activities (pairs.commitment), and cohorts must not import pairs. For the same reason the
cohort page gets its step-deadline inline from here, through programme.navigation.

Writes that carry pairing rules go through pairs.services, never around them: forming pairs and
joining, leaving or moving members happen on the cohort's staff pages (pairs:cohort-overview), so
here pairs' members are shown, not edited; withdrawing a member and completing a step call the
same services those pages call. Importing the modules registers their admin classes.
"""

from .activities import ActivityAdmin
from .cohorts import StepDeadlineAdmin
from .memberships import MembershipAdmin
from .pairs import LearningPairAdmin, PairMemberAdmin, StepProgressAdmin

__all__ = [
    "ActivityAdmin",
    "LearningPairAdmin",
    "MembershipAdmin",
    "PairMemberAdmin",
    "StepDeadlineAdmin",
    "StepProgressAdmin",
]
