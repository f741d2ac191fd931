"""Who may open and post to the facilitator's pages: URLs × personas, in the manner of pretix.

Staff of the cohort (its facilitator, a programme manager) get the page; another cohort's facilitator
and every participant get 404; anonymous visitors are sent to sign in. A refused POST changes nothing.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Membership
from pairs.models import LearningPair, PairMember
from tests.conftest import PERSONAS

ALLOWED = {"manager", "facilitator"}


def _targets(world) -> dict[str, str]:
    seat = world.pair.members.get(membership=world.alice_membership)
    return {
        "cohort-overview": reverse("pairs:cohort-overview", args=[world.cohort.pk]),
        "pair-create": reverse("pairs:pair-create", args=[world.cohort.pk]),
        "suggestions": reverse("pairs:suggestions", args=[world.cohort.pk]),
        "suggestions-accept": reverse("pairs:suggestions-accept", args=[world.cohort.pk]),
        "pair-member-add": reverse("pairs:pair-member-add", args=[world.pair.pk]),
        "pair-member-remove": reverse("pairs:pair-member-remove", args=[seat.pk]),
        "pair-member-move": reverse("pairs:pair-member-move", args=[seat.pk]),
        "membership-withdraw": reverse("pairs:membership-withdraw", args=[world.alice_membership.pk]),
    }


GET_URLS = [
    "cohort-overview",
    "pair-create",
    "suggestions",
    "pair-member-add",
    "pair-member-remove",
    "pair-member-move",
    "membership-withdraw",
]
POST_URLS = [
    "pair-create",
    "suggestions-accept",
    "pair-member-add",
    "pair-member-remove",
    "pair-member-move",
    "membership-withdraw",
]


def _snapshot() -> tuple:
    """Everything the forming pages could change."""
    return (
        list(LearningPair.objects.order_by("pk").values_list("pk", "status")),
        list(PairMember.objects.order_by("pk").values_list("pk", "pair_id", "left_on", "left_reason")),
        list(Membership.objects.order_by("pk").values_list("pk", "status", "withdrawn_on")),
    )


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", GET_URLS)
def test_get_permission_matrix(world, login_as, persona, name):
    url = _targets(world)[name]
    response = login_as(persona).get(url)
    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    elif persona in ALLOWED:
        assert response.status_code == 200
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p not in ALLOWED])
@pytest.mark.parametrize("name", POST_URLS)
def test_refused_post_changes_nothing(world, login_as, persona, name):
    targets = _targets(world)
    before = _snapshot()
    data = {
        "on": timezone.localdate().isoformat(),
        "reason": "Changed jobs",
        "to_pair": str(world.other_pair.pk),
        "members": [world.alice_membership.pk, world.bob_membership.pk],
        "membership": world.carol_membership.pk,
        "accept": ["1-2"],
    }
    response = login_as(persona).post(targets[name], data)
    assert response.status_code == (302 if persona == "anonymous" else 404)
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 302), ("manager", 200), ("facilitator", 200), ("other_facilitator", 200), ("alice", 404)],
)
def test_facilitator_home_is_for_staff(world, login_as, persona, status):
    response = login_as(persona).get(reverse("pairs:facilitator-home"))
    assert response.status_code == status


def test_facilitator_home_lists_only_their_cohorts_and_links_to_the_overview(world, login_as):
    response = login_as("facilitator").get(reverse("pairs:facilitator-home"))
    assert reverse("pairs:cohort-overview", args=[world.cohort.pk]) in response.text
    assert reverse("pairs:cohort-overview", args=[world.other_cohort.pk]) not in response.text


def test_suggestions_accept_is_post_only(world, login_as):
    response = login_as("facilitator").get(reverse("pairs:suggestions-accept", args=[world.cohort.pk]))
    assert response.status_code == 405
