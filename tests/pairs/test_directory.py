from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cohorts.models import Side
from programme.models import SectorCode
from tests.factories import ActivityFactory, ApplicationFactory, MembershipFactory, PolicyAreaFactory, make_pair

pytestmark = pytest.mark.django_db


def directory_url(world) -> str:
    return reverse("pairs:directory", args=[world.cohort.pk])


DIRECTORY_MATRIX = {
    "anonymous": 302,
    "alice": 200,
    "bob": 200,
    "carol": 200,
    "dave": 404,
    "facilitator": 200,
    "other_facilitator": 404,
    "manager": 200,
}


@pytest.mark.parametrize(("persona", "expected"), DIRECTORY_MATRIX.items())
def test_directory_permission_matrix(world, login_as, persona, expected):
    response = login_as(persona).get(directory_url(world))
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith(reverse("login"))


def test_withdrawn_member_no_longer_sees_the_directory(world, login_as):
    from pairs.services import membership_withdraw

    membership_withdraw(membership=world.carol_membership, on=world.cohort.starts_on, reason="New job")
    assert login_as("carol").get(directory_url(world)).status_code == 404


def test_my_directory_takes_a_member_to_their_cohort(world, login_as):
    response = login_as("dave").get(reverse("pairs:my-directory"))
    assert response["Location"] == reverse("pairs:directory", args=[world.other_cohort.pk])


def test_my_directory_takes_a_facilitator_to_the_cohort_they_run(world, login_as):
    response = login_as("other_facilitator").get(reverse("pairs:my-directory"))
    assert response["Location"] == reverse("pairs:directory", args=[world.other_cohort.pk])


def test_directory_lists_current_members_with_organisation_side_pair_and_interests(world, login_as):
    world.alice.interests.add(PolicyAreaFactory(name="Homelessness"), PolicyAreaFactory(name="Welfare reform"))
    unpaired = MembershipFactory(cohort=world.cohort, side=Side.PRACTITIONER, user__full_name="Uma Unpaired")
    ApplicationFactory(cohort=world.cohort, full_name="Applicant Only")
    content = login_as("carol").get(directory_url(world)).content.decode()

    assert "Alice Adkins" in content
    assert "Cabinet Office" in content
    assert "Policymaker" in content
    assert f"Pair {world.pair.number}" in content
    assert "Homelessness" in content and "Welfare reform" in content
    assert unpaired.user.full_name in content
    assert "Not paired yet" in content
    assert "Applicant Only" not in content
    assert "Dave Dixon" not in content


def test_contact_details_only_when_the_member_shares_them(world, login_as):
    world.alice.phone = "020 7946 0001"
    world.alice.share_contact_details = True
    world.alice.save()
    world.bob.phone = "020 7946 0002"
    world.bob.share_contact_details = False
    world.bob.save()
    content = login_as("carol").get(directory_url(world)).content.decode()
    assert "alice@example.org" in content and "020 7946 0001" in content
    assert "bob@example.org" not in content and "020 7946 0002" not in content


@pytest.mark.parametrize("persona", ["alice", "carol", "facilitator", "manager"])
def test_private_notes_never_appear_in_the_directory(world, login_as, persona):
    ActivityFactory(pair=world.pair, private_notes="Secret about the minister", attendees=[world.alice_membership])
    content = login_as(persona).get(directory_url(world)).content.decode()
    assert "Secret about the minister" not in content


def _directory_queries(client, url) -> CaptureQueriesContext:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return queries


def test_directory_query_count_does_not_grow_with_the_cohort(world, login_as):
    client = login_as("alice")
    url = directory_url(world)
    areas = [PolicyAreaFactory(name=f"Area {n}") for n in range(3)]

    def add_pairs(count: int) -> None:
        for _ in range(count):
            policymaker = MembershipFactory(
                cohort=world.cohort, side=Side.POLICYMAKER, user__organisation__sector=SectorCode.CENTRAL_GOVERNMENT
            )
            practitioner = MembershipFactory(cohort=world.cohort, side=Side.PRACTITIONER)
            policymaker.user.interests.set(areas)
            practitioner.user.interests.set(areas[:1])
            make_pair(world.cohort, policymaker=policymaker, practitioner=practitioner)

    add_pairs(2)
    few = _directory_queries(client, url)
    add_pairs(20)
    many = _directory_queries(client, url)
    assert len(many) == len(few), "\n".join(q["sql"] for q in many.captured_queries)


def test_directory_search_finds_members_by_name_organisation_or_interest(world, login_as):
    housing = PolicyAreaFactory(name="Homelessness")
    found = MembershipFactory(cohort=world.cohort, user__full_name="Zara Quill", user__organisation__name="Crisis")
    found.user.interests.set([housing])
    client = login_as("alice")
    for query in ("quill", "CRISIS", "homeless", "zara crisis"):
        content = client.get(directory_url(world), {"q": query}).content.decode()
        assert "Zara Quill" in content, query
        assert world.bob.full_name not in content, query
    content = client.get(directory_url(world), {"q": "nobody-matches"}).content.decode()
    assert "No current member matches “nobody-matches”" in content


def test_a_large_directory_is_paginated_and_pages_keep_the_search(world, login_as):
    from pairs.views.directory import DIRECTORY_PAGE_SIZE

    for n in range(DIRECTORY_PAGE_SIZE + 5):
        MembershipFactory(cohort=world.cohort, user__full_name=f"Paged Person {n:03d}")
    client = login_as("alice")
    first = client.get(directory_url(world), {"q": "paged"})
    second = client.get(directory_url(world), {"q": "paged", "page": 2})
    assert len(first.context["page"]) == DIRECTORY_PAGE_SIZE
    assert [m.user.full_name for m in second.context["page"]] == [f"Paged Person {n:03d}" for n in range(50, 55)]
    assert "q=paged&amp;page=2" in first.content.decode()
