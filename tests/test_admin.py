"""The admin programme managers work in: every page opens, only staff get in, lists don't N+1,
and the writes that carry pairing rules go through the services."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest
import tablib
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import authenticate
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models import Model
from django.http import HttpRequest
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import HistoricalChanges

from cohorts.models import Attendance, Cohort, Membership, Side
from notifications.models import OutboundMessage
from notifications.services import message_enqueue
from outputs.models import Output
from pairs.models import Activity, LearningPair, PairMember, Step, StepProgress
from programme.admin import EMAIL_TAKEN, OrganisationResource
from programme.models import Organisation, Sector, User
from tests.conftest import World
from tests.factories import (
    PASSWORD,
    ActivityFactory,
    ApplicationFactory,
    AttendanceFactory,
    CohortFactory,
    DisconnectFactory,
    EventFactory,
    ExternalGuestFactory,
    FindingFactory,
    InsightFactory,
    MembershipFactory,
    OrganisationFactory,
    OutputFactory,
    PolicyAreaFactory,
    ProgrammeFactory,
    PublishedOutputFactory,
    QuestionFactory,
    StepDeadlineFactory,
    SurveyAnswerFactory,
    SurveyFactory,
    SurveyQuestionFactory,
    SurveyResponseFactory,
    UserFactory,
    YearEndReportFactory,
    make_pair,
)

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)
HISTORY_ADMINS = [model for model in REGISTERED if isinstance(admin.site._registry[model], SimpleHistoryAdmin)]
EXPORT_ADMINS = [model for model in REGISTERED if hasattr(admin.site._registry[model], "export_action")]
DOMAIN_APPS = {"programme", "notifications", "cohorts", "pairs", "outputs"}


def _label(model: type[Model]) -> str:
    return model._meta.label


def admin_url(model: type[Model], view: str, *args: object) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def admin_world(world: World) -> World:
    """The personas plus at least one row of every registered model."""
    cohort = world.cohort
    world.alice.interests.add(PolicyAreaFactory(name="Homelessness"))
    cohort.programme.partners.add(OrganisationFactory(name="Institute for Government"))
    question = QuestionFactory(cohort=cohort, short_title="Engaging service users")
    question.disconnects.add(DisconnectFactory(programme=cohort.programme))
    FindingFactory(question=question, title="Match your engagement methods to your aims")
    ApplicationFactory(cohort=cohort)
    event = EventFactory(cohort=cohort, question=question, title="Workshop 1")
    AttendanceFactory(event=event, membership=world.alice_membership, status=Attendance.Status.ATTENDED)
    ExternalGuestFactory(event=event)
    InsightFactory(cohort=cohort, event=event, question=question, speaker=world.bob_membership)
    survey = SurveyFactory(cohort=cohort)
    survey_question = SurveyQuestionFactory(survey=survey)
    response = SurveyResponseFactory(survey=survey, membership=world.alice_membership)
    SurveyAnswerFactory(response=response, question=survey_question)
    StepDeadlineFactory(cohort=cohort, step=Step.IDENTIFY)
    ActivityFactory(
        pair=world.pair,
        hours=Decimal("3"),
        attendees=[world.alice_membership, world.bob_membership],
        logged_by=world.alice,
    )
    OutputFactory(pair=world.pair, question=question, title="Whole-person services: a case study")
    YearEndReportFactory(cohort=cohort)
    message_enqueue(key="test:bob", to=world.bob, kind="event_reply", subject="Please reply", body="Dear Bob")
    User.objects.filter(pk=world.dave.pk).update(
        email_refused_at=timezone.now(), email_refused_reason="550 no such user"
    )
    DBTaskResult.objects.create(
        task_path="notifications.tasks.message_send_task",
        args_kwargs={"args": [], "kwargs": {"message_id": OutboundMessage.objects.get().pk}},
        backend_name="default",
    )
    Group.objects.create(name="Facilitators")
    attempt = {
        "user_agent": "test",
        "ip_address": "127.0.0.1",
        "username": "x@example.org",
        "http_accept": "*/*",
        "path_info": "/accounts/login/",
    }
    AccessAttempt.objects.create(**attempt, get_data="", post_data="", failures_since_start=1)
    AccessLog.objects.create(**attempt)
    AccessFailureLog.objects.create(**attempt)
    return world


@pytest.fixture
def manager_client(client, admin_world: World):
    client.force_login(admin_world.manager)
    return client


# --- Every page opens for the manager -----------------------------------------------------------


def test_every_domain_model_is_in_the_admin() -> None:
    domain_models = [
        model
        for app in DOMAIN_APPS
        for model in apps.get_app_config(app).get_models()
        if not issubclass(model, HistoricalChanges)  # django-simple-history's own tables
    ]
    assert [_label(model) for model in domain_models if model not in admin.site._registry] == []


def test_admin_site_is_named_for_pairwise(manager_client) -> None:
    response = manager_client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert "Pairwise administration" in response.text


@pytest.mark.parametrize("model", REGISTERED, ids=_label)
def test_manager_opens_every_changelist(manager_client, model: type[Model]) -> None:
    assert manager_client.get(admin_url(model, "changelist")).status_code == 200


@pytest.mark.parametrize("model", REGISTERED, ids=_label)
def test_manager_searches_every_changelist(manager_client, model: type[Model]) -> None:
    # A broken entry in search_fields only fails once someone searches.
    if not admin.site._registry[model].get_search_fields(HttpRequest()):
        pytest.skip("no search on this list")
    for term in ("Alice", "1"):
        assert manager_client.get(admin_url(model, "changelist"), {"q": term}).status_code == 200


@pytest.mark.parametrize("model", REGISTERED, ids=_label)
def test_manager_opens_every_add_form(manager_client, admin_world: World, model: type[Model]) -> None:
    request = RequestFactory().get("/")
    request.user = admin_world.manager
    expected = 200 if admin.site._registry[model].has_add_permission(request) else 403
    assert manager_client.get(admin_url(model, "add")).status_code == expected


@pytest.mark.parametrize("model", REGISTERED, ids=_label)
def test_manager_opens_every_change_form(manager_client, model: type[Model]) -> None:
    obj = model._default_manager.first()
    assert obj is not None, f"add a {_label(model)} to the admin_world fixture"
    assert manager_client.get(admin_url(model, "change", obj.pk)).status_code == 200


@pytest.mark.parametrize("model", HISTORY_ADMINS, ids=_label)
def test_manager_opens_change_history(manager_client, model: type[Model]) -> None:
    obj = model._default_manager.first()
    assert obj is not None
    response = manager_client.get(admin_url(model, "history", obj.pk))
    assert response.status_code == 200


def test_pair_history_lists_its_changes(manager_client, admin_world: World) -> None:
    pair = admin_world.pair
    response = manager_client.get(admin_url(LearningPair, "history", pair.pk))
    assert response.status_code == 200
    assert pair.history.count() >= 2  # created forming, then made active when both sides joined
    assert "Status: Forming → Active" in response.text
    assert "Change reason" not in response.text and "None" not in response.text


def test_the_admin_index_groups_models_by_task_with_counts_and_staff_pages(manager_client, admin_world: World) -> None:
    response = manager_client.get(reverse("admin:index"))
    groups = {group["name"]: group for group in response.context["app_list"]}
    assert list(groups) == [
        "People and organisations",
        "Programmes and cohorts",
        "Pairs",
        "Events",
        "Outputs",
        "Surveys and reports",
        "System",
    ]
    system = {model["model"] for model in groups["System"]["models"]}
    assert {AccessAttempt, AccessLog, AccessFailureLog, Group} <= system
    pairs = {model["model"]: model for model in groups["Pairs"]["models"]}
    assert pairs[LearningPair]["count"] == LearningPair.objects.count() > 0
    assert (("Cohort overviews: pairs, steps and risk", reverse("pairs:facilitator-home"))) in groups["Pairs"]["links"]
    assert f'href="{reverse("cohorts:events")}"' in response.text


def test_a_model_nobody_placed_lands_in_system() -> None:
    from programme.admin_site import SYSTEM, admin_group

    assert admin_group("outbox.message") == SYSTEM
    assert admin_group("pairs.learningpair") == "Pairs"


def test_the_change_reason_typed_in_the_admin_form_is_kept_in_history(manager_client, admin_world: World) -> None:
    output = OutputFactory(pair=admin_world.pair, title="Draft")
    url = admin_url(Output, "change", output.pk)
    form = manager_client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields if name not in ("file",)}
    data.update(title="Renamed", change_reason="Typo in the title")
    response = manager_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert output.history.latest().history_change_reason == "Typo in the title"
    history = manager_client.get(admin_url(Output, "history", output.pk)).text
    assert "Reason: Typo in the title" in history
    assert "Title: Draft → Renamed" in history


# --- Only programme managers get in -------------------------------------------------------------


@pytest.mark.parametrize("persona", ["anonymous", "facilitator", "alice", "dave"])
@pytest.mark.parametrize("url_name", ["admin:index", "admin:pairs_learningpair_changelist"])
def test_only_staff_open_the_admin(login_as, persona: str, url_name: str) -> None:
    url = reverse(url_name)
    response = login_as(persona).get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


# --- Derived figures ----------------------------------------------------------------------------


def test_membership_list_shows_commitment_days(manager_client, admin_world: World) -> None:
    # Alice attended a one-day workshop and went on a 3-hour visit: 1 + 3 / 7.5 = 1.4 days of 5.
    response = manager_client.get(admin_url(Membership, "changelist"))
    assert response.status_code == 200
    row = next(line for line in response.text.split("<tr") if "Alice Adkins" in line)
    assert "1.4 of 5.0" in row
    assert "3.0" in row  # activity hours


def test_membership_change_form_shows_commitment_days(manager_client, admin_world: World) -> None:
    response = manager_client.get(admin_url(Membership, "change", admin_world.alice_membership.pk))
    assert "1.4 of 5.0" in response.text


def test_membership_list_filters_members_below_the_minimum(manager_client, admin_world: World) -> None:
    event = EventFactory(cohort=admin_world.cohort, length_days=Decimal("5"))
    AttendanceFactory(event=event, membership=admin_world.carol_membership, status=Attendance.Status.ATTENDED)
    url = admin_url(Membership, "changelist")

    below = manager_client.get(url, {"commitment": "below"}).context["cl"].result_list
    met = manager_client.get(url, {"commitment": "met"}).context["cl"].result_list

    assert admin_world.alice_membership in below
    assert admin_world.carol_membership not in below
    assert list(met) == [admin_world.carol_membership]


def test_pair_list_shows_members_and_current_step(manager_client, admin_world: World) -> None:
    StepProgress.objects.filter(pair=admin_world.pair, step=Step.IDENTIFY).update(status="done", summary="Found it")
    response = manager_client.get(admin_url(LearningPair, "changelist"))
    row = next(line for line in response.text.split("<tr") if "Alice Adkins" in line)
    assert "Alice Adkins &amp; Bob Bradley" in row
    assert "2 Understand: not started" in row


# --- Lists cost the same whatever their length --------------------------------------------------


def _more_rows(world: World) -> dict[str, Callable[[], object]]:
    """One more row of each domain model, shaped so that a lazy lookup per row would show."""
    cohort = world.cohort
    question = QuestionFactory(cohort=cohort)
    event = EventFactory(cohort=cohort)
    survey = SurveyFactory(cohort=cohort)

    def pair() -> LearningPair:
        return make_pair(cohort)

    def message() -> OutboundMessage:
        user = UserFactory()
        return message_enqueue(key=f"test:{user.pk}", to=user, kind="test", subject="Hello", body="Hello")[0]

    def activity() -> object:
        new_pair = make_pair(cohort)
        attendees = [member.membership for member in new_pair.members.all()]
        return ActivityFactory(pair=new_pair, attendees=attendees, logged_by=world.bob)

    return {
        "programme.Organisation": lambda: UserFactory().organisation,
        "programme.PolicyArea": PolicyAreaFactory,
        "programme.User": UserFactory,
        "programme.Programme": lambda: ProgrammeFactory().partners.add(OrganisationFactory()),
        "programme.Disconnect": lambda: DisconnectFactory(programme=ProgrammeFactory()),
        "cohorts.Cohort": CohortFactory,
        "cohorts.Question": lambda: QuestionFactory(cohort=CohortFactory()),
        "cohorts.Finding": lambda: FindingFactory(question=question),
        "cohorts.Membership": lambda: MembershipFactory(cohort=cohort),
        "cohorts.Application": lambda: ApplicationFactory(cohort=cohort, decided_by=world.manager),
        "cohorts.Event": lambda: EventFactory(cohort=CohortFactory()),
        "cohorts.Attendance": lambda: AttendanceFactory(event=event, membership=MembershipFactory(cohort=cohort)),
        "cohorts.ExternalGuest": lambda: ExternalGuestFactory(event=event),
        "cohorts.Insight": lambda: InsightFactory(
            cohort=cohort, event=event, question=question, speaker=MembershipFactory(cohort=cohort)
        ),
        "cohorts.Survey": lambda: SurveyFactory(cohort=CohortFactory()),
        "cohorts.SurveyQuestion": lambda: SurveyQuestionFactory(survey=survey),
        "cohorts.SurveyResponse": lambda: SurveyResponseFactory(survey=survey),
        "cohorts.SurveyAnswer": lambda: SurveyAnswerFactory(response=SurveyResponseFactory(survey=survey)),
        "pairs.StepDeadline": lambda: StepDeadlineFactory(cohort=CohortFactory()),
        "pairs.LearningPair": pair,
        "pairs.PairMember": pair,
        "pairs.StepProgress": pair,
        "pairs.Activity": activity,
        "notifications.OutboundMessage": message,
        "notifications.PersonRefusingMail": lambda: UserFactory(email_refused_at=timezone.now()),
        "outputs.Output": lambda: OutputFactory(pair=make_pair(cohort), question=question),
        "reports.YearEndReport": lambda: YearEndReportFactory(cohort=CohortFactory(), updated_by=world.manager),
    }


DOMAIN_MODELS = [model for model in REGISTERED if model._meta.app_label in DOMAIN_APPS]


def _count_queries(client, url: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), [query["sql"] for query in queries.captured_queries]


@pytest.mark.parametrize("model", DOMAIN_MODELS, ids=_label)
def test_changelist_queries_do_not_grow_with_rows(manager_client, admin_world: World, model: type[Model]) -> None:
    builders = _more_rows(admin_world)
    assert _label(model) in builders, f"say how to add a {_label(model)} in _more_rows"
    add_one = builders[_label(model)]
    url = admin_url(model, "changelist")
    for _ in range(2):
        add_one()
    few, _ = _count_queries(manager_client, url)
    for _ in range(9):
        add_one()
    many, sql = _count_queries(manager_client, url)
    assert many == few, "\n".join(sql)


def test_pair_list_costs_the_same_for_3_or_12_pairs(manager_client, admin_world: World) -> None:
    make_pair(admin_world.cohort)
    assert LearningPair.objects.count() == 3
    url = admin_url(LearningPair, "changelist")
    with_3, _ = _count_queries(manager_client, url)
    for _ in range(9):
        make_pair(admin_world.cohort)
    with_12, sql = _count_queries(manager_client, url)
    assert with_12 == with_3, "\n".join(sql)


# --- People sign in with their email ------------------------------------------------------------


def test_manager_adds_a_person_who_signs_in_with_email(manager_client) -> None:
    password = "a-long-Secret-2015"
    response = manager_client.post(
        admin_url(User, "add"),
        {
            "email": "New.Person@Example.org",
            "full_name": "Nadia Newman",
            "job_title": "Service manager",
            "organisation": "",
            "usable_password": "true",
            "password1": password,
            "password2": password,
        },
    )

    person = User.objects.get(full_name="Nadia Newman")
    assert response.status_code == 302
    assert response["Location"] == admin_url(User, "change", person.pk)
    assert person.email == "new.person@example.org"
    request = RequestFactory().post(reverse("login"))
    assert authenticate(request, username="new.person@example.org", password=password) == person


def test_manager_adds_a_person_without_a_password_to_invite_them(manager_client) -> None:
    response = manager_client.post(
        admin_url(User, "add"),
        {
            "email": "invited@example.org",
            "full_name": "Ivy Invited",
            "usable_password": "false",
        },
    )
    assert response.status_code == 302
    assert not User.objects.get(email="invited@example.org").has_usable_password()


def test_email_in_use_in_another_case_is_refused(manager_client) -> None:
    response = manager_client.post(
        admin_url(User, "add"),
        {
            "email": "ALICE@example.org",
            "full_name": "Another Alice",
            "usable_password": "false",
        },
    )
    assert response.status_code == 200
    assert EMAIL_TAKEN in response.text
    assert not User.objects.filter(full_name="Another Alice").exists()


def test_manager_changes_a_persons_details(manager_client, admin_world: World) -> None:
    alice = admin_world.alice
    response = manager_client.post(
        admin_url(User, "change", alice.pk),
        {
            "email": "alice@example.org",
            "full_name": "Alice Adkins-Wright",
            "job_title": "Deputy director",
            "organisation": alice.organisation_id,
            "interests": [a.pk for a in alice.interests.all()],
            "bio": "",
            "phone": "",
            "share_contact_details": "on",
            "credit_on_outputs": "on",
            "is_active": "on",
            "date_joined_0": "2014-09-01",
            "date_joined_1": "09:00:00",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    alice.refresh_from_db()
    assert alice.full_name == "Alice Adkins-Wright"
    assert alice.check_password(PASSWORD)


# --- Exports ------------------------------------------------------------------------------------


def _export_csv(client, model: type[Model]) -> list[dict[str, str]]:
    model_admin = admin.site._registry[model]
    resource = model_admin.get_export_resource_classes(None)[0]  # type: ignore[attr-defined]  # an import-export admin
    data = {"format": "0", "resource": "0"}
    data |= {f"{resource.__name__.lower()}_{name}": "on" for name in resource().get_export_order()}
    response = client.post(admin_url(model, "export"), data)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.parametrize("model", EXPORT_ADMINS, ids=_label)
def test_manager_exports_a_spreadsheet(manager_client, model: type[Model]) -> None:
    assert manager_client.get(admin_url(model, "export")).status_code == 200
    assert len(_export_csv(manager_client, model)) == model._default_manager.count()


def test_people_export_has_no_passwords(manager_client) -> None:
    rows = _export_csv(manager_client, User)
    assert "password" not in rows[0]
    assert "calendar_token" not in rows[0]
    assert {row["email"] for row in rows} >= {"alice@example.org", "manager@example.org"}


def test_membership_export_carries_commitment_days(manager_client) -> None:
    rows = _export_csv(manager_client, Membership)
    alice = next(row for row in rows if row["member"] == "Alice Adkins")
    assert alice["commitment days"] == "1.4"
    assert alice["minimum met"] == "no"


def test_activity_export_leaves_out_private_notes(manager_client) -> None:
    rows = _export_csv(manager_client, Activity)
    assert "Our host was frank about funding worries." not in str(rows)
    assert rows[0]["who went"] == "Alice Adkins, Bob Bradley"


def test_organisations_import_from_a_spreadsheet(manager_client) -> None:
    assert manager_client.get(admin_url(Organisation, "import")).status_code == 200
    dataset = tablib.Dataset(headers=["name", "sector", "website"])
    dataset.append(["Revolving Doors Agency", Sector.VOLUNTARY, "https://www.revolving-doors.org.uk"])
    dataset.append(["Nowhere Council", "not-a-sector", ""])

    # The admin's first step is this dry run: a bad sector is reported and nothing is saved.
    result = OrganisationResource().import_data(dataset, dry_run=True)

    assert result.has_validation_errors()
    assert not Organisation.objects.filter(name__in=["Revolving Doors Agency", "Nowhere Council"]).exists()
    dataset.pop()
    OrganisationResource().import_data(dataset, dry_run=False, raise_errors=True)
    assert Organisation.objects.get(name="Revolving Doors Agency").sector == Sector.VOLUNTARY


def test_staff_without_view_permission_cannot_export(client, admin_world: World) -> None:
    client.force_login(UserFactory(is_staff=True))
    assert client.get(admin_url(Membership, "export")).status_code == 403


# --- Writes carry the same rules as the services ------------------------------------------------


def test_archive_action_hides_outputs_and_keeps_history(manager_client, admin_world: World) -> None:
    output = PublishedOutputFactory(pair=admin_world.pair, featured=True)
    response = manager_client.post(
        admin_url(Output, "changelist"),
        {
            "action": "archive",
            "_selected_action": [output.pk],
        },
    )
    assert response.status_code == 302
    output.refresh_from_db()
    assert output.archived
    assert not output.featured  # as outputs.services.output_archive does
    latest = output.history.first()
    assert latest.archived and latest.history_user == admin_world.manager


def test_restore_action_brings_outputs_back(manager_client, admin_world: World) -> None:
    output = Output.objects.get()
    output.archived = True
    output.save()
    manager_client.post(admin_url(Output, "changelist"), {"action": "restore", "_selected_action": [output.pk]})
    output.refresh_from_db()
    assert not output.archived


def test_output_upload_in_the_admin_is_checked_by_its_content(manager_client, admin_world: World) -> None:
    output = Output.objects.get()
    url = admin_url(Output, "change", output.pk)
    data = _change_form_data(manager_client.get(url))
    data["file"] = SimpleUploadedFile("case-study.pdf", b"<script>alert(1)</script>", content_type="application/pdf")

    response = manager_client.post(url, data)

    assert response.status_code == 200
    assert "file" in response.context["adminform"].form.errors
    output.refresh_from_db()
    assert not output.file


def test_output_link_in_the_admin_must_be_a_web_address(manager_client, admin_world: World) -> None:
    output = Output.objects.get()
    url = admin_url(Output, "change", output.pk)
    data = _change_form_data(manager_client.get(url)) | {"link": "ftp://files.example.org/case-study.pdf"}
    response = manager_client.post(url, data)
    assert response.status_code == 200
    assert "link" in response.context["adminform"].form.errors


def test_publishing_in_the_admin_dates_the_output(manager_client, admin_world: World) -> None:
    output = Output.objects.get()
    url = admin_url(Output, "change", output.pk)
    data = _change_form_data(manager_client.get(url)) | {"status": Output.Status.PUBLISHED}
    assert manager_client.post(url, data).status_code == 302
    output.refresh_from_db()
    assert output.status == Output.Status.PUBLISHED
    assert output.published_at is not None


def _change_form_data(response) -> dict[str, object]:
    """What the browser would post back for an admin change page, unchanged."""
    data: dict[str, object] = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        forms += [formset.management_form, *formset.forms]
    for form in forms:
        for name, field in form.fields.items():
            value = form[name].value()
            if value is None or value is False:
                continue
            formatted = "on" if value is True else field.widget.format_value(value)
            data[form.add_prefix(name)] = "" if formatted is None else formatted
    return data


def test_pairs_are_formed_and_members_changed_on_the_pairing_page(manager_client, admin_world: World) -> None:
    member = PairMember.objects.get(membership=admin_world.bob_membership)

    assert manager_client.get(admin_url(LearningPair, "add")).status_code == 403
    assert manager_client.get(admin_url(PairMember, "add")).status_code == 403
    assert manager_client.post(admin_url(PairMember, "change", member.pk), {"left_on": "2015-01-01"}).status_code == 403
    response = manager_client.get(admin_url(LearningPair, "change", admin_world.pair.pk))
    assert reverse("pairs:cohort-overview", args=[admin_world.cohort.pk]) in response.text
    assert "Bob Bradley" in response.text


def test_pair_page_saves_a_step_through_the_step_service(manager_client, admin_world: World) -> None:
    url = admin_url(LearningPair, "change", admin_world.pair.pk)
    data = _change_form_data(manager_client.get(url))
    first_step = next(key.removesuffix("-status") for key in data if key.endswith("-status") and "steps-" in key)
    data |= {f"{first_step}-status": StepProgress.Status.DONE, f"{first_step}-summary": "Referral routes overlap."}

    response = manager_client.post(url, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    progress = StepProgress.objects.get(pair=admin_world.pair, step=Step.IDENTIFY)
    assert progress.status == StepProgress.Status.DONE
    assert (progress.completed_by, progress.version) == (admin_world.manager, 2)
    assert PairMember.objects.current().filter(pair=admin_world.pair).count() == 2


def test_withdrawing_a_member_in_the_admin_takes_them_out_of_their_pair(manager_client, admin_world: World) -> None:
    bob = admin_world.bob_membership
    today = timezone.localdate()
    response = manager_client.post(
        admin_url(Membership, "change", bob.pk),
        {
            "cohort": bob.cohort_id,
            "user": bob.user_id,
            "side": Side.PRACTITIONER,
            "status": "withdrawn",
            "joined_on": bob.joined_on.isoformat(),
            "preferred_question": "",
            "withdrawn_on": today.isoformat(),
            "withdrawal_reason": "New job",
        },
    )
    assert response.status_code == 302
    assert not PairMember.objects.current().filter(membership=bob).exists()
    assert PairMember.objects.get(membership=bob).left_on == today


def test_completing_a_step_in_the_admin_dates_it_and_bumps_its_version(manager_client, admin_world: World) -> None:
    progress = StepProgress.objects.get(pair=admin_world.pair, step=Step.IDENTIFY)
    response = manager_client.post(
        admin_url(StepProgress, "change", progress.pk),
        {
            "status": StepProgress.Status.DONE,
            "summary": "Referral routes overlap.",
        },
    )
    assert response.status_code == 302
    progress.refresh_from_db()
    assert progress.completed_on == timezone.localdate()
    assert progress.completed_by == admin_world.manager
    assert progress.version == 2


def test_a_step_is_not_done_without_a_summary(manager_client, admin_world: World) -> None:
    progress = StepProgress.objects.get(pair=admin_world.pair, step=Step.IDENTIFY)
    response = manager_client.post(
        admin_url(StepProgress, "change", progress.pk),
        {
            "status": StepProgress.Status.DONE,
            "summary": "",
        },
    )
    assert response.status_code == 200
    progress.refresh_from_db()
    assert progress.status == StepProgress.Status.NOT_STARTED


def test_event_attendance_lists_only_the_events_cohort(manager_client, admin_world: World) -> None:
    event = EventFactory(cohort=admin_world.cohort, starts_at=timezone.now() - timedelta(days=1))
    response = manager_client.get(admin_url(Cohort, "change", admin_world.cohort.pk))
    assert response.status_code == 200
    response = manager_client.get(admin_url(type(event), "change", event.pk))
    choices = response.context["inline_admin_formsets"][0].formset.empty_form.fields["membership"].queryset
    assert set(choices) == set(Membership.objects.filter(cohort=admin_world.cohort))
