"""Statuses kept by rule: cohorts on their dates, members completed in good standing, pairs stalled and back."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cohorts import rules as cohort_rules
from cohorts.models import Cohort, Membership
from cohorts.statuses import cohort_status_move, cohort_statuses_update
from pairs import rules
from pairs.comments import step_comment_add
from pairs.models import Activity, LearningPair, PairMember, StepProgress
from pairs.risk import RiskReason, pair_risks
from pairs.services import activity_create, membership_withdraw, step_update
from pairs.statuses import pair_statuses_update
from tests.factories import ActivityFactory


def test_a_recruiting_cohort_runs_from_its_start_date(world):
    today = timezone.localdate()
    Cohort.objects.filter(pk=world.cohort.pk).update(status=Cohort.Status.RECRUITING)
    assert cohort_statuses_update(today=today) == (1, 0)
    world.cohort.refresh_from_db()
    assert world.cohort.status == Cohort.Status.RUNNING


def test_a_cohort_past_its_end_concludes_and_members_in_good_standing_are_completed(world):
    membership_withdraw(membership=world.carol_membership, on=timezone.localdate(), reason="New job")
    Cohort.objects.filter(pk=world.cohort.pk).update(status=Cohort.Status.RUNNING)
    after_the_end = world.cohort.ends_on + timedelta(days=1)
    cohort_statuses_update(today=after_the_end)
    world.cohort.refresh_from_db()
    assert world.cohort.status == Cohort.Status.CONCLUDED
    assert Membership.objects.get(pk=world.alice_membership.pk).status == Membership.Status.COMPLETED
    assert Membership.objects.get(pk=world.carol_membership.pk).status == Membership.Status.WITHDRAWN


def test_a_quiet_pair_stalls_and_comes_back_when_it_logs_again(world):
    today = timezone.localdate()
    ActivityFactory(pair=world.pair, occurred_on=today - timedelta(days=world.cohort.stalled_after_days))
    ActivityFactory(pair=world.other_pair, occurred_on=today)
    assert pair_statuses_update(cohort=world.cohort, today=today) == (1, 0)
    world.pair.refresh_from_db()
    assert world.pair.status == LearningPair.Status.STALLED
    ActivityFactory(pair=world.pair, occurred_on=today)
    assert pair_statuses_update(cohort=world.cohort, today=today) == (0, 1)
    world.pair.refresh_from_db()
    assert world.pair.status == LearningPair.Status.ACTIVE


def test_update_statuses_command_runs_twice_safely(world):
    Cohort.objects.filter(pk=world.cohort.pk).update(status=Cohort.Status.RUNNING)
    out = StringIO()
    call_command("update_statuses", stdout=out)
    call_command("update_statuses", stdout=out)
    assert out.getvalue().splitlines()[-1].startswith("0 cohort(s) started, 0 concluded")


def _stall(world, today):
    """The world's pair, quiet for the cohort's threshold and marked stalled by the rule."""
    quiet_since = today - timedelta(days=world.cohort.stalled_after_days + 5)
    ActivityFactory(pair=world.pair, occurred_on=quiet_since)
    LearningPair.objects.filter(pk=world.pair.pk).update(created_at=timezone.now() - timedelta(days=100))
    PairMember.objects.filter(pair=world.pair).update(joined_on=quiet_since)
    pair_statuses_update(cohort=world.cohort, today=today)
    world.pair.refresh_from_db()
    assert world.pair.status == LearningPair.Status.STALLED


def test_a_step_change_brings_a_stalled_pair_back_at_once_and_keeps_it_off_the_risk_list(world):
    today = timezone.localdate()
    _stall(world, today)
    progress = StepProgress.objects.get(pair=world.pair, step=1)
    step_update(progress=progress, status=StepProgress.Status.IN_PROGRESS, summary="Started", by=world.alice)
    world.pair.refresh_from_db()
    assert world.pair.status == LearningPair.Status.ACTIVE
    assert RiskReason.NO_ACTIVITY not in {r.code for r in pair_risks(world.cohort, today).get(world.pair.pk, [])}
    assert pair_statuses_update(cohort=world.cohort, today=today) == (0, 0)


def test_a_comment_brings_a_stalled_pair_back_at_once(world):
    today = timezone.localdate()
    _stall(world, today)
    step_comment_add(progress=StepProgress.objects.get(pair=world.pair, step=1), author=world.bob, body="Back on it")
    world.pair.refresh_from_db()
    assert world.pair.status == LearningPair.Status.ACTIVE
    assert pair_statuses_update(cohort=world.cohort, today=today) == (0, 0)


def test_an_activity_logged_today_brings_a_stalled_pair_back_at_once(world):
    today = timezone.localdate()
    _stall(world, today)
    activity_create(
        pair=world.pair,
        kind=Activity.Kind.MEETING,
        occurred_on=today,
        hours=Decimal(2),
        attendees=[world.alice_membership],
        by=world.alice,
    )
    world.pair.refresh_from_db()
    assert world.pair.status == LearningPair.Status.ACTIVE


def test_an_old_activity_logged_late_does_not_revive_a_stalled_pair(world):
    today = timezone.localdate()
    _stall(world, today)
    activity_create(
        pair=world.pair,
        kind=Activity.Kind.MEETING,
        occurred_on=today - timedelta(days=world.cohort.stalled_after_days + 1),
        hours=Decimal(1),
        attendees=[world.alice_membership],
        by=world.alice,
    )
    world.pair.refresh_from_db()
    assert world.pair.status == LearningPair.Status.STALLED


def test_a_step_change_or_comment_within_the_threshold_keeps_an_active_pair_active_at_night(world):
    """One rule: the status field and the at-risk list read the same signs of life."""
    today = timezone.localdate()
    later = today + timedelta(days=world.cohort.stalled_after_days - 1)
    ActivityFactory(pair=world.pair, occurred_on=today - timedelta(days=60))
    ActivityFactory(pair=world.other_pair, occurred_on=today - timedelta(days=60))
    LearningPair.objects.filter(pk__in=[world.pair.pk, world.other_pair.pk]).update(
        created_at=timezone.now() - timedelta(days=100)
    )
    PairMember.objects.filter(pair__in=[world.pair, world.other_pair]).update(joined_on=today - timedelta(days=100))
    progress = StepProgress.objects.get(pair=world.pair, step=1)
    step_update(progress=progress, status=StepProgress.Status.IN_PROGRESS, summary="Started", by=world.alice)
    step_comment_add(
        progress=StepProgress.objects.get(pair=world.other_pair, step=1), author=world.facilitator, body="How is it?"
    )
    risks = pair_risks(world.cohort, later)
    assert world.pair.pk not in risks and world.other_pair.pk not in risks
    assert pair_statuses_update(cohort=world.cohort, today=later) == (0, 0)
    # A day past the threshold after the step change and the comment, both pairs stall, and say why.
    after = today + timedelta(days=world.cohort.stalled_after_days)
    texts = [
        reason.text for pair in (world.pair, world.other_pair) for reason in pair_risks(world.cohort, after)[pair.pk]
    ]
    assert any("the last step change was on" in text for text in texts)
    assert any("the last comment was on" in text for text in texts)
    assert pair_statuses_update(cohort=world.cohort, today=after) == (2, 0)


def test_the_admin_refuses_to_set_stalled_by_hand(world, admin_client):
    url = reverse("admin:pairs_learningpair_change", args=[world.pair.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: form[name].value() or "" for name in ("question", "angle")}
    data.update({"status": LearningPair.Status.STALLED})
    for prefix in ("members", "steps"):
        for key in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
            data[f"{prefix}-{key}"] = "0"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["status"] == [rules.STATUS_KEPT_BY_RULE]
    world.pair.refresh_from_db()
    assert world.pair.status == LearningPair.Status.ACTIVE


# --- Staff move a cohort on a stage when they choose -------------------------------------------------------


def _status_url(world) -> str:
    return reverse("pairs:cohort-status", args=[world.cohort.pk])


def test_staff_start_a_recruiting_cohort_from_the_overview_after_confirming(world, login_as):
    Cohort.objects.filter(pk=world.cohort.pk).update(status=Cohort.Status.RECRUITING)
    client = login_as("facilitator")
    overview = client.get(reverse("pairs:cohort-overview", args=[world.cohort.pk])).text
    assert f'href="{_status_url(world)}">Start running</a>' in overview
    page = client.get(_status_url(world))
    assert page.status_code == 200
    assert "Start running the cohort?" in page.text and 'value="running"' in page.text
    world.cohort.refresh_from_db()
    assert world.cohort.status == Cohort.Status.RECRUITING  # asking is not doing
    response = client.post(_status_url(world), {"to": "running"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("pairs:cohort-overview", args=[world.cohort.pk])
    assert "is now running" in response.text
    world.cohort.refresh_from_db()
    assert world.cohort.status == Cohort.Status.RUNNING


def test_concluding_tells_what_follows_then_completes_members_in_good_standing(world, login_as):
    membership_withdraw(membership=world.carol_membership, on=timezone.localdate(), reason="New job")
    client = login_as("manager")
    page = client.get(_status_url(world)).text
    good_standing = Membership.objects.filter(cohort=world.cohort).current().count()
    assert "Conclude the cohort?" in page
    assert f"{good_standing} members in good standing (accepted or active) will be marked" in page
    assert "1 withdrawn member stays withdrawn" in page
    assert "This ends the cohort early" in page
    response = client.post(_status_url(world), {"to": "concluded"}, follow=True)
    assert f"{good_standing} members in good standing completed the year" in response.text
    world.cohort.refresh_from_db()
    assert world.cohort.status == Cohort.Status.CONCLUDED
    assert Membership.objects.get(pk=world.alice_membership.pk).status == Membership.Status.COMPLETED
    assert Membership.objects.get(pk=world.carol_membership.pk).status == Membership.Status.WITHDRAWN
    # Nothing more to do from here, and the overview no longer offers it.
    assert "has concluded" in client.get(_status_url(world)).text
    overview = client.get(reverse("pairs:cohort-overview", args=[world.cohort.pk])).text
    assert _status_url(world) not in overview


@pytest.mark.parametrize(
    ("start", "to", "message"),
    [
        ("running", "recruiting", cohort_rules.COHORT_STAGE_ONE_AT_A_TIME),
        ("recruiting", "concluded", cohort_rules.COHORT_STAGE_ONE_AT_A_TIME),
        ("running", "nonsense", cohort_rules.COHORT_STAGE_ONE_AT_A_TIME),
        ("concluded", "running", cohort_rules.COHORT_ALREADY_CONCLUDED),
    ],
)
def test_a_cohort_never_moves_back_or_skips_a_stage(world, login_as, start, to, message):
    Cohort.objects.filter(pk=world.cohort.pk).update(status=start)
    response = login_as("facilitator").post(_status_url(world), {"to": to})
    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    world.cohort.refresh_from_db()
    assert world.cohort.status == start


def test_a_second_confirmation_of_the_same_move_is_refused_not_repeated(world):
    cohort_status_move(cohort=world.cohort, to=Cohort.Status.CONCLUDED)
    with pytest.raises(ValidationError, match=cohort_rules.COHORT_ALREADY_CONCLUDED):
        cohort_status_move(cohort=Cohort.objects.get(pk=world.cohort.pk), to=Cohort.Status.CONCLUDED)


def test_the_nightly_job_leaves_a_cohort_staff_started_early_running(world):
    today = timezone.localdate()
    Cohort.objects.filter(pk=world.cohort.pk).update(
        status=Cohort.Status.RECRUITING, starts_on=today + timedelta(days=10)
    )
    cohort_status_move(cohort=Cohort.objects.get(pk=world.cohort.pk), to=Cohort.Status.RUNNING)
    cohort_statuses_update(today=today)
    world.cohort.refresh_from_db()
    assert world.cohort.status == Cohort.Status.RUNNING
