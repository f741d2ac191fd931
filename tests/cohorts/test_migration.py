"""Moving applications to hold their own details: existing applications copy the applicant's details, and
memberships with the retired "applied" status become submitted applications."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.state import StateApps

from cohorts.models import Application, Membership

BEFORE = [("cohorts", "0005_event_cancellation_and_repair_grace")]


def _migrate(targets: list[tuple[str, str]]) -> StateApps:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_applied_memberships_become_applications_and_old_applications_keep_their_details(world):
    other = world.other_cohort
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        old = _migrate(BEFORE)
        OldMembership = old.get_model("cohorts", "Membership")
        OldApplication = old.get_model("cohorts", "Application")
        OldMembership.objects.create(cohort_id=other.pk, user_id=world.carol.pk, side="practitioner", status="applied")
        OldApplication.objects.create(
            cohort_id=other.pk, applicant_id=world.bob.pk, side="practitioner", motivation="To learn."
        )
    finally:
        _migrate(latest)

    carol = Application.objects.get(cohort=other, email=world.carol.email)
    assert (carol.full_name, carol.status, carol.user_id) == (world.carol.full_name, "submitted", world.carol.pk)
    assert carol.organisation == world.carol.organisation
    assert not Membership.objects.filter(cohort=other, user=world.carol).exists()
    bob = Application.objects.get(cohort=other, email=world.bob.email)
    assert (bob.full_name, bob.motivation, bob.user_id) == (world.bob.full_name, "To learn.", world.bob.pk)
