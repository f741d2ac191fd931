"""Erasure: one transaction; what is theirs alone is deleted, what they wrote in shared records is kept under an
anonymous label, and afterwards no table, history tables included, holds their name or address."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q
from django.urls import reverse
from django.utils.html import escape

from cohorts.models import Application, Insight, Membership
from notifications.models import Notification
from pairs.models import Activity, PrivateNotesReading, StepComment, StepProgress
from privacy import rules
from privacy.models import Erasure
from privacy.services import person_erase
from privacy.views import ERASED
from tests.factories import UserFactory
from tests.privacy.conftest import EMAIL, NAME

pytestmark = pytest.mark.django_db


def tables_mentioning(*needles: str) -> dict[str, int]:
    """Every table of the database (history tables, sessions, sign-in records and the task queue included), and
    how many of its rows hold any of the needles in any column, ignoring case."""
    lowered = [needle.lower() for needle in needles]
    found: dict[str, int] = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - names from the database
            hits = sum(
                1
                for row in cursor.fetchall()
                if any(needle in str(value).lower() for value in row if value is not None for needle in lowered)
            )
            if hits:
                found[table] = hits
    return found


def test_before_erasure_the_search_finds_her_across_the_database(alice_everywhere):
    found = tables_mentioning(NAME, EMAIL)
    # The search works: her name and address are in her account, history, others' comments, the admin log...
    assert {"programme_user", "pairs_stepcomment", "pairs_historicalstepcomment", "django_admin_log"} <= set(found)
    assert "axes_accessattempt" in found and "notifications_outboundmessage" in found


def test_after_erasure_no_table_holds_her_name_or_address(alice_everywhere):
    world = alice_everywhere.world
    person_erase(person=world.alice, by=world.manager, confirmation=EMAIL)
    assert tables_mentioning(NAME, EMAIL) == {}


def test_shared_records_are_kept_under_the_anonymous_label(alice_everywhere):
    world = alice_everywhere.world
    alice = world.alice
    label = rules.erased_label(alice.pk)
    person_erase(person=alice, by=world.manager, confirmation=EMAIL)
    alice.refresh_from_db()
    assert alice.full_name == label
    assert not alice.is_active and not alice.has_usable_password()
    assert Membership.objects.filter(user=alice).count() == 2  # the seats, their attendance and pairs stay
    assert StepComment.objects.filter(author=alice).get().body == "A comment from me, Alice."
    assert StepProgress.objects.get(completed_by=alice).summary == f"Found by {label}."
    assert Activity.objects.get(logged_by=alice).private_notes == f"{label} found the meeting hard going."
    assert PrivateNotesReading.objects.get().reason == f"{label} asked"
    assert world.pair.members.filter(membership__user=alice).exists()
    quote = Insight.objects.get(speaker__user=alice)
    assert quote.attribution().startswith("Y2 policymaker")
    assert not Notification.objects.filter(recipient=alice).exists()
    assert not Application.objects.filter(Q(user=alice) | Q(email__iexact=EMAIL)).exists()
    assert Application.objects.filter(decided_by=alice).exists()  # someone else's application, kept
    erasure = Erasure.objects.get()
    assert (erasure.label, erasure.erased_by) == (label, world.manager)
    assert erasure.rows_deleted > 0 and erasure.rows_anonymised > 0


def test_her_sessions_end(alice_everywhere, client):
    world = alice_everywhere.world
    client.force_login(world.alice)
    person_erase(person=world.alice, by=world.manager, confirmation=EMAIL)
    response = client.get(reverse("dashboard:home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_erasure_is_all_or_nothing(alice_everywhere, monkeypatch):
    world = alice_everywhere.world

    def fail(replacements):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("privacy.services.text_scrub", fail)
    with pytest.raises(RuntimeError):
        person_erase(person=world.alice, by=world.manager, confirmation=EMAIL)
    world.alice.refresh_from_db()
    assert world.alice.full_name == NAME and world.alice.is_active
    assert Notification.objects.filter(recipient=world.alice).exists()
    assert not Erasure.objects.exists()


@pytest.mark.parametrize(
    ("confirmation", "message"),
    [("bob@example.org", rules.ERASE_CONFIRM_MISMATCH), ("", rules.ERASE_CONFIRM_MISMATCH)],
)
def test_erasure_needs_the_address_typed(world, confirmation, message):
    with pytest.raises(ValidationError) as caught:
        person_erase(person=world.alice, by=world.manager, confirmation=confirmation)
    assert message in str(caught.value)
    world.alice.refresh_from_db()
    assert world.alice.full_name == NAME


def test_a_manager_cannot_erase_themselves(world):
    with pytest.raises(ValidationError, match=rules.ERASE_SELF):
        person_erase(person=world.manager, by=world.manager, confirmation=world.manager.email)


def test_nobody_is_erased_twice(world):
    person_erase(person=world.alice, by=world.manager, confirmation=EMAIL)
    world.alice.refresh_from_db()
    with pytest.raises(ValidationError, match=rules.ALREADY_ERASED):
        person_erase(person=world.alice, by=world.manager, confirmation=world.alice.email)


def test_a_namesake_keeps_their_name(alice_everywhere):
    world = alice_everywhere.world
    namesake = UserFactory(full_name=NAME, email="another.alice@example.org")
    person_erase(person=world.alice, by=world.manager, confirmation=EMAIL)
    namesake.refresh_from_db()
    assert namesake.full_name == NAME


def test_a_short_single_name_is_not_replaced_in_others_writing():
    assert rules.name_is_searchable("Alice Adkins")
    assert rules.name_is_searchable("Bartholomew")
    assert not rules.name_is_searchable("Jo")


# --- the pages ---


def test_the_manager_confirms_on_a_page_then_erases(alice_everywhere, login_as):
    world = alice_everywhere.world
    client = login_as("manager")
    url = reverse("privacy:person-erase", args=[world.alice.pk])
    page = client.get(url).content.decode()
    assert "This cannot be undone" in page and EMAIL in page
    response = client.post(url, {"confirmation": EMAIL.upper()}, follow=True)
    label = rules.erased_label(world.alice.pk)
    assert ERASED.format(label=label) in [str(m) for m in response.context["messages"]]
    world.alice.refresh_from_db()
    assert world.alice.full_name == label


def test_a_wrong_confirmation_is_shown_on_the_form_and_erases_nothing(world, login_as):
    response = login_as("manager").post(
        reverse("privacy:person-erase", args=[world.alice.pk]), {"confirmation": "alice@example.com"}
    )
    assert response.status_code == 400
    assert escape(rules.ERASE_CONFIRM_MISMATCH) in response.content.decode()
    assert 'value="alice@example.com"' in response.content.decode()  # what was typed is kept
    world.alice.refresh_from_db()
    assert world.alice.is_active


@pytest.mark.parametrize("persona", ["alice", "facilitator", "other_facilitator"])
def test_only_managers_erase(world, login_as, persona):
    client = login_as(persona)
    url = reverse("privacy:person-erase", args=[world.bob.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"confirmation": "bob@example.org"}).status_code == 404
    world.bob.refresh_from_db()
    assert world.bob.is_active
