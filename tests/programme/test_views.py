from __future__ import annotations

import pytest
from django.urls import reverse

from programme.models import User

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_sees_the_public_programme_page_with_a_way_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 200
    assert reverse("login") in response.content.decode()


def test_sign_in_page_asks_for_an_email_address(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert b"Email address" in response.content


def test_sign_in_with_email_and_password(client, world):
    response = client.post(reverse("login"), {"username": "ALICE@example.org", "password": "pairwise-test"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert int(client.session["_auth_user_id"]) == world.alice.pk


def test_wrong_password_shows_an_error_and_keeps_the_email(client, world):
    response = client.post(reverse("login"), {"username": "alice@example.org", "password": "nope"})
    assert response.status_code == 200
    assert b"alice@example.org" in response.content
    assert b"correct" in response.content


@pytest.mark.parametrize(
    ("persona", "destination"),
    [("manager", "admin:index"), ("facilitator", "pairs:facilitator-home"), ("alice", "dashboard:home")],
)
def test_home_sends_each_role_to_where_it_works(login_as, persona, destination):
    response = login_as(persona).get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse(destination)


def test_users_sign_in_with_a_lower_cased_unique_email():
    user = User.objects.create_user("Jo.Bloggs@Example.org", "secret-password-1", full_name="Jo Bloggs")
    assert user.email == "jo.bloggs@example.org"
    assert user.check_password("secret-password-1")
    assert not user.is_staff


def test_a_participant_cannot_open_the_admin(login_as):
    response = login_as("alice").get(reverse("admin:index"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


@pytest.mark.parametrize("persona", ["anonymous", "alice", "facilitator", "manager"])
def test_everyone_reads_the_accessibility_statement(login_as, persona):
    response = login_as(persona).get(reverse("accessibility"))
    assert response.status_code == 200
    content = response.content.decode()
    # The sections of GOV.UK's model accessibility statement.
    for heading in (
        "Accessibility statement for Pairwise",
        "How accessible this website is",
        "Feedback and contact information",
        "Reporting accessibility problems with this website",
        "Enforcement procedure",
        "Technical information about this website",
        "Compliance status",
        "Non-accessible content",
        "What we’re doing to improve accessibility".replace("’", "'"),
        "Preparation of this accessibility statement",
    ):
        assert heading in content, heading


def test_every_page_links_to_the_accessibility_statement_from_its_footer(client):
    content = client.get(reverse("library:index")).content.decode()
    footer = content[content.index("<footer") :]
    assert f'href="{reverse("accessibility")}"' in footer
