"""Pair suggestions: a cross-sector matching of a cohort's unpaired members, for a facilitator to accept.

Each policymaker is matched with at most one practitioner so that the total score is as large as
possible (an optimal assignment, scipy's linear_sum_assignment, not a greedy loop). A match scores
one point per shared interest and SHARED_QUESTION_POINTS for the same preferred question. Two people
from one organisation, or who were in a pair together before, are never suggested. A member left
without a partner is reported with the reason.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from scipy.optimize import linear_sum_assignment

from cohorts.models import Cohort, Membership, MembershipQuerySet, Question, Side
from programme.models import User

from . import rules
from .models import LearningPair, PairMember
from .services import pair_forming_lock, pairs_create_many

SHARED_QUESTION_POINTS = 2
# Far below any real score: the assignment uses a forbidden match only when nothing else is left,
# and such a match is then dropped and both people reported.
FORBIDDEN = -1_000_000

SUGGESTION_GONE = "The suggestions changed since you opened them (someone was paired or left). Review them again."
NOTHING_CHOSEN = "Choose at least one suggested pair to accept."

NO_PRACTITIONER_LEFT = "No practitioner left to pair with: the cohort has more unpaired policymakers."
NO_POLICYMAKER_LEFT = "No policymaker left to pair with: the cohort has more unpaired practitioners."
NO_ALLOWED_PARTNER = (
    "No allowed partner: every unpaired member of the other side is from the same organisation, "
    "was in a pair with them before, or is better matched with someone else."
)


@dataclass(frozen=True)
class Suggestion:
    policymaker: Membership
    practitioner: Membership
    shared_interests: tuple[str, ...]
    shared_question: Question | None

    @property
    def score(self) -> int:
        return len(self.shared_interests) + (SHARED_QUESTION_POINTS if self.shared_question else 0)

    @property
    def key(self) -> str:
        """What the accept form posts back: the two memberships' ids."""
        return f"{self.policymaker.pk}-{self.practitioner.pk}"


@dataclass(frozen=True)
class Unmatched:
    membership: Membership
    reason: str


@dataclass
class Suggestions:
    suggestions: list[Suggestion] = field(default_factory=list)
    unmatched: list[Unmatched] = field(default_factory=list)

    @property
    def total_score(self) -> int:
        return sum(suggestion.score for suggestion in self.suggestions)


def unpaired_members(cohort: Cohort) -> MembershipQuerySet:
    """Current members of the cohort who are in no pair now."""
    seated = PairMember.objects.current().filter(pair__cohort=cohort).values("membership_id")
    return Membership.objects.for_cohort(cohort).current().exclude(pk__in=seated)


def _interests(user_ids: list[int]) -> dict[int, dict[int, str]]:
    """Each user's interests as {policy area id: name}, in one query."""
    through = User.interests.through
    rows = through.objects.filter(user_id__in=user_ids).values_list("user_id", "policyarea_id", "policyarea__name")
    interests: dict[int, dict[int, str]] = defaultdict(dict)
    for user_id, area_id, name in rows:
        interests[user_id][area_id] = name
    return interests


def _paired_before(user_ids: list[int]) -> set[frozenset[int]]:
    """Every two of these people who were ever in one pair together, in any cohort (one query)."""
    people_by_pair: dict[int, set[int]] = defaultdict(set)
    rows = PairMember.objects.filter(pair__members__membership__user_id__in=user_ids).values_list(
        "pair_id", "membership__user_id"
    )
    for pair_id, user_id in rows.distinct():
        people_by_pair[pair_id].add(user_id)
    return {frozenset(two) for people in people_by_pair.values() for two in combinations(people, 2)}


