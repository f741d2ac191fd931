from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pairs import services
from pairs.activity_forms import FUTURE_DATE, HOURS_NOT_POSITIVE, HOURS_OVER_A_DAY
from pairs.commitment import commitment_of
from pairs.models import Activity
from pairs.views.activities import ACTIVITIES_PER_PAGE
from tests.factories import ActivityFactory, reread

pytestmark = pytest.mark.django_db

PRIVATE = "Our host was frank about funding worries."


@pytest.fixture
def visit(world) -> Activity:
    return ActivityFactory(pair=world.pair, attendees=[world.alice_membership, world.bob_membership])


def form_data(world, **overrides) -> dict:
    data = {
        "kind": Activity.Kind.DEPARTMENT_VISIT,
        "occurred_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "hours": "4.5",
        "place": "Department for Work and Pensions, Caxton House",
        "attendees": [world.alice_membership.pk, world.bob_membership.pk],
        "learning": "Policy teams rarely hear from frontline advisers.",
        "private_notes": "The deputy director was candid about ministers.",
    }
    data.update(overrides)
    return data


def activity_urls(world, visit) -> dict[str, str]:
    return {
        "list": reverse("pairs:activity-list", args=[world.pair.pk]),
        "create": reverse("pairs:activity-create", args=[world.pair.pk]),
        "edit": reverse("pairs:activity-edit", args=[world.pair.pk, visit.pk]),
        "delete": reverse("pairs:activity-delete", args=[world.pair.pk, visit.pk]),
    }


# Expected status of a GET per persona: lists are read by the cohort's staff; only members change them.
GET_MATRIX = {
    "list": {
        "anonymous": 302,
        "alice": 200,
        "bob": 200,
        "carol": 404,
        "dave": 404,
        "facilitator": 200,
        "other_facilitator": 404,
        "manager": 200,
    },
    "create": {
        "anonymous": 302,
        "alice": 200,
        "bob": 200,
        "carol": 404,
        "dave": 404,
        "facilitator": 403,
        "other_facilitator": 404,
        "manager": 403,
    },
    "edit": {
        "anonymous": 302,
        "alice": 200,
        "bob": 200,
        "carol": 404,
        "dave": 404,
        "facilitator": 403,
        "other_facilitator": 404,
        "manager": 403,
    },
    "delete": {
        "anonymous": 302,
        "alice": 200,
        "bob": 200,
        "carol": 404,
        "dave": 404,
        "facilitator": 403,
        "other_facilitator": 404,
        "manager": 403,
    },
}


@pytest.mark.parametrize(
    ("url_name", "persona", "expected"),
    [(url, persona, status) for url, row in GET_MATRIX.items() for persona, status in row.items()],
)
def test_get_permission_matrix(world, visit, login_as, url_name, persona, expected):
    url = activity_urls(world, visit)[url_name]
    response = login_as(persona).get(url)
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith(reverse("login"))


POST_REFUSED = {
    "anonymous": 302,
    "carol": 404,
    "dave": 404,
    "facilitator": 403,
    "other_facilitator": 404,
    "manager": 403,
}


@pytest.mark.parametrize("url_name", ["create", "edit", "delete"])
@pytest.mark.parametrize(("persona", "expected"), POST_REFUSED.items())
def test_refused_posts_change_nothing(world, visit, login_as, url_name, persona, expected):
    before = list(Activity.objects.values_list("pk", "place", "hours"))
    url = activity_urls(world, visit)[url_name]
    response = login_as(persona).post(url, form_data(world, place="Forged"))
    assert response.status_code == expected
    assert list(Activity.objects.values_list("pk", "place", "hours")) == before


def test_activity_of_another_pair_is_404_through_this_pair(world, login_as):
    theirs = ActivityFactory(pair=world.other_pair)
    client = login_as("alice")
    assert client.get(reverse("pairs:activity-edit", args=[world.pair.pk, theirs.pk])).status_code == 404
    assert client.post(reverse("pairs:activity-delete", args=[world.pair.pk, theirs.pk])).status_code == 404
    assert Activity.objects.filter(pk=theirs.pk).exists()


def test_member_logs_an_activity_and_commitment_counts_it(world, login_as):
    client = login_as("alice")
    response = client.post(reverse("pairs:activity-create", args=[world.pair.pk]), form_data(world), follow=True)
    assert response.redirect_chain[-1][0] == reverse("pairs:activity-list", args=[world.pair.pk])
    activity = Activity.objects.get()
    assert activity.pair == world.pair
    assert activity.logged_by == world.alice
    assert activity.hours == Decimal("4.5")
    assert set(activity.attendees.all()) == {world.alice_membership, world.bob_membership}
    assert commitment_of(reread(world.bob_membership)).activity_hours == Decimal("4.5")
    assert "Logged: Visit to a department" in response.content.decode()


