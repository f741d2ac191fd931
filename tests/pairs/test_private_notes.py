"""A pair's private notes: staff read them only with a reason, which is logged and shown to the pair."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from pairs import services
from pairs.models import PrivateNotesReading
from pairs.permissions import can_read_private_notes
from pairs.rules import NOTES_READING_NEEDS_REASON, PRIVATE_NOTES_READING_LASTS
from pairs.views.private_notes import NOTES_OPENED
from tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db

SECRET = "The deputy director was candid about the minister."


@pytest.fixture
def notes(world):
    return ActivityFactory(pair=world.pair, private_notes=SECRET, attendees=[world.alice_membership])


def notes_url(world) -> str:
    return reverse("pairs:private-notes", args=[world.pair.pk])


def test_a_facilitator_gives_a_reason_and_the_reading_is_logged(world, notes, login_as):
    response = login_as("facilitator").post(notes_url(world), {"reason": "Bob says the pair has stalled."}, follow=True)
    assert NOTES_OPENED in [str(m) for m in response.context["messages"]]
    assert SECRET in response.content.decode()
    reading = PrivateNotesReading.objects.get()
    assert (reading.pair, reading.reader, reading.reason) == (
        world.pair,
        world.facilitator,
        "Bob says the pair has stalled.",
    )


@pytest.mark.parametrize("reason", ["", "   "])
def test_no_reason_no_notes(world, notes, login_as, reason):
    client = login_as("facilitator")
    response = client.post(notes_url(world), {"reason": reason})
    assert response.status_code == 400
    assert escape(NOTES_READING_NEEDS_REASON) in response.content.decode()
    assert not PrivateNotesReading.objects.exists()
    assert SECRET not in client.get(reverse("pairs:activity-list", args=[world.pair.pk])).content.decode()


def test_the_service_refuses_an_empty_reason(world):
    with pytest.raises(ValidationError) as caught:
        services.private_notes_reading_log(pair=world.pair, reader=world.manager, reason="  ")
    assert NOTES_READING_NEEDS_REASON in str(caught.value)


def test_a_reading_lapses_after_its_time(world, notes):
    reading = services.private_notes_reading_log(pair=world.pair, reader=world.facilitator, reason="Checking in")
    assert can_read_private_notes(world.facilitator, world.pair)
    reading.read_at = timezone.now() - PRIVATE_NOTES_READING_LASTS - timedelta(minutes=1)
    reading.save()
    assert not can_read_private_notes(world.facilitator, world.pair)


def test_a_reading_of_one_pair_opens_no_other(world, notes):
    services.private_notes_reading_log(pair=world.other_pair, reader=world.facilitator, reason="Other pair")
    assert not can_read_private_notes(world.facilitator, world.pair)


@pytest.mark.parametrize("persona", ["alice", "bob"])
def test_the_pair_sees_who_has_read_their_notes(world, notes, login_as, persona):
    services.private_notes_reading_log(pair=world.pair, reader=world.facilitator, reason="Supporting the pair")
    content = login_as(persona).get(notes_url(world)).content.decode()
    assert "Who has read our notes" in content
    assert "Fran Facilitator" in content
    assert "Supporting the pair" in content
    assert "Log my reason" not in content  # the pair's own notes need no reason


def test_the_pair_is_told_when_nobody_has_read_them(world, login_as):
    assert (
        "Nobody outside the pair has read your private notes."
        in login_as("alice").get(notes_url(world)).content.decode()
    )


def test_a_member_cannot_post_a_reading(world, login_as):
    assert login_as("alice").post(notes_url(world), {"reason": "x"}).status_code == 404
    assert not PrivateNotesReading.objects.exists()


@pytest.mark.parametrize("persona", ["carol", "dave", "other_facilitator"])
def test_others_cannot_read_or_log(world, notes, login_as, persona):
    client = login_as(persona)
    assert client.get(notes_url(world)).status_code == 404
    assert client.post(notes_url(world), {"reason": "curious"}).status_code == 404
    assert not PrivateNotesReading.objects.exists()


def test_the_admin_never_shows_private_notes(world, notes, login_as):
    content = login_as("manager").get(reverse("admin:pairs_activity_change", args=[notes.pk])).content.decode()
    assert SECRET not in content
