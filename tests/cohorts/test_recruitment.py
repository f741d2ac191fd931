"""Recruitment end to end below the browser: the call, selection, decisions, letters and invitations."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Application, ApplicationAttempt, Attendance, Cohort, DecisionLetter, Membership, Side
from cohorts.recruitment import (
    application_accept,
    application_attempt_record,
    application_decline,
    application_shortlist,
    application_submit,
    application_tally,
    application_waitlist,
)
from cohorts.rules import (
    APPLICATION_RATE_LIMIT,
    DECISION_FINAL,
    DUPLICATE_APPLICATION,
    TOO_MANY_APPLICATIONS,
    applications_open,
)
from cohorts.services import invitation_send, membership_create
from notifications.models import OutboundMessage
from pairs.services import membership_withdraw
from programme.models import Organisation, SectorCode, User
from programme.tokens import INVITATION_VALID_FOR, invitation_token_generator
from tests.factories import (
    ApplicationFactory,
    CohortFactory,
    DecisionLetterFactory,
    EventFactory,
    OrganisationFactory,
    PolicyAreaFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def recruiting(world) -> Cohort:
    today = timezone.localdate()
    cohort = CohortFactory(
        programme=world.cohort.programme,
        name="2015-16",
        number=3,
        status=Cohort.Status.RECRUITING,
        starts_on=today + timedelta(days=60),
        ends_on=today + timedelta(days=400),
        applications_open_on=today - timedelta(days=10),
        applications_close_on=today + timedelta(days=20),
        application_questions="Which disconnect have you seen in your work?",
    )
    cohort.facilitators.add(world.facilitator)
    return cohort


def _submit(cohort: Cohort, **overrides: Any) -> Application:
    fields: dict[str, Any] = {
        "full_name": "Priya Patel",
        "email": "Priya.Patel@Example.org",
        "sector": SectorCode.VOLUNTARY,
        "side": Side.PRACTITIONER,
        "motivation": "To see how policy is made.",
        "organisation_name": "Hackney Foodbank",
        "job_title": "Coordinator",
    }
    fields.update(overrides)
    return application_submit(cohort=cohort, **fields)


def _form(**overrides) -> dict:
    data = {
        "full_name": "Priya Patel",
        "email": "priya@example.org",
        "organisation": "",
        "organisation_name": "Hackney Foodbank",
        "sector": SectorCode.VOLUNTARY,
        "side": Side.PRACTITIONER,
        "job_title": "Coordinator",
        "motivation": "To see how policy is made.",
        "extra_0": "Funding cycles that end before the work does.",
        "website": "",
    }
    data.update(overrides)
    return data


# --- The call for applications ------------------------------------------------------------------


def test_an_application_keeps_the_applicants_details_and_emails_a_confirmation_once(
    recruiting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = _submit(recruiting)
    assert application.email == "priya.patel@example.org"
    assert application.user is None
    assert application.organisation is None and application.organisation_name == "Hackney Foodbank"
    message = OutboundMessage.objects.get(key=f"application:received:{application.pk}")
    assert message.to == "priya.patel@example.org"
    assert "What happens next" in message.body
    assert len(mail.outbox) == 1


def test_a_second_application_by_the_same_email_in_another_case_is_refused(recruiting):
    _submit(recruiting)
    with pytest.raises(ValidationError) as error:
        _submit(recruiting, email="PRIYA.patel@example.ORG")
    assert DUPLICATE_APPLICATION in error.value.messages
    assert Application.objects.count() == 1


def test_applications_outside_the_window_are_refused(recruiting):
    recruiting.applications_close_on = timezone.localdate() - timedelta(days=1)
    recruiting.save()
    assert not applications_open(recruiting, today=timezone.localdate())
    with pytest.raises(ValidationError, match="not open"):
        _submit(recruiting)
    assert not Application.objects.exists()


def test_the_public_form_records_an_application_and_shows_what_happens_next(client, recruiting):
    response = client.post(reverse("cohorts:apply", args=[recruiting.pk]), _form(), follow=True)
    assert response.status_code == 200
    assert b"What happens next" in response.content
    application = Application.objects.get()
    assert application.answers == [
        {
            "question": "Which disconnect have you seen in your work?",
            "answer": "Funding cycles that end before the work does.",
        }
    ]
    assert b"priya@example.org" in response.content


def test_a_duplicate_on_the_public_form_is_told_and_keeps_what_was_typed(client, recruiting):
    client.post(reverse("cohorts:apply", args=[recruiting.pk]), _form())
    response = client.post(reverse("cohorts:apply", args=[recruiting.pk]), _form(motivation="Kept text"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "We already have an application from this email address" in content
    assert "Kept text" in content
    assert Application.objects.count() == 1


def test_the_form_asks_for_an_organisation_from_the_list_or_typed(client, recruiting):
    response = client.post(reverse("cohorts:apply", args=[recruiting.pk]), _form(organisation_name=""))
    assert "Choose your organisation from the list" in response.content.decode()
    response = client.post(reverse("cohorts:apply", args=[recruiting.pk]), _form(sector=""))
    assert "Choose the sector of the organisation you typed." in response.content.decode()
    listed = OrganisationFactory(name="Shelter")
    client.post(
        reverse("cohorts:apply", args=[recruiting.pk]), _form(organisation=listed.pk, organisation_name="", sector="")
    )
    assert Application.objects.get().organisation == listed


def test_a_closed_call_shows_no_form_and_takes_no_application(client, recruiting):
    recruiting.applications_open_on = timezone.localdate() + timedelta(days=1)
    recruiting.save()
    assert b"Send my application" not in client.get(reverse("cohorts:apply", args=[recruiting.pk])).content
    response = client.post(reverse("cohorts:apply", args=[recruiting.pk]), _form(motivation="Typed before it closed"))
    assert "not open" in response.content.decode()
    assert "Typed before it closed" in response.content.decode()
    assert not Application.objects.exists()


def test_a_filled_honeypot_records_nothing_and_sends_nothing(client, recruiting):
    response = client.post(reverse("cohorts:apply", args=[recruiting.pk]), _form(website="http://spam.example"))
    assert response.status_code == 302
    assert not Application.objects.exists()
    assert not OutboundMessage.objects.exists()


def test_the_rate_limit_refuses_an_address_after_the_limit_and_keeps_the_input(client, recruiting):
    for n in range(APPLICATION_RATE_LIMIT):
        client.post(reverse("cohorts:apply", args=[recruiting.pk]), _form(email=f"person{n}@example.org"))
    response = client.post(reverse("cohorts:apply", args=[recruiting.pk]), _form(email="late@example.org"))
    assert TOO_MANY_APPLICATIONS in response.content.decode()
    assert "late@example.org" in response.content.decode()
    assert Application.objects.count() == APPLICATION_RATE_LIMIT


def test_the_rate_limit_is_counted_in_the_database_per_address_and_window(db):
    now = timezone.now()
    for _ in range(APPLICATION_RATE_LIMIT):
        application_attempt_record(address="203.0.113.9", now=now)
    with pytest.raises(ValidationError):
        application_attempt_record(address="203.0.113.9", now=now)
    application_attempt_record(address="198.51.100.1", now=now)
    application_attempt_record(address="203.0.113.9", now=now + timedelta(hours=2))
    assert ApplicationAttempt.objects.count() == APPLICATION_RATE_LIMIT + 2


def test_the_public_page_shows_the_programme_and_the_open_call(client, recruiting):
    recruiting.programme.description = "Policymakers and practitioners learning together."
    recruiting.programme.save()
    recruiting.programme.partners.add(OrganisationFactory(name="Big Lottery Fund"))
    content = client.get(reverse("home")).content.decode()
    assert "Policymakers and practitioners learning together." in content
    assert "Big Lottery Fund" in content
    assert "Now recruiting: 2015-16" in content
    assert reverse("cohorts:apply", args=[recruiting.pk]) in content
    assert reverse("library:index") in content


def test_signed_in_people_still_go_to_their_own_home_page(login_as):
    assert login_as("alice").get(reverse("home"))["Location"] == reverse("dashboard:home")


# --- Selection and decisions --------------------------------------------------------------------


def test_accepting_creates_the_person_membership_invitations_and_letters(world, recruiting):
    future = EventFactory(
        cohort=recruiting,
        starts_at=timezone.now() + timedelta(days=70),
        ends_at=timezone.now() + timedelta(days=70, hours=3),
    )
    area = PolicyAreaFactory(name="Food poverty")
    application = _submit(recruiting, interests=[area])
    application, membership = application_accept(application=application, by=world.facilitator)

    user = User.objects.get(email="priya.patel@example.org")
    assert not user.has_usable_password()
    assert user.organisation == Organisation.objects.get(name="Hackney Foodbank")
    assert list(user.interests.all()) == [area]
    assert application.user == user and application.status == Application.Status.ACCEPTED
    assert membership.status == Membership.Status.ACCEPTED and membership.side == Side.PRACTITIONER
    assert Attendance.objects.filter(membership=membership, event=future).exists()
    keys = set(OutboundMessage.objects.values_list("key", flat=True))
    assert {f"application:accepted:{application.pk}", f"invitation:{membership.pk}:1"} <= keys
    invitation = OutboundMessage.objects.get(key=f"invitation:{membership.pk}:1")
    assert recruiting.programme.name in invitation.body and "2015-16" in invitation.body
    # Accepting twice changes nothing and sends nothing more.
    before = OutboundMessage.objects.count()
    application_accept(application=application, by=world.facilitator)
    assert OutboundMessage.objects.count() == before
    assert Membership.objects.filter(cohort=recruiting).count() == 1


def test_accepting_an_alumnus_uses_their_account_and_sends_no_invitation(world, recruiting):
    application = _submit(recruiting, email="ALICE@example.org")
    _, membership = application_accept(application=application, by=world.manager)
    assert membership.user == world.alice
    assert not OutboundMessage.objects.filter(key__startswith="invitation:").exists()


def test_waitlist_and_decline_use_the_managers_letter(world, recruiting):
    DecisionLetterFactory(
        programme=recruiting.programme,
        kind=DecisionLetter.Kind.DECLINED,
        subject="Your {cohort} application",
        body="Dear {name}, sorry. {unknown}",
    )
    declined = _submit(recruiting)
    application_decline(application=declined, by=world.facilitator)
    letter = OutboundMessage.objects.get(key=f"application:declined:{declined.pk}")
    assert letter.subject == "Your 2015-16 application"
    assert letter.body == "Dear Priya Patel, sorry. {unknown}"
    waiting = _submit(recruiting, email="w@example.org")
    application_waitlist(application=waiting, by=world.facilitator)
    assert "waiting list" in OutboundMessage.objects.get(key=f"application:waitlisted:{waiting.pk}").body


def test_shortlisting_sends_nothing(world, recruiting):
    application = _submit(recruiting)
    before = OutboundMessage.objects.count()
    application_shortlist(application=application, by=world.facilitator)
    assert OutboundMessage.objects.count() == before


def test_an_accepted_application_cannot_then_be_declined(world, recruiting):
    application, _ = application_accept(application=_submit(recruiting), by=world.manager)
    with pytest.raises(ValidationError, match=re.escape(DECISION_FINAL)):
        application_decline(application=application, by=world.manager)


def test_the_tally_counts_the_pool_by_side_and_targeted_departments(world, recruiting):
    recruiting.side_targets = {Side.POLICYMAKER: 15, Side.PRACTITIONER: 15}
    recruiting.save()
    dwp = OrganisationFactory(name="Department for Work and Pensions", sector=SectorCode.CENTRAL_GOVERNMENT)
    home_office = OrganisationFactory(name="Home Office", sector=SectorCode.CENTRAL_GOVERNMENT)
    treasury = OrganisationFactory(name="HM Treasury", sector=SectorCode.CENTRAL_GOVERNMENT)
    recruiting.targeted_departments.add(dwp, home_office)
    ApplicationFactory(cohort=recruiting, organisation=dwp, side=Side.POLICYMAKER)
    ApplicationFactory(
        cohort=recruiting, organisation=treasury, side=Side.POLICYMAKER, status=Application.Status.ACCEPTED
    )
    ApplicationFactory(
        cohort=recruiting, organisation=home_office, side=Side.POLICYMAKER, status=Application.Status.DECLINED
    )
    ApplicationFactory(cohort=recruiting, side=Side.PRACTITIONER)

    tally = application_tally(recruiting)
    sides = {row.side: (row.in_pool, row.accepted, row.target) for row in tally.sides}
    assert sides == {Side.POLICYMAKER: (2, 1, 15), Side.PRACTITIONER: (1, 0, 15)}
    departments = {row.name: (row.targeted, row.in_pool, row.accepted) for row in tally.departments}
    assert departments == {
        "Department for Work and Pensions": (True, 1, 0),
        "Home Office": (True, 0, 0),
        "HM Treasury": (False, 1, 1),
    }
    assert (tally.targeted_represented, tally.targeted_total) == (1, 2)


def test_the_selection_page_filters_and_decides(world, recruiting, login_as):
    keep = ApplicationFactory(cohort=recruiting, side=Side.POLICYMAKER, full_name="Paula Policy")
    ApplicationFactory(cohort=recruiting, side=Side.PRACTITIONER, full_name="Pete Practice")
    client = login_as("facilitator")
    content = client.get(
        reverse("cohorts:application-list", args=[recruiting.pk]), {"side": "policymaker"}
    ).content.decode()
    assert "Paula Policy" in content and "Pete Practice" not in content

    url = reverse("cohorts:application-detail", args=[keep.pk])
    client.post(url, {"notes": "Strong on welfare reform."})
    client.post(url, {"decision": "shortlisted"})
    keep.refresh_from_db()
    assert keep.reviewer_notes == "Strong on welfare reform."
    assert keep.status == Application.Status.SHORTLISTED
    response = client.post(url, {"decision": "accepted"}, follow=True)
    assert "is accepted" in response.content.decode()
    assert Membership.objects.filter(cohort=recruiting, user__email=keep.email).exists()


def test_reviewer_notes_are_not_shown_to_the_applicant(client, recruiting):
    client.post(reverse("cohorts:apply", args=[recruiting.pk]), _form())
    application = Application.objects.get()
    application.reviewer_notes = "Private: weak on motivation"
    application.save()
    content = client.get(reverse("cohorts:apply-received", args=[recruiting.pk])).content.decode()
    assert "Priya Patel" in content
    assert "Private" not in content


def test_the_confirmation_page_shows_nobody_elses_application(client, recruiting):
    ApplicationFactory(cohort=recruiting, full_name="Someone Else")
    content = client.get(reverse("cohorts:apply-received", args=[recruiting.pk])).content.decode()
    assert "Someone Else" not in content


@pytest.mark.parametrize("rows", [3, 30])
def test_the_selection_page_costs_the_same_for_3_or_30_applications(
    world, recruiting, login_as, django_assert_num_queries, rows
):
    department = OrganisationFactory(name="Cabinet Office", sector=SectorCode.CENTRAL_GOVERNMENT)
    recruiting.targeted_departments.add(department)
    for n in range(rows):
        ApplicationFactory(cohort=recruiting, organisation=department if n % 2 else OrganisationFactory())
    client = login_as("facilitator")
    url = reverse("cohorts:application-list", args=[recruiting.pk])
    # session, user, cohort, applications and their count (for the pages), tally by side, tally by department,
    # the navigation's one (roles with the unread notifications), and the department filter's choices
    with django_assert_num_queries(9):
        response = client.get(url)
    assert response.content.decode().count("/cohorts/applications/") == rows


# --- Invitations ---------------------------------------------------------------------------------


def test_a_member_added_without_a_password_is_invited_once(world):
    user = UserFactory(password=None)
    user.set_unusable_password()
    user.save()
    membership = membership_create(cohort=world.cohort, user=user, side=Side.POLICYMAKER)
    assert OutboundMessage.objects.filter(key=f"invitation:{membership.pk}:1").exists()
    assert not invitation_send(membership=membership)
    assert invitation_send(membership=membership, resend=True)
    assert OutboundMessage.objects.filter(key__startswith=f"invitation:{membership.pk}:").count() == 2


def test_a_member_with_a_password_gets_no_invitation(world):
    membership_create(cohort=world.cohort, user=UserFactory(), side=Side.POLICYMAKER)
    assert not OutboundMessage.objects.filter(key__startswith="invitation:").exists()


def _invitation_link(membership: Membership) -> str:
    body = OutboundMessage.objects.get(key=f"invitation:{membership.pk}:1").body
    return re.search(r"https?://\S+/account/welcome/\S+/", body).group(0)  # type: ignore[union-attr]


def test_the_invitation_link_sets_a_password_once(client, world, recruiting):
    _, membership = application_accept(application=_submit(recruiting), by=world.manager)
    link = _invitation_link(membership).split("127.0.0.1:8000", 1)[-1]
    page = client.get(link, follow=True)
    assert b"Welcome to Pairwise" in page.content
    form_url = page.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": "a-long-new-password", "new_password2": "a-long-new-password"})
    assert response["Location"] == reverse("login")
    membership.user.refresh_from_db()
    assert membership.user.check_password("a-long-new-password")
    again = client.get(link, follow=True)
    assert b"This invitation link no longer works" in again.content


def test_the_invitation_link_expires_after_14_days(world):
    user = UserFactory()
    token = invitation_token_generator.make_token(user)
    later = invitation_token_generator._now() + INVITATION_VALID_FOR + timedelta(minutes=1)
    assert invitation_token_generator.check_token(user, token)
    generator = type(invitation_token_generator)()
    generator._now = lambda: later  # type: ignore[method-assign]
    assert not generator.check_token(user, token)
    generator._now = lambda: later - timedelta(minutes=2)  # type: ignore[method-assign]
    assert generator.check_token(user, token)


def test_forgotten_password_reaches_an_invited_account_with_no_password(client, world):
    user = UserFactory(email="invited@example.org")
    user.set_unusable_password()
    user.save()
    client.post(reverse("password_reset"), {"email": "Invited@example.org"})
    assert [m.to for m in mail.outbox] == [["invited@example.org"]]


def test_the_sign_in_page_helps_someone_whose_invitation_expired(client):
    content = client.get(reverse("login")).content.decode()
    assert "invitation has expired" in content
    assert reverse("password_reset") in content


# --- Withdrawal and re-admission --------------------------------------------------------------


def test_withdrawing_cancels_replies_to_future_events_only(world):
    now = timezone.now()
    past = EventFactory(
        cohort=world.cohort, starts_at=now - timedelta(days=3), ends_at=now - timedelta(days=3) + timedelta(hours=2)
    )
    future = EventFactory(
        cohort=world.cohort, starts_at=now + timedelta(days=3), ends_at=now + timedelta(days=3, hours=2)
    )
    Attendance.objects.create(event=past, membership=world.carol_membership, status=Attendance.Status.ATTENDED)
    Attendance.objects.create(event=future, membership=world.carol_membership, status=Attendance.Status.ACCEPTED)
    membership_withdraw(membership=world.carol_membership, on=timezone.localdate(), reason="New job")
    assert not future.attendances.filter(membership=world.carol_membership).exists()
    assert past.attendances.get(membership=world.carol_membership).status == Attendance.Status.ATTENDED


def test_a_person_already_in_the_cohort_cannot_be_added_twice(world):
    with pytest.raises(ValidationError, match="already a member"):
        membership_create(cohort=world.cohort, user=world.alice, side=Side.POLICYMAKER)


# --- People in more than one cohort -----------------------------------------------------------------


def test_an_alumnus_in_a_new_running_cohort_sees_it_first_and_can_switch_back(world, login_as):
    world.other_cohort.status = Cohort.Status.CONCLUDED
    world.other_cohort.save()
    world.cohort.status = Cohort.Status.RUNNING
    world.cohort.save()
    membership_create(
        cohort=world.other_cohort, user=world.alice, side=Side.POLICYMAKER, status=Membership.Status.COMPLETED
    )
    client = login_as("alice")
    content = client.get(reverse("dashboard:home")).content.decode()
    assert world.cohort.name in content.split("</h1>")[0]
    assert "Switch cohort" in content
    client.post(reverse("cohorts:switch"), {"cohort": world.other_cohort.pk})
    content = client.get(reverse("dashboard:home")).content.decode()
    assert world.other_cohort.name in content.split("</h1>")[0]


def test_nobody_can_switch_to_a_cohort_they_are_not_in(world, login_as):
    response = login_as("alice").post(reverse("cohorts:switch"), {"cohort": world.other_cohort.pk})
    assert response.status_code == 404


def test_a_member_readmitted_after_withdrawing_sees_the_new_membership(world, login_as):
    membership_withdraw(membership=world.carol_membership, on=timezone.localdate(), reason="Moved job")
    membership_create(cohort=world.cohort, user=world.carol, side=Side.PRACTITIONER)
    content = login_as("carol").get(reverse("dashboard:home")).content.decode()
    assert "You withdrew" not in content
    assert "Active" in content


def test_staff_reach_selection_from_the_cohort_overview_and_the_admin(world, recruiting, login_as):
    url = reverse("cohorts:application-list", args=[recruiting.pk])
    assert url in login_as("facilitator").get(reverse("pairs:cohort-overview", args=[recruiting.pk])).content.decode()
    assert url in login_as("manager").get(reverse("admin:cohorts_cohort_changelist")).content.decode()
