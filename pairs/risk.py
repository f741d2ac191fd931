"""At-risk pairs: the one place their reasons are computed, for the cohort overview and the weekly digest.

A live pair (forming, active or stalled) is at risk when
- it is stalled (rules.is_stalled): no activity, step change or comment for the cohort's `stalled_after_days`
  (counted from the day it formed, or last changed, if it has none since); the status field keeps the same rule;
- one of its steps is past its due date and not done; a pair formed or changed after the cohort's date has
  the cohort's `repair_grace_days` from the day it changed (rules.step_due_for_pair), and the reason says so;
- a member withdrew from the programme while in the pair, and nobody has joined the pair since;
- it has only one current member (or none).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple
from urllib.parse import urljoin

from django.conf import settings
from django.db.models import F, Max, OuterRef, QuerySet, Subquery
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Cohort, Membership
from notifications.models import OutboundMessage
from notifications.services import message_enqueue
from programme.compiled import CompiledQuery
from programme.models import User

from . import rules
from .models import Activity, LearningPair, PairMember, StepComment, StepProgress
from .rules import SignOfLife

RISK_DIGEST = "risk_digest"


@dataclass(frozen=True)
class RiskReason:
    NO_ACTIVITY = "no_activity"
    OVERDUE_STEP = "overdue_step"
    MEMBER_WITHDREW = "member_withdrew"
    SINGLE_MEMBER = "single_member"

    code: str
    text: str


@dataclass
class PairRisk:
    pair: LearningPair
    reasons: list[RiskReason] = field(default_factory=list)


def _latest(queryset: QuerySet[Any], field: str) -> Subquery:
    """The latest value of `field` among the rows of `queryset` that belong to the outer pair."""
    return Subquery(queryset.order_by().values("pair_key").annotate(last=Max(field)).values("last")[:1])


def with_signs_of_life(pairs: QuerySet[LearningPair]) -> QuerySet[LearningPair]:
    """Pairs annotated with what the stalled rule reads: the last activity's date, the last time a step changed
    (its version moved on from the row made with the pair) and the last comment on a step."""
    # The newest activity read off the (pair, date) index, not a maximum over every activity of the pair.
    newest_activity = Activity.objects.filter(pair=OuterRef("pk")).order_by("-occurred_on").values("occurred_on")[:1]
    changed_steps = StepProgress.objects.filter(pair=OuterRef("pk"), version__gt=1).annotate(pair_key=F("pair"))
    comments = StepComment.objects.filter(progress__pair=OuterRef("pk")).annotate(pair_key=F("progress__pair"))
    return pairs.annotate(
        last_activity_on=Subquery(newest_activity),
        last_step_change_at=_latest(changed_steps, "updated_at"),
        last_comment_at=_latest(comments, "created_at"),
    )


def _local_date(moment: datetime | None) -> date | None:
    return timezone.localdate(moment) if moment is not None else None


class _Seat(NamedTuple):
    """A seat in a pair with what the risk reasons read of its member."""

    joined_on: date
    left_on: date | None
    status: str
    withdrawn_on: date | None
    full_name: str
    side: str


def pair_sign_of_life(pair: LearningPair | LivePair, members: Sequence[PairMember | _Seat]) -> tuple[date, str]:
    """rules.last_sign_of_life for a pair read through with_signs_of_life(), given its members past and present."""
    joined = sorted(member.joined_on for member in members)
    # Someone joining after the pair formed (re-pairing) starts the clock again.
    changed_on = joined[-1] if len(joined) > 1 and joined[-1] > joined[0] else None
    return rules.last_sign_of_life(
        formed_on=pair.created_at.date(),
        changed_on=changed_on,
        activity_on=pair.last_activity_on,  # type: ignore[union-attr]
        step_changed_on=_local_date(pair.last_step_change_at),  # type: ignore[union-attr]
        comment_on=_local_date(pair.last_comment_at),  # type: ignore[union-attr]
    )


def _quiet_text(since: date, kind: str, quiet_days: int) -> str:
    if kind == SignOfLife.ACTIVITY:
        return f"No activity for {quiet_days} days"
    if kind in (SignOfLife.STEP_CHANGE, SignOfLife.COMMENT):
        return f"No activity for {quiet_days} days (the last {kind} was on {since:%-d %B %Y})"
    if kind == SignOfLife.CHANGED:
        return f"No activity logged since the pair changed on {since:%-d %B %Y}, {quiet_days} days ago"
    return f"No activity logged since the pair formed {quiet_days} days ago"


@dataclass
class RiskAssessment:
    """The live pairs looked at, their seats past and present, their overdue steps, and the reasons for those
    at risk."""

    pairs: list[LivePair]
    seats: dict[int, list[_Seat]]
    overdue: dict[int, list[OverdueStep]]
    reasons: dict[int, list[RiskReason]]

    def current_member_names(self, pair_id: int) -> str:
        """ "Ann Ash & Bo Bell": the pair's current members, policymakers first, as LearningPair.member_names."""
        current = sorted((seat for seat in self.seats.get(pair_id, []) if seat.left_on is None), key=_seat_order)
        return " & ".join(seat.full_name for seat in current)


