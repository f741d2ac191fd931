"""Learning pairs, their members over time, the refining steps and the activities they log."""

from ..rules import check_pair_composition
from .activities import Activity, ActivityQuerySet, PrivateNotesReading, PrivateNotesReadingQuerySet
from .pairs import LearningPair, LearningPairQuerySet, PairMember, PairMemberQuerySet
from .steps import (
    Step,
    StepComment,
    StepCommentQuerySet,
    StepDeadline,
    StepProgress,
    StepProgressQuerySet,
)

__all__ = [
    "Activity",
    "ActivityQuerySet",
    "LearningPair",
    "LearningPairQuerySet",
    "PairMember",
    "PairMemberQuerySet",
    "PrivateNotesReading",
    "PrivateNotesReadingQuerySet",
    "Step",
    "StepComment",
    "StepCommentQuerySet",
    "StepDeadline",
    "StepProgress",
    "StepProgressQuerySet",
    "check_pair_composition",
]
