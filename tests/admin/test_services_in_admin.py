"""Each admin add or change applies the same rules and side effects as the service the staff pages call."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from cohorts.models import Application, Attendance, Event, Membership, Side, Survey, SurveyQuestion
from cohorts.rules import (
    DECISION_FINAL,
    QUESTION_DELETE_AFTER_RESPONSES,
    QUESTION_KIND_AFTER_ANSWERS,
    SURVEY_CLOSES_BEFORE_OPEN,
)
from cohorts.services import event_create
from notifications.models import OutboundMessage
from outputs.models import Output
from outputs.rules import SEND_BACK_NEEDS_COMMENT, STATUS_CHANGE_NOT_IN_REVIEW
from pairs.models import PairMember
from tests.admin.helpers import admin_url, change_form_data
from tests.conftest import World
from tests.factories import ApplicationFactory, MembershipFactory, UserFactory

_FORM_TIME = "%Y-%m-%d %H:%M:%S"


def _split_datetime(prefix: str, when) -> dict[str, str]:
    local = timezone.localtime(when)
    return {f"{prefix}_0": f"{local:%Y-%m-%d}", f"{prefix}_1": f"{local:%H:%M:%S}"}


def _future_event(world: World, days: int = 10) -> Event:
    starts_at = timezone.now() + timedelta(days=days)
    return event_create(
        cohort=world.cohort, title="Workshop 5", starts_at=starts_at, ends_at=starts_at + timedelta(hours=6)
    )


# --- Memberships ---------------------------------------------------------------------------------


def test_member_added_in_the_admin_is_invited_to_upcoming_events(manager_client, admin_world: World) -> None:
    upcoming, past = _future_event(admin_world), _future_event(admin_world, days=-10)
    newcomer = UserFactory(full_name="Nina Newcomer")
    response = manager_client.post(
        admin_url(Membership, "add"),
        {
            "cohort": admin_world.cohort.pk,
            "user": newcomer.pk,
            "side": Side.POLICYMAKER,
            "status": Membership.Status.ACTIVE,
            "joined_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    membership = Membership.objects.get(user=newcomer)
    invited = set(Attendance.objects.filter(membership=membership).values_list("event", flat=True))
    assert upcoming.pk in invited
    assert past.pk not in invited


def test_member_made_active_again_in_the_admin_is_invited_to_upcoming_events(
    manager_client, admin_world: World
) -> None:
    upcoming = _future_event(admin_world)
    returning = MembershipFactory(cohort=admin_world.cohort, status=Membership.Status.COMPLETED)
    assert not Attendance.objects.filter(membership=returning).exists()
    url = admin_url(Membership, "change", returning.pk)
    data = change_form_data(manager_client.get(url)) | {"status": Membership.Status.ACTIVE}

    assert manager_client.post(url, data).status_code == 302

    assert Attendance.objects.filter(membership=returning, event=upcoming).exists()


# --- Events --------------------------------------------------------------------------------------


def test_event_created_in_the_admin_invites_the_cohorts_current_members(manager_client, admin_world: World) -> None:
    withdrawn = MembershipFactory(
        cohort=admin_world.cohort, status=Membership.Status.WITHDRAWN, withdrawn_on=timezone.localdate()
    )
    starts_at = timezone.now() + timedelta(days=20)
    response = manager_client.post(
        admin_url(Event, "add"),
        {
            "cohort": admin_world.cohort.pk,
            "kind": Event.Kind.ROUNDTABLE,
            "title": "Roundtable with permanent secretaries",
            **_split_datetime("starts_at", starts_at),
            **_split_datetime("ends_at", starts_at + timedelta(hours=3)),
            "length_days": "0.5",
            "attendances-TOTAL_FORMS": "0",
            "attendances-INITIAL_FORMS": "0",
            "guests-TOTAL_FORMS": "0",
            "guests-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    event = Event.objects.get(title="Roundtable with permanent secretaries")
    invited = set(event.attendances.values_list("membership", flat=True))
    assert set(Membership.objects.for_cohort(admin_world.cohort).current().values_list("pk", flat=True)) == invited
    assert withdrawn.pk not in invited


def test_event_changed_in_the_admin_keeps_its_invitations(manager_client, admin_world: World) -> None:
    event = _future_event(admin_world)
    url = admin_url(Event, "change", event.pk)
    data = change_form_data(manager_client.get(url)) | {"title": "Workshop 1: service users"}

    assert manager_client.post(url, data).status_code == 302

    event.refresh_from_db()
    assert event.title == "Workshop 1: service users"
    assert event.attendances.filter(membership=admin_world.alice_membership).exists()


# --- Surveys and their questions -----------------------------------------------------------------


def test_survey_closing_before_it_opens_is_refused_in_the_admin(manager_client, admin_world: World) -> None:
    survey = Survey.objects.get()
    url = admin_url(Survey, "change", survey.pk)
    data = change_form_data(manager_client.get(url)) | _split_datetime("closes_at", survey.opens_at - timedelta(days=1))

    response = manager_client.post(url, data)

    assert response.status_code == 200
    assert SURVEY_CLOSES_BEFORE_OPEN in response.text


def test_answered_surveys_questions_cannot_be_deleted_in_the_admin(manager_client, admin_world: World) -> None:
    survey = Survey.objects.get()
    question = survey.questions.get()
    url = admin_url(Survey, "change", survey.pk)
    data = change_form_data(manager_client.get(url)) | {"questions-0-DELETE": "on"}

    response = manager_client.post(url, data)

    assert response.status_code == 200
    assert QUESTION_DELETE_AFTER_RESPONSES in response.text
    assert SurveyQuestion.objects.filter(pk=question.pk).exists()
    assert manager_client.get(admin_url(SurveyQuestion, "delete", question.pk)).status_code == 403


def test_answered_question_keeps_its_kind_in_the_admin(manager_client, admin_world: World) -> None:
    survey = Survey.objects.get()
    question = survey.questions.get()
    url = admin_url(Survey, "change", survey.pk)
    data = change_form_data(manager_client.get(url)) | {"questions-0-kind": SurveyQuestion.Kind.TEXT}

    response = manager_client.post(url, data)
    assert response.status_code == 200
    assert QUESTION_KIND_AFTER_ANSWERS in response.text

    page = admin_url(SurveyQuestion, "change", question.pk)
    response = manager_client.post(page, change_form_data(manager_client.get(page)) | {"kind": "text"})
    assert response.status_code == 200
    assert QUESTION_KIND_AFTER_ANSWERS in response.text
    question.refresh_from_db()
    assert question.kind == SurveyQuestion.Kind.SCALE


def test_question_added_in_the_admin_goes_last_through_the_survey_service(manager_client, admin_world: World) -> None:
    survey = Survey.objects.get()
    last = survey.questions.get().order
    url = admin_url(Survey, "change", survey.pk)
    data = change_form_data(manager_client.get(url)) | {
        "questions-TOTAL_FORMS": "2",
        "questions-1-text": "  Would you recommend the programme?  ",
        "questions-1-kind": SurveyQuestion.Kind.YES_NO,
        "questions-1-audience": SurveyQuestion.Audience.ALL,
        "questions-1-survey": str(survey.pk),
    }

    assert manager_client.post(url, data).status_code == 302

    added = survey.questions.order_by("order").last()
    assert added is not None
    assert added.text == "Would you recommend the programme?"  # stripped, as survey_question_add does
    assert added.order == last + 1
    assert reverse("cohorts:survey-detail", args=[survey.pk]) in manager_client.get(url).text


# --- Applications --------------------------------------------------------------------------------


def test_accepting_an_application_in_the_admin_makes_a_member_invited_to_future_events(
    manager_client, admin_world: World
) -> None:
    upcoming = _future_event(admin_world)
    application = ApplicationFactory(cohort=admin_world.cohort, side=Side.PRACTITIONER)

    response = manager_client.post(
        admin_url(Application, "changelist"), {"action": "accept", "_selected_action": [application.pk]}
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.status, application.decided_by) == (Application.Status.ACCEPTED, admin_world.manager)
    membership = Membership.objects.get(cohort=admin_world.cohort, user=application.user)
    assert (membership.status, membership.side) == (Membership.Status.ACCEPTED, Side.PRACTITIONER)
    assert Attendance.objects.filter(membership=membership, event=upcoming).exists()
    # The same service as the selection page: the applicant is told, and invited to sign in.
    assert OutboundMessage.objects.filter(key=f"application:accepted:{application.pk}").exists()
    assert OutboundMessage.objects.filter(key=f"invitation:{membership.pk}:1").exists()


def test_an_accepted_application_is_not_declined_in_the_admin(manager_client, admin_world: World) -> None:
    application = ApplicationFactory(cohort=admin_world.cohort)
    manager_client.post(
        admin_url(Application, "changelist"), {"action": "accept", "_selected_action": [application.pk]}
    )

    response = manager_client.post(
        admin_url(Application, "changelist"), {"action": "decline", "_selected_action": [application.pk]}, follow=True
    )

    assert DECISION_FINAL in response.text
    application.refresh_from_db()
    assert application.status == Application.Status.ACCEPTED
    assert not OutboundMessage.objects.filter(key=f"application:declined:{application.pk}").exists()


def test_applications_cannot_be_added_or_edited_in_the_admin(manager_client, admin_world: World) -> None:
    application = ApplicationFactory(cohort=admin_world.cohort)
    assert manager_client.get(admin_url(Application, "add")).status_code == 403
    response = manager_client.post(admin_url(Application, "change", application.pk), {"status": "accepted"})
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


# --- Pair members --------------------------------------------------------------------------------


def test_pair_member_page_is_read_only_and_links_to_the_pairing_page(manager_client, admin_world: World) -> None:
    member = PairMember.objects.get(membership=admin_world.bob_membership)
    response = manager_client.get(admin_url(PairMember, "change", member.pk))
    assert response.status_code == 200
    assert reverse("pairs:cohort-overview", args=[admin_world.cohort.pk]) in response.text
    assert manager_client.post(admin_url(PairMember, "change", member.pk), {"left_on": "2015-01-01"}).status_code == 403


# --- Outputs -------------------------------------------------------------------------------------


def test_output_added_in_the_admin_starts_as_the_pairs_page_would(manager_client, admin_world: World) -> None:
    response = manager_client.post(
        admin_url(Output, "add"),
        {
            "pair": admin_world.pair.pk,
            "kind": Output.Kind.TOP_TIPS,
            "title": "Top tips for commissioners",
            "summary": "Five things we learned.",
            "visibility": Output.Visibility.PAIR,
        },
    )
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    assert Output.objects.get(title="Top tips for commissioners").status == Output.Status.DRAFTING


def test_publishing_a_draft_in_the_admin_needs_review_first(manager_client, admin_world: World) -> None:
    output = Output.objects.get()
    assert output.status == Output.Status.DRAFTING
    url = admin_url(Output, "change", output.pk)
    data = change_form_data(manager_client.get(url)) | {"status": Output.Status.PUBLISHED}

    response = manager_client.post(url, data)

    assert response.status_code == 200
    assert STATUS_CHANGE_NOT_IN_REVIEW.format(old="drafting", new="published") in response.text
    output.refresh_from_db()
    assert (output.status, output.published_at) == (Output.Status.DRAFTING, None)


def test_submitting_in_the_admin_runs_the_review_service(manager_client, admin_world: World) -> None:
    output = Output.objects.get()
    url = admin_url(Output, "change", output.pk)
    data = change_form_data(manager_client.get(url)) | {"status": Output.Status.IN_REVIEW}

    assert manager_client.post(url, data).status_code == 302

    output.refresh_from_db()
    assert output.status == Output.Status.IN_REVIEW


def test_sending_back_in_the_admin_needs_a_comment(manager_client, admin_world: World) -> None:
    output = Output.objects.get()
    Output.objects.filter(pk=output.pk).update(status=Output.Status.IN_REVIEW)
    url = admin_url(Output, "change", output.pk)
    data = change_form_data(manager_client.get(url)) | {"status": Output.Status.DRAFTING, "review_comment": ""}

    response = manager_client.post(url, data)
    assert response.status_code == 200
    assert SEND_BACK_NEEDS_COMMENT in response.text

    data["review_comment"] = "Add the commissioners' view."
    assert manager_client.post(url, data).status_code == 302
    output.refresh_from_db()
    assert (output.status, output.review_comment) == (Output.Status.DRAFTING, "Add the commissioners' view.")


def test_featuring_an_unpublished_output_is_refused_in_the_admin(manager_client, admin_world: World) -> None:
    output = Output.objects.get()
    url = admin_url(Output, "change", output.pk)
    data = change_form_data(manager_client.get(url)) | {"featured": "on"}

    response = manager_client.post(url, data)

    assert response.status_code == 200
    output.refresh_from_db()
    assert not output.featured
