"""At-risk pairs: each reason, and the weekly digest sent once per ISO week."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from cohorts.models import Side
from notifications.models import OutboundMessage
from pairs import services
from pairs.models import LearningPair, Step, StepProgress
from pairs.risk import RISK_DIGEST, RiskReason, at_risk_pairs, iso_week, pair_risks, risk_digest_enqueue
from tests.factories import ActivityFactory, MembershipFactory, StepDeadlineFactory


@pytest.fixture
def today():
    return timezone.localdate()


def _codes(cohort, pair, today) -> set[str]:
    return {reason.code for reason in pair_risks(cohort, today).get(pair.pk, [])}


def _log_recent_activity(*pairs: LearningPair) -> None:
    for pair in pairs:
        ActivityFactory(pair=pair, occurred_on=timezone.localdate() - timedelta(days=1))


def test_a_busy_pair_with_nothing_overdue_is_not_at_risk(world, today):
    _log_recent_activity(world.pair)
    assert world.pair.pk not in pair_risks(world.cohort, today)


def test_no_activity_for_the_cohorts_threshold_flags_the_pair(world, today):
    world.cohort.stalled_after_days = 21
    world.cohort.save()
    ActivityFactory(pair=world.pair, occurred_on=today - timedelta(days=21))
    assert RiskReason.NO_ACTIVITY in _codes(world.cohort, world.pair, today)
    reason = pair_risks(world.cohort, today)[world.pair.pk][0]
    assert reason.text == "No activity for 21 days"


def test_activity_within_the_threshold_is_not_flagged(world, today):
    ActivityFactory(pair=world.pair, occurred_on=today - timedelta(days=20))
    assert RiskReason.NO_ACTIVITY not in _codes(world.cohort, world.pair, today)


def test_the_threshold_is_per_cohort(world, today):
    ActivityFactory(pair=world.pair, occurred_on=today - timedelta(days=10))
    world.cohort.stalled_after_days = 7
    world.cohort.save()
    assert RiskReason.NO_ACTIVITY in _codes(world.cohort, world.pair, today)


def test_a_pair_that_never_logged_anything_counts_from_its_forming(world, today):
    # The world's pairs were formed today (created_at): not yet stalled.
    assert RiskReason.NO_ACTIVITY not in _codes(world.cohort, world.pair, today)
    assert RiskReason.NO_ACTIVITY in _codes(world.cohort, world.pair, today + timedelta(days=21))


def test_an_overdue_step_flags_the_pair(world, today):
    _log_recent_activity(world.pair)
    StepDeadlineFactory(cohort=world.cohort, step=Step.IDENTIFY, due_on=today - timedelta(days=1))
    reasons = pair_risks(world.cohort, today)[world.pair.pk]
    assert [r.code for r in reasons] == [RiskReason.OVERDUE_STEP]
    assert "Step 1 (Identify) overdue" in reasons[0].text


def test_a_done_step_past_its_date_is_not_overdue(world, today):
    _log_recent_activity(world.pair)
    StepDeadlineFactory(cohort=world.cohort, step=Step.IDENTIFY, due_on=today - timedelta(days=1))
    StepProgress.objects.filter(pair=world.pair, step=Step.IDENTIFY).update(
        status=StepProgress.Status.DONE, summary="Found it", completed_on=today
    )
    assert world.pair.pk not in pair_risks(world.cohort, today)


def test_a_member_who_withdrew_flags_their_pair(world, today):
    _log_recent_activity(world.pair)
    services.membership_withdraw(membership=world.alice_membership, on=today, reason="New job")
    codes = _codes(world.cohort, world.pair, today)
    assert RiskReason.MEMBER_WITHDREW in codes
    assert any("Alice Adkins withdrew" in r.text for r in pair_risks(world.cohort, today)[world.pair.pk])


def test_a_member_who_moved_on_and_later_withdrew_flags_only_their_new_pair(world, today):
    _log_recent_activity(world.pair, world.other_pair)
    policymaker = MembershipFactory(cohort=world.cohort, side=Side.POLICYMAKER)
    new_pair = services.pair_create(cohort=world.cohort, members=[policymaker], on=today - timedelta(days=10))
    _log_recent_activity(new_pair)
    carol_seat = world.other_pair.members.get(membership=world.carol_membership)
    services.member_move(member=carol_seat, to_pair=new_pair, on=today - timedelta(days=10))
    services.membership_withdraw(membership=world.carol_membership, on=today, reason="Ill health")
    assert RiskReason.MEMBER_WITHDREW in _codes(world.cohort, new_pair, today)
    assert RiskReason.MEMBER_WITHDREW not in _codes(world.cohort, world.other_pair, today)


def test_a_withdrawal_is_no_longer_flagged_once_someone_joins_the_pair(world, today):
    _log_recent_activity(world.pair)
    services.membership_withdraw(membership=world.alice_membership, on=today - timedelta(days=5), reason="New job")
    newcomer = MembershipFactory(cohort=world.cohort, side=Side.POLICYMAKER)
    services.pair_member_add(pair=world.pair, membership=newcomer, on=today)
    assert world.pair.pk not in pair_risks(world.cohort, today)


def test_a_pair_with_one_current_member_is_flagged(world, today):
    _log_recent_activity(world.pair)
    seat = world.pair.members.get(membership=world.bob_membership)
    services.pair_member_leave(member=seat, on=today, reason="Moved abroad")
    assert _codes(world.cohort, world.pair, today) == {RiskReason.SINGLE_MEMBER}


def test_pairs_of_another_cohort_and_dissolved_pairs_are_left_out(world, today):
    world.pair.status = LearningPair.Status.DISSOLVED
    world.pair.save()
    assert world.pair.pk not in pair_risks(world.cohort, today + timedelta(days=60))


def test_risks_take_a_constant_number_of_queries(world, today, django_assert_num_queries):
    with django_assert_num_queries(3):
        pair_risks(world.cohort, today + timedelta(days=60))


def test_iso_week_labels_the_week():
    from datetime import date

    assert iso_week(date(2015, 2, 12)) == "2015-W07"


def test_digest_goes_to_the_cohorts_facilitators_once_a_week(world, today, django_capture_on_commit_callbacks):
    ActivityFactory(pair=world.pair, occurred_on=today - timedelta(days=40))
    with django_capture_on_commit_callbacks(execute=True):
        assert risk_digest_enqueue(cohort=world.cohort, today=today) == [world.facilitator]
        assert risk_digest_enqueue(cohort=world.cohort, today=today) == []
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world.facilitator.email]
    assert "Pair 1" in message.body and "No activity for 40 days" in message.body
    digest = OutboundMessage.objects.get(kind=RISK_DIGEST)
    assert digest.status == OutboundMessage.Status.SENT
    assert digest.key.endswith(iso_week(today))


def test_digest_goes_again_the_next_week(world, today, django_capture_on_commit_callbacks):
    ActivityFactory(pair=world.pair, occurred_on=today - timedelta(days=40))
    with django_capture_on_commit_callbacks(execute=True):
        risk_digest_enqueue(cohort=world.cohort, today=today)
        risk_digest_enqueue(cohort=world.cohort, today=today + timedelta(days=7))
    assert len(mail.outbox) == 2


def test_no_digest_when_no_pair_is_at_risk(world, today, django_capture_on_commit_callbacks):
    _log_recent_activity(world.pair, world.other_pair)
    with django_capture_on_commit_callbacks(execute=True):
        assert risk_digest_enqueue(cohort=world.cohort, today=today) == []
    assert mail.outbox == []


def test_send_risk_digest_command_sends_once_when_run_twice(world, today, django_capture_on_commit_callbacks):
    ActivityFactory(pair=world.pair, occurred_on=today - timedelta(days=40))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_risk_digest")
        call_command("send_risk_digest")
    assert [m.to for m in mail.outbox] == [[world.facilitator.email]]


def test_at_risk_pairs_lists_pairs_with_their_members(world, today):
    ActivityFactory(pair=world.pair, occurred_on=today - timedelta(days=40))
    _log_recent_activity(world.other_pair)
    [risk] = at_risk_pairs(world.cohort, today)
    assert risk.pair == world.pair
    assert risk.pair.member_names() == "Alice Adkins & Bob Bradley"
