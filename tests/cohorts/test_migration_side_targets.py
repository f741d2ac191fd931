"""Recruitment targets move from two fixed fields into one number per side, and the default sides and sectors
keep the words the call for applications used before shapes."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.state import StateApps

from cohorts.models import Cohort
from programme.models import Sector, Side

BEFORE = [("cohorts", "0011_shape_codes"), ("programme", "0008_organisation_sector_shape_code")]


def _migrate(targets: list[tuple[str, str]]) -> StateApps:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_targets_become_targets_by_side_and_the_call_keeps_its_words(world):
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        old = _migrate(BEFORE)
        OldCohort = old.get_model("cohorts", "Cohort")
        OldCohort.objects.filter(pk=world.cohort.pk).update(policymaker_target=15, practitioner_target=12)
        OldCohort.objects.filter(pk=world.other_cohort.pk).update(policymaker_target=0, practitioner_target=0)
    finally:
        _migrate(latest)

    assert Cohort.objects.get(pk=world.cohort.pk).side_targets == {"policymaker": 15, "practitioner": 12}
    assert Cohort.objects.get(pk=world.other_cohort.pk).side_targets == {}
    programme = world.cohort.programme
    policymaker = Side.objects.get(programme=programme, code="policymaker")
    assert policymaker.description == "I work on policy in central government (a policymaker)"
    recruited = Sector.objects.filter(programme=programme, recruited_by_organisation=True)
    assert list(recruited.values_list("code", flat=True)) == ["central_government"]
