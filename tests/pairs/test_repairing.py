"""Re-pairing keeps the work: a grace period after a late change, and the mover's earlier steps, for them only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Side
from notifications.models import Kind, Notification
from pairs.models import PairMember, StepProgress
from pairs.risk import RiskReason, pair_risks
from pairs.rules import step_due_for_pair
from pairs.services import member_move_to_new_pair, pair_member_add, pair_member_leave, step_update
from programme.models import SectorCode
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
        user__organisation__sector=SectorCode.VOLUNTARY,
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


def test_the_new_pairs_step_page_gives_the_grace_date_not_overdue(world, client):
    new_pair, erin = _repair_alice_after_the_step_1_deadline(world)
    client.force_login(erin)
    page = client.get(new_pair.get_absolute_url()).text
    step_1 = page[page.index('id="step-1"') : page.index('id="step-2"')]
    grace_ends = timezone.localdate() + timedelta(days=world.cohort.repair_grace_days)
    assert f"due {grace_ends:%-d %B %Y}" in step_1
    assert "overdue" not in step_1
    assert "The pair changed on" in step_1 and "after the cohort" in step_1


def test_the_members_home_gives_the_grace_date_not_overdue(world, client):
    _new_pair, erin = _repair_alice_after_the_step_1_deadline(world)
    client.force_login(erin)
    page = client.get(reverse("dashboard:home")).text
    grace_ends = timezone.localdate() + timedelta(days=world.cohort.repair_grace_days)
    assert f"Due {grace_ends:%-d %B %Y}" in page
    assert "overdue" not in page


def test_the_pairs_pages_at_risk_list_explains_a_re_paired_pairs_dates(world, login_as):
    new_pair, _ = _repair_alice_after_the_step_1_deadline(world)
    today = timezone.localdate()
    # The new pair is at risk for another reason (a member left): its row explains its dates too.
    erin_seat = new_pair.members.current().get(membership__side=Side.PRACTITIONER)
    pair_member_leave(member=erin_seat, on=today, reason="Left", allow_single_sided=True)
    page = login_as("facilitator").get(reverse("pairs:cohort-pairs", args=[world.cohort.pk])).text
    at_risk = page[page.index('id="at-risk"') : page.index('id="pairs-heading"')]
    row = at_risk[at_risk.index(f'data-pair="{new_pair.number}"') :]
    grace_ends = today + timedelta(days=world.cohort.repair_grace_days)
    deadline = today - timedelta(days=30)
    assert f"step 1 due {grace_ends:%-d %B %Y} instead of the cohort's {deadline:%-d %B %Y}" in row
    assert "overdue" not in row.split("</li>")[0]


def test_reminders_give_a_re_paired_pair_its_grace_date(world, django_capture_on_commit_callbacks):
    from pairs.reminders import step_reminders_enqueue

    _new_pair, erin = _repair_alice_after_the_step_1_deadline(world)
    with django_capture_on_commit_callbacks(execute=True):
        step_reminders_enqueue(now=timezone.now())
    to_erin = [message for message in mail.outbox if erin.email in message.to]
    assert not any("Overdue" in message.subject for message in to_erin)


@pytest.mark.parametrize("changed_days_after", [-40, -30, 0, 5, 60])
def test_the_database_and_the_rule_agree_on_a_pairs_due_date(world, changed_days_after):
    deadline = timezone.localdate() - timedelta(days=30)
    StepDeadlineFactory(cohort=world.cohort, step=1, due_on=deadline)
    changed_on = deadline + timedelta(days=changed_days_after)
    PairMember.objects.filter(pair=world.pair).update(joined_on=changed_on)
    progress = StepProgress.objects.with_due_dates().get(pair=world.pair, step=1)
    expected = step_due_for_pair(
        cohort_due_on=deadline, pair_changed_on=changed_on, grace_days=world.cohort.repair_grace_days
    )
    assert progress.due_on == expected
    assert progress.due_extended == (changed_days_after > 0)


def test_comments_on_the_old_pairs_steps_are_kept_and_shown_to_the_mover_only(world, client):
    from pairs.comments import step_comment_add

    old_step = StepProgress.objects.get(pair=world.pair, step=1)
    comment = step_comment_add(progress=old_step, author=world.facilitator, body="Ask the **referral team** why.")
    new_pair, erin = _repair_alice_after_the_step_1_deadline(world)
    comment.refresh_from_db()
    assert comment.progress.pair_id == world.pair.pk  # kept with the old pair's step
    client.force_login(world.alice)
    earlier = client.get(new_pair.get_absolute_url()).text
    earlier = earlier[earlier.index("Your earlier work in pair") :]
    assert "<strong>referral team</strong>" in earlier
    client.force_login(erin)
    assert "referral team" not in client.get(new_pair.get_absolute_url()).text
    client.force_login(world.facilitator)
    assert "referral team" in client.get(world.pair.get_absolute_url()).text
