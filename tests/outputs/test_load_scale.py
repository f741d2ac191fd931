"""load_scale builds a scaled programme for benchmarks: every count, the logins, and a refusal to build twice."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F

from bench.scale import SCALE_LOGINS, SCALE_PASSWORD, ScaleCounts, scale_row_counts
from cohorts.models import Attendance, Cohort, Membership
from pairs.models import Activity, LearningPair, PairMember, StepProgress
from programme.models import User
from tests.factories import CohortFactory

pytestmark = pytest.mark.django_db


def _load(*args: str) -> str:
    out = StringIO()
    call_command("load_scale", "--force", *args, stdout=out)
    return out.getvalue()


def test_full_scale_counts_are_the_hundredfold_programme_of_the_issue():
    counts = ScaleCounts.at(1)
    assert (counts.cohorts, counts.largest_cohort, counts.pairs, counts.activities) == (50, 300, 700, 100_000)
    assert (counts.events, counts.attendance, counts.outputs, counts.people) == (400, 30_000, 2_000, 1_500)


def test_small_scale_builds_every_count_with_logins_for_each_role_of_the_largest_cohort():
    output = _load("--scale", "0.02")
    counts = ScaleCounts.at(0.02)
    built = scale_row_counts()
    assert built["cohorts"] == counts.cohorts
    assert built["pairs"] == counts.pairs
    assert built["activities"] == counts.activities
    assert built["events"] == counts.events
    assert 0 < built["attendance"] <= counts.attendance  # small cohorts hold fewer rows than the share asks
    assert built["outputs"] == counts.outputs
    assert built["people"] == counts.people + 2  # the manager and the facilitator are not members

    largest = Cohort.objects.get(status=Cohort.Status.RUNNING)
    assert largest.memberships.count() == counts.largest_cohort
    manager, facilitator, member = (authenticate(email=email, password=SCALE_PASSWORD) for email, _ in SCALE_LOGINS)
    assert manager is not None and manager.is_superuser
    assert facilitator is not None and list(facilitator.facilitated_cohorts.all()) == [largest]
    assert member is not None and PairMember.objects.filter(membership__user=member, pair__cohort=largest).exists()
    assert "manager@scale.test" in output


def test_scale_data_is_consistent_pairs_have_both_sides_four_steps_and_attendees_from_the_pair():
    _load("--scale", "0.02")
    for pair in LearningPair.objects.prefetch_related("members__membership"):
        assert {m.membership.side for m in pair.members.all()} == {"policymaker", "practitioner"}
    assert StepProgress.objects.count() == 4 * LearningPair.objects.count()
    pair_of_member = dict(PairMember.objects.values_list("membership_id", "pair_id"))
    for activity_id, pair_id, membership_id in Activity.attendees.through.objects.values_list(
        "activity_id", "activity__pair_id", "membership_id"
    ):
        assert pair_of_member[membership_id] == pair_id, activity_id
    assert not Attendance.objects.exclude(event__cohort=F("membership__cohort")).exists()


def test_only_the_three_logins_can_sign_in():
    _load("--scale", "0.02")
    assert sum(user.has_usable_password() for user in User.objects.all()) == 3
    assert not Membership.objects.filter(user__email="manager@scale.test").exists()


@pytest.mark.django_db(transaction=True)  # flush truncates tables, which a test transaction forbids
def test_building_twice_is_refused_unless_flushed():
    _load("--scale", "0.01")
    with pytest.raises(CommandError, match="--flush"):
        _load("--scale", "0.01")
    CohortFactory()
    _load("--scale", "0.01", "--flush")
    assert Cohort.objects.count() == ScaleCounts.at(0.01).cohorts


def test_with_debug_off_it_refuses_without_force():
    with pytest.raises(CommandError, match="--force"):
        call_command("load_scale", "--scale", "0.01", stdout=StringIO())
    assert not Cohort.objects.exists()


def test_a_scale_of_zero_is_refused():
    with pytest.raises(CommandError, match="greater than 0"):
        _load("--scale", "0")
