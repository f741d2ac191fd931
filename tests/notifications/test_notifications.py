"""Notifications: each kind reaches the person in Pairwise and by email as they chose, and no one else."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cohorts.reminders import surveys_opened_notify
from cohorts.services import event_cancel, event_create, event_update
from notifications.models import Delivery, Kind, Notification
from notifications.rules import DEFAULT_DELIVERY
from notifications.services import _schedule_fan_out, notification_preferences_save, notifications_batched
from outputs.models import Output
from outputs.services import output_publish
from pairs.comments import step_comment_add
from pairs.models import Activity, PairMember, StepProgress
from pairs.services import activity_create, member_move, step_update
from tests.conftest import World
from tests.factories import EventFactory, MembershipFactory, OutputFactory, SurveyFactory, SurveyQuestionFactory


@pytest.fixture(autouse=True)
def _forget_forming_the_personas_pairs(world):
    """Forming the personas' pairs told them; each test here starts from a quiet inbox."""
    Notification.objects.all().delete()
    mail.outbox.clear()


def _partner_step(world: World) -> None:
    progress = StepProgress.objects.get(pair=world.pair, step=1)
    step_update(progress=progress, status=StepProgress.Status.DONE, summary="Referrals in silos.", by=world.bob)


def _partner_activity(world: World) -> None:
    activity_create(
        pair=world.pair,
        kind=Activity.Kind.MEETING,
        occurred_on=timezone.localdate(),
        hours=Decimal("2"),
        attendees=[world.bob_membership],
        by=world.bob,
    )


def _comment(world: World) -> None:
    progress = StepProgress.objects.get(pair=world.pair, step=1)
    step_comment_add(progress=progress, author=world.facilitator, body="Have you asked **service users**?")


def _output_reviewed(world: World) -> None:
    output = OutputFactory(pair=world.pair, status=Output.Status.IN_REVIEW, title="Whole-person services")
    output_publish(output=output)


def _future_event(world: World):
    start = timezone.now() + timedelta(days=10)
    return event_create(
        cohort=world.cohort, title="Workshop 5", starts_at=start, ends_at=start + timedelta(hours=6), place="London"
    )


def _event_invitation(world: World) -> None:
    _future_event(world)


def _event_changed(world: World) -> None:
    event = EventFactory(cohort=world.cohort, starts_at=timezone.now() + timedelta(days=3))
    event.attendances.create(membership=world.alice_membership)
    event_update(event=event, place="Birmingham")


def _survey_opened(world: World) -> None:
    survey = SurveyFactory(cohort=world.cohort, title="End-of-year evaluation")
    SurveyQuestionFactory(survey=survey)
    surveys_opened_notify(now=timezone.now())


def _pairing(world: World) -> None:
    seat = PairMember.objects.current().get(membership=world.alice_membership)
    member_move(member=seat, to_pair=world.other_pair, on=timezone.localdate())


TRIGGERS: dict[str, Callable[[World], None]] = {
    Kind.PARTNER_STEP: _partner_step,
    Kind.PARTNER_ACTIVITY: _partner_activity,
    Kind.COMMENT: _comment,
    Kind.OUTPUT_REVIEWED: _output_reviewed,
    Kind.EVENT_INVITATION: _event_invitation,
    Kind.EVENT_CHANGED: _event_changed,
    Kind.SURVEY_OPENED: _survey_opened,
    Kind.PAIRING: _pairing,
}


def test_every_kind_has_a_trigger_and_a_default():
    assert set(TRIGGERS) == set(Kind.values) == set(DEFAULT_DELIVERY)


def _mail_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


@pytest.mark.parametrize("delivery", Delivery.values)
@pytest.mark.parametrize("kind", Kind.values)
def test_each_kind_reaches_the_app_and_email_as_the_person_chose(
    world, django_capture_on_commit_callbacks, kind, delivery
):
    notification_preferences_save(user=world.alice, deliveries={kind: delivery})
    with django_capture_on_commit_callbacks(execute=True):
        TRIGGERS[kind](world)
    [notification] = Notification.objects.filter(recipient=world.alice, kind=kind)
    assert notification.read_at is None
    immediate = _mail_to(world.alice.email)
    if delivery == Delivery.IMMEDIATELY:
        assert [message.subject for message in immediate] == [f"Pairwise: {notification.text}"]
    else:
        assert immediate == []

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_notification_digest", stdout=StringIO())
    digests = [message for message in _mail_to(world.alice.email) if message not in immediate]
    if delivery == Delivery.DIGEST:
        [digest] = digests
        assert notification.text in digest.body
        assert digest.subject == "Pairwise: 1 update for you"
    else:
        assert digests == []


def test_the_digest_twice_in_a_day_sends_once(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _partner_step(world)  # a digest kind by default
        call_command("send_notification_digest", stdout=StringIO())
        call_command("send_notification_digest", stdout=StringIO())
    assert len(_mail_to(world.alice.email)) == 1


def test_the_person_who_acted_is_not_told_of_their_own_change(world):
    _partner_step(world)
    assert Notification.objects.filter(recipient=world.bob).count() == 0
    assert Notification.objects.filter(recipient=world.alice, kind=Kind.PARTNER_STEP).count() == 1


def test_a_comment_on_pair_a_never_notifies_or_shows_to_pair_b(world, login_as, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _comment(world)
    assert set(Notification.objects.filter(kind=Kind.COMMENT).values_list("recipient", flat=True)) == {
        world.alice.pk,
        world.bob.pk,
    }
    assert _mail_to(world.carol.email) == []
    client = login_as("carol")
    assert "service users" not in client.get(reverse("notifications:list")).text
    assert client.get(world.pair.get_absolute_url()).status_code == 404
    assert "service users" in login_as("alice").get(world.pair.get_absolute_url()).text


def test_an_event_change_notifies_only_its_cohort(world):
    _future_event(world)
    assert not Notification.objects.filter(recipient=world.dave).exists()
    assert Notification.objects.filter(recipient=world.carol, kind=Kind.EVENT_INVITATION).exists()


def test_raising_the_same_thing_twice_notifies_once(world):
    event = EventFactory(cohort=world.cohort, starts_at=timezone.now() + timedelta(days=3))
    event.attendances.create(membership=world.alice_membership)
    event_cancel(event=event, reason="Venue closed")
    assert Notification.objects.filter(recipient=world.alice, kind=Kind.EVENT_CHANGED).count() == 1
    assert "Venue closed" in Notification.objects.get(recipient=world.alice, kind=Kind.EVENT_CHANGED).text


def test_the_old_partner_is_told_that_a_member_moved(world):
    _pairing(world)
    told = Notification.objects.get(recipient=world.bob, kind=Kind.PAIRING)
    assert "Alice Adkins left your pair" in told.text
    joined = Notification.objects.filter(recipient=world.carol, kind=Kind.PAIRING).values_list("text", flat=True)
    assert any("Alice Adkins joined" in text for text in joined)


def test_many_people_notified_at_once_share_one_fan_out_task(world, django_capture_on_commit_callbacks):
    MembershipFactory.create_batch(3, cohort=world.cohort)
    with django_capture_on_commit_callbacks() as callbacks, notifications_batched():
        _future_event(world)
        event_update(event=world.cohort.events.get(title="Workshop 5"), place="Leeds")
    fan_outs = [callback for callback in callbacks if getattr(callback, "func", None) is _schedule_fan_out]
    assert len(fan_outs) == 1
    assert Notification.objects.filter(kind__in=[Kind.EVENT_INVITATION, Kind.EVENT_CHANGED]).count() == 2 * 7
