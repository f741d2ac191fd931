"""At-risk pairs: the one place their reasons are computed, for the cohort overview and the weekly digest.

A live pair (forming, active or stalled) is at risk when
- nothing was logged for the cohort's `stalled_after_days` (since the pair formed, if nothing ever was);
- one of its steps is past the cohort's due date and not done; a pair formed or changed after that date
  has the cohort's `repair_grace_days` from the day it changed, and the reason says so;
- a member withdrew from the programme while in the pair, and nobody has joined the pair since;
- it has only one current member (or none).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urljoin

from django.conf import settings
from django.db.models import Max, OuterRef, Subquery
from django.template.loader import render_to_string
from django.urls import reverse

from cohorts.models import Cohort, Membership
from notifications.models import OutboundMessage
from notifications.services import message_enqueue
from programme.models import User

from .models import Activity, LearningPair, PairMember, Step, StepProgress

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


def _last_activity_subquery() -> Subquery:
    latest = Activity.objects.filter(pair=OuterRef("pk")).order_by().values("pair").annotate(last=Max("occurred_on"))
    return Subquery(latest.values("last")[:1])


def pair_risks(cohort: Cohort, today: date) -> dict[int, list[RiskReason]]:
    """Reasons each live pair of the cohort is at risk, keyed by pair id (pairs not at risk are left out).

    Three queries, however many pairs: the pairs with their last activity, their members past and
    present, and their overdue steps.
    """
    pairs = list(
        LearningPair.objects.for_cohort(cohort).live().annotate(last_activity_on=_last_activity_subquery()).order_by()
    )
    members_by_pair: dict[int, list[PairMember]] = defaultdict(list)
    for member in PairMember.objects.filter(pair__in=[pair.pk for pair in pairs]).select_related("membership__user"):
        members_by_pair[member.pair_id].append(member)
    overdue: dict[int, list[StepProgress]] = defaultdict(list)
    for progress in StepProgress.objects.overdue(today).filter(pair__cohort=cohort).order_by("step"):
        overdue[progress.pair_id].append(progress)
    grace = timedelta(days=cohort.repair_grace_days)

    risks: dict[int, list[RiskReason]] = {}
    for pair in pairs:
        reasons = []
        members = members_by_pair.get(pair.pk, [])
        last_joined = max((member.joined_on for member in members), default=None)
        first_joined = min((member.joined_on for member in members), default=None)
        # The day the pair took its present shape: formed, or last joined by someone (re-pairing).
        changed_on = last_joined or pair.created_at.date()
        repaired = last_joined is not None and first_joined is not None and last_joined > first_joined
        since = pair.last_activity_on or pair.created_at.date()
        if repaired and last_joined is not None:
            since = max(since, last_joined)
        quiet_days = (today - since).days
        if quiet_days >= cohort.stalled_after_days:
            if pair.last_activity_on and since == pair.last_activity_on:
                text = f"No activity for {quiet_days} days"
            elif repaired:
                text = f"No activity logged since the pair changed on {changed_on:%-d %B %Y}, {quiet_days} days ago"
            else:
                text = f"No activity logged since the pair formed {quiet_days} days ago"
            reasons.append(RiskReason(RiskReason.NO_ACTIVITY, text))
        for progress in overdue.get(pair.pk, []):
            assert progress.due_on is not None  # overdue() reads only steps with a due date
            label = f"Step {progress.step} ({Step(progress.step).label})"
            if changed_on > progress.due_on:
                extended = changed_on + grace
                if extended >= today:
                    continue  # re-paired after the deadline: still inside its grace period
                text = (
                    f"{label} overdue since {extended:%-d %B %Y}: the pair changed on {changed_on:%-d %B %Y}, after "
                    f"the cohort's deadline of {progress.due_on:%-d %B %Y}, and had {cohort.repair_grace_days} days"
                )
            else:
                text = f"{label} overdue since {progress.due_on:%-d %B %Y}"
            reasons.append(RiskReason(RiskReason.OVERDUE_STEP, text))
        for member in members:
            membership = member.membership
            withdrew_from_here = (
                membership.status == Membership.Status.WITHDRAWN
                and member.left_on is not None
                and membership.withdrawn_on is not None
                and member.left_on >= membership.withdrawn_on
            )
            if withdrew_from_here and not (last_joined and member.left_on and last_joined > member.left_on):
                reasons.append(
                    RiskReason(
                        RiskReason.MEMBER_WITHDREW,
                        f"{membership.user.full_name} withdrew on {membership.withdrawn_on:%-d %B %Y}",
                    )
                )
        current = [member for member in members if member.left_on is None]
        if len(current) <= 1:
            text = "Only one current member" if current else "No current members"
            reasons.append(RiskReason(RiskReason.SINGLE_MEMBER, text))
        if reasons:
            risks[pair.pk] = reasons
    return risks


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