def _seat_order(seat: _Seat) -> tuple[str, date]:
    return (seat.side, seat.joined_on)


def pair_risks(cohort: Cohort, today: date, *, pair_ids: Collection[int] | None = None) -> dict[int, list[RiskReason]]:
    """Reasons each live pair of the cohort (or of `pair_ids` among them) is at risk, keyed by pair id
    (pairs not at risk are left out). Three queries, however many pairs."""
    return assess_risks(cohort, today, pair_ids=pair_ids).reasons


class LivePair(NamedTuple):
    """A live pair as the risk reasons read it: what with_signs_of_life() annotates, and its number for lists."""

    pk: int
    number: int
    created_at: datetime
    last_activity_on: date | None
    last_step_change_at: datetime | None
    last_comment_at: datetime | None

    def as_pair(self, cohort: Cohort) -> LearningPair:
        """A LearningPair to link to and label (its id, cohort and number; nothing else is read)."""
        return LearningPair(pk=self.pk, cohort=cohort, number=self.number)


class OverdueStep(NamedTuple):
    """A step past the date a pair must have done it by (StepProgressQuerySet.overdue), with the dates behind it."""

    pair_id: int
    step: int
    due_on: date
    cohort_due_on: date
    pair_changed_on: date | None

    @property
    def due_extended(self) -> bool:
        """As StepProgress.due_extended: the pair changed after the cohort's date, so it has the grace period."""
        return self.due_on != self.cohort_due_on


# The three risk queries, built by the ORM for one cohort; `pair_ids` narrows them to some of its pairs.
def _live_pairs_query(cohort_id: int, pair_ids: Collection[int] | None = None) -> QuerySet[LearningPair, Any]:
    live = LearningPair.objects.filter(cohort=cohort_id).live()
    if pair_ids is not None:
        live = live.filter(pk__in=pair_ids)
    return with_signs_of_life(live).order_by().values_list(*LivePair._fields)


def _seats_query(cohort_id: int, pair_ids: Collection[int] | None = None) -> QuerySet[PairMember, Any]:
    seats = PairMember.objects.filter(pair__cohort=cohort_id, pair__status__in=LearningPair.LIVE_STATUSES)
    if pair_ids is not None:
        seats = seats.filter(pair__in=pair_ids)
    # Plain rows, not model instances: three instances per seat cost more than the rest of assess_risks.
    return seats.order_by().values_list(
        "pair_id",
        "joined_on",
        "left_on",
        "membership__status",
        "membership__withdrawn_on",
        "membership__user__full_name",
        "membership__side",
    )


def _overdue_query(cohort_id: int, today: date, pair_ids: Collection[int] | None = None) -> QuerySet[StepProgress, Any]:
    # overdue() already gives a pair formed or changed after a step's date its grace period.
    steps = StepProgress.objects.overdue(today).filter(pair__cohort=cohort_id)
    if pair_ids is not None:
        steps = steps.filter(pair__in=pair_ids)
    return steps.order_by("step").values_list(*OverdueStep._fields)


# Compiled once per process: building and compiling them cost more than running them (the overview's
# at-risk list reads them on every request).
_LIVE_PAIRS = CompiledQuery(_live_pairs_query)
_SEATS = CompiledQuery(_seats_query)
_OVERDUE = CompiledQuery(_overdue_query, dated=True)


