"""Every events URL × every persona, in the manner of pretix: a new URL without its rows shows at once.

Refused requests (404, or a POST turned away) must change nothing.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from cohorts.models import Attendance, Event, ExternalGuest, Insight
from tests.conftest import PERSONAS

STAFF = {"manager", "facilitator"}
MEMBERS = {"alice", "bob", "carol"}
ANYONE = STAFF | MEMBERS | {"dave", "other_facilitator"}
# Staff see the event, so they are told they cannot reply rather than shown a 404.
SEEN_BUT_REFUSED = {("event-reply", persona) for persona in STAFF}


def _state(world) -> tuple:
    """Everything a refused request could have changed."""
    world.facilitator.refresh_from_db()
    return (
        tuple(Event.objects.order_by("pk").values_list("pk", "title", "starts_at")),
        tuple(Attendance.objects.order_by("pk").values_list("pk", "membership_id", "status")),
        tuple(ExternalGuest.objects.order_by("pk").values_list("pk", "name")),
        tuple(Insight.objects.order_by("pk").values_list("pk", "text")),
        tuple(type(world.alice).objects.order_by("pk").values_list("pk", "calendar_token")),
    )


def _event_post(world) -> dict:
    return {
        "kind": "workshop",
        "title": "Changed",
        "topic": "",
        "question": "",
        "starts_at": "2031-03-01T10:00",
        "ends_at": "2031-03-01T16:00",
        "length_days": "1",
        "place": "",
        "description": "",
    }


# (name, method, url builder, data builder, personas allowed)
CASES = [
    ("events-home", "get", lambda w, e: reverse("cohorts:events"), None, ANYONE),
    ("event-list", "get", lambda w, e: reverse("cohorts:event-list", args=[w.cohort.pk]), None, STAFF | MEMBERS),
    ("event-create", "get", lambda w, e: reverse("cohorts:event-create", args=[w.cohort.pk]), None, STAFF),
    ("event-create", "post", lambda w, e: reverse("cohorts:event-create", args=[w.cohort.pk]), _event_post, STAFF),
    ("event-detail", "get", lambda w, e: reverse("cohorts:event-detail", args=[e.future.pk]), None, STAFF | MEMBERS),
    ("event-edit", "get", lambda w, e: reverse("cohorts:event-edit", args=[e.future.pk]), None, STAFF),
    ("event-edit", "post", lambda w, e: reverse("cohorts:event-edit", args=[e.future.pk]), _event_post, STAFF),
    (
        "event-reply",
        "post",
        lambda w, e: reverse("cohorts:event-reply", args=[e.future.pk]),
        lambda w: {"status": "accepted"},
        MEMBERS,
    ),
    ("event-ics", "get", lambda w, e: reverse("cohorts:event-ics", args=[e.future.pk]), None, STAFF | MEMBERS),
    ("guest-add", "get", lambda w, e: reverse("cohorts:guest-add", args=[e.today.pk]), None, STAFF),
    (
        "guest-add",
        "post",
        lambda w, e: reverse("cohorts:guest-add", args=[e.today.pk]),
        lambda w: {"name": "Gus Guest", "organisation": "", "role": ""},
        STAFF,
    ),
    ("guest-remove", "get", lambda w, e: reverse("cohorts:guest-remove", args=[e.today.pk, e.guest.pk]), None, STAFF),
    (
        "guest-remove",
        "post",
        lambda w, e: reverse("cohorts:guest-remove", args=[e.today.pk, e.guest.pk]),
        lambda w: {},
        STAFF,
    ),
    ("attendance-register", "get", lambda w, e: reverse("cohorts:attendance-register", args=[e.today.pk]), None, STAFF),
    (
        "attendance-register",
        "post",
        lambda w, e: reverse("cohorts:attendance-register", args=[e.today.pk]),
        lambda w: {"attended": [w.alice_membership.pk]},
        STAFF,
    ),
    (
        "attendance-toggle",
        "post",
        lambda w, e: reverse("cohorts:attendance-toggle", args=[e.today.pk, w.alice_membership.pk]),
        lambda w: {"attended": [w.alice_membership.pk]},
        STAFF,
    ),
    ("insight-create", "get", lambda w, e: reverse("cohorts:insight-create", args=[e.today.pk]), None, STAFF),
    (
        "insight-create",
        "post",
        lambda w, e: reverse("cohorts:insight-create", args=[e.today.pk]),
        lambda w: {"text": "Listen to service users."},
        STAFF,
    ),
    ("insight-list", "get", lambda w, e: reverse("cohorts:insight-list", args=[w.cohort.pk]), None, STAFF),
    ("calendar-settings", "get", lambda w, e: reverse("cohorts:calendar-settings"), None, ANYONE),
    ("calendar-reset", "post", lambda w, e: reverse("cohorts:calendar-reset"), lambda w: {}, ANYONE),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("name", "method", "url", "data", "allowed"), CASES, ids=[f"{c[1]}-{c[0]}" for c in CASES])
def test_permission_matrix(world, events, login_as, persona, name, method, url, data, allowed):
    client = login_as(persona)
    before = _state(world)
    target = url(world, events)
    response = client.get(target) if method == "get" else client.post(target, data(world))

    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        assert _state(world) == before
    elif persona in allowed:
        assert response.status_code in (200, 302), response.content[:500]
        if method == "post":
            assert _state(world) != before, "an allowed POST should have done something"
    else:
        assert response.status_code == (302 if (name, persona) in SEEN_BUT_REFUSED else 404)
        assert _state(world) == before


def test_reply_by_staff_who_are_not_members_changes_nothing(world, events, login_as):
    client = login_as("facilitator")
    before = _state(world)
    response = client.post(reverse("cohorts:event-reply", args=[events.future.pk]), {"status": "accepted"})
    assert response.status_code == 302
    assert _state(world) == before


def test_calendar_feed_is_reached_by_token_alone(client, world, events):
    response = client.get(reverse("cohorts:calendar-feed", args=[world.alice.calendar_token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")


@pytest.mark.parametrize("token", ["wrong", "", "x" * 64])
def test_calendar_feed_with_a_bad_token_is_404(client, world, events, token):
    url = reverse("cohorts:calendar-feed", args=["placeholder"]).replace("placeholder", token)
    assert client.get(url).status_code == 404


def test_other_cohorts_event_is_404_for_its_non_staff(world, login_as):
    from tests.factories import EventFactory

    other = EventFactory(cohort=world.other_cohort)
    for persona in ("alice", "facilitator"):
        client = login_as(persona)
        assert client.get(reverse("cohorts:event-detail", args=[other.pk])).status_code == 404
        assert client.get(reverse("cohorts:attendance-register", args=[other.pk])).status_code == 404
