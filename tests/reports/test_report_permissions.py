"""The year-end report's URLs for another cohort, beyond the URL gate (tests/test_url_gate.py): only that
cohort's staff reach them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import PERSONAS

OTHER_COHORT_URLS = [
    (f"{name} of other cohort", lambda w, name=name: reverse(f"reports:{name}", args=[w.other_cohort.pk]))
    for name in ("preview", "edit", "exports", "pdf", "docx", "xlsx")
]
# Before a file is prepared, its download sends the cohort's staff to the preview to prepare it.
NOT_PREPARED = {"pdf", "docx", "xlsx"}


def _check(response, persona: str, expected: dict[str, int]) -> None:
    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == expected.get(persona, 404), persona


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("name", "url"), OTHER_COHORT_URLS, ids=[row[0] for row in OTHER_COHORT_URLS])
def test_other_cohort_matrix(login_as, world, persona, name, url):
    allowed = 302 if name.split()[0] in NOT_PREPARED else 200
    response = login_as(persona).get(url(world))
    _check(response, persona, {"manager": allowed, "other_facilitator": allowed})
    if allowed == 302 and persona in {"manager", "other_facilitator"}:
        assert response["Location"] == reverse("reports:preview", args=[world.other_cohort.pk]) + "#exports"


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("kind", ["pdf", "docx", "xlsx"])
def test_only_the_cohorts_staff_may_prepare_its_files(login_as, world, persona, kind):
    response = login_as(persona).post(reverse("reports:export-prepare", args=[world.other_cohort.pk, kind]))

    _check(response, persona, {"manager": 302, "other_facilitator": 302})


@pytest.mark.parametrize("name", ["preview", "exports", "pdf", "docx", "xlsx", "csv"])
def test_exports_and_preview_refuse_post(login_as, world, name):
    response = login_as("facilitator").post(reverse(f"reports:{name}", args=[world.cohort.pk]))

    assert response.status_code == 405
