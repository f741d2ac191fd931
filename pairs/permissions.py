"""Who may see and change a learning pair. Every pair view goes through get_pair_for_user."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from cohorts.models import Cohort, Membership
from cohorts.permissions import is_cohort_staff, staff_cohorts
from cohorts.rules import current_member_q, members_may_change_work
from programme.compiled import CompiledModelQuery
from programme.models import User

from . import rules
from .models import LearningPair, LearningPairQuerySet, PairMember, PrivateNotesReading


def visible_pairs(user: User) -> LearningPairQuerySet:
    """Pairs the user may open: their own current pair, and every pair of a cohort they run."""
    if not user.is_authenticated:
        return LearningPair.objects.none()
    if user.is_programme_manager:
        return LearningPair.objects.all()
    # Exists, not a join through the seats: no DISTINCT, and a plan PostgreSQL makes in a fraction of the time.
    own = Exists(PairMember.objects.filter(pair=OuterRef("pk"), membership__user=user, left_on__isnull=True))
    return LearningPair.objects.filter(own | Q(cohort__in=staff_cohorts(user)))


def pair_seen_by_non_manager(user_id: int, pk: int) -> LearningPairQuerySet:
    """The pair as visible_pairs() gives it to a signed-in person who is not a programme manager, by their id: a
    query to compile once per process (programme.compiled)."""
    person = User(pk=user_id, is_staff=False)  # only its id reaches the SQL
    return visible_pairs(person).filter(pk=pk)


_PAIR_SEEN_BY_NON_MANAGER = CompiledModelQuery(
    lambda user_id, pk: pair_seen_by_non_manager(user_id, pk).select_related("cohort__programme", "question")
)


def get_pair_for_user(user: User, pk: int) -> LearningPair:
    """The pair if the user may see it; 404 otherwise, so another pair's existence is not revealed."""
    if user.is_authenticated and not user.is_programme_manager:
        found = _PAIR_SEEN_BY_NON_MANAGER.instances(user.pk, pk)
        if not found:
            raise Http404("No such pair")
        return found[0]
    try:
        return visible_pairs(user).select_related("cohort__programme", "question").get(pk=pk)
    except LearningPair.DoesNotExist:
        raise Http404("No such pair") from None


def is_pair_member(user: User, pair: LearningPair) -> bool:
    """Whether the user is a current member of the pair. Read from the pair's prefetched current members when it
    has them (LearningPairQuerySet.with_current_members), else asked once and kept on the pair for this request's
    other permission checks."""
    if not user.is_authenticated:
        return False
    known = pair.__dict__.get("_current_member_user_ids")
    if known is not None:
        return user.pk in known
    if hasattr(pair, "current_members"):
        return any(member.membership.user_id == user.pk for member in pair.current_members)
    asked: dict[int, bool] = pair.__dict__.setdefault("_is_member_of", {})
    if user.pk not in asked:
        asked[user.pk] = pair.members.current().filter(membership__user=user).exists()
    return asked[user.pk]


def know_current_members(pair: LearningPair, user_ids: set[int]) -> None:
    """Tell the permission checks who the pair's current members are, for a page that has just read them."""
    pair.__dict__["_current_member_user_ids"] = user_ids


def can_edit_pair(user: User, pair: LearningPair) -> bool:
    """Only the pair's current members change its steps, activities and outputs, and only while the cohort is
    open to them (cohorts.rules.members_may_change_work); staff read."""
    return members_may_change_work(pair.cohort) and is_pair_member(user, pair)


def can_read_private_notes(user: User, pair: LearningPair) -> bool:
    """Private notes are for the pair's current members; the cohort's staff read them only for a while after
    giving a reason (a PrivateNotesReading, shown to the pair)."""
    if is_pair_member(user, pair):
        return True
    return is_cohort_staff(user, pair.cohort) and has_current_notes_reading(user, pair)


def must_give_reason_for_notes(user: User, pair: LearningPair) -> bool:
    """The cohort's staff (not in the pair) who would need to give a reason to read its private notes."""
    return not is_pair_member(user, pair) and is_cohort_staff(user, pair.cohort)


def has_current_notes_reading(user: User, pair: LearningPair) -> bool:
    now = timezone.now()
    last = (
        PrivateNotesReading.objects.filter(pair=pair, reader=user)
        .order_by("-read_at")
        .values_list("read_at", flat=True)
        .first()
    )
    return rules.notes_reading_is_current(last, now)


def can_see_notes_readings(user: User, pair: LearningPair) -> bool:
    """Who has read a pair's notes: shown to the pair and to the cohort's staff."""
    return is_pair_member(user, pair) or is_cohort_staff(user, pair.cohort)


def get_cohort_for_directory(user: User, pk: int) -> Cohort:
    """The cohort whose directory the user may read: a current member of it or its staff; 404 otherwise."""
    if not user.is_authenticated:
        raise Http404("No such cohort")
    members = Cohort.objects.filter(Q(memberships__user=user) & current_member_q("memberships__"))
    cohorts = staff_cohorts(user) | members
    try:
        return cohorts.distinct().select_related("programme").get(pk=pk)
    except Cohort.DoesNotExist:
        raise Http404("No such cohort") from None


def get_pair_for_staff(user: User, pk: int) -> LearningPair:
    """A pair of a cohort the user runs, for re-pairing; 404 otherwise (members and other cohorts' staff)."""
    pairs = LearningPair.objects.filter(cohort__in=staff_cohorts(user)).select_related("cohort__programme")
    return get_object_or_404(pairs, pk=pk)


def get_pair_member_for_staff(user: User, pk: int) -> PairMember:
    """A member's current seat in a pair of a cohort the user runs; 404 otherwise, and for a seat already left."""
    seats = PairMember.objects.current().filter(pair__cohort__in=staff_cohorts(user))
    return get_object_or_404(seats.select_related("pair__cohort", "membership__user__organisation"), pk=pk)


def get_membership_for_staff(user: User, pk: int) -> Membership:
    """A membership of a cohort the user runs; 404 otherwise."""
    memberships = Membership.objects.filter(cohort__in=staff_cohorts(user)).select_related("cohort", "user")
    return get_object_or_404(memberships, pk=pk)
