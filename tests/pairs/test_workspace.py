"""The pair workspace: who may see and change it, and how step changes are kept safe."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pairs.commitment import commitment_of
from pairs.models import Step, StepProgress
from pairs.services import STALE_STEP, step_update
from tests.factories import ActivityFactory, StepDeadlineFactory, reread

pytestmark = pytest.mark.django_db

# Persona → what they get from the workspace (GET) and from changing a step (POST).
GET_EXPECTED = {
    "alice": 200,
    "bob": 200,
    "carol": 404,
    "dave": 404,
    "facilitator": 200,
    "other_facilitator": 404,
    "manager": 200,
}
POST_EXPECTED = {
    "alice": 302,
    "bob": 302,
    "carol": 404,
    "dave": 404,
    "facilitator": 403,
    "other_facilitator": 404,
    "manager": 403,
}


def _step(world, step: int = Step.IDENTIFY) -> StepProgress:
    return world.pair.steps.get(step=step)


def _post_data(progress: StepProgress, *, status: str, summary: str, version: int | None = None) -> dict:
    prefix = f"step{progress.step}"
    return {
        f"{prefix}-status": status,
        f"{prefix}-summary": summary,
        f"{prefix}-version": str(progress.version if version is None else version),
    }


def _edit_url(world, step: int = Step.IDENTIFY) -> str:
    return reverse("pairs:step-edit", args=[world.pair.pk, step])


@pytest.mark.parametrize("persona", ["anonymous", *GET_EXPECTED])
def test_workspace_access_by_persona(world, login_as, persona):
    response = login_as(persona).get(world.pair.get_absolute_url())
    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        return
    assert response.status_code == GET_EXPECTED[persona]
    if response.status_code == 200:
        editable = persona in {"alice", "bob"}
        assert (f'action="{_edit_url(world)}"'.encode() in response.content) is editable


@pytest.mark.parametrize("persona", ["anonymous", *POST_EXPECTED])
def test_only_the_pairs_members_can_change_a_step(world, login_as, persona):
    progress = _step(world)
    data = _post_data(progress, status=StepProgress.Status.DONE, summary="Referrals bounce between services.")
    response = login_as(persona).post(_edit_url(world), data)
    progress.refresh_from_db()
    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == POST_EXPECTED[persona]
    changed = progress.status == StepProgress.Status.DONE
    assert changed is (persona in {"alice", "bob"})


def test_get_on_step_edit_is_not_allowed(world, login_as):
    assert login_as("alice").get(_edit_url(world)).status_code == 405


def test_unknown_step_gets_404(world, login_as):
    response = login_as("alice").post(_edit_url(world, 9), {})
    assert response.status_code == 404


def test_workspace_shows_steps_guidance_and_who_completed(world, login_as):
    progress = _step(world)
    step_update(progress=progress, status=StepProgress.Status.DONE, summary="Silos in referral.", by=world.bob)
    response = login_as("alice").get(world.pair.get_absolute_url())
    content = response.content.decode()
    for name in ("Identify", "Understand", "Explore", "Act"):
        assert name in content
    assert progress.guidance in content.replace("&#x27;", "'")
    assert "Silos in referral." in content
    assert "Completed by Bob Bradley" in content


def test_facilitator_sees_workspace_read_only_but_may_comment(world, login_as):
    response = login_as("facilitator").get(world.pair.get_absolute_url())
    main = response.content.split(b"<main", 1)[1].split(b"</main>", 1)[0]
    assert main.count(b"<form") == 8  # per step: a comment form and the "needs another look" mark; no step form
    assert b"/comments/" in main
    assert b"Only the pair's members can change its steps" in response.content


def test_full_page_step_change_redirects_with_a_message(world, login_as):
    progress = _step(world)
    client = login_as("alice")
    data = _post_data(progress, status=StepProgress.Status.DONE, summary="Referrals bounce between services.")
    response = client.post(_edit_url(world), data)
    assert response.status_code == 302
    assert response["Location"] == f"{world.pair.get_absolute_url()}#step-1"
    page = client.get(response["Location"])
    assert b"Step 1 (Identify) saved: done." in page.content
    progress.refresh_from_db()
    assert progress.status == StepProgress.Status.DONE
    assert progress.completed_by == world.alice
    assert progress.completed_on == timezone.localdate()


def test_htmx_step_change_returns_only_the_step(world, login_as):
    progress = _step(world)
    data = _post_data(progress, status=StepProgress.Status.IN_PROGRESS, summary="Started on referrals.")
    response = login_as("bob").post(_edit_url(world), data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "<html" not in content
    assert content.strip().startswith('<li id="step-1"')
    assert "Step 1 (Identify) saved: in progress." in content
    assert "Started on referrals." in content
    progress.refresh_from_db()
    assert progress.status == StepProgress.Status.IN_PROGRESS
    assert progress.version == 2
    # The fresh form carries the new version, so the next save is not taken for a stale one.
    assert 'name="step1-version" value="2"' in content


@pytest.mark.parametrize("htmx", [False, True])
def test_completing_without_summary_is_refused_and_typed_text_kept(world, login_as, htmx):
    progress = _step(world)
    data = _post_data(progress, status=StepProgress.Status.DONE, summary="   ")
    headers = {"HX-Request": "true"} if htmx else {}
    response = login_as("alice").post(_edit_url(world), data, headers=headers)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Write a summary of what you found before marking the step done." in content
    assert ("<html" in content) is not htmx
    progress.refresh_from_db()
    assert progress.status == StepProgress.Status.NOT_STARTED


def test_refused_change_keeps_what_the_user_typed(world, login_as):
    for step in (Step.IDENTIFY, Step.UNDERSTAND):
        step_update(progress=_step(world, step), status=StepProgress.Status.DONE, summary="Done.", by=world.alice)
    progress = _step(world, Step.ACT)
    data = _post_data(progress, status=StepProgress.Status.DONE, summary="We will write a how-to guide.")
    response = login_as("alice").post(_edit_url(world, Step.ACT), data)
    content = response.content.decode()
    assert "Step 4 (Act) can only be done once steps 1 to 3 are done." in content
    assert "We will write a how-to guide.</textarea>" in content
    assert "Step 4 (Act) was not saved" in content
    progress.refresh_from_db()
    assert progress.status == StepProgress.Status.NOT_STARTED
    assert progress.summary == ""


def test_stale_edit_is_refused_showing_their_text_and_keeping_mine(world, login_as):
    progress = _step(world)
    opened_version = progress.version
    step_update(progress=progress, status=StepProgress.Status.IN_PROGRESS, summary="Bob's findings.", by=world.bob)
    data = _post_data(
        progress, status=StepProgress.Status.IN_PROGRESS, summary="Alice's findings.", version=opened_version
    )
    response = login_as("alice").post(_edit_url(world), data, headers={"HX-Request": "true"})
    content = response.content.decode().replace("&#x27;", "'")
    assert STALE_STEP in content
    assert "Someone else changed this step since you opened it." in content
    assert "Bob's findings." in content
    assert "Alice's findings.</textarea>" in content
    progress.refresh_from_db()
    assert progress.summary == "Bob's findings."
    # The form now carries the version Alice has seen, so saving her merged text succeeds.
    assert f'name="step1-version" value="{progress.version}"' in content
    merged = _post_data(progress, status=StepProgress.Status.IN_PROGRESS, summary="Bob's and Alice's findings.")
    login_as("alice").post(_edit_url(world), merged)
    progress.refresh_from_db()
    assert progress.summary == "Bob's and Alice's findings."


def test_overdue_step_is_shown_as_overdue(world, login_as):
    StepDeadlineFactory(cohort=world.cohort, step=Step.IDENTIFY, due_on=timezone.localdate() - timedelta(days=2))
    response = login_as("alice").get(world.pair.get_absolute_url())
    assert b"overdue" in response.content


def test_workspace_shows_each_members_commitment(world, login_as):
    ActivityFactory(pair=world.pair, hours=15, attendees=[world.alice_membership])
    response = login_as("bob").get(world.pair.get_absolute_url())
    content = response.content.decode()
    alice_days = commitment_of(reread(world.alice_membership)).days
    assert f"<strong>{alice_days}</strong> of" in content
    assert alice_days == 2


def _count_workspace_queries(client, world) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(world.pair.get_absolute_url()).status_code == 200
    return len(queries)


def test_workspace_queries_do_not_grow_with_activities(world, login_as):
    client = login_as("alice")
    members = [world.alice_membership, world.bob_membership]
    for _ in range(5):
        ActivityFactory(pair=world.pair, attendees=members)
    with_five = _count_workspace_queries(client, world)
    for _ in range(45):
        ActivityFactory(pair=world.pair, attendees=members)
    assert _count_workspace_queries(client, world) == with_five


def test_the_workspace_links_to_the_pairs_activities_outputs_and_cohort_events(world, login_as):
    content = login_as("alice").get(reverse("pairs:detail", args=[world.pair.pk])).content.decode()
    links = content[content.index('id="pair-links"') :]
    for url in (
        reverse("pairs:activity-list", args=[world.pair.pk]),
        reverse("outputs:pair-list", args=[world.pair.pk]),  # registered by outputs, the app above
        reverse("cohorts:event-list", args=[world.cohort.pk]),
    ):
        assert f'href="{url}"' in links
