"""Writing the year-end report's narrative: every draft kept, a stale draft refused with who saved it,
and the form that keeps the writer's text."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from reports.models import YearEndReport
from reports.services import draft_marker, report_save_narrative


def _save(world, by, based_on=None, **sections):
    fields = {"title": "", "executive_summary": "", "introduction": "", "lessons": "", "conclusion": ""}
    return report_save_narrative(cohort=world.cohort, by=by, based_on=based_on, **{**fields, **sections})


def test_saving_the_narrative_creates_the_report_once_and_keeps_every_draft(world):
    first = _save(world, world.facilitator, based_on="", executive_summary="First draft")
    second = _save(world, world.manager, based_on=draft_marker(first), executive_summary="Second draft")

    assert first.pk == second.pk
    assert YearEndReport.objects.get().executive_summary == "Second draft"
    assert second.updated_by == world.manager
    assert [h.executive_summary for h in second.history.order_by("history_date")] == ["First draft", "Second draft"]


def test_saving_over_a_draft_saved_since_it_was_opened_is_refused(world):
    opened = _save(world, world.facilitator, based_on="", introduction="Mine")
    marker = draft_marker(opened)
    _save(world, world.manager, based_on=marker, introduction="Theirs")

    with pytest.raises(ValidationError, match=r"Mona Manager saved this report at .* after you opened it"):
        _save(world, world.facilitator, based_on=marker, introduction="Mine again")

    assert YearEndReport.objects.get().introduction == "Theirs"


def test_facilitator_writes_a_draft_through_the_form(world, login_as):
    client = login_as("facilitator")
    url = reverse("reports:edit", args=[world.cohort.pk])
    form = client.get(url).context["form"]

    response = client.post(
        url,
        {
            "title": "Insights from year two",
            "executive_summary": "We learned a lot.",
            "introduction": "",
            "lessons": "",
            "conclusion": "",
            "based_on": form.initial["based_on"],
        },
    )

    assert response.status_code == 302
    report = YearEndReport.objects.get(cohort=world.cohort)
    assert (report.title, report.executive_summary, report.updated_by) == (
        "Insights from year two",
        "We learned a lot.",
        world.facilitator,
    )
    page = client.get(reverse("reports:preview", args=[world.cohort.pk]))
    assert "Insights from year two" in page.content.decode()
    assert "[Introduction not yet written]" in page.content.decode()


def test_stale_form_keeps_the_writers_text_and_says_who_saved(world, login_as):
    client = login_as("facilitator")
    url = reverse("reports:edit", args=[world.cohort.pk])
    stale = client.get(url).context["form"].initial["based_on"]
    _save(world, world.manager, based_on="", conclusion="The manager's conclusion")

    response = client.post(
        url,
        {
            "title": "",
            "executive_summary": "",
            "introduction": "",
            "lessons": "",
            "conclusion": "My conclusion",
            "based_on": stale,
        },
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Mona Manager saved this report" in page
    assert "My conclusion" in page
    assert YearEndReport.objects.get().conclusion == "The manager's conclusion"
