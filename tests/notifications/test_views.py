"""The notification pages: a person reads and changes only their own notifications and choices."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.models import Delivery, Kind, Notification, NotificationPreference
from notifications.services import Recipient, notification_raise, notifications_raise


@pytest.fixture(autouse=True)
def _quiet(world):
    Notification.objects.all().delete()


def _raise_for(user, n: int) -> None:
    notifications_raise(
        recipients=[Recipient(user.pk, f"test:{user.pk}:{i}") for i in range(n)],
        kind=Kind.COMMENT,
        text="Fran commented on step 1",
        url="/pairs/1/",
    )


@pytest.mark.parametrize("name", ["notifications:list", "notifications:preferences"])
def test_anonymous_is_sent_to_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_list_shows_only_the_persons_own_notifications(world, login_as):
    notification_raise(recipient=world.alice, key="a", kind=Kind.COMMENT, text="For Alice only")
    notification_raise(recipient=world.carol, key="c", kind=Kind.COMMENT, text="For Carol only")
    page = login_as("alice").get(reverse("notifications:list")).text
    assert "For Alice only" in page
    assert "For Carol only" not in page


def test_opening_another_persons_notification_is_404_and_leaves_it_unread(world, login_as):
    theirs = notification_raise(recipient=world.carol, key="c", kind=Kind.COMMENT, text="For Carol")
    assert theirs is not None
    assert login_as("alice").post(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(world, login_as):
    mine = notification_raise(recipient=world.alice, key="a", kind=Kind.COMMENT, text="Hi", url="/pairs/1/#step-1")
    assert mine is not None
    response = login_as("alice").post(reverse("notifications:open", args=[mine.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/pairs/1/#step-1"
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_opening_needs_a_post(world, login_as):
    mine = notification_raise(recipient=world.alice, key="a", kind=Kind.COMMENT, text="Hi")
    assert mine is not None
    assert login_as("alice").get(reverse("notifications:open", args=[mine.pk])).status_code == 405


def test_mark_all_read_touches_only_the_persons_own(world, login_as):
    _raise_for(world.alice, 3)
    _raise_for(world.carol, 2)
    login_as("alice").post(reverse("notifications:read-all"))
    assert Notification.objects.filter(recipient=world.alice).unread().count() == 0
    assert Notification.objects.filter(recipient=world.carol).unread().count() == 2


def test_the_bell_counts_unread_notifications(world, login_as):
    _raise_for(world.alice, 3)
    page = login_as("alice").get(reverse("notifications:preferences")).text
    assert f'href="{reverse("notifications:list")}">Notifications <span class="badge text-bg-light">3</span>' in page


def test_the_bell_shows_no_count_when_everything_is_read(world, login_as):
    page = login_as("alice").get(reverse("notifications:preferences")).text
    assert f'href="{reverse("notifications:list")}">Notifications</a>' in page


def test_preferences_save_per_kind_and_only_for_the_person(world, login_as):
    client = login_as("alice")
    data = dict.fromkeys(Kind.values, Delivery.OFF)
    data[Kind.COMMENT] = Delivery.DIGEST
    response = client.post(reverse("notifications:preferences"), data)
    assert response.status_code == 302
    chosen = dict(NotificationPreference.objects.filter(user=world.alice).values_list("kind", "delivery"))
    assert chosen[Kind.COMMENT] == Delivery.DIGEST
    assert chosen[Kind.PAIRING] == Delivery.OFF
    assert not NotificationPreference.objects.filter(user=world.carol).exists()


def test_a_bad_preference_is_shown_on_the_form_and_nothing_is_saved(world, login_as):
    data: dict[str, str] = dict.fromkeys(Kind.values, Delivery.OFF.value)
    data[Kind.COMMENT] = "carrier-pigeon"
    response = login_as("alice").post(reverse("notifications:preferences"), data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not NotificationPreference.objects.filter(user=world.alice).exists()


def _queries_for(client, url, django_assert_num_queries, expected):
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("name", ["notifications:list", "notifications:preferences"])
def test_pages_take_the_same_queries_for_n_and_10n_notifications(world, login_as, django_assert_num_queries, name):
    client = login_as("alice")
    url = reverse(name)
    _raise_for(world.alice, 4)
    expected = {"notifications:list": 5, "notifications:preferences": 4}[name]
    _queries_for(client, url, django_assert_num_queries, expected)
    _raise_for(world.bob, 1)
    notifications_raise(
        recipients=[Recipient(world.alice.pk, f"more:{i}") for i in range(36)], kind=Kind.PAIRING, text="More"
    )
    _queries_for(client, url, django_assert_num_queries, expected)


def _notification_queries(client, url: str) -> list[str]:
    client.get(url)  # warm: sessions and caches are not the page's own reads
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in queries if "notifications_notification" in query["sql"]]


@pytest.mark.parametrize("unread", [0, 1, 40])
@pytest.mark.parametrize(
    ("persona", "page"),
    [
        ("alice", lambda w: reverse("dashboard:home")),
        ("alice", lambda w: w.pair.get_absolute_url()),
        ("alice", lambda w: reverse("cohorts:event-list", args=[w.cohort.pk])),
        ("facilitator", lambda w: reverse("pairs:cohort-overview", args=[w.cohort.pk])),
    ],
)
def test_the_unread_count_adds_one_query_to_any_page(world, login_as, persona, page, unread):
    _raise_for(getattr(world, persona), unread)
    client = login_as(persona)
    [count] = _notification_queries(client, page(world))
    assert "COUNT" in count.upper()


def test_the_unread_count_costs_nothing_for_the_anonymous(world, client):
    assert _notification_queries(client, reverse("library:index")) == []