def assess_risks(cohort: Cohort, today: date, *, pair_ids: Collection[int] | None = None) -> RiskAssessment:
    """pair_risks with the pairs and seats it read, for a page that also shows them.

    Three queries, however many pairs: the pairs with their signs of life, their members past and
    present, and their overdue steps.
    """
    if pair_ids is None:
        pair_rows = _LIVE_PAIRS.rows(cohort.pk)
        seat_rows = _SEATS.rows(cohort.pk)
        overdue_rows = _OVERDUE.rows(cohort.pk, today)
    else:
        pair_rows = list(_live_pairs_query(cohort.pk, pair_ids))
        seat_rows = list(_seats_query(cohort.pk, pair_ids))
        overdue_rows = list(_overdue_query(cohort.pk, today, pair_ids))
    pairs = [LivePair(*row) for row in pair_rows]
    members_by_pair: dict[int, list[_Seat]] = defaultdict(list)
    for pair_id, *seat in seat_rows:
        members_by_pair[pair_id].append(_Seat(*seat))
    overdue: dict[int, list[OverdueStep]] = defaultdict(list)
    for row in overdue_rows:
        overdue[row[0]].append(OverdueStep(*row))
    steps = cohort.shape.steps

    risks: dict[int, list[RiskReason]] = {}
    for pair in pairs:
        reasons = []
        members = members_by_pair.get(pair.pk, [])
        last_joined = max((member.joined_on for member in members), default=None)
        since, kind = pair_sign_of_life(pair, members)
        if rules.is_stalled(since=since, today=today, stalled_after_days=cohort.stalled_after_days):
            reasons.append(RiskReason(RiskReason.NO_ACTIVITY, _quiet_text(since, kind, (today - since).days)))
        for progress in overdue.get(pair.pk, []):
            label = f"Step {progress.step} ({steps.numbered(progress.step).name})"
            if progress.due_extended:
                text = (
                    f"{label} overdue since {progress.due_on:%-d %B %Y}: the pair changed on "
                    f"{progress.pair_changed_on:%-d %B %Y}, after the cohort's deadline of "
                    f"{progress.cohort_due_on:%-d %B %Y}, and had {cohort.repair_grace_days} days"
                )
            else:
                text = f"{label} overdue since {progress.due_on:%-d %B %Y}"
            reasons.append(RiskReason(RiskReason.OVERDUE_STEP, text))
        for member in members:
            withdrew_from_here = (
                member.status == Membership.Status.WITHDRAWN
                and member.left_on is not None
                and member.withdrawn_on is not None
                and member.left_on >= member.withdrawn_on
            )
            if withdrew_from_here and not (last_joined and member.left_on and last_joined > member.left_on):
                reasons.append(
                    RiskReason(
                        RiskReason.MEMBER_WITHDREW,
                        f"{member.full_name} withdrew on {member.withdrawn_on:%-d %B %Y}",
                    )
                )
        current = [member for member in members if member.left_on is None]
        if len(current) <= 1:
            text = "Only one current member" if current else "No current members"
            reasons.append(RiskReason(RiskReason.SINGLE_MEMBER, text))
        if reasons:
            risks[pair.pk] = reasons
    return RiskAssessment(pairs=pairs, seats=members_by_pair, overdue=overdue, reasons=risks)


def at_risk_pairs(cohort: Cohort, today: date) -> list[PairRisk]:
    """The cohort's live pairs at risk, in pair order, each with its reasons (four queries)."""
    risks = pair_risks(cohort, today)
    pairs = LearningPair.objects.filter(pk__in=risks).with_current_members().order_by("number")
    return [PairRisk(pair, risks[pair.pk]) for pair in pairs]


def iso_week(day: date) -> str:
    """ "2015-W07": part of the digest's key, so a week's digest goes out once."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def risk_digest_key(*, cohort: Cohort, user_id: int, week: str) -> str:
    return f"risk-digest:{cohort.pk}:{user_id}:{week}"


def risk_digest_enqueue(*, cohort: Cohort, today: date) -> list[User]:
    """Queue each facilitator of the cohort its at-risk pairs, once per ISO week; returns who it was queued for."""
    at_risk = at_risk_pairs(cohort, today)
    if not at_risk:
        return []
    week = iso_week(today)
    overview_url = urljoin(settings.SITE_URL, reverse("pairs:cohort-overview", args=[cohort.pk]))
    facilitators = list(cohort.facilitators.filter(is_active=True).order_by("pk"))
    sent_before = OutboundMessage.objects.recorded_keys(
        {risk_digest_key(cohort=cohort, user_id=f.pk, week=week) for f in facilitators}
    )
    queued = []
    for facilitator in facilitators:
        key = risk_digest_key(cohort=cohort, user_id=facilitator.pk, week=week)
        if key in sent_before:
            continue
        context = {"cohort": cohort, "at_risk": at_risk, "recipient": facilitator, "overview_url": overview_url}
        _, created = message_enqueue(
            key=key,
            to=facilitator,
            kind=RISK_DIGEST,
            subject=f"{cohort}: {len(at_risk)} pair{'s' if len(at_risk) != 1 else ''} at risk this week",
            body=render_to_string("pairs/facilitate/risk_digest.txt", context),
        )
        if created:
            queued.append(facilitator)
    return queued
