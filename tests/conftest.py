"""Named personas shared by every test, in the manner of healthchecks' alice/bob/charlie.

- manager: programme staff (is_staff), works in the admin.
- facilitator: facilitates `cohort`; other_facilitator facilitates `other_cohort` only.
- alice (policymaker) and bob (practitioner): the two members of `pair` in `cohort`.
- carol: a member of `other_pair`, another pair of the same cohort.
- dave: a member of `other_cohort`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from cohorts.models import Cohort, Membership, Side
from pairs.models import LearningPair
from programme.models import SectorCode, User
from tests.factories import CohortFactory, MembershipFactory, UserFactory, make_pair


@pytest.fixture(autouse=True)
def _fresh_programme_shapes() -> None:
    """Each test starts with no cached shape: ids are reused between tests, and a test's shape is its own."""
    from cohorts.models import cohort as cohort_module
    from pairs.models import pairs as pairs_module
    from programme import shape

    shape.forget()
    pairs_module._pair_cohorts.clear()
    cohort_module._cohort_programmes.clear()


@pytest.fixture(autouse=True)
def _commitment_totals_kept(request: pytest.FixtureRequest) -> Iterator[None]:
    """After every test that writes to the database, each membership's stored commitment totals still equal what
    its attendance and activities say: whatever the test wrote, through a service, the admin or a model's save."""
    marker = request.node.get_closest_marker("django_db")
    transactional = marker is not None and marker.kwargs.get("transaction", False)
    uses_db = "db" in request.fixturenames or (marker is not None and not transactional)
    if not uses_db or transactional or {"transactional_db", "live_server"} & set(request.fixturenames):
        yield
        return
    request.getfixturevalue("db")  # set up before this fixture's check, so torn down after it
    yield
    from pairs.commitment import commitment_totals_out_of_date

    assert commitment_totals_out_of_date() == [], "stored commitment totals differ from attendance and activities"


@dataclass
class World:
    cohort: Cohort
    other_cohort: Cohort
    manager: User
    facilitator: User
    other_facilitator: User
    alice: User
    bob: User
    carol: User
    dave: User
    pair: LearningPair
    other_pair: LearningPair
    alice_membership: Membership
    bob_membership: Membership
    carol_membership: Membership
    dave_membership: Membership


@pytest.fixture
def world(db) -> World:
    cohort = CohortFactory(name="2014-15", number=2)
    other_cohort = CohortFactory(programme=cohort.programme, name="2013", number=1)
    manager = UserFactory(email="manager@example.org", full_name="Mona Manager", is_staff=True, is_superuser=True)
    facilitator = UserFactory(email="facilitator@example.org", full_name="Fran Facilitator")
    other_facilitator = UserFactory(email="other-facilitator@example.org", full_name="Otto Facilitator")
    cohort.facilitators.add(facilitator)
    other_cohort.facilitators.add(other_facilitator)

    alice = MembershipFactory(
        cohort=cohort,
        side=Side.POLICYMAKER,
        user__email="alice@example.org",
        user__full_name="Alice Adkins",
        user__organisation__name="Cabinet Office",
        user__organisation__sector=SectorCode.CENTRAL_GOVERNMENT,
    )
    bob = MembershipFactory(
        cohort=cohort,
        side=Side.PRACTITIONER,
        user__email="bob@example.org",
        user__full_name="Bob Bradley",
        user__organisation__name="Shelter",
    )
    carol = MembershipFactory(
        cohort=cohort,
        side=Side.PRACTITIONER,
        user__email="carol@example.org",
        user__full_name="Carol Campbell",
        user__organisation__name="Certitude",
    )
    carol_partner = MembershipFactory(
        cohort=cohort,
        side=Side.POLICYMAKER,
        user__organisation__name="Home Office",
        user__organisation__sector=SectorCode.CENTRAL_GOVERNMENT,
    )
    dave = MembershipFactory(
        cohort=other_cohort,
        side=Side.PRACTITIONER,
        user__email="dave@example.org",
        user__full_name="Dave Dixon",
        user__organisation__name="Groundwork",
    )
    pair = make_pair(cohort, policymaker=alice, practitioner=bob)
    other_pair = make_pair(cohort, policymaker=carol_partner, practitioner=carol)
    return World(
        cohort=cohort,
        other_cohort=other_cohort,
        manager=manager,
        facilitator=facilitator,
        other_facilitator=other_facilitator,
        alice=alice.user,
        bob=bob.user,
        carol=carol.user,
        dave=dave.user,
        pair=pair,
        other_pair=other_pair,
        alice_membership=alice,
        bob_membership=bob,
        carol_membership=carol,
        dave_membership=dave,
    )


PERSONAS = ["anonymous", "manager", "facilitator", "other_facilitator", "alice", "bob", "carol", "dave"]


@pytest.fixture
def login_as(client, world):
    """login_as("alice") signs the test client in as that persona ("anonymous" signs out)."""

    def _login(persona: str):
        client.logout()
        if persona != "anonymous":
            client.force_login(getattr(world, persona))
        return client

    return _login
