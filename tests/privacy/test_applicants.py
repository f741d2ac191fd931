"""Applicants who never had an account: managers answer their subject access and erasure requests by address."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.urls import reverse

from cohorts.models import Application
from notifications.models import OutboundMessage
from privacy import rules
from privacy.services import applicant_erase
from tests.factories import ApplicationFactory, CohortFactory
from tests.privacy.test_erasure import tables_mentioning

pytestmark = pytest.mark.django_db

NAME, EMAIL = "Priya Applicant", "priya@example.net"


@pytest.fixture
def priya(world):
    first = ApplicationFactory(cohort=world.cohort, full_name=NAME, email=EMAIL, motivation="Priya Applicant hopes")
    ApplicationFactory(cohort=CohortFactory(programme=world.cohort.programme), full_name=NAME, email=EMAIL.upper())
    OutboundMessage.objects.create(
        key="received:priya", kind="received", to=EMAIL, subject="Thanks", body="Dear Priya Applicant"
    )
    return first


def test_managers_find_an_applicant_without_an_account_and_download_their_data(priya, login_as):
    client = login_as("manager")
    found = client.get(reverse("privacy:people"), {"q": "priya"}).content.decode()
    assert reverse("privacy:applicant", args=[priya.pk]) in found
    response = client.get(reverse("privacy:applicant-download", args=[priya.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    applications = json.loads(archive.read("data/applications.json"))
    assert len(applications) == 2
    assert json.loads(archive.read("data/emails_sent_to_you.json"))[0]["body"] == "Dear Priya Applicant"
    assert json.loads(archive.read("data/history_historicalapplication.json"))


def test_erasing_an_applicant_leaves_nothing_of_them(priya, world):
    assert tables_mentioning(NAME, EMAIL)
    result = applicant_erase(email=EMAIL, by=world.manager, confirmation=EMAIL)
    assert result.erasure.label == rules.erased_applicant_label(priya.pk)
    assert not Application.objects.filter(email__iexact=EMAIL).exists()
    assert tables_mentioning(NAME, EMAIL) == {}


def test_the_erase_page_confirms_first(priya, login_as):
    client = login_as("manager")
    url = reverse("privacy:applicant-erase", args=[priya.pk])
    assert "This cannot be undone" in client.get(url).content.decode()
    assert client.post(url, {"confirmation": "someone@else.org"}).status_code == 400
    assert Application.objects.filter(email__iexact=EMAIL).count() == 2
    assert client.post(url, {"confirmation": EMAIL}).status_code == 302
    assert not Application.objects.filter(email__iexact=EMAIL).exists()


def test_an_application_with_an_account_is_answered_on_the_persons_page(world, login_as):
    application = ApplicationFactory(cohort=world.cohort, user=world.bob, email=world.bob.email)
    assert login_as("manager").get(reverse("privacy:applicant", args=[application.pk])).status_code == 404


@pytest.mark.parametrize("persona", ["alice", "facilitator"])
def test_only_managers_answer_applicants(priya, login_as, persona):
    client = login_as(persona)
    for name in ("privacy:applicant", "privacy:applicant-download", "privacy:applicant-erase"):
        assert client.get(reverse(name, args=[priya.pk])).status_code == 404
