"""Bad input gets a 4xx or a message on the form, never a 500, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cohorts.models import Membership
from pairs.models import Activity, LearningPair
from programme.models import User
from tests.conftest import World

TOO_BIG = "1" * 23


def _patterns(resolver: URLResolver | None = None, namespace: str = "") -> list[tuple[str, URLPattern]]:
    found: list[tuple[str, URLPattern]] = []
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            found += _patterns(entry, f"{namespace}{entry.namespace}:" if entry.namespace else namespace)
        elif entry.name:
            found.append((namespace + entry.name, entry))
    return found


WITH_IDS = sorted({name for name, pattern in _patterns() if "<int:" in str(pattern.pattern)})


@pytest.mark.parametrize("name", WITH_IDS)
def test_ids_too_large_for_the_database_are_404(world, login_as, name):
    """Every URL with an id, given an id of 23 digits, as the manager who may see most."""
    client = login_as("manager")
    pattern = dict(_patterns())[name]
    kwargs = {key: TOO_BIG for key, converter in pattern.pattern.converters.items()}
    if "step" in kwargs:
        kwargs["step"] = "1"
    url = reverse(name, kwargs=kwargs)
    assert client.get(url).status_code in (404, 405)
    assert client.post(url, {}).status_code in (404, 405)


@pytest.mark.parametrize(
    "path", ["/cohorts/calendar/%00.ics", "/cohorts/calendar/a%00b.ics", "/cohorts/calendar/..%2F.ics"]
)
def test_calendar_feed_with_a_malformed_token_is_404(client, db, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "query", ["q=%00", "q=" + "x" * 5000, "page=%00", "page=" + TOO_BIG, "cohort=" + TOO_BIG, "kind=%00"]
)
def test_library_search_with_odd_parameters_answers(client, db, query):
    assert client.get("/library/?" + query).status_code == 200


def test_profile_interests_with_an_impossible_id_is_a_form_error(world: World, login_as):
    response = login_as("alice").post(reverse("account-profile"), {"full_name": "Alice Adkins", "interests": [TOO_BIG]})
    assert response.status_code == 200
    assert "interests" in response.context["form"].errors
    assert User.objects.get(pk=world.alice.pk).interests.count() == 0


def test_activity_attendees_with_an_impossible_id_is_a_form_error(world: World, login_as):
    data = {"kind": "meeting", "occurred_on": "2014-10-01", "hours": "3", "attendees": [TOO_BIG]}
    response = login_as("alice").post(reverse("pairs:activity-create", args=[world.pair.pk]), data)
    assert response.status_code in (200, 400)
    assert "attendees" in response.context["form"].errors
    assert not Activity.objects.exists()


def test_forming_a_pair_with_an_impossible_member_id_is_a_form_error(world: World, login_as):
    before = LearningPair.objects.count()
    data = {"members": [TOO_BIG, world.alice_membership.pk], "on": "2014-10-01"}
    response = login_as("facilitator").post(reverse("pairs:pair-create", args=[world.cohort.pk]), data)
    assert response.status_code in (200, 400)
    assert "members" in response.context["form"].errors
    assert LearningPair.objects.count() == before


def test_attendance_with_an_impossible_member_id_is_refused(world: World, login_as):
    from tests.factories import EventFactory

    event = EventFactory(cohort=world.cohort)
    client = login_as("facilitator")
    response = client.post(reverse("cohorts:attendance-register", args=[event.pk]), {"attended": [TOO_BIG]})
    assert response.status_code == 400
    assert not Membership.objects.filter(attendances__status="attended").exists()
