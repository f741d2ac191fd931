"""Re-pairing keeps the work: a grace period after a late change, and the mover's earlier steps, for them only."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from cohorts.models import Side
from notifications.models import Kind, Notification
from pairs.models import PairMember, StepProgress
from pairs.risk import RiskReason, pair_risks
from pairs.services import member_move_to_new_pair, pair_member_add, step_update
from programme.models import Sector
from tests.factories import MembershipFactory, StepDeadlineFactory

OLD_SUMMARY = "Referrals between services happen in silos."


def _repair_alice_after_the_step_1_deadline(world):
    today = timezone.localdate()
    StepDeadlineFactory(cohort=world.cohort, step=1, due_on=today - timedelta(days=30))
    old_step = StepProgress.objects.get(pair=world.pair, step=1)
    step_update(progress=old_step, status=StepProgress.Status.DONE, summary=OLD_SUMMARY, by=world.alice)
    seat = PairMember.objects.current().get(membership=world.alice_membership)
    new_pair = member_move_to_new_pair(member=seat, on=today, reason="Partner changed roles")
    erin = MembershipFactory(
        cohort=world.cohort,
        side=Side.PRACTITIONER,
        user__full_name="Erin Evans",
        user__organisation__name="Mind",
        user__organisation__sector=Sector.VOLUNTARY,
    )
    pair_member_add(pair=new_pair, membership=erin, on=today)
    return new_pair, erin.user


def test_a_pair_re_formed_after_the_step_1_deadline_is_not_at_risk(world):
    new_pair, _ = _repair_alice_after_the_step_1_deadline(world)
    assert new_pair.pk not in pair_risks(world.cohort, timezone.localdate())


def test_after_its_grace_period_the_at_risk_list_explains_the_re_paired_pairs_dates(world):
    new_pair, _ = _repair_alice_after_the_step_1_deadline(world)
    later = timezone.localdate() + timedelta(days=world.cohort.repair_grace_days + 1)
    reasons = [r for r in pair_risks(world.cohort, later)[new_pair.pk] if r.code == RiskReason.OVERDUE_STEP]
    [reason] = reasons
    assert "the pair changed on" in reason.text
    assert "after the cohort's deadline" in reason.text
    assert f"had {world.cohort.repair_grace_days} days" in reason.text


def test_the_grace_period_is_set_per_cohort(world):
    world.cohort.repair_grace_days = 0
    world.cohort.save()
    new_pair, _ = _repair_alice_after_the_step_1_deadline(world)
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert RiskReason.OVERDUE_STEP in {r.code for r in pair_risks(world.cohort, tomorrow)[new_pair.pk]}


def test_the_moved_member_reads_their_old_step_1_summary_marked_with_the_old_pair(world, client):
    new_pair, _ = _repair_alice_after_the_step_1_deadline(world)
    client.force_login(world.alice)
    page = client.get(new_pair.get_absolute_url()).text
    assert OLD_SUMMARY in page
    assert f"Your earlier work in pair {world.pair.number}" in page
    assert "read-only" in page


def test_the_new_partner_does_not_see_the_old_summary(world, client):
    new_pair, erin = _repair_alice_after_the_step_1_deadline(world)
    client.force_login(erin)
    page = client.get(new_pair.get_absolute_url()).text
    assert OLD_SUMMARY not in page
    assert client.get(world.pair.get_absolute_url()).status_code == 404


def test_the_old_partner_is_told_that_the_member_moved(world):
    _repair_alice_after_the_step_1_deadline(world)
    texts = list(Notification.objects.filter(recipient=world.bob, kind=Kind.PAIRING).values_list("text", flat=True))
    assert any("Alice Adkins left your pair" in text and "Partner changed roles" in text for text in texts)


def test_the_old_pairs_private_notes_are_not_shown_to_the_mover(world, client):
    from tests.factories import ActivityFactory

    ActivityFactory(pair=world.pair, private_notes="Secret between Alice and Bob", logged_by=world.bob)
    new_pair, _ = _repair_alice_after_the_step_1_deadline(world)
    client.force_login(world.alice)
    assert "Secret between Alice and Bob" not in client.get(new_pair.get_absolute_url()).text
