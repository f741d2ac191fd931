from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from programme.account_views import PASSWORD_CHANGED, PROFILE_SAVED, RESET_DONE, RESET_SENT
from programme.models import User
from tests.factories import PASSWORD, OrganisationFactory, PolicyAreaFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-much-longer-passphrase-42"


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.mark.parametrize("url_name", ["account-profile", "password_change"])
def test_account_pages_need_sign_in(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["alice", "facilitator", "manager", "dave"])
def test_everyone_signed_in_can_open_their_profile(world, login_as, persona):
    response = login_as(persona).get(reverse("account-profile"))
    assert response.status_code == 200
    assert response.context["form"].instance == getattr(world, persona)


def test_profile_edit_saves_and_says_so(world, login_as):
    shelter = OrganisationFactory(name="St Mungo's")
    housing, welfare, _ = PolicyAreaFactory(name="Housing"), PolicyAreaFactory(name="Welfare"), PolicyAreaFactory()
    data = {
        "full_name": "Alice Adkins-Brown",
        "job_title": "Senior policy adviser",
        "organisation": shelter.pk,
        "interests": [housing.pk, welfare.pk],
        "bio": "Ten years in welfare policy.",
        "phone": "020 7946 0000",
        "credit_on_outputs": "on",
        # share_contact_details unticked
    }
    response = login_as("alice").post(reverse("account-profile"), data, follow=True)

    assert PROFILE_SAVED in messages_of(response)
    alice = User.objects.get(pk=world.alice.pk)
    assert alice.full_name == "Alice Adkins-Brown"
    assert alice.job_title == "Senior policy adviser"
    assert alice.organisation == shelter
    assert set(alice.interests.all()) == {housing, welfare}
    assert alice.bio == "Ten years in welfare policy."
    assert alice.phone == "020 7946 0000"
    assert alice.share_contact_details is False
    assert alice.credit_on_outputs is True


def test_profile_edit_cannot_change_email_or_roles(world, login_as):
    data = {"full_name": "Alice", "email": "evil@example.org", "is_staff": "on", "share_contact_details": "on"}
    login_as("alice").post(reverse("account-profile"), data)
    alice = User.objects.get(pk=world.alice.pk)
    assert alice.email == "alice@example.org"
    assert alice.is_staff is False


def test_profile_without_a_name_shows_the_error_and_keeps_the_input(world, login_as):
    data = {"full_name": "", "job_title": "Head of frontline services", "bio": "My typed bio"}
    response = login_as("alice").post(reverse("account-profile"), data)
    assert response.status_code == 200
    assert "Enter your full name." in response.context["form"].errors["full_name"]
    content = response.content.decode()
    assert "Head of frontline services" in content
    assert "My typed bio" in content
    assert User.objects.get(pk=world.alice.pk).full_name == "Alice Adkins"


def test_password_change(world, client):
    client.force_login(world.alice)
    data = {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    response = client.post(reverse("password_change"), data, follow=True)
    assert response.redirect_chain[-1][0] == reverse("account-profile")
    assert PASSWORD_CHANGED in messages_of(response)
    assert User.objects.get(pk=world.alice.pk).check_password(NEW_PASSWORD)


def test_password_change_with_wrong_old_password_is_refused(world, client):
    client.force_login(world.alice)
    data = {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    response = client.post(reverse("password_change"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["old_password"]
    assert User.objects.get(pk=world.alice.pk).check_password(PASSWORD)


def test_password_reset_sends_an_email_whose_link_sets_a_new_password(world, client):
    response = client.post(reverse("password_reset"), {"email": "Alice@Example.org"}, follow=True)
    assert RESET_SENT in messages_of(response)
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["alice@example.org"]
    assert "Reset your Pairwise password" in email.subject

    match = re.search(r"https?://[^/\s]+(/account/password/reset/\S+/)", str(email.body))
    assert match is not None
    link = match.group(1)
    response = client.get(link, follow=True)
    assert response.status_code == 200
    assert response.context["validlink"] is True
    set_password_url = response.redirect_chain[-1][0]
    response = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True
    )
    assert RESET_DONE in messages_of(response)
    assert User.objects.get(pk=world.alice.pk).check_password(NEW_PASSWORD)
    assert client.login(username="alice@example.org", password=NEW_PASSWORD)

    # The link works once.
    client.logout()
    assert client.get(link, follow=True).context["validlink"] is False


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(db, client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"}, follow=True)
    assert RESET_SENT in messages_of(response)
    assert mail.outbox == []


def test_login_page_links_to_password_reset(db, client):
    assert reverse("password_reset") in client.get(reverse("login")).content.decode()
