"""RowUrl links match {% url %}; a CompiledQuery (for each key and day) or CompiledModelQuery (for each key)
runs its one compiled SQL."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.db.models import Min, OuterRef, QuerySet, Subquery
from django.template import Context
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Membership
from pairs.commitment import commitment_days_expression, commitment_of
from pairs.models import Activity, LearningPair, PairMember
from pairs.templatetags.pairs_nav import nav_roles
from programme.compiled import CompiledModelQuery, CompiledQuery
from programme.row_urls import RowUrl
from tests.factories import ActivityFactory

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


def _pairs_formed_by(cohort_id: int, day: date) -> QuerySet[LearningPair, Any]:
    """Dates of three kinds (a field, an aggregate, a subquery) that SQLite hands back as text until converted."""
    latest_activity = Activity.objects.filter(pair=OuterRef("pk")).order_by("-occurred_on").values("occurred_on")
    return (
        LearningPair.objects.filter(cohort=cohort_id, members__joined_on__lte=day)
        .annotate(last_activity_on=Subquery(latest_activity[:1]), first_joined=Min("members__joined_on"))
        .order_by("number")
        .values_list("last_activity_on", "number", "created_at", "first_joined")
    )


def test_compiled_rows_are_the_querysets_own_for_each_key_and_day(world):
    today = timezone.localdate()
    ActivityFactory(pair=world.pair, occurred_on=today - timedelta(days=3))
    compiled = CompiledQuery(_pairs_formed_by, dated=True)
    for cohort in (world.cohort, world.other_cohort):
        for day in (today, today - timedelta(days=400)):
            assert compiled.rows(cohort.pk, day) == list(_pairs_formed_by(cohort.pk, day))
    first = compiled.rows(world.cohort.pk, today)[0]
    assert first[:2] == (today - timedelta(days=3), world.pair.number)
    assert first[2] == world.pair.created_at and isinstance(first[3], date)
    with pytest.raises(ValueError, match="cannot be reused"):
        CompiledQuery(lambda key, day: LearningPair.objects.filter(pk=key).values_list("pk"), dated=True).rows(1, today)


def test_compiled_model_query_gives_each_key_what_its_queryset_gives(world):
    """Compiled once, run per key: the same instances, related rows and annotations as the ORM's own query."""

    def seats(pair_id: int):
        return (
            PairMember.objects.filter(pair_id=pair_id)
            .current()
            .with_people()
            .select_related("membership__cohort")
            .annotate(
                days=Membership.objects.filter(pk=OuterRef("membership_id")).values(days=commitment_days_expression())
            )
            .order_by("membership__side", "joined_on")
        )

    compiled = CompiledModelQuery(seats)
    for pair in (world.pair, world.other_pair, world.pair):
        with CaptureQueriesContext(connection) as queries:
            got = compiled.instances(pair.pk)
        assert len(queries) == 1
        expected = list(seats(pair.pk))
        assert [seat.pk for seat in got] == [seat.pk for seat in expected]
        assert [seat.membership.user.full_name for seat in got] == [seat.membership.user.full_name for seat in expected]
        assert [seat.days for seat in got] == [seat.days for seat in expected]
        assert [commitment_of(seat.membership) for seat in got] == [commitment_of(seat.membership) for seat in expected]
    assert compiled.instances(987654321) == []


def test_compiled_model_query_refuses_a_query_without_its_key(world):
    with pytest.raises(ValueError, match="key"):
        CompiledModelQuery(lambda _key: PairMember.objects.all()).instances(world.pair.pk)
