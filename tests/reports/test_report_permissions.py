"""The year-end report's URLs for another cohort, beyond the URL gate (tests/test_url_gate.py): only that
cohort's staff reach them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import PERSONAS

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
@pytest.mark.parametrize(("name", "url"), OTHER_COHORT_URLS, ids=[row[0] for row in OTHER_COHORT_URLS])
def test_other_cohort_matrix(login_as, world, persona, name, url):
    _check(login_as(persona).get(url(world)), persona, {"manager": 200, "other_facilitator": 200})


@pytest.mark.parametrize("name", ["preview", "pdf", "docx", "xlsx", "csv"])
def test_exports_and_preview_refuse_post(login_as, world, name):
    response = login_as("facilitator").post(reverse(f"reports:{name}", args=[world.cohort.pk]))

    assert response.status_code == 405
