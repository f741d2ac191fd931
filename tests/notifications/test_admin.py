"""The outbox in the admin: a manager finds failed and refused messages, sends one again, and clears an
address that refused mail."""

from __future__ import annotations

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from notifications.models import OutboundMessage, PersonRefusingMail
from notifications.services import message_enqueue

Status = OutboundMessage.Status
CHANGELIST = "admin:notifications_outboundmessage_changelist"
REFUSING = "admin:notifications_personrefusingmail_changelist"


def _message(user, key: str, status: str) -> OutboundMessage:
    message, _ = message_enqueue(key=key, to=user, kind="event_reply", subject=f"About {key}", body="Hi")
    OutboundMessage.objects.filter(pk=message.pk).update(status=status, last_error=f"{key} went wrong")
    return message


def test_manager_lists_the_messages_that_failed_or_were_refused(world, login_as):
    _message(world.alice, "failed-one", Status.FAILED)
    _message(world.bob, "refused-one", Status.REFUSED)
    _message(world.carol, "waiting-one", Status.PENDING)
    client = login_as("manager")

    failed = client.get(reverse(CHANGELIST), {"status__exact": Status.FAILED})
    refused = client.get(reverse(CHANGELIST), {"status__exact": Status.REFUSED})

    assert [m.key for m in failed.context["cl"].result_list] == ["failed-one"]
    assert "failed-one went wrong" in failed.text
    assert [m.key for m in refused.context["cl"].result_list] == ["refused-one"]


def test_manager_sends_a_failed_message_again(world, login_as, django_capture_on_commit_callbacks):
    message = _message(world.alice, "failed-one", Status.FAILED)
    client = login_as("manager")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse(CHANGELIST), {"action": "retry", "_selected_action": [message.pk]}, follow=True)

    assert "1 message(s) queued to send again." in response.text
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert [m.to for m in mail.outbox] == [[world.alice.email]]


def test_sending_a_sent_message_again_is_refused_with_a_reason(world, login_as, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message, _ = message_enqueue(key="sent", to=world.alice, kind="t", subject="Sent", body="Hi")
    client = login_as("manager")

    response = client.post(reverse(CHANGELIST), {"action": "retry", "_selected_action": [message.pk]}, follow=True)

    assert "it is not sent twice" in response.text
    assert len(mail.outbox) == 1


def test_manager_lists_people_whose_address_refuses_mail_and_clears_one(world, login_as):
    world.carol.email_refused_at = timezone.now()
    world.carol.email_refused_reason = "SMTPRecipientsRefused: 550 No such user here"
    world.carol.save()
    client = login_as("manager")

    listed = client.get(reverse(REFUSING))
    assert [person.pk for person in listed.context["cl"].result_list] == [world.carol.pk]
    assert "550 No such user here" in listed.text

    response = client.post(
        reverse(REFUSING), {"action": "clear_refusal", "_selected_action": [world.carol.pk]}, follow=True
    )

    assert "1 address(es) will be sent mail again" in response.text
    world.carol.refresh_from_db()
    assert world.carol.email_refused_at is None
    assert not PersonRefusingMail.objects.exists()


def test_the_outbox_cannot_be_edited_in_the_admin(world, login_as):
    message = _message(world.alice, "failed-one", Status.FAILED)
    client = login_as("manager")
    change = reverse("admin:notifications_outboundmessage_change", args=[message.pk])

    client.post(change, {"subject": "Changed", "to": "someone@example.org"})

    message.refresh_from_db()
    assert (message.subject, message.to) == ("About failed-one", world.alice.email)
    assert client.get(reverse("admin:notifications_outboundmessage_add")).status_code == 403
