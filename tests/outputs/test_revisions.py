"""Editing a published output makes a revision that goes through review; readers keep the reviewed version."""

from __future__ import annotations

import pytest
from django.urls import reverse

from outputs import services
from outputs.models import Output, OutputRevision
from reports.building import build_report
from tests.factories import PublishedOutputFactory, YearEndReportFactory


def _form(output: Output, **changes) -> dict:
    data = {
        "kind": output.kind,
        "title": output.title,
        "summary": output.summary,
        "body": output.body,
        "link": output.link,
        "due_on": "",
        "question": "",
        "visibility": output.visibility,
    }
    return data | changes


@pytest.fixture
def published(world):
    return PublishedOutputFactory(pair=world.pair, title="Reviewed title", summary="Reviewed summary", featured=True)


def _readers_see(client, output: Output) -> dict[str, str]:
    return {
        "library": client.get(reverse("library:detail", args=[output.pk])).content.decode(),
        "feed": client.get(reverse("library:feed")).content.decode(),
    }


def test_editing_a_published_output_keeps_the_library_and_feed_on_the_reviewed_version(world, login_as, published):
    client = login_as("alice")
    response = client.post(
        reverse("outputs:edit", args=[published.pk]), _form(published, title="Unreviewed title", visibility="public")
    )
    assert response.status_code == 302

    published.refresh_from_db()
    assert published.title == "Reviewed title"
    assert published.status == Output.Status.PUBLISHED
    revision = published.revisions.get()
    assert (revision.title, revision.status) == ("Unreviewed title", OutputRevision.Status.DRAFTING)
    client.logout()
    for page in _readers_see(client, published).values():
        assert "Reviewed title" in page
        assert "Unreviewed title" not in page


def test_making_a_cohort_output_public_waits_for_review(world, login_as):
    shared = PublishedOutputFactory(pair=world.pair, visibility=Output.Visibility.COHORT, title="Cohort only")
    login_as("alice").post(reverse("outputs:edit", args=[shared.pk]), _form(shared, visibility="public"))
    assert not Output.objects.public().filter(pk=shared.pk).exists()
    assert login_as("anonymous").get(reverse("library:detail", args=[shared.pk])).status_code == 404


def test_the_year_end_report_keeps_the_reviewed_case_study(world, login_as, published):
    YearEndReportFactory(cohort=world.cohort)
    login_as("alice").post(reverse("outputs:edit", args=[published.pk]), _form(published, summary="Unreviewed summary"))
    report = build_report(world.cohort)
    summaries = [case.summary for case in report.case_studies]
    assert "Reviewed summary" in summaries
    assert "Unreviewed summary" not in summaries


def test_a_revision_goes_through_review_and_then_readers_see_it(world, login_as, published):
    alice = login_as("alice")
    alice.post(reverse("outputs:edit", args=[published.pk]), _form(published, title="Second edition"))
    alice.post(reverse("outputs:submit", args=[published.pk]))
    assert published.revisions.get().status == OutputRevision.Status.IN_REVIEW

    # In review, the authors cannot change it.
    assert alice.get(reverse("outputs:edit", args=[published.pk])).status_code == 403
    alice.post(reverse("outputs:edit", args=[published.pk]), _form(published, title="Sneaked in"))
    assert published.revisions.get().title == "Second edition"

    facilitator = login_as("facilitator")
    assert "Second edition" in facilitator.get(reverse("outputs:detail", args=[published.pk])).content.decode()
    facilitator.post(reverse("outputs:publish", args=[published.pk]))

    published.refresh_from_db()
    assert published.title == "Second edition"
    assert published.revisions.get().status == OutputRevision.Status.PUBLISHED
    assert (
        "Second edition" in login_as("anonymous").get(reverse("library:detail", args=[published.pk])).content.decode()
    )
    # The change is in the output's history, with the reviewed version before it.
    assert list(published.history.values_list("title", flat=True)[:2]) == ["Second edition", "Reviewed title"]


def test_a_revision_sent_back_is_editable_again(world, login_as, published):
    alice = login_as("alice")
    alice.post(reverse("outputs:edit", args=[published.pk]), _form(published, title="Second edition"))
    alice.post(reverse("outputs:submit", args=[published.pk]))
    login_as("facilitator").post(reverse("outputs:send-back", args=[published.pk]), {"comment": "Cite the source."})

    revision = published.revisions.get()
    assert (revision.status, revision.review_comment) == (OutputRevision.Status.DRAFTING, "Cite the source.")
    alice = login_as("alice")
    assert alice.get(reverse("outputs:edit", args=[published.pk])).status_code == 200
    alice.post(reverse("outputs:edit", args=[published.pk]), _form(published, title="Second edition, cited"))
    assert published.revisions.get().title == "Second edition, cited"


def test_an_output_in_review_is_read_only_for_its_authors(world, login_as):
    output = PublishedOutputFactory(pair=world.pair, status=Output.Status.IN_REVIEW, published_at=None, featured=False)
    client = login_as("alice")
    assert client.get(reverse("outputs:edit", args=[output.pk])).status_code == 403
    client.post(reverse("outputs:edit", args=[output.pk]), _form(output, title="Changed in review"))
    output.refresh_from_db()
    assert output.title != "Changed in review"
    with pytest.raises(Exception, match="with your facilitators"):
        services.output_update(output=output, title="Changed in review")
