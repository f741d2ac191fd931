"""Event pages: scheduling, replies (htmx and plain), the register, guests, insights, and query counts."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from cohorts.forms import GUEST_NEEDS_NAME
from cohorts.models import Attendance, Event, ExternalGuest, Insight, Membership
from cohorts.rules import EVENT_ENDS_BEFORE_START, REPLY_AFTER_START
from cohorts.services import ATTENDANCE_NOT_MEMBER, attendance_mark
from pairs.commitment import commitment_of
from tests.factories import InsightFactory, MembershipFactory, reread

HTMX = {"HTTP_HX_REQUEST": "true"}


def _event_form(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "kind": "workshop",
        "title": "Workshop 4: engaging service users",
        "topic": "Service users",
        "question": "",
        "starts_at": "2031-07-01T10:00",
        "ends_at": "2031-07-01T16:00",
        "length_days": "1",
        "place": "2 Carlton Gardens",
        "description": "",
    }
    data.update(changes)
    return data


def test_facilitator_schedules_an_event_in_london_time_and_members_are_invited(world, login_as):
    response = login_as("facilitator").post(reverse("cohorts:event-create", args=[world.cohort.pk]), _event_form())
    event = Event.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("cohorts:event-detail", args=[event.pk])
    # 10:00 in London in July is 09:00 UTC (BST).
    assert event.starts_at.astimezone(UTC).hour == 9
    assert event.attendances.filter(membership=world.alice_membership, status=Attendance.Status.INVITED).exists()


def test_event_ending_before_it_starts_is_shown_with_the_input_kept(world, login_as):
    data = _event_form(ends_at="2031-07-01T09:00")
    response = login_as("facilitator").post(reverse("cohorts:event-create", args=[world.cohort.pk]), data)
    assert response.status_code == 200
    assert EVENT_ENDS_BEFORE_START in response.content.decode()
    assert "Workshop 4: engaging service users" in response.content.decode()
    assert not Event.objects.exists()


def test_question_of_another_cohort_is_refused(world, login_as):
    from tests.factories import QuestionFactory

    foreign = QuestionFactory(cohort=world.other_cohort)
    client = login_as("facilitator")
    response = client.post(reverse("cohorts:event-create", args=[world.cohort.pk]), _event_form(question=foreign.pk))
    assert response.status_code == 200
    assert not Event.objects.exists()


def test_editing_keeps_replies(world, events, login_as):
    attendance_before = set(events.future.attendances.values_list("membership_id", "status"))
    response = login_as("facilitator").post(
        reverse("cohorts:event-edit", args=[events.future.pk]), _event_form(title="Renamed")
    )
    assert response.status_code == 302
    events.future.refresh_from_db()
    assert events.future.title == "Renamed"
    assert set(events.future.attendances.values_list("membership_id", "status")) == attendance_before


def test_member_replies_with_htmx_and_gets_the_partial(world, events, login_as):
    client = login_as("alice")
    url = reverse("cohorts:event-reply", args=[events.future.pk])
    response = client.post(url, {"status": "accepted"}, **HTMX)
    assert response.status_code == 200
    assert 'id="event-reply-' in response.content.decode()
    assert "<html" not in response.content.decode()
    assert events.future.attendances.get(membership=world.alice_membership).status == Attendance.Status.ACCEPTED

    client.post(url, {"status": "apologies"})
    assert events.future.attendances.get(membership=world.alice_membership).status == Attendance.Status.APOLOGIES


def test_reply_after_the_start_is_refused_with_a_clear_message(world, events, login_as):
    client = login_as("alice")
    response = client.post(reverse("cohorts:event-reply", args=[events.today.pk]), {"status": "apologies"}, **HTMX)
    assert escape(REPLY_AFTER_START) in response.content.decode()
    assert events.today.attendances.get(membership=world.alice_membership).status == Attendance.Status.INVITED

    response = client.post(reverse("cohorts:event-reply", args=[events.today.pk]), {"status": "apologies"}, follow=True)
    assert escape(REPLY_AFTER_START) in response.content.decode()


def test_guest_without_a_name_is_refused_with_input_kept(world, events, login_as):
    response = login_as("facilitator").post(
        reverse("cohorts:guest-add", args=[events.today.pk]), {"name": "  ", "organisation": "HM Treasury", "role": ""}
    )
    assert response.status_code == 200
    assert escape(GUEST_NEEDS_NAME) in response.content.decode()
    assert "HM Treasury" in response.content.decode()
    assert ExternalGuest.objects.count() == 1


def test_guest_removal_asks_first(world, events, login_as):
    client = login_as("facilitator")
    url = reverse("cohorts:guest-remove", args=[events.today.pk, events.guest.pk])
    response = client.get(url)
    assert "Remove guest" in response.content.decode()
    assert ExternalGuest.objects.filter(pk=events.guest.pk).exists()
    client.post(url)
    assert not ExternalGuest.objects.filter(pk=events.guest.pk).exists()


def test_guests_are_listed_for_members_and_staff(world, events, login_as):
    for persona in ("alice", "facilitator"):
        response = login_as(persona).get(reverse("cohorts:event-detail", args=[events.today.pk]))
        assert "Paula Permanent-Secretary" in response.content.decode()


def test_a_tick_on_the_register_saves_and_returns_the_row(world, events, login_as):
    client = login_as("facilitator")
    url = reverse("cohorts:attendance-toggle", args=[events.today.pk, world.alice_membership.pk])
    # htmx posts the whole register form: other members' ticks must not matter.
    response = client.post(url, {"attended": [world.alice_membership.pk, world.bob_membership.pk]}, **HTMX)
    assert response.status_code == 200
    assert f'id="register-row-{world.alice_membership.pk}"' in response.content.decode()
    assert "checked" in response.content.decode()
    assert commitment_of(reread(world.alice_membership)).event_days == events.today.length_days
    assert not events.today.attendances.filter(membership=world.bob_membership, status="attended").exists()

    client.post(url, {"attended": [world.bob_membership.pk]}, **HTMX)
    assert commitment_of(reread(world.alice_membership)).event_days == 0


def test_forged_tick_for_a_non_member_is_refused_and_changes_nothing(world, events, login_as):
    client = login_as("facilitator")
    url = reverse("cohorts:attendance-toggle", args=[events.today.pk, world.dave_membership.pk])
    response = client.post(url, {"attended": [world.dave_membership.pk]}, **HTMX)
    assert response.status_code == 400
    assert ATTENDANCE_NOT_MEMBER in response.content.decode()
    assert not Attendance.objects.filter(membership=world.dave_membership).exists()


def test_plain_register_saves_all_ticks(world, events, login_as):
    client = login_as("facilitator")
    url = reverse("cohorts:attendance-register", args=[events.today.pk])
    response = client.post(url, {"attended": [world.alice_membership.pk, world.carol_membership.pk]})
    assert response.status_code == 302
    attended = set(events.today.attendances.filter(status="attended").values_list("membership_id", flat=True))
    assert attended == {world.alice_membership.pk, world.carol_membership.pk}


def test_forged_plain_register_re_renders_with_the_ticks_kept_and_saves_nothing(world, events, login_as):
    client = login_as("facilitator")
    url = reverse("cohorts:attendance-register", args=[events.today.pk])
    response = client.post(url, {"attended": [world.alice_membership.pk, world.dave_membership.pk]})
    assert response.status_code == 400
    body = response.content.decode()
    assert escape(ATTENDANCE_NOT_MEMBER) in body
    assert f'value="{world.alice_membership.pk}" id="attended-{world.alice_membership.pk}"\n           checked' in body
    assert not Attendance.objects.filter(status="attended").exists()


def test_member_sees_the_event_as_attended(world, events, login_as):
    attendance_mark(event=events.today, membership=world.alice_membership, attended=True)
    response = login_as("alice").get(reverse("cohorts:event-detail", args=[events.today.pk]))
    assert "Attended" in response.content.decode()


def test_facilitator_records_an_insight_from_a_guest(world, events, login_as):
    response = login_as("facilitator").post(
        reverse("cohorts:insight-create", args=[events.today.pk]),
        {"text": "Officials want stories with numbers.", "guest": events.guest.pk, "speaker": ""},
    )
    assert response.status_code == 302
    insight = Insight.objects.get()
    assert insight.guest == events.guest and insight.recorded_by == world.facilitator
    assert insight.attribution() == "Y2 roundtable participant, Roundtable 1"


def test_insight_with_two_speakers_is_refused(world, events, login_as):
    response = login_as("facilitator").post(
        reverse("cohorts:insight-create", args=[events.today.pk]),
        {"text": "Both said it.", "guest": events.guest.pk, "speaker": world.alice_membership.pk},
    )
    assert response.status_code == 200
    assert "not both" in response.content.decode()
    assert not Insight.objects.exists()


def test_insight_speaker_from_another_cohort_is_refused(world, events, login_as):
    login_as("facilitator").post(
        reverse("cohorts:insight-create", args=[events.today.pk]),
        {"text": "Forged.", "speaker": world.dave_membership.pk},
    )
    assert not Insight.objects.exists()


def test_calendar_reset_changes_the_token_and_the_old_feed_404s(world, events, login_as, client):
    old = world.alice.calendar_token
    login_as("alice").post(reverse("cohorts:calendar-reset"))
    world.alice.refresh_from_db()
    assert world.alice.calendar_token != old
    client.logout()
    assert client.get(reverse("cohorts:calendar-feed", args=[old])).status_code == 404
    assert client.get(reverse("cohorts:calendar-feed", args=[world.alice.calendar_token])).status_code == 200


# Query counts: exactly the same with 10 or 100 members, so nothing on these pages grows per member.


def _grow_cohort_to(world, size: int) -> None:
    current = Membership.objects.for_cohort(world.cohort).current().count()
    MembershipFactory.create_batch(size - current, cohort=world.cohort)


def _count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("persona", "url_name"),
    [
        ("facilitator", "cohorts:event-detail"),
        ("alice", "cohorts:event-detail"),
        ("facilitator", "cohorts:attendance-register"),
    ],
)
def test_event_pages_take_the_same_queries_with_10_or_100_members(world, login_as, persona, url_name):
    from cohorts.services import event_create

    _grow_cohort_to(world, 10)
    now = timezone.now()
    event = event_create(
        cohort=world.cohort,
        title="Roundtable",
        kind=Event.Kind.ROUNDTABLE,
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=2),
    )
    for membership in Membership.objects.for_cohort(world.cohort)[:5]:
        attendance_mark(event=event, membership=membership, attended=True)
    InsightFactory(cohort=world.cohort, event=event, speaker=world.alice_membership)
    client = login_as(persona)
    url = reverse(url_name, args=[event.pk])
    with_10 = _count_queries(client, url)

    _grow_cohort_to(world, 100)
    for membership in Membership.objects.for_cohort(world.cohort).exclude(attendances__event=event):
        Attendance.objects.create(event=event, membership=membership)
    for membership in Membership.objects.for_cohort(world.cohort)[5:50]:
        attendance_mark(event=event, membership=membership, attended=True)
    InsightFactory.create_batch(5, cohort=world.cohort, event=event, speaker=world.bob_membership)
    with_100 = _count_queries(client, url)

    assert with_10 == with_100


@pytest.mark.parametrize(
    ("persona", "url_name"), [("alice", "cohorts:event-list"), ("facilitator", "cohorts:insight-list")]
)
def test_cohort_lists_take_the_same_queries_with_few_or_many_events(world, login_as, persona, url_name):
    from tests.factories import EventFactory

    EventFactory.create_batch(2, cohort=world.cohort)
    InsightFactory(cohort=world.cohort, speaker=world.alice_membership)
    client = login_as(persona)
    url = reverse(url_name, args=[world.cohort.pk])
    few = _count_queries(client, url)
    EventFactory.create_batch(20, cohort=world.cohort)
    InsightFactory.create_batch(20, cohort=world.cohort, speaker=world.bob_membership)
    assert _count_queries(client, url) == few


def test_insights_list_shows_insights_captured_outside_any_event(world, login_as):
    InsightFactory(cohort=world.cohort, event=None, speaker=world.alice_membership, text="Heard on a site visit.")
    InsightFactory(cohort=world.cohort, speaker=world.bob_membership)
    response = login_as("facilitator").get(reverse("cohorts:insight-list", args=[world.cohort.pk]))
    assert response.status_code == 200
    assert "Heard on a site visit." in response.content.decode()


def test_past_events_come_a_page_at_a_time_and_every_one_is_reachable(world, login_as):
    from cohorts.views.events import PAST_EVENTS_PER_PAGE
    from tests.factories import EventFactory

    now = timezone.now()
    past = [
        EventFactory(
            cohort=world.cohort,
            title=f"Past session {i:02d}",
            starts_at=now - timedelta(days=10 + i),
            ends_at=now - timedelta(days=10 + i) + timedelta(hours=3),
        )
        for i in range(PAST_EVENTS_PER_PAGE + 5)
    ]
    coming = EventFactory(
        cohort=world.cohort,
        title="Coming session",
        starts_at=now + timedelta(days=3),
        ends_at=now + timedelta(days=3, hours=3),
    )
    client = login_as("alice")
    url = reverse("cohorts:event-list", args=[world.cohort.pk])
    first, second = client.get(url).text, client.get(url, {"page": 2}).text
    assert "Coming session" in first and "Coming session" in second  # upcoming stay on every page
    shown = {event.title for event in past if event.title in first} | {e.title for e in past if e.title in second}
    assert shown == {event.title for event in past}
    assert "Past session 00" in first and f"Past session {PAST_EVENTS_PER_PAGE + 4:02d}" in second  # newest first
    assert reverse("cohorts:event-detail", args=[coming.pk]) in first


def test_insights_list_pages_by_question_and_filters_by_question_and_words(world, login_as):
    from cohorts.forms import NOT_TIED
    from cohorts.views.register import INSIGHTS_PER_PAGE
    from tests.factories import QuestionFactory

    first, second = QuestionFactory(cohort=world.cohort), QuestionFactory(cohort=world.cohort)
    InsightFactory.create_batch(INSIGHTS_PER_PAGE, cohort=world.cohort, question=first, text="Budgets in silos.")
    InsightFactory(cohort=world.cohort, question=second, text="Housing waits too long.")
    InsightFactory(cohort=world.cohort, event=None, text="Heard on a site visit.")
    client = login_as("facilitator")
    url = reverse("cohorts:insight-list", args=[world.cohort.pk])

    one = client.get(url)
    assert [question for question, _ in one.context["groups"]] == [first]
    # The second page goes on in the questions' order, those tied to none last: nothing is left out.
    two = client.get(url + "?page=2").content.decode()
    assert "Housing waits too long." in two and "Heard on a site visit." in two
    assert f"{first.short_title}</a>: {INSIGHTS_PER_PAGE}" in one.content.decode()  # counts per question

    by_question = client.get(url + f"?question={second.pk}")
    assert [insight.text for _, insights in by_question.context["groups"] for insight in insights] == [
        "Housing waits too long."
    ]
    by_words = client.get(url + "?q=housing")
    assert [insight.text for _, insights in by_words.context["groups"] for insight in insights] == [
        "Housing waits too long."
    ]
    not_tied = client.get(url + f"?question={NOT_TIED}")
    assert [question for question, _ in not_tied.context["groups"]] == [None]
    assert client.get(url + "?question=nonsense").status_code == 200  # an unknown filter shows everything
