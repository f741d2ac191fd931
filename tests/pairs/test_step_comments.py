"""Comments on a pair's steps: its members and its cohort's staff write them; nobody else sees them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pairs.comments import COMMENT_EMPTY, COMMENT_MAX_LENGTH, COMMENT_TOO_LONG
from pairs.models import StepComment


def _url(world, step: int = 1) -> str:
    return reverse("pairs:step-comment", args=[world.pair.pk, step])


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("alice", 302),
        ("bob", 302),
        ("facilitator", 302),
        ("manager", 302),
        ("carol", 404),
        ("dave", 404),
        ("other_facilitator", 404),
    ],
)
def test_who_may_comment_on_a_step(world, login_as, persona, status):
    response = login_as(persona).post(_url(world), {"body": "Looks good"})
    assert response.status_code == status
    assert StepComment.objects.exists() is (status == 302)


def test_anonymous_is_sent_to_sign_in(world, client):
    response = client.post(_url(world), {"body": "Hello"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_facilitators_comment_shows_to_the_pair_as_sanitised_markdown(world, login_as):
    login_as("facilitator").post(_url(world), {"body": "Ask **service users**<script>alert(1)</script>"})
    page = login_as("bob").get(world.pair.get_absolute_url()).text
    assert "<strong>service users</strong>" in page
    assert "<script>alert(1)" not in page


@pytest.mark.parametrize(
    ("body", "message"), [("   ", COMMENT_EMPTY), ("x" * (COMMENT_MAX_LENGTH + 1), COMMENT_TOO_LONG)]
)
def test_an_empty_or_oversized_comment_gets_a_clear_error_and_keeps_the_text(world, login_as, body, message):
    response = login_as("alice").post(_url(world, 2), {"body": body})
    assert response.status_code == 400
    assert message.replace("'", "&#x27;") in response.text
    if body.strip():
        assert body in response.text
    assert not StepComment.objects.exists()


def test_a_step_that_does_not_exist_is_404(world, login_as):
    assert login_as("alice").post(_url(world, 9), {"body": "Hi"}).status_code == 404


def test_comments_of_another_pair_never_show(world, login_as):
    login_as("facilitator").post(_url(world), {"body": "Only for pair one"})
    assert "Only for pair one" not in login_as("facilitator").get(world.other_pair.get_absolute_url()).text


def test_the_workspace_takes_the_same_queries_for_n_and_10n_comments(world, login_as, django_assert_num_queries):
    from pairs.comments import step_comment_add
    from pairs.models import StepProgress

    progress = StepProgress.objects.get(pair=world.pair, step=1)
    client = login_as("alice")
    url = world.pair.get_absolute_url()

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    for _ in range(2):
        step_comment_add(progress=progress, author=world.facilitator, body="A comment")
    few = count()
    for _ in range(18):
        step_comment_add(progress=progress, author=world.bob, body="Another")
    assert count() == few


def _look_url(world, step: int = 2) -> str:
    return reverse("pairs:step-another-look", args=[world.pair.pk, step])


@pytest.mark.parametrize(
    ("persona", "status"),
    [("facilitator", 302), ("manager", 302), ("alice", 404), ("carol", 404), ("other_facilitator", 404)],
)
def test_only_the_cohorts_staff_mark_a_step_as_needing_another_look(world, login_as, persona, status):
    from pairs.models import StepProgress

    response = login_as(persona).post(_look_url(world), {"needed": "1"})
    assert response.status_code == status
    assert StepProgress.objects.get(pair=world.pair, step=2).needs_another_look is (status == 302)


def test_a_step_needing_another_look_shows_on_the_pairs_grid_and_tells_the_pair(world, login_as):
    from notifications.models import Kind, Notification

    client = login_as("facilitator")
    client.post(_look_url(world), {"needed": "1"})
    grid = client.get(reverse("pairs:cohort-pairs", args=[world.cohort.pk])).text
    assert "Needs another look" in grid
    overview = client.get(reverse("pairs:cohort-overview", args=[world.cohort.pk]))
    assert [row["another_look"] for row in overview.context["step_summary"]] == [0, 1, 0, 0]
    assert Notification.objects.filter(recipient=world.alice, kind=Kind.COMMENT, text__contains="another look").exists()
    client.post(_look_url(world), {"needed": "0"})
    assert "Needs another look" not in client.get(reverse("pairs:cohort-pairs", args=[world.cohort.pk])).text
