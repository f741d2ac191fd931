"""RowUrl links match {% url %}; a CompiledQuery runs its one compiled SQL for each key."""

from __future__ import annotations

import pytest
from django.db import connection
from django.template import Context
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pairs.templatetags.pairs_nav import nav_roles
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
