"""Every year-end report URL × every persona, in the manner of pretix: only the cohort's staff (its
facilitators and programme managers) reach them; anyone else signed in gets 404, anonymous visitors sign in.
A refused POST changes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reports.models import YearEndReport
from tests.conftest import PERSONAS

STAFF = {"manager": 200, "facilitator": 200}

GET_URLS = [
    ("report", lambda w: reverse("reports:preview", args=[w.cohort.pk])),
    ("report-edit", lambda w: reverse("reports:edit", args=[w.cohort.pk])),
    ("report-pdf", lambda w: reverse("reports:pdf", args=[w.cohort.pk])),
    ("report-docx", lambda w: reverse("reports:docx", args=[w.cohort.pk])),
    ("report-xlsx", lambda w: reverse("reports:xlsx", args=[w.cohort.pk])),
    ("report-csv", lambda w: reverse("reports:csv", args=[w.cohort.pk]) + "?table=members"),
]
OTHER_COHORT_URLS = [
    (f"{name} of other cohort", lambda w, name=name: reverse(f"reports:{name}", args=[w.other_cohort.pk]))
    for name in ("preview", "edit", "pdf", "docx", "xlsx")
]


def _check(response, persona: str, expected: dict[str, int]) -> None:
    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == expected.get(persona, 404), persona


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("name", "url"), GET_URLS, ids=[row[0] for row in GET_URLS])
def test_get_matrix(login_as, world, persona, name, url):
    _check(login_as(persona).get(url(world)), persona, STAFF)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("name", "url"), OTHER_COHORT_URLS, ids=[row[0] for row in OTHER_COHORT_URLS])
def test_other_cohort_matrix(login_as, world, persona, name, url):
    _check(login_as(persona).get(url(world)), persona, {"manager": 200, "other_facilitator": 200})


@pytest.mark.parametrize("persona", PERSONAS)
def test_post_narrative_matrix(login_as, world, persona):
    data = {
        "title": "",
        "executive_summary": f"Written by {persona}",
        "introduction": "",
        "lessons": "",
        "conclusion": "",
        "based_on": "",
    }

    response = login_as(persona).post(reverse("reports:edit", args=[world.cohort.pk]), data)

    _check(response, persona, {"manager": 302, "facilitator": 302})
    saved = list(YearEndReport.objects.values_list("executive_summary", flat=True))
    assert saved == ([f"Written by {persona}"] if persona in {"manager", "facilitator"} else [])


@pytest.mark.parametrize("name", ["preview", "pdf", "docx", "xlsx", "csv"])
def test_exports_and_preview_refuse_post(login_as, world, name):
    response = login_as("facilitator").post(reverse(f"reports:{name}", args=[world.cohort.pk]))

    assert response.status_code == 405