def test_member_edits_an_activity(world, visit, login_as):
    client = login_as("bob")
    data = form_data(world, hours="2", place="Shelter hub", attendees=[world.bob_membership.pk])
    response = client.post(reverse("pairs:activity-edit", args=[world.pair.pk, visit.pk]), data)
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.hours == Decimal("2")
    assert visit.place == "Shelter hub"
    assert list(visit.attendees.all()) == [world.bob_membership]


def test_edit_form_shows_the_current_values(world, visit, login_as):
    response = login_as("alice").get(reverse("pairs:activity-edit", args=[world.pair.pk, visit.pk]))
    content = response.content.decode()
    assert visit.place in content
    assert visit.occurred_on.isoformat() in content


def test_delete_asks_for_confirmation_first_then_deletes_on_post(world, visit, login_as):
    client = login_as("alice")
    url = reverse("pairs:activity-delete", args=[world.pair.pk, visit.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert "Delete this activity?" in response.content.decode()
    assert Activity.objects.filter(pk=visit.pk).exists()

    response = client.post(url)
    assert response.status_code == 302
    assert not Activity.objects.filter(pk=visit.pk).exists()


def test_deletion_is_kept_in_history_with_who_deleted(world, visit, login_as):
    login_as("alice").post(reverse("pairs:activity-delete", args=[world.pair.pk, visit.pk]))
    deletion = Activity.history.get(id=visit.pk, history_type="-")
    assert deletion.history_user == world.alice
    assert deletion.place == visit.place


def test_activity_delete_service_records_the_user(world, visit):
    pk = visit.pk
    services.activity_delete(activity=visit, by=world.bob)
    assert Activity.history.get(id=pk, history_type="-").history_user == world.bob


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"occurred_on": "FUTURE"}, "occurred_on", FUTURE_DATE),
        ({"hours": "0"}, "hours", HOURS_NOT_POSITIVE),
        ({"hours": "-2"}, "hours", HOURS_NOT_POSITIVE),
        ({"hours": "24.5"}, "hours", HOURS_OVER_A_DAY),
        ({"kind": ""}, "kind", "Choose what kind of activity this was."),
        ({"occurred_on": ""}, "occurred_on", "Enter the date of the activity."),
        ({"hours": ""}, "hours", "Enter the hours spent."),
        ({"attendees": []}, "attendees", "Tick at least one member of the pair who went."),
        ({"attendees": "CAROL"}, "attendees", "Only members of this pair can be recorded as going."),
    ],
)
def test_bad_input_gives_a_field_error_and_keeps_what_was_typed(world, login_as, overrides, field, message):
    if overrides.get("occurred_on") == "FUTURE":
        overrides["occurred_on"] = (timezone.localdate() + timedelta(days=2)).isoformat()
    if overrides.get("attendees") == "CAROL":
        overrides["attendees"] = [world.alice_membership.pk, world.carol_membership.pk]
    data = form_data(world, **overrides)
    response = login_as("alice").post(reverse("pairs:activity-create", args=[world.pair.pk]), data)

    assert response.status_code == 200
    form = response.context["form"]
    assert message in form.errors[field]
    content = response.content.decode()
    # The message sits in the field's error block, which the field points to with aria-describedby.
    assert f'id="id_{field}_error"' in content
    assert f"id_{field}_error" in content.split(f'id="id_{field}_error"')[0].rsplit("aria-describedby=", 1)[1]
    assert message in content
    # What the member typed is still there.
    assert data["place"] in content
    assert data["learning"] in content
    assert data["private_notes"] in content
    if data["hours"]:
        assert f'value="{data["hours"]}"' in content
    assert not Activity.objects.exists()


