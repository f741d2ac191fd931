"""Group suggestions: a cross-sector grouping of a cohort's unpaired members to the programme's rules, for a
facilitator to accept.

Groups are built side by side: first each group gets one member of each of the sides it needs (as many groups
as the cohort's numbers allow, each spanning the programme's number of different sides), then groups below the
smallest size are filled, then anyone still left joins a group with room (a trio rather than someone left out,
up to the largest size). Each step is an optimal assignment (scipy's linear_sum_assignment, not a greedy loop)
of people to groups, scored one point per interest shared with each member already in the group and
SHARED_QUESTION_POINTS for the same preferred question. With two sides this is today's one-to-one matching.
Two people from one organisation (when the programme has that rule), or who were in a group together before,
are never suggested together. A member left without a group is reported with the reason.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from scipy.optimize import linear_sum_assignment

from cohorts.models import Cohort, Membership, MembershipQuerySet, Question
from programme.models import User
from programme.shape import Shape

from . import rules
from .models import LearningPair, PairMember
from .rules import group_message
from .services import pair_forming_lock, pairs_create_many

SHARED_QUESTION_POINTS = 2
# Far below any real score: the assignment uses a forbidden match only when nothing else is left,
# and such a match is then dropped and the people reported.
FORBIDDEN = -1_000_000

SUGGESTION_GONE = "The suggestions changed since you opened them (someone was grouped or left). Review them again."
NOTHING_CHOSEN = "Choose at least one suggested {group} to accept."

# Why someone is left without a group, in the programme's words (rules.group_message fills them in).
NOT_ENOUGH_SIDES = (
    "Not enough unpaired members of other sides to form a {group}: each needs members from at least {count} "
    "different sides ({sides})."
)
NO_ALLOWED_GROUP = (
    "No allowed {group}: everyone unpaired they could join is from the same organisation, was in a {group} with "
    "them before, or is better matched with someone else."
)
ALL_FULL = (
    "Every suggested {group} already has {count} members, and too few unpaired members of other sides are left "
    "to form another."
)


@dataclass(frozen=True)
class Suggestion:
    members: tuple[Membership, ...]
    shared_interests: tuple[str, ...]
    shared_question: Question | None
    score: int

    @property
    def key(self) -> str:
        """What the accept form posts back: the memberships' ids."""
        return "-".join(str(pk) for pk in sorted(member.pk for member in self.members))

    @property
    def names(self) -> str:
        return " & ".join(member.user.full_name for member in self.members)


@dataclass(frozen=True)
class Unmatched:
    membership: Membership
    reason: str


@dataclass
class Suggestions:
    shape: Shape | None = None
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


def group_count(*, side_counts: list[int], group_size: int, sides_needed: int, largest: int) -> int:
    """How many groups of `group_size` can each have members from `sides_needed` different sides: one side gives
    each group at most one of the members it needs, so G groups need sum(min(count, G)) >= sides_needed * G."""
    if sides_needed > largest or group_size > largest:
        return 0
    groups = sum(side_counts) // group_size
    while groups and sum(min(count, groups) for count in side_counts) < sides_needed * groups:
        groups -= 1
    return groups


def side_plan(*, sides: list[tuple[str, int]], groups: int, sides_needed: int) -> list[list[str]]:
    """Which sides each group takes a member from. Sides are laid out one after another (each at most `groups`
    times) and dealt round the groups, so no group gets one side twice and each gets `sides_needed` sides."""
    slots = [code for code, count in sides for _ in range(min(count, groups))][: sides_needed * groups]
    plan: list[list[str]] = [[] for _ in range(groups)]
    for position, code in enumerate(slots):
        plan[position % groups].append(code)
    return plan


