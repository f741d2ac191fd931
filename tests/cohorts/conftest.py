"""Events of `world.cohort` (one later this month, one happening today) and its end-of-year evaluation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from cohorts.models import Event, ExternalGuest
from cohorts.services import event_create, guest_add
from tests.cohorts.surveys_world import Evaluation, make_evaluation


@dataclass
class Events:
    future: Event
    today: Event
    guest: ExternalGuest


@pytest.fixture
def events(world) -> Events:
    now = timezone.now()
    future = event_create(
        cohort=world.cohort,
        by=world.facilitator,
        kind=Event.Kind.WORKSHOP,
        title="Workshop on service users",
        starts_at=now + timedelta(days=10),
        ends_at=now + timedelta(days=10, hours=6),
        length_days=Decimal("1"),
        place="2 Carlton Gardens, London",
    )
    today = event_create(
        cohort=world.cohort,
        by=world.facilitator,
        kind=Event.Kind.ROUNDTABLE,
        title="Roundtable with officials",
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=3),
        length_days=Decimal("0.5"),
    )
    guest = guest_add(event=today, name="Paula Permanent-Secretary", organisation="HM Treasury", role="Director")
    return Events(future=future, today=today, guest=guest)


@pytest.fixture
def evaluation(world) -> Evaluation:
    return make_evaluation(world)
