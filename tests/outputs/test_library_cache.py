"""The library's listing is kept per query string, and shows any change to what it lists at once.

Each test keeps a listing, changes the data the way people do (services, the admin's saves), lets the
transaction commit and reads the page again. The changes never touch the cache: the version number in the
database is what every web process reads, so these hold for a page kept by another process too.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from outputs import services
from outputs.library_cache import CACHE, library_version
from outputs.models import Output
from pairs.services import pair_member_leave
from privacy.services import applicant_erase, person_erase
from programme.services import user_naming_consent_set, user_profile_update
from tests.factories import ApplicationFactory, PublishedOutputFactory

LIBRARY = reverse("library:index")


@pytest.fixture(autouse=True)
def kept_listings(settings):
    """The production cache, as one web process has it (tests otherwise keep nothing)."""
    settings.CACHES = {
        **settings.CACHES,
        CACHE: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test-library-html"},
    }
    caches[CACHE].clear()
    yield
    caches[CACHE].clear()


@pytest.fixture
def change(django_capture_on_commit_callbacks):
    """A block whose writes commit (the version goes up when they do)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _library(client, **params) -> str:
    return client.get(LIBRARY, params).content.decode()


def test_a_kept_listing_costs_one_query_and_is_the_same_page(client, outputs):
    first = client.get(LIBRARY).context["listing"]
    with CaptureQueriesContext(connection) as queries:
        again = client.get(LIBRARY).context["listing"]
    assert len(queries) == 1, [query["sql"] for query in queries.captured_queries]  # the library's version
    assert again == first and "Whole-person services" in again


def test_each_query_string_is_kept_apart(client, outputs, world):
    PublishedOutputFactory(pair=world.pair, title="Hospital discharge", summary="Leaving hospital.", body="")
    assert "Hospital discharge" in _library(client)
    found = _library(client, q="whole person")
    assert "Whole-person services" in found and "Hospital discharge" not in found
    assert "Hospital discharge" in _library(client)


def test_a_newly_published_output_shows_at_once(client, outputs, change):
    _library(client)
    shared = outputs.shared
    shared.visibility = Output.Visibility.PUBLIC
    shared.save()
    with change():
        services.output_publish(output=shared)
    assert "Shared in review" in _library(client)


def test_an_output_no_longer_public_leaves_at_once(client, outputs, change):
    assert "Whole-person services" in _library(client)
    with change():
        outputs.public.visibility = Output.Visibility.COHORT
        outputs.public.save()
    assert "Whole-person services" not in _library(client)


def test_an_archived_output_leaves_and_a_restored_one_returns_at_once(client, outputs, change):
    _library(client)
    with change():
        services.output_archive(output=outputs.public)
    assert "Whole-person services" not in _library(client)
    with change():
        services.output_restore(output=outputs.public)
    assert "Whole-person services" in _library(client)


def test_a_published_revision_shows_its_new_title_at_once(client, outputs, change):
    _library(client)
    with change():
        services.output_update(output=outputs.public, title="Whole-person services, revised")
        services.output_submit_for_review(output=outputs.public)
    assert "Whole-person services, revised" not in _library(client), "a revision in review is not yet shown"
    with change():
        services.output_publish(output=outputs.public)
    assert "Whole-person services, revised" in _library(client)


def test_a_deleted_output_leaves_at_once(client, outputs, change):
    _library(client)
    with change():
        Output.objects.filter(pk=outputs.public.pk).delete()
    assert "Whole-person services" not in _library(client)


def test_a_renamed_person_organisation_cohort_programme_or_question_shows_at_once(client, outputs, world, change):
    alice = world.alice
    assert alice.full_name in _library(client)
    with change():
        user_profile_update(user=alice, full_name="Alice Renamed", organisation=alice.organisation)
    assert "Alice Renamed" in _library(client)
    with change():
        alice.organisation.name = "Renamed Council"
        alice.organisation.save()
    assert "Renamed Council" in _library(client)
    with change():
        world.cohort.name = "2099-00"
        world.cohort.save()
    assert "2099-00" in _library(client)
    with change():
        world.cohort.programme.name = "Renamed Programme"
        world.cohort.programme.save()
    assert "Renamed Programme" in _library(client)
    with change():
        outputs.public.question.short_title = "Renamed question"
        outputs.public.question.save()
    assert "Renamed question" in _library(client)


def test_a_person_who_withdraws_consent_to_be_named_is_unnamed_at_once(client, outputs, world, change):
    assert world.alice.full_name in _library(client)
    with change():
        user_naming_consent_set(user=world.alice, consents=False)
    assert world.alice.full_name not in _library(client)


def test_a_member_who_left_before_the_output_was_begun_is_uncredited_at_once(client, outputs, world, change):
    assert world.bob.full_name in _library(client)
    bob = world.pair.members.get(membership=world.bob_membership)
    begun = timezone.localdate(outputs.public.created_at)
    with change():
        bob.joined_on = begun - timedelta(days=30)
        bob.save()
        pair_member_leave(member=bob, on=begun - timedelta(days=1), allow_single_sided=True)
    assert world.bob.full_name not in _library(client)


def test_an_erased_person_is_gone_from_the_library_at_once(client, outputs, world, change):
    assert world.alice.full_name in _library(client)
    with change():
        person_erase(person=world.alice, by=world.manager, confirmation=world.alice.email)
    assert world.alice.full_name not in _library(client)


def test_a_name_scrubbed_from_an_outputs_text_is_gone_at_once(client, outputs, world, change):
    """Erasing an applicant who never had an account rewrites texts with queryset updates, which send no signals."""
    ApplicationFactory(cohort=world.cohort, full_name="Priya Applicant", email="priya@example.net")
    with change():
        outputs.public.summary = "With thanks to Priya Applicant."
        outputs.public.save()
    assert "Priya Applicant" in _library(client)
    with change():
        applicant_erase(email="priya@example.net", by=world.manager, confirmation="priya@example.net")
    assert "Priya Applicant" not in _library(client)


def test_a_sign_in_does_not_throw_the_kept_listing_away(client, outputs, world, change):
    _library(client)
    before = library_version()
    with change():
        client.force_login(world.carol)  # saves last_login only
    assert library_version() == before


def test_signed_in_people_see_their_own_page_around_the_kept_listing(client, outputs, world, login_as):
    anonymous = _library(client)
    carol = _library(login_as("carol"))
    assert "Whole-person services" in carol
    assert "Sign out" in carol and world.carol.full_name in carol
    assert "Sign out" not in anonymous and world.carol.full_name not in anonymous
    assert "Sign out" not in _library(login_as("anonymous"))


def _as_process(settings, name: str) -> None:
    settings.CACHES = {
        **settings.CACHES,
        CACHE: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": f"test-library-{name}"},
    }


def test_a_change_made_through_another_web_process_shows_at_once(client, outputs, settings, change):
    """Each gunicorn worker keeps its own listings; all read the version from the database."""
    _as_process(settings, "a")
    caches[CACHE].clear()
    assert "Whole-person services" in _library(client)
    _as_process(settings, "b")
    caches[CACHE].clear()
    assert "Whole-person services" in _library(client)
    with change():
        services.output_archive(output=outputs.public)
    assert "Whole-person services" not in _library(client)
    _as_process(settings, "a")
    assert "Whole-person services" not in _library(client)
    caches[CACHE].clear()