class _Grouping:
    """The people, what they have in common and who may not be together, as matrices indexed like `people`."""

    def __init__(self, people: list[Membership], shape: Shape) -> None:
        self.people, self.shape = people, shape
        user_ids = [m.user_id for m in people]
        self.interests = _interests(user_ids)
        areas = sorted({area for user_interests in self.interests.values() for area in user_interests})
        column = {area: index for index, area in enumerate(areas)}
        held = np.zeros((len(people), len(areas)))
        for row, membership in enumerate(people):
            for area in self.interests.get(membership.user_id, {}):
                held[row, column[area]] = 1

        def ids(of: Callable[[Membership], int | None]) -> np.ndarray:
            # 0 means "none", which matches nothing.
            return np.array([of(m) or 0 for m in people], dtype=np.int64)

        questions = ids(lambda m: m.preferred_question_id)
        self.same_question = (questions[:, None] == questions[None, :]) & (questions[:, None] > 0)
        self.score = held @ held.T + SHARED_QUESTION_POINTS * self.same_question
        # The groups' own organisation rule (rules.may_group), applied once per two organisations present.
        organisations, which = np.unique(ids(lambda m: m.user.organisation_id), return_inverse=True)
        same = np.frompyfunc(rules.same_organisation, 2, 1)(organisations[:, None], organisations[None, :])
        apart = np.asarray(same, dtype=bool) & shape.one_per_organisation
        self.forbidden = apart[which][:, which]
        index = {user_id: row for row, user_id in enumerate(user_ids)}
        for one, other in map(tuple, _paired_before(user_ids)):
            if one in index and other in index:
                self.forbidden[index[one], index[other]] = self.forbidden[index[other], index[one]] = True
        self.groups: list[list[int]] = []
        self.blocked: set[int] = set()

    def assign(self, candidates: list[int], groups: list[int]) -> list[tuple[int, int]]:
        """The best one-each assignment of candidates to groups (by index), forbidden matches dropped: the
        candidate and the group are then marked blocked, as the rules kept them apart."""
        if not candidates or not groups:
            return []
        if not any(self.groups[group] for group in groups):
            return list(zip(candidates, groups, strict=False))  # empty groups: nothing to score, nothing forbidden
        seated = sorted({person for group in groups for person in self.groups[group]})
        row_of = {person: row for row, person in enumerate(seated)}
        seats = np.zeros((len(seated), len(groups)))
        for column, group in enumerate(groups):
            seats[[row_of[person] for person in self.groups[group]], column] = 1
        between = np.ix_(candidates, seated)
        weights = self.score[between] @ seats
        forbidden = (self.forbidden[between] @ seats) > 0
        rows, columns = linear_sum_assignment(np.where(forbidden, FORBIDDEN, weights), maximize=True)
        chosen = []
        for row, column in zip(rows.tolist(), columns.tolist(), strict=True):
            if forbidden[row, column]:
                self.blocked.update([candidates[row], *self.groups[groups[column]]])
            else:
                chosen.append((candidates[row], groups[column]))
        return chosen

    def fill(self, pool: list[int], *, below: int) -> list[int]:
        """Add people from the pool, one per group a round, to every group smaller than `below`; the pool left."""
        while pool:
            open_groups = [index for index, group in enumerate(self.groups) if len(group) < below]
            chosen = self.assign(pool, open_groups)
            if not chosen:
                break
            for person, group in chosen:
                self.groups[group].append(person)
            taken = {person for person, _ in chosen}
            pool = [person for person in pool if person not in taken]
        return pool

    def suggestion(self, group: list[int], side_order: dict[str, int]) -> Suggestion:
        people = sorted(
            (self.people[i] for i in group), key=lambda m: (side_order.get(m.side, len(side_order)), m.user.full_name)
        )
        held = Counter(area for m in people for area in self.interests.get(m.user_id, {}).values())
        questions = Counter(m.preferred_question_id for m in people if m.preferred_question_id)
        question_id, times = questions.most_common(1)[0] if questions else (None, 0)
        shared_question = next((m.preferred_question for m in people if m.preferred_question_id == question_id), None)
        return Suggestion(
            members=tuple(people),
            shared_interests=tuple(sorted(area for area, count in held.items() if count > 1)),
            shared_question=shared_question if times > 1 else None,
            score=int(sum(self.score[one, other] for one, other in combinations(group, 2))),
        )


