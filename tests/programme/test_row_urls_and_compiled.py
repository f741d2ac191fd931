"""RowUrl links match {% url %}; a CompiledQuery or CompiledModelQuery runs its one compiled SQL for each key."""

from __future__ import annotations

import pytest
from django.db import connection
from django.template import Context
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pairs.commitment import seat_commitment, with_seat_commitment_figures
from pairs.models import PairMember
from pairs.templatetags.pairs_nav import nav_roles
from programme.compiled import CompiledModelQuery
from programme.row_urls import RowUrl

pytestmark = pytest.mark.django_db


def test_row_url_gives_the_reversed_link_for_each_row():
    edit = RowUrl("pairs:activity-edit", 12)
    for pk in (1, 98, 9876543):
        assert edit(pk) == reverse("pairs:activity-edit", args=[12, pk])
    assert RowUrl("cohorts:event-detail")(5) == reverse("cohorts:event-detail", args=[5])


def test_menu_roles_are_each_persons_own_from_one_query(world):
    """The menu's compiled query is reused for every person: each gets their own roles, in one query each."""
    with CaptureQueriesContext(connection) as queries:
        alice, facilitator, dave = (
            nav_roles(Context({}), user) for user in (world.alice, world.facilitator, world.dave)
        )
    assert len(queries) == 3
    assert alice.is_member and alice.pair_id == world.pair.pk and not alice.is_facilitator
    assert facilitator.is_facilitator and not facilitator.is_member and facilitator.pair_id is None
    assert dave.is_member and dave.pair_id is None


def test_compiled_model_query_gives_each_key_what_its_queryset_gives(world):
    """Compiled once, run per key: the same instances, related rows and annotations as the ORM's own query."""

    def seats(pair_id: int):
        return with_seat_commitment_figures(
            PairMember.objects.filter(pair_id=pair_id).current().with_people().select_related("membership__cohort")
        ).order_by("membership__side", "joined_on")

    compiled = CompiledModelQuery(seats)
    for pair in (world.pair, world.other_pair, world.pair):
        with CaptureQueriesContext(connection) as queries:
            got = compiled.instances(pair.pk)
        assert len(queries) == 1
        expected = list(seats(pair.pk))
        assert [seat.pk for seat in got] == [seat.pk for seat in expected]
        assert [seat.membership.user.full_name for seat in got] == [seat.membership.user.full_name for seat in expected]
        assert [seat_commitment(seat) for seat in got] == [seat_commitment(seat) for seat in expected]
    assert compiled.instances(987654321) == []


def test_compiled_model_query_refuses_a_query_without_its_key(world):
    with pytest.raises(ValueError, match="key"):
        CompiledModelQuery(lambda _key: PairMember.objects.all()).instances(world.pair.pk)