def test_forged_attendee_from_another_cohort_is_refused(world, login_as):
    data = form_data(world, attendees=[world.dave_membership.pk])
    response = login_as("bob").post(reverse("pairs:activity-create", args=[world.pair.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["attendees"]
    assert not Activity.objects.exists()


def test_service_refuses_an_attendee_outside_the_pair(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        services.activity_create(
            pair=world.pair,
            kind=Activity.Kind.MEETING,
            occurred_on=timezone.localdate(),
            hours=Decimal("1"),
            attendees=[world.carol_membership],
            by=world.alice,
        )
    assert services.ATTENDEE_NOT_IN_PAIR in error.value.message_dict["attendees"]


def test_attendee_choices_are_only_the_pairs_members(world, login_as):
    form = login_as("alice").get(reverse("pairs:activity-create", args=[world.pair.pk])).context["form"]
    assert set(form.fields["attendees"].queryset) == {world.alice_membership, world.bob_membership}


# --- the list: private notes, read-only staff, filters, pagination, totals, commitment ---


@pytest.mark.parametrize("persona", ["alice", "bob"])
def test_private_notes_are_shown_to_the_pair(world, visit, login_as, persona):
    response = login_as(persona).get(reverse("pairs:activity-list", args=[world.pair.pk]))
    assert PRIVATE in response.content.decode()


@pytest.mark.parametrize("persona", ["facilitator", "manager"])
def test_staff_see_private_notes_only_after_giving_a_reason(world, visit, login_as, persona):
    client = login_as(persona)
    url = reverse("pairs:activity-list", args=[world.pair.pk])
    content = client.get(url).content.decode()
    assert PRIVATE not in content
    assert reverse("pairs:private-notes", args=[world.pair.pk]) in content
    client.post(reverse("pairs:private-notes", args=[world.pair.pk]), {"reason": "The pair asked for help."})
    assert PRIVATE in client.get(url).content.decode()


@pytest.mark.parametrize("persona", ["carol", "dave", "other_facilitator"])
def test_private_notes_never_reach_others(world, visit, login_as, persona):
    for url in activity_urls(world, visit).values():
        response = login_as(persona).get(url)
        assert PRIVATE not in response.content.decode()


@pytest.mark.parametrize("persona", ["facilitator", "manager"])
def test_staff_read_the_log_without_edit_controls(world, visit, login_as, persona):
    content = login_as(persona).get(reverse("pairs:activity-list", args=[world.pair.pk])).content.decode()
    assert reverse("pairs:activity-create", args=[world.pair.pk]) not in content
    assert reverse("pairs:activity-edit", args=[world.pair.pk, visit.pk]) not in content
    assert reverse("pairs:activity-delete", args=[world.pair.pk, visit.pk]) not in content


def test_members_see_edit_controls(world, visit, login_as):
    content = login_as("alice").get(reverse("pairs:activity-list", args=[world.pair.pk])).content.decode()
    assert reverse("pairs:activity-create", args=[world.pair.pk]) in content
    assert reverse("pairs:activity-edit", args=[world.pair.pk, visit.pk]) in content
    assert reverse("pairs:activity-delete", args=[world.pair.pk, visit.pk]) in content


def test_list_is_newest_first(world, login_as):
    today = timezone.localdate()
    old = ActivityFactory(pair=world.pair, occurred_on=today - timedelta(days=30))
    new = ActivityFactory(pair=world.pair, occurred_on=today - timedelta(days=1))
    middle = ActivityFactory(pair=world.pair, occurred_on=today - timedelta(days=10))
    page = login_as("alice").get(reverse("pairs:activity-list", args=[world.pair.pk])).context["page"]
    assert list(page) == [new, middle, old]


def test_list_shows_only_this_pairs_activities(world, login_as):
    ours = ActivityFactory(pair=world.pair)
    ActivityFactory(pair=world.other_pair)
    page = login_as("alice").get(reverse("pairs:activity-list", args=[world.pair.pk])).context["page"]
    assert list(page) == [ours]


def test_filter_by_kind_and_date_range(world, login_as):
    today = timezone.localdate()
    meeting_in_range = ActivityFactory(
        pair=world.pair, kind=Activity.Kind.MEETING, occurred_on=today - timedelta(days=10)
    )
    ActivityFactory(pair=world.pair, kind=Activity.Kind.MEETING, occurred_on=today - timedelta(days=40))
    ActivityFactory(pair=world.pair, kind=Activity.Kind.DESK_RESEARCH, occurred_on=today - timedelta(days=10))
    query = {
        "kind": Activity.Kind.MEETING,
        "from_date": (today - timedelta(days=20)).isoformat(),
        "to_date": today.isoformat(),
    }
    page = login_as("alice").get(reverse("pairs:activity-list", args=[world.pair.pk]), query).context["page"]
    assert list(page) == [meeting_in_range]


def test_pages_of_twenty_keep_the_filters_in_their_links(world, login_as):
    today = timezone.localdate()
    for days_ago in range(1, 26):
        ActivityFactory(pair=world.pair, kind=Activity.Kind.MEETING, occurred_on=today - timedelta(days=days_ago))
    ActivityFactory(pair=world.pair, kind=Activity.Kind.DESK_RESEARCH)
    client = login_as("alice")
    url = reverse("pairs:activity-list", args=[world.pair.pk])

    response = client.get(url, {"kind": Activity.Kind.MEETING})
    page = response.context["page"]
    assert ACTIVITIES_PER_PAGE == 20
    assert len(page.object_list) == 20
    assert page.paginator.count == 25
    assert "?kind=meeting&amp;page=2" in response.content.decode()

    page_two = client.get(url, {"kind": Activity.Kind.MEETING, "page": 2}).context["page"]
    assert len(page_two.object_list) == 5
    assert all(activity.kind == Activity.Kind.MEETING for activity in page_two)


def test_totals_of_hours_by_kind_follow_the_filters(world, login_as):
    today = timezone.localdate()
    ActivityFactory(pair=world.pair, kind=Activity.Kind.MEETING, hours=Decimal("1.5"))
    ActivityFactory(pair=world.pair, kind=Activity.Kind.MEETING, hours=Decimal("2"))
    ActivityFactory(pair=world.pair, kind=Activity.Kind.EXCHANGE, hours=Decimal("7"))
    ActivityFactory(
        pair=world.pair, kind=Activity.Kind.EXCHANGE, hours=Decimal("6"), occurred_on=today - timedelta(days=90)
    )
    ActivityFactory(pair=world.other_pair, kind=Activity.Kind.MEETING, hours=Decimal("10"))
    client = login_as("alice")
    url = reverse("pairs:activity-list", args=[world.pair.pk])

    totals = dict(client.get(url).context["totals"])
    assert totals == {"Exchange or shadowing day": Decimal("13"), "Meeting": Decimal("3.5")}

    recent = dict(client.get(url, {"from_date": (today - timedelta(days=30)).isoformat()}).context["totals"])
    assert recent == {"Exchange or shadowing day": Decimal("7"), "Meeting": Decimal("3.5")}


def test_hours_by_kind_is_one_query(world):
    ActivityFactory.create_batch(3, pair=world.pair, kind=Activity.Kind.MEETING)
    kinds = world.pair.cohort.shape.activity_kinds
    with CaptureQueriesContext(connection) as queries:
        Activity.objects.for_pair(world.pair).hours_by_kind(kinds)
    assert len(queries) == 1


def test_each_members_commitment_days_are_shown(world, login_as):
    # 7.5 hours make a day by default.
    ActivityFactory(pair=world.pair, hours=Decimal("7.5"), attendees=[world.alice_membership, world.bob_membership])
    ActivityFactory(pair=world.pair, hours=Decimal("7.5"), attendees=[world.alice_membership])
    commitments = {
        member.user: commitment
        for member, commitment in login_as("bob")
        .get(reverse("pairs:activity-list", args=[world.pair.pk]))
        .context["commitments"]
    }
    assert commitments[world.alice].days == Decimal("2.0")
    assert commitments[world.bob].days == Decimal("1.0")


def _count_list_queries(client, url) -> CaptureQueriesContext:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return queries


@pytest.mark.parametrize("persona", ["alice", "facilitator"])
def test_list_query_count_does_not_grow_with_activities(world, login_as, persona):
    client = login_as(persona)
    url = reverse("pairs:activity-list", args=[world.pair.pk])
    members = [world.alice_membership, world.bob_membership]
    ActivityFactory.create_batch(5, pair=world.pair, attendees=members)
    few = _count_list_queries(client, url)
    ActivityFactory.create_batch(45, pair=world.pair, attendees=members)
    many = _count_list_queries(client, url)
    assert len(many) == len(few), "\n".join(q["sql"] for q in many.captured_queries)


def test_submitting_the_same_activity_form_twice_logs_it_once(world, login_as):
    client = login_as("alice")
    url = reverse("pairs:activity-create", args=[world.pair.pk])
    key = client.get(url).context["form"]["submission_key"].value()
    data = {
        "kind": "meeting",
        "occurred_on": timezone.localdate().isoformat(),
        "hours": "2",
        "attendees": [world.alice_membership.pk],
        "submission_key": str(key),
    }
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert Activity.objects.filter(pair=world.pair).count() == 1
    # A fresh form is a new activity.
    data["submission_key"] = str(client.get(url).context["form"]["submission_key"].value())
    client.post(url, data)
    assert Activity.objects.filter(pair=world.pair).count() == 2