def suggest_pairs(cohort: Cohort) -> Suggestions:
    """The best grouping of the cohort's unpaired members to the programme's rules, and who is left out and why."""
    shape = cohort.shape
    people = list(
        unpaired_members(cohort)
        .select_related("user__organisation", "preferred_question")
        .order_by("user__full_name", "pk")
    )
    result = Suggestions(shape=shape)
    if not people:
        return result
    side_order = {code: order for order, code in enumerate(shape.sides.codes())}
    by_side: dict[str, list[int]] = defaultdict(list)
    for index, membership in enumerate(people):
        by_side[membership.side].append(index)
    # The scarcest sides first: all of their members get a group, and the larger sides are chosen among.
    sides = sorted(
        ((code, len(members)) for code, members in by_side.items()),
        key=lambda side: (side[1], side_order.get(side[0], len(side_order)), side[0]),
    )
    needed = shape.min_sides_per_group
    count = group_count(
        side_counts=[n for _, n in sides],
        group_size=max(shape.min_group_size, needed),
        sides_needed=needed,
        largest=shape.max_group_size,
    )
    if not count:  # no group can be formed: nothing to score, so no more queries
        reason = group_message(NOT_ENOUGH_SIDES, shape, count=needed)
        result.unmatched = [
            Unmatched(m, reason) for m in sorted(people, key=lambda m: side_order.get(m.side, len(side_order)))
        ]
        return result
    grouping = _Grouping(people, shape)
    plan = side_plan(sides=sides, groups=count, sides_needed=needed)
    grouping.groups = [[] for _ in range(count)]
    for code, _ in sides:
        wanting = [index for index, group_sides in enumerate(plan) if code in group_sides]
        for person, group in grouping.assign(by_side[code], wanting):
            grouping.groups[group].append(person)
    # A group that could not get all its sides (the rules kept someone out) is not suggested.
    complete = [group for group in grouping.groups if len(group) >= needed]
    grouping.groups = complete
    placed = {person for group in complete for person in group}
    pool = [index for index in range(len(people)) if index not in placed]
    pool = grouping.fill(pool, below=shape.min_group_size)
    short = [group for group in grouping.groups if len(group) < shape.min_group_size]
    grouping.groups = [group for group in grouping.groups if len(group) >= shape.min_group_size]
    pool += [person for group in short for person in group]
    # Anyone still left joins a group with room, rather than being left out.
    pool = grouping.fill(pool, below=shape.max_group_size)

    result.suggestions = [grouping.suggestion(group, side_order) for group in grouping.groups]
    result.suggestions.sort(key=lambda s: (-s.score, s.members[0].user.full_name))
    with_room = [group for group in grouping.groups if len(group) < shape.max_group_size]
    for person in sorted(pool, key=lambda i: (side_order.get(people[i].side, len(side_order)), i)):
        kept_apart = person in grouping.blocked or (
            bool(with_room) and all(grouping.forbidden[person, group].any() for group in with_room)
        )
        if kept_apart:
            reason = group_message(NO_ALLOWED_GROUP, shape)
        elif grouping.groups:
            reason = group_message(ALL_FULL, shape, count=shape.max_group_size)
        else:
            reason = group_message(NOT_ENOUGH_SIDES, shape, count=needed)
        result.unmatched.append(Unmatched(people[person], reason))
    return result


@transaction.atomic
def suggestions_accept(*, cohort: Cohort, keys: Iterable[str], on: date, by: User | None = None) -> list[LearningPair]:
    """Form a group for each chosen suggestion, all or none, in bulk; refuse a choice no longer suggested."""
    keys = list(dict.fromkeys(keys))
    if not keys:
        raise ValidationError(group_message(NOTHING_CHOSEN, cohort.shape))
    # Locked before suggesting, so two facilitators accepting at once see each other's pairs.
    pair_forming_lock(cohort)
    current = {suggestion.key: suggestion for suggestion in suggest_pairs(cohort).suggestions}
    if any(key not in current for key in keys):
        raise ValidationError(SUGGESTION_GONE)
    groups = [(current[key].members, current[key].shared_question) for key in keys]
    return pairs_create_many(cohort=cohort, groups=groups, on=on, by=by)