def suggest_pairs(cohort: Cohort) -> Suggestions:
    """The best cross-sector matching of the cohort's unpaired members, and who is left out and why."""
    members = list(
        unpaired_members(cohort)
        .select_related("user__organisation", "preferred_question")
        .order_by("user__full_name", "pk")
    )
    policymakers = [m for m in members if m.side == Side.POLICYMAKER]
    practitioners = [m for m in members if m.side == Side.PRACTITIONER]
    if not policymakers or not practitioners:
        reason = NO_POLICYMAKER_LEFT if practitioners else NO_PRACTITIONER_LEFT
        return Suggestions(unmatched=[Unmatched(m, reason) for m in members])

    user_ids = [m.user_id for m in members]
    interests = _interests(user_ids)
    paired_before = _paired_before(user_ids)

    areas = sorted({area for user_interests in interests.values() for area in user_interests})
    column = {area: index for index, area in enumerate(areas)}

    def interest_matrix(side: list[Membership]) -> np.ndarray:
        matrix = np.zeros((len(side), len(areas)), dtype=np.int32)
        for row, membership in enumerate(side):
            for area in interests.get(membership.user_id, {}):
                matrix[row, column[area]] = 1
        return matrix

    def ids(side: list[Membership], of: Callable[[Membership], int | None]) -> np.ndarray:
        # 0 means "none", which matches nothing.
        return np.array([of(m) or 0 for m in side], dtype=np.int64)

    def question(m: Membership) -> int | None:
        return m.preferred_question_id

    def organisation(m: Membership) -> int | None:
        return m.user.organisation_id

    weights = interest_matrix(policymakers) @ interest_matrix(practitioners).T
    pm_questions, pr_questions = ids(policymakers, question), ids(practitioners, question)
    same_question = (pm_questions[:, None] == pr_questions[None, :]) & (pm_questions[:, None] > 0)
    weights = weights + SHARED_QUESTION_POINTS * same_question

    pm_orgs, pr_orgs = ids(policymakers, organisation), ids(practitioners, organisation)
    # The pairs' own rule, applied to every policymaker-practitioner combination.
    forbidden = np.asarray(np.frompyfunc(rules.same_organisation, 2, 1)(pm_orgs[:, None], pr_orgs[None, :]), dtype=bool)
    pm_row = {m.user_id: index for index, m in enumerate(policymakers)}
    pr_column = {m.user_id: index for index, m in enumerate(practitioners)}
    for one, other in map(tuple, paired_before):
        for a, b in ((one, other), (other, one)):
            if a in pm_row and b in pr_column:
                forbidden[pm_row[a], pr_column[b]] = True
    weights = np.where(forbidden, FORBIDDEN, weights)

    rows, columns = linear_sum_assignment(weights, maximize=True)
    result = Suggestions()
    matched: set[int] = set()
    for row, col in zip(rows, columns, strict=True):
        if forbidden[row, col]:
            continue
        policymaker, practitioner = policymakers[row], practitioners[col]
        pm_interests, pr_interests = interests.get(policymaker.user_id, {}), interests.get(practitioner.user_id, {})
        shared = tuple(sorted(pm_interests[area] for area in pm_interests.keys() & pr_interests.keys()))
        shared_question = policymaker.preferred_question if same_question[row, col] else None
        result.suggestions.append(Suggestion(policymaker, practitioner, shared, shared_question))
        matched.update((policymaker.pk, practitioner.pk))
    assigned_rows, assigned_columns = set(rows.tolist()), set(columns.tolist())
    for index, membership in enumerate(policymakers):
        if membership.pk not in matched:
            reason = NO_ALLOWED_PARTNER if index in assigned_rows else NO_PRACTITIONER_LEFT
            result.unmatched.append(Unmatched(membership, reason))
    for index, membership in enumerate(practitioners):
        if membership.pk not in matched:
            reason = NO_ALLOWED_PARTNER if index in assigned_columns else NO_POLICYMAKER_LEFT
            result.unmatched.append(Unmatched(membership, reason))
    result.suggestions.sort(key=lambda s: (-s.score, s.policymaker.user.full_name))
    return result


@transaction.atomic
def suggestions_accept(*, cohort: Cohort, keys: Iterable[str], on: date, by: User | None = None) -> list[LearningPair]:
    """Form a pair for each chosen suggestion, all or none, in bulk; refuse a choice no longer suggested."""
    keys = list(dict.fromkeys(keys))
    if not keys:
        raise ValidationError(NOTHING_CHOSEN)
    # Locked before suggesting, so two facilitators accepting at once see each other's pairs.
    pair_forming_lock(cohort)
    current = {suggestion.key: suggestion for suggestion in suggest_pairs(cohort).suggestions}
    if any(key not in current for key in keys):
        raise ValidationError(SUGGESTION_GONE)
    groups = [((current[key].policymaker, current[key].practitioner), current[key].shared_question) for key in keys]
    return pairs_create_many(cohort=cohort, groups=groups, on=on, by=by)
