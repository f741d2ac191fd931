"""A person downloads everything Pairwise holds about them; managers download it for a subject access request."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.urls import reverse

from tests.privacy.conftest import EMAIL, NAME

pytestmark = pytest.mark.django_db


def unzip(response) -> zipfile.ZipFile:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def data_of(archive: zipfile.ZipFile, name: str) -> list[dict]:
    return json.loads(archive.read(f"data/{name}.json"))


def test_a_member_downloads_their_data_and_files(alice_everywhere, login_as):
    archive = unzip(login_as("alice").get(reverse("privacy:mine-download")))
    assert NAME in archive.read("README.txt").decode()
    account = data_of(archive, "account")
    assert [row["email"] for row in account] == [EMAIL]
    assert "password" not in account[0] and "calendar_token" not in account[0]
    applications = data_of(archive, "applications")
    # Hers, and the one made from her address before she had an account.
    assert sorted(row["motivation"] for row in applications) == [
        "I want to understand how policy is made.",
        "I, Alice Adkins, ...",
    ]
    assert {row["body"] for row in data_of(archive, "step_comments")} == {"A comment from me, Alice."}
    assert data_of(archive, "activities")[0]["private_notes"] == "Alice Adkins found the meeting hard going."
    assert [row["reason"] for row in data_of(archive, "private_notes_readings")] == ["Alice Adkins asked"]
    assert data_of(archive, "sign_in_attempts")[0]["ip_address"] == "192.0.2.1"
    assert data_of(archive, "history_historicalmembership")
    output = alice_everywhere.output
    files = [name for name in archive.namelist() if name.startswith("files/")]
    assert files == [f"files/outputs/{output.pk}-{output.file.name.rsplit('/', 1)[-1]}"]
    assert archive.read(files[0]).startswith(b"%PDF")


def test_an_application_someone_decided_shows_the_decision_not_the_applicant(alice_everywhere, login_as):
    archive = unzip(login_as("alice").get(reverse("privacy:mine-download")))
    decided = data_of(archive, "applications_you_decided")
    assert decided and set(decided[0]) == {"id", "cohort_id", "status", "decided_at", "decided_by_id"}


def test_a_download_holds_nothing_of_other_people(alice_everywhere, login_as):
    archive = unzip(login_as("carol").get(reverse("privacy:mine-download")))
    everything = " ".join(archive.read(name).decode(errors="ignore") for name in archive.namelist())
    assert EMAIL not in everything
    assert "hard going" not in everything  # alice's pair's private notes
    assert not [name for name in archive.namelist() if name.startswith("files/")]


def test_the_privacy_page_says_what_is_held_and_how_to_download_it(alice_everywhere, login_as):
    content = login_as("alice").get(reverse("privacy:mine")).content.decode()
    assert reverse("privacy:mine-download") in content
    assert "Step comments" in content
    assert "You have agreed to be named" in content


def test_the_profile_links_to_the_privacy_page(world, login_as):
    assert reverse("privacy:mine") in login_as("alice").get(reverse("account-profile")).content.decode()


def test_a_manager_downloads_a_persons_data_for_a_subject_access_request(alice_everywhere, login_as):
    world = alice_everywhere.world
    client = login_as("manager")
    found = client.get(reverse("privacy:people"), {"q": "adkins"}).content.decode()
    assert reverse("privacy:person", args=[world.alice.pk]) in found
    page = client.get(reverse("privacy:person", args=[world.alice.pk])).content.decode()
    assert reverse("privacy:person-download", args=[world.alice.pk]) in page
    archive = unzip(client.get(reverse("privacy:person-download", args=[world.alice.pk])))
    assert [row["email"] for row in data_of(archive, "account")] == [EMAIL]


def test_the_search_says_when_nobody_matches(world, login_as):
    content = login_as("manager").get(reverse("privacy:people"), {"q": "nobody-like-this"}).content.decode()
    assert "Nobody matches" in content


@pytest.mark.parametrize("persona", ["alice", "facilitator", "other_facilitator"])
def test_only_managers_answer_subject_access_requests(world, login_as, persona):
    client = login_as(persona)
    for url in (
        reverse("privacy:people"),
        reverse("privacy:person", args=[world.bob.pk]),
        reverse("privacy:person-download", args=[world.bob.pk]),
    ):
        assert client.get(url).status_code == 404


def test_the_menu_offers_privacy_requests_to_managers_only(world, login_as):
    assert reverse("privacy:people") in login_as("manager").get(reverse("account-profile")).content.decode()
    assert reverse("privacy:people") not in login_as("facilitator").get(reverse("account-profile")).content.decode()
