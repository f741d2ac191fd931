"""Statuses kept by rule: cohorts on their dates, members completed in good standing, pairs stalled and back."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from cohorts.models import Cohort, Membership
from cohorts.statuses import cohort_statuses_update
from pairs.models import LearningPair
from pairs.services import membership_withdraw
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
