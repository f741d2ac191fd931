"""After a cohort concludes its members' work is read-only, unless a manager reopens it; staff finish the record."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Attendance, Cohort, Insight
from cohorts.rules import members_may_change_work
from outputs.models import Output
from pairs.models import Activity
from tests.cohorts.conftest import events  # noqa: F401 - fixture
from tests.factories import OutputFactory


@pytest.fixture
def concluded(world):
    Cohort.objects.filter(pk=world.cohort.pk).update(status=Cohort.Status.CONCLUDED)
    world.cohort.refresh_from_db()
    return world


def _member_writes(world, output: Output) -> list[tuple[str, dict]]:
    today = timezone.localdate().isoformat()
    return [
        (
            reverse("pairs:activity-create", args=[world.pair.pk]),
            {"kind": "meeting", "occurred_on": today, "hours": "2", "attendees": [world.alice_membership.pk]},
        ),
        (reverse("pairs:step-edit", args=[world.pair.pk, 1]), {"status": "in_progress", "summary": "Late"}),
        (
            reverse("outputs:create", args=[world.pair.pk]),
            {"kind": "case_study", "title": "Late", "visibility": "pair"},
        ),
        (reverse("outputs:edit", args=[output.pk]), {"kind": "case_study", "title": "Changed", "visibility": "pair"}),
    ]


def test_members_of_a_concluded_cohort_cannot_change_their_pairs_work(concluded, login_as):
    output = OutputFactory(pair=concluded.pair, title="Final")
    client = login_as("alice")
    for url, data in _member_writes(concluded, output):
        assert client.get(url).status_code in (403, 405), url  # the step form is POST only
        assert client.post(url, data).status_code == 403, url
    assert not Activity.objects.exists()
    assert Output.objects.get().title == "Final"
    page = client.get(reverse("pairs:activity-list", args=[concluded.pair.pk]))
    assert page.status_code == 200 and page.context["can_edit"] is False


def test_a_manager_reopening_the_cohort_lets_members_change_their_work_again(concluded, login_as):
    admin = login_as("manager")
    cohort = concluded.cohort
    response = admin.get(reverse("admin:cohorts_cohort_change", args=[cohort.pk]))
    assert "reopened_for_members" in response.content.decode()
    Cohort.objects.filter(pk=cohort.pk).update(reopened_for_members=True)
    cohort.refresh_from_db()
    assert members_may_change_work(cohort)

    output = OutputFactory(pair=concluded.pair, title="Final")
    client = login_as("alice")
    for url, data in _member_writes(concluded, output):
        assert client.post(url, data).status_code in (200, 302), url


def test_staff_still_finish_the_record_of_a_concluded_cohort(concluded, events, login_as):  # noqa: F811
    client = login_as("facilitator")
    assert (
        client.post(
            reverse("cohorts:attendance-register", args=[events.today.pk]),
            {"attended": [concluded.alice_membership.pk]},
        ).status_code
        == 302
    )
    assert Attendance.objects.filter(status=Attendance.Status.ATTENDED).count() == 1
    client.post(
        reverse("cohorts:insight-create", args=[events.today.pk]), {"text": "Late insight", "speaker": "", "guest": ""}
    )
    assert Insight.objects.filter(text="Late insight").exists()
    url = reverse("reports:edit", args=[concluded.cohort.pk])
    based_on = client.get(url).context["form"].initial["based_on"]
    data = {"title": "Year two", "executive_summary": "Done.", "introduction": "", "lessons": "", "conclusion": ""}
    assert client.post(url, data | {"based_on": based_on}).status_code == 302
