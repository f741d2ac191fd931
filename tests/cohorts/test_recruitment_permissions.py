"""Every recruitment URL × every persona. Applicants are anonymous: the call is public; selection is for the
cohort's staff only, and the other cohort's facilitator gets 404. Refused requests change nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Application, Cohort
from tests.conftest import PERSONAS
from tests.factories import ApplicationFactory, CohortFactory

pytestmark = pytest.mark.django_db

STAFF = {"manager", "facilitator"}
EVERYONE = set(PERSONAS)


@pytest.fixture
def recruiting(world):
    today = timezone.localdate()
    cohort = CohortFactory(
        programme=world.cohort.programme,
        number=5,
        status=Cohort.Status.RECRUITING,
        starts_on=today + timedelta(days=30),
        ends_on=today + timedelta(days=300),
        applications_open_on=today - timedelta(days=1),
        applications_close_on=today + timedelta(days=10),
    )
    cohort.facilitators.add(world.facilitator)
    application = ApplicationFactory(cohort=cohort, full_name="Ann Applicant", reviewer_notes="Secret note")
    return cohort, application


def _state():
    return tuple(Application.objects.order_by("pk").values_list("pk", "status", "reviewer_notes"))


def _apply_post(n):
    return {
        "full_name": "New Person",
        "email": f"new{n}@example.org",
        "organisation_name": "Hackney Foodbank",
        "sector": "voluntary",
        "side": "practitioner",
        "job_title": "Coordinator",
        "motivation": "To learn.",
    }


CASES = [
    ("apply", "get", lambda c, a: reverse("cohorts:apply", args=[c.pk]), None, EVERYONE),
    ("apply", "post", lambda c, a: reverse("cohorts:apply", args=[c.pk]), _apply_post, EVERYONE),
    ("apply-received", "get", lambda c, a: reverse("cohorts:apply-received", args=[c.pk]), None, EVERYONE),
    ("application-list", "get", lambda c, a: reverse("cohorts:application-list", args=[c.pk]), None, STAFF),
    ("application-detail", "get", lambda c, a: reverse("cohorts:application-detail", args=[a.pk]), None, STAFF),
    (
        "application-detail",
        "post",
        lambda c, a: reverse("cohorts:application-detail", args=[a.pk]),
        lambda n: {"notes": "Changed"},
        STAFF,
    ),
    (
        "application-detail",
        "post",
        lambda c, a: reverse("cohorts:application-detail", args=[a.pk]),
        lambda n: {"decision": "shortlisted"},
        STAFF,
    ),
    ("home", "get", lambda c, a: reverse("home"), None, EVERYONE),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("name", "method", "url", "data", "allowed"), CASES, ids=[f"{c[1]}-{c[0]}" for c in CASES])
def test_permission_matrix(world, recruiting, login_as, persona, name, method, url, data, allowed):
    cohort, application = recruiting
    client = login_as(persona)
    before = _state()
    target = url(cohort, application)
    response = client.get(target) if method == "get" else client.post(target, data(PERSONAS.index(persona)))

    if persona in allowed:
        assert response.status_code in (200, 302), response.content[:500]
        if method == "post":
            assert _state() != before, "an allowed POST should have done something"
        if name == "apply-received":
            assert b"Secret note" not in response.content and b"Ann Applicant" not in response.content
    elif persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        assert _state() == before
    else:
        assert response.status_code == 404
        assert _state() == before


@pytest.mark.parametrize("persona", PERSONAS)
def test_switching_cohort_is_for_its_members_only(world, login_as, persona):
    response = login_as(persona).post(reverse("cohorts:switch"), {"cohort": world.cohort.pk})
    if persona == "anonymous":
        assert response["Location"].startswith(reverse("login"))
    elif persona in {"alice", "bob", "carol"}:
        assert response.status_code == 302
        assert response.wsgi_request.session["chosen_cohort"] == world.cohort.pk
    else:
        assert response.status_code == 404
        assert "chosen_cohort" not in response.wsgi_request.session
