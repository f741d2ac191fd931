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
from outputs.services import (
    output_feature,
    output_publish,
    output_send_back,
    output_submit_for_review,
    output_update,
)
from pairs.comments import step_comment_add, step_mark_another_look
from pairs.models import Activity, PairMember, StepProgress
from pairs.services import activity_create, member_move, pair_create, pair_member_leave, step_update
from tests.conftest import World
from tests.factories import (
    EventFactory,
    MembershipFactory,
    OutputFactory,
    PublishedOutputFactory,
    SurveyFactory,
    SurveyQuestionFactory,
)


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


# Every case the issue lists under each kind, not just one per kind: who is told, in the app and by email.


def _in_review(world: World) -> Output:
    return OutputFactory(pair=world.pair, status=Output.Status.IN_REVIEW, title="Whole-person services")


def _revision_in_review(world: World) -> Output:
    published = PublishedOutputFactory(pair=world.pair, title="Whole-person services")
    output_update(output=published, title="Whole-person services, second edition")
    output_submit_for_review(output=published)
    return published


def _event_with_alice_invited(world: World):
    event = EventFactory(cohort=world.cohort, starts_at=timezone.now() + timedelta(days=3), title="Workshop 6")
    event.attendances.create(membership=world.alice_membership)
    return event


def _moved_into_alices_pair(world: World) -> None:
    seat = PairMember.objects.current().get(membership=world.carol_membership)
    member_move(member=seat, to_pair=world.pair, on=timezone.localdate(), reason="Re-paired")


def _alice_put_in_a_new_pair(world: World) -> None:
    seat = PairMember.objects.current().get(membership=world.alice_membership)
    pair_member_leave(member=seat, on=timezone.localdate(), reason="Re-pairing", allow_single_sided=True)
    pair_create(cohort=world.cohort, members=[world.alice_membership], on=timezone.localdate())


CASES: list[tuple[str, str, Callable[[World], object], str]] = [
    ("step done", Kind.PARTNER_STEP, _partner_step, "Bob Bradley completed step 1"),
    ("activity", Kind.PARTNER_ACTIVITY, _partner_activity, "Bob Bradley logged an activity"),
    ("comment", Kind.COMMENT, _comment, "(facilitator) commented on step 1"),
    (
        "another look",
        Kind.COMMENT,
        lambda w: step_mark_another_look(
            progress=StepProgress.objects.get(pair=w.pair, step=1), by=w.facilitator, needed=True
        ),
        "take another look at step 1",
    ),
    ("sent back", Kind.OUTPUT_REVIEWED, lambda w: output_send_back(output=_in_review(w), comment="More"), "sent back"),
    ("published", Kind.OUTPUT_REVIEWED, lambda w: output_publish(output=_in_review(w)), "was published"),
    (
        "featured",
        Kind.OUTPUT_REVIEWED,
        lambda w: output_feature(output=PublishedOutputFactory(pair=w.pair, title="Case")),
        "is featured as a case study",
    ),
    (
        "revision sent back",
        Kind.OUTPUT_REVIEWED,
        lambda w: output_send_back(output=_revision_in_review(w), comment="Shorter"),
        "has its changes sent back",
    ),
    (
        "revision published",
        Kind.OUTPUT_REVIEWED,
        lambda w: output_publish(output=_revision_in_review(w)),
        "has its changes published",
    ),
    ("invitation", Kind.EVENT_INVITATION, _event_invitation, "You are invited to Workshop 5"),
    (
        "event changed",
        Kind.EVENT_CHANGED,
        lambda w: event_update(event=_event_with_alice_invited(w), place="Birmingham"),
        "Workshop 6",
    ),
    (
        "event cancelled",
        Kind.EVENT_CHANGED,
        lambda w: event_cancel(event=_event_with_alice_invited(w), reason="Venue closed"),
        "Venue closed",
    ),
    ("survey opened", Kind.SURVEY_OPENED, _survey_opened, "End-of-year evaluation"),
    ("partner moved in", Kind.PAIRING, _moved_into_alices_pair, "Carol Campbell joined your pair"),
    ("moved between pairs", Kind.PAIRING, _pairing, "You are now in pair"),
    ("added to a new pair", Kind.PAIRING, _alice_put_in_a_new_pair, "You are now in pair"),
]


@pytest.mark.parametrize(("case", "kind", "trigger", "text"), CASES, ids=[case[0] for case in CASES])
def test_every_case_of_every_kind_reaches_the_app_and_email(
    world, django_capture_on_commit_callbacks, case, kind, trigger, text
):
    notification_preferences_save(user=world.alice, deliveries={kind: Delivery.IMMEDIATELY})
    with django_capture_on_commit_callbacks(execute=True):
        trigger(world)
    texts = list(Notification.objects.filter(recipient=world.alice, kind=kind).values_list("text", flat=True))
    assert any(text in told for told in texts), texts
    subjects = [message.subject for message in _mail_to(world.alice.email)]
    assert any(text in subject for subject in subjects), subjects
    # Nobody outside the cohort hears of it.
    assert not Notification.objects.filter(recipient=world.dave).exists()


def test_the_digest_works_through_people_a_chunk_at_a_time_in_one_run(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    """The bench (bench/notification_fanout.py) times 1,500 people; here a chunk of 3 shows the streaming:
    one run reaches all 11 people, never holding more than a chunk of them."""
    from notifications import services

    people = [membership.user for membership in MembershipFactory.create_batch(11, cohort=world.cohort)]
    for person in people:
        notification_preferences_save(user=person, deliveries={Kind.EVENT_INVITATION: Delivery.DIGEST})
    with django_capture_on_commit_callbacks(execute=True):
        _future_event(world)
    monkeypatch.setattr(services, "DIGEST_CHUNK", 3)
    chunk_sizes: list[int] = []
    real_chunk = services._digest_chunk

    def _counting_chunk(*, recipient_ids, day):
        chunk_sizes.append(len(recipient_ids))
        return real_chunk(recipient_ids=recipient_ids, day=day)

    monkeypatch.setattr(services, "_digest_chunk", _counting_chunk)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        queued = services.notification_digest_send()
    assert max(chunk_sizes) == 3
    assert queued >= 11
    assert {person.email for person in people} <= {address for message in mail.outbox for address in message.to}
    # Everyone's notification is marked as emailed: a second run sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.notification_digest_send() == 0


def test_many_pairs_formed_at_once_share_one_fan_out_task(world, django_capture_on_commit_callbacks):
    from cohorts.models import Side
    from pairs.services import pairs_create_many

    groups = [
        (
            (
                MembershipFactory(cohort=world.cohort, side=Side.POLICYMAKER),
                MembershipFactory(cohort=world.cohort, side=Side.PRACTITIONER),
            ),
            None,
        )
        for _ in range(5)
    ]
    with django_capture_on_commit_callbacks() as callbacks:
        pairs_create_many(cohort=world.cohort, groups=groups, on=timezone.localdate())
    fan_outs = [callback for callback in callbacks if getattr(callback, "func", None) is _schedule_fan_out]
    assert len(fan_outs) == 1
    told = Notification.objects.filter(kind=Kind.PAIRING, recipient__memberships__in=[m for g, _ in groups for m in g])
    assert told.count() == 10
