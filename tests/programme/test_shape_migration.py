"""The migrations that brought programme shapes keep every existing row's meaning: tried on the demo data and on
rows of every old side, sector, event kind, activity kind and step, written in the schema before shapes."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.state import StateApps
from django.db.models import Field, Model

from cohorts.models import Application, Event, Membership
from demo.loading import demo_load
from pairs.models import Activity, StepDeadline, StepProgress
from programme import shape
from programme.models import Organisation

BEFORE_SHAPES = [
    ("programme", "0005_naming_consent"),
    ("cohorts", "0010_event_report_number"),
    ("pairs", "0011_private_notes_readings"),
]
# Each model and field that stored a fixed value before shapes, with how its label reads now.
LABELLED = [
    ("programme", "Organisation", "sector", lambda row: shape.name_in_any_programme("sector", row.sector)),
    ("cohorts", "Membership", "side", Membership.get_side_display),
    ("cohorts", "Application", "side", Application.get_side_display),
    ("cohorts", "Application", "sector", Application.get_sector_display),
    ("cohorts", "Event", "kind", Event.get_kind_display),
    ("pairs", "Activity", "kind", Activity.get_kind_display),
    ("pairs", "StepDeadline", "step", StepDeadline.get_step_display),
    ("pairs", "StepProgress", "step", StepProgress.get_step_display),
]
CURRENT = {
    "Organisation": Organisation,
    "Membership": Membership,
    "Application": Application,
    "Event": Event,
    "Activity": Activity,
    "StepDeadline": StepDeadline,
    "StepProgress": StepProgress,
}


def _migrate(targets: list[tuple[str, str]]) -> StateApps:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _choices(model: type[Model], name: str) -> list[tuple[Any, str]]:
    field = model._meta.get_field(name)
    assert isinstance(field, Field)
    return list(field.choices or [])


def _old_labels(old: StateApps) -> dict[tuple[str, str, int], str]:
    """Every stored value's label as the schema before shapes read it (its fields' fixed choices)."""
    labels = {}
    for app, model_name, field_name, _ in LABELLED:
        model = old.get_model(app, model_name)
        choices = dict(_choices(model, field_name))
        for pk, value in model._default_manager.values_list("pk", field_name):
            labels[(model_name, field_name, pk)] = choices[value]
    return labels


def _one_of_every_old_value(old: StateApps) -> None:
    """Rows using every side, sector, event kind, activity kind and step the old schema knew."""
    Programme = old.get_model("programme", "Programme")
    Organisation = old.get_model("programme", "Organisation")
    User = old.get_model("programme", "User")
    Cohort = old.get_model("cohorts", "Cohort")
    OldMembership = old.get_model("cohorts", "Membership")
    OldApplication = old.get_model("cohorts", "Application")
    OldEvent = old.get_model("cohorts", "Event")
    LearningPair = old.get_model("pairs", "LearningPair")
    OldActivity = old.get_model("pairs", "Activity")
    OldDeadline = old.get_model("pairs", "StepDeadline")
    OldProgress = old.get_model("pairs", "StepProgress")

    def choices(model: type[Model], field: str) -> list[Any]:
        return [value for value, _ in _choices(model, field)]

    programme = Programme.objects.create(name="Before shapes", slug="before-shapes")
    cohort = Cohort.objects.create(
        programme=programme, name="2013", number=1, starts_on=date(2013, 1, 1), ends_on=date(2013, 12, 31)
    )
    sectors = choices(Organisation, "sector")
    sides = choices(OldMembership, "side")
    for index, sector in enumerate(sectors):
        organisation = Organisation.objects.create(name=f"Organisation {index}", sector=sector)
        side = sides[index % len(sides)]
        user = User.objects.create(
            email=f"old{index}@example.org", full_name=f"Old {index}", password="!", organisation=organisation
        )
        OldMembership.objects.create(cohort=cohort, user=user, side=side)
        OldApplication.objects.create(
            cohort=cohort, side=side, sector=sector, motivation="-", full_name=f"Old {index}", email=user.email
        )
    starts = datetime(2013, 3, 1, 10, tzinfo=UTC)
    for kind in choices(OldEvent, "kind"):
        OldEvent.objects.create(cohort=cohort, kind=kind, title=kind, starts_at=starts, ends_at=starts.replace(hour=16))
    pair = LearningPair.objects.create(cohort=cohort, number=1)
    for kind in choices(OldActivity, "kind"):
        OldActivity.objects.create(pair=pair, kind=kind, occurred_on=date(2013, 4, 1), hours=Decimal("2"))
    for step in choices(OldProgress, "step"):
        OldDeadline.objects.create(cohort=cohort, step=step, due_on=date(2013, 6, step))
        OldProgress.objects.create(pair=pair, step=step)


@pytest.mark.django_db(transaction=True)
def test_every_stored_side_sector_kind_and_step_reads_as_before_after_the_shape_migrations():
    demo_load()
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        old = _migrate(BEFORE_SHAPES)
        _one_of_every_old_value(old)
        before = _old_labels(old)
    finally:
        _migrate(latest)
    shape.forget()

    after = {}
    for _, model_name, field_name, label in LABELLED:
        for row in CURRENT[model_name]._default_manager.all():
            after[(model_name, field_name, row.pk)] = label(row)
    assert after == before
    # Both the demo and the rows of every old value were there to check.
    used: dict[tuple[str, str], set[str]] = {(model, field): set() for _, model, field, _ in LABELLED}
    for (model, field, _), shown in before.items():
        used[(model, field)].add(shown)
    assert used[("Membership", "side")] == {"Policymaker", "Practitioner"}
    assert used[("Event", "kind")] == {"Workshop", "Roundtable", "Other"}
    assert used[("StepProgress", "step")] == {"Identify", "Understand", "Explore", "Act"}
    assert len(before) > 200  # the demo's rows, not only the few made here
