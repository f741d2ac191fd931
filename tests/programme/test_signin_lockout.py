"""Sign-in lock-out (django-axes, enabled here though the test settings turn it off elsewhere)."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from programme.signin import LOCKED_OUT
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LIMIT = 3


@pytest.fixture(autouse=True)
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = LIMIT
    settings.TRUSTED_PROXY_COUNT = 0


def sign_in(client, email: str, password: str, **headers):
    return client.post(reverse("login"), {"username": email, "password": password}, **headers)


def fail(client, email: str, times: int = LIMIT, **headers) -> None:
    for _ in range(times):
        # The failure that reaches the limit is itself answered with the lock-out page.
        assert sign_in(client, email, "wrong-password", **headers).status_code in (200, 429)


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_failures_are_recorded_against_the_email_typed():
    UserFactory(email="alice@example.org")
    from django.test import Client

    fail(Client(), "Alice@Example.org", times=1)
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["alice@example.org"]


def test_the_right_password_is_refused_while_the_account_is_locked(client):
    UserFactory(email="alice@example.org")
    fail(client, "alice@example.org")

    response = sign_in(client, "alice@example.org", PASSWORD)

    assert response.status_code == 429
    assert not is_signed_in(client)


def test_a_superuser_is_locked_out_too(client):
    UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    fail(client, "root@example.org")
    assert sign_in(client, "root@example.org", PASSWORD).status_code == 429
    assert not is_signed_in(client)


def test_the_account_is_locked_from_every_address():
    from django.test import Client

    UserFactory(email="alice@example.org")
    for number in range(LIMIT):
        fail(Client(REMOTE_ADDR=f"198.51.100.{number}"), "alice@example.org", times=1)

    client = Client(REMOTE_ADDR="203.0.113.50")
    assert sign_in(client, "alice@example.org", PASSWORD).status_code == 429
    assert not is_signed_in(client)


def test_an_address_guessing_many_accounts_is_locked():
    from django.test import Client

    UserFactory(email="bob@example.org")
    guesser = Client(REMOTE_ADDR="198.51.100.7")
    for number in range(LIMIT):
        fail(guesser, f"guess{number}@example.org", times=1)

    assert sign_in(guesser, "bob@example.org", PASSWORD).status_code == 429
    # Bob himself, from his own address, is not affected.
    bob = Client(REMOTE_ADDR="203.0.113.9")
    assert sign_in(bob, "bob@example.org", PASSWORD).status_code == 302
    assert is_signed_in(bob)


def test_the_lockout_page_says_when_to_try_again_in_the_sites_look(client):
    UserFactory(email="alice@example.org")
    fail(client, "alice@example.org")

    response = sign_in(client, "alice@example.org", PASSWORD)

    assert response.status_code == 429
    assert LOCKED_OUT in response.content.decode()
    assert response.context["try_again_at"] is not None
    assert "You may try again after" in response.content.decode()
    assert b'href="/"' in response.content  # the site's navigation, a way home


def test_behind_a_trusted_proxy_each_client_address_has_its_own_counter(settings):
    from django.test import Client

    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(email="bob@example.org")
    proxy = "10.0.0.2"
    guesser = Client(REMOTE_ADDR=proxy)
    for number in range(LIMIT):
        fail(guesser, f"guess{number}@example.org", times=1, HTTP_X_FORWARDED_FOR="198.51.100.7")

    assert sign_in(guesser, "bob@example.org", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 429
    # Another person behind the same proxy signs in; a forged left-hand entry does not help the guesser.
    bob = Client(REMOTE_ADDR=proxy)
    assert sign_in(bob, "bob@example.org", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 302
    forged = Client(REMOTE_ADDR=proxy)
    response = sign_in(forged, "bob@example.org", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.1, 198.51.100.7")
    assert response.status_code == 429


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored():
    from django.test import Client

    UserFactory(email="bob@example.org")
    guesser = Client(REMOTE_ADDR="198.51.100.7")
    for number in range(LIMIT):
        fail(guesser, f"guess{number}@example.org", times=1, HTTP_X_FORWARDED_FOR=f"203.0.113.{number}")
    assert sign_in(guesser, "bob@example.org", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.99").status_code == 429


def test_a_manager_unlocks_an_account_from_the_people_admin(client):
    from django.test import Client

    manager = UserFactory(email="manager@example.org", is_staff=True, is_superuser=True)
    alice = UserFactory(email="alice@example.org")
    locked = Client(REMOTE_ADDR="198.51.100.7")
    fail(locked, "alice@example.org")
    assert sign_in(locked, "alice@example.org", PASSWORD).status_code == 429

    admin = Client(REMOTE_ADDR="203.0.113.9")
    admin.force_login(manager)
    response = admin.post(
        reverse("admin:programme_user_changelist"),
        {"action": "unlock_sign_in", "_selected_action": [alice.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert not AccessAttempt.objects.filter(username="alice@example.org").exists()
    assert sign_in(Client(REMOTE_ADDR="198.51.100.7"), "alice@example.org", PASSWORD).status_code == 302
