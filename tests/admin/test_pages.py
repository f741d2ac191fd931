"""The admin programme managers work in: every page opens, only staff get in, lists don't N+1."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import Model
from django.http import HttpRequest
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalChanges

from cohorts.models import ApplicationAttempt, Attendance, Membership
from notifications.models import Delivery, Kind, OutboundMessage
from notifications.services import message_enqueue, notification_preferences_save, notification_raise
from outputs.models import Output, OutputRevision
from pairs.comments import step_comment_add
from pairs.models import LearningPair, PrivateNotesReading, Step, StepProgress
from privacy.models import Erasure
from tests.admin.helpers import (
    DOMAIN_APPS,
    HISTORY_ADMINS,
    REGISTERED,
    admin_url,
    model_label,
)
from tests.conftest import World
from tests.factories import (
    ActivityFactory,
    ApplicationFactory,
    AttendanceFactory,
    CohortFactory,
    DecisionLetterFactory,
    DisconnectFactory,
    EventFactory,
    ExportFileFactory,
    ExternalGuestFactory,
    FindingFactory,
    InsightFactory,
    MembershipFactory,
    OrganisationFactory,
    OutputFactory,
    PolicyAreaFactory,
    ProgrammeFactory,
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

# --- Every page opens for the manager -----------------------------------------------------------


# Version counters that only tell kept pages when to render again: nothing a manager reads or edits.
CACHE_BOOKKEEPING = {"outputs.LibraryVersion"}


def test_every_domain_model_is_in_the_admin() -> None:
    domain_models = [
        model
        for app in DOMAIN_APPS
        for model in apps.get_app_config(app).get_models()
        if not issubclass(model, HistoricalChanges)  # django-simple-history's own tables
        and model_label(model) not in CACHE_BOOKKEEPING
    ]
    # A model edited only inside its parent's page (the programme's sides, steps, kinds) is in the admin too.
    inline_models = {inline.model for model_admin in admin.site._registry.values() for inline in model_admin.inlines}
    in_admin = set(admin.site._registry) | inline_models
    assert [model_label(model) for model in domain_models if model not in in_admin] == []


def test_admin_site_is_named_for_pairwise(manager_client) -> None:
    response = manager_client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert "Pairwise administration" in response.text


@pytest.mark.parametrize("model", REGISTERED, ids=model_label)
def test_manager_opens_every_changelist(manager_client, model: type[Model]) -> None:
    assert manager_client.get(admin_url(model, "changelist")).status_code == 200


@pytest.mark.parametrize("model", REGISTERED, ids=model_label)
def test_manager_searches_every_changelist(manager_client, model: type[Model]) -> None:
    # A broken entry in search_fields only fails once someone searches.
    if not admin.site._registry[model].get_search_fields(HttpRequest()):
        pytest.skip("no search on this list")
    for term in ("Alice", "1"):
        assert manager_client.get(admin_url(model, "changelist"), {"q": term}).status_code == 200


@pytest.mark.parametrize("model", REGISTERED, ids=model_label)
def test_manager_opens_every_add_form(manager_client, admin_world: World, model: type[Model]) -> None:
    request = RequestFactory().get("/")
    request.user = admin_world.manager
    expected = 200 if admin.site._registry[model].has_add_permission(request) else 403
    assert manager_client.get(admin_url(model, "add")).status_code == expected


@pytest.mark.parametrize("model", REGISTERED, ids=model_label)
def test_manager_opens_every_change_form(manager_client, model: type[Model]) -> None:
    obj = model._default_manager.first()
    assert obj is not None, f"add a {model_label(model)} to the admin_world fixture"
    assert manager_client.get(admin_url(model, "change", obj.pk)).status_code == 200


@pytest.mark.parametrize("model", HISTORY_ADMINS, ids=model_label)
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
    assert ">3.0<" not in row  # the hours behind it are on the member's page, not in the list


def test_membership_change_form_shows_commitment_days(manager_client, admin_world: World) -> None:
    response = manager_client.get(admin_url(Membership, "change", admin_world.alice_membership.pk))
    assert "1.4 of 5.0" in response.text
    assert re.search(r'field-hours_on_activities.*?class="readonly">3\.0<', response.text, re.DOTALL)  # hours behind it


def test_membership_list_filters_members_below_the_minimum(manager_client, admin_world: World) -> None:
    event = EventFactory(cohort=admin_world.cohort, length_days=Decimal("5"))
    AttendanceFactory(event=event, membership=admin_world.carol_membership, status=Attendance.Status.ATTENDED)
    url = admin_url(Membership, "changelist")

    below = manager_client.get(url, {"commitment": "below"}).context["cl"].result_list
    met = manager_client.get(url, {"commitment": "met"}).context["cl"].result_list

    assert admin_world.alice_membership in below
    assert admin_world.carol_membership not in below
    assert list(met) == [admin_world.carol_membership]


def test_membership_list_sorts_by_commitment(manager_client, admin_world: World) -> None:
    # The plain list leaves commitment out of its SQL; sorting by the column still orders by the derived days.
    event = EventFactory(cohort=admin_world.cohort, length_days=Decimal("5"))
    AttendanceFactory(event=event, membership=admin_world.carol_membership, status=Attendance.Status.ATTENDED)
    url = admin_url(Membership, "changelist")
    changelist = manager_client.get(url).context["cl"]
    column = changelist.list_display.index("commitment")

    most_first = list(manager_client.get(url, {"o": f"-{column}"}).context["cl"].result_list)
    least_first = list(manager_client.get(url, {"o": f"{column}"}).context["cl"].result_list)

    assert most_first[0] == admin_world.carol_membership
    assert least_first[-1] == admin_world.carol_membership


def test_pair_list_shows_members_and_current_step(manager_client, admin_world: World) -> None:
    StepProgress.objects.filter(pair=admin_world.pair, step=Step.IDENTIFY).update(status="done", summary="Found it")
    response = manager_client.get(admin_url(LearningPair, "changelist"))
    row = next(line for line in response.text.split("<tr") if "Alice Adkins" in line)
    assert "Alice Adkins &amp; Bob Bradley" in row
    assert "2 Understand: not started" in row


def test_pair_list_filters_by_the_chosen_cohorts_questions(manager_client, admin_world: World) -> None:
    ours = QuestionFactory(cohort=admin_world.cohort, short_title="Ours to ask")
    QuestionFactory(cohort=CohortFactory(), short_title="Another cohort's")
    url = admin_url(LearningPair, "changelist")

    unfiltered = manager_client.get(url).text
    in_cohort = manager_client.get(url, {"cohort__id__exact": admin_world.cohort.pk}).text
    by_question = manager_client.get(url, {"cohort__id__exact": admin_world.cohort.pk, "question__id__exact": ours.pk})

    assert "By question" not in unfiltered  # until a cohort is chosen
    assert "Ours to ask" in in_cohort
    assert "Another cohort&#x27;s" not in in_cohort
    assert list(by_question.context["cl"].result_list) == list(LearningPair.objects.filter(question=ours))


def test_list_rows_link_to_their_change_pages(manager_client, admin_world: World) -> None:
    # QuickChangeList builds the links from one reversed pattern: each must still be its row's own page.
    changelist = manager_client.get(admin_url(LearningPair, "changelist")).context["cl"]

    for pair in changelist.result_list:
        assert changelist.url_for_result(pair) == reverse("admin:pairs_learningpair_change", args=[pair.pk])


# --- Lists cost the same whatever their length --------------------------------------------------


def _more_rows(world: World) -> dict[str, Callable[[], object]]:
    """One more row of each domain model, shaped so that a lazy lookup per row would show."""
    cohort = world.cohort
    question = QuestionFactory(cohort=cohort)
    event = EventFactory(cohort=cohort)
    survey = SurveyFactory(cohort=cohort)

    def pair() -> LearningPair:
        return make_pair(cohort)

    def comment() -> object:
        progress = make_pair(cohort).steps.get(step=1)
        return step_comment_add(progress=progress, author=world.facilitator, body="Have you asked service users?")

    def notification() -> object:
        return notification_raise(recipient=UserFactory(), key=f"test:{UserFactory().pk}", kind=Kind.COMMENT, text="Hi")

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
        "cohorts.DecisionLetter": lambda: DecisionLetterFactory(programme=ProgrammeFactory()),
        "cohorts.ApplicationAttempt": lambda: ApplicationAttempt.objects.create(address_hash="0" * 64),
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
        "notifications.Notification": notification,
        "notifications.NotificationPreference": lambda: notification_preferences_save(
            user=UserFactory(), deliveries={Kind.COMMENT: Delivery.OFF}
        ),
        "pairs.StepComment": comment,
        "outputs.Output": lambda: OutputFactory(pair=make_pair(cohort), question=question),
        "outputs.OutputRevision": lambda: OutputRevision.objects.create(
            output=OutputFactory(pair=make_pair(cohort)), kind="case_study", title="Revised", visibility="pair"
        ),
        "reports.YearEndReport": lambda: YearEndReportFactory(cohort=CohortFactory(), updated_by=world.manager),
        "pairs.PrivateNotesReading": lambda: PrivateNotesReading.objects.create(
            pair=make_pair(CohortFactory()), reader=UserFactory(), reason="Checking in"
        ),
        "privacy.Erasure": lambda: Erasure.objects.create(label="Former participant 1", erased_by=UserFactory()),
        "programme.ExportFile": lambda: ExportFileFactory(requested_by=world.manager),
    }


DOMAIN_MODELS = [model for model in REGISTERED if model._meta.app_label in DOMAIN_APPS]


def _count_queries(client, url: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), [query["sql"] for query in queries.captured_queries]


@pytest.mark.parametrize("model", DOMAIN_MODELS, ids=model_label)
def test_changelist_queries_do_not_grow_with_rows(manager_client, admin_world: World, model: type[Model]) -> None:
    builders = _more_rows(admin_world)
    assert model_label(model) in builders, f"say how to add a {model_label(model)} in _more_rows"
    add_one = builders[model_label(model)]
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


# --- Changelists without per-row widget renders or whole-table date scans ------------------------


def test_the_activity_list_filters_by_the_years_between_the_first_and_last_activity(
    manager_client, admin_world: World
) -> None:
    from pairs.models import Activity
    from tests.factories import ActivityFactory

    Activity.objects.all().delete()
    old = ActivityFactory(pair=admin_world.pair, occurred_on=timezone.localdate().replace(year=2019, month=6, day=1))
    new = ActivityFactory(pair=admin_world.pair, occurred_on=timezone.localdate().replace(year=2021, month=3, day=1))
    url = admin_url(Activity, "changelist")
    page = manager_client.get(url).text
    assert all(f"?occurred_on_year={year}" in page for year in (2019, 2020, 2021))
    assert "?occurred_on_year=2018" not in page and "?occurred_on_year=2022" not in page
    chosen = manager_client.get(url, {"occurred_on_year": "2019"}).context["cl"].result_list
    assert list(chosen) == [old]
    assert list(manager_client.get(url, {"occurred_on_year": "2021"}).context["cl"].result_list) == [new]
    nonsense = manager_client.get(url, {"occurred_on_year": "soon"})
    assert nonsense.status_code == 200 and list(nonsense.context["cl"].result_list) == []


def test_changelist_rows_carry_the_action_checkbox_django_would_render(manager_client, admin_world: World) -> None:
    from django.contrib.admin import helpers
    from django.forms import CheckboxInput
    from django.utils.html import format_html

    pair = admin_world.pair
    django_markup = CheckboxInput(
        {"class": "action-select", "aria-label": format_html("Select this object for an action - {}", str(pair))},
        lambda value: False,
    ).render(helpers.ACTION_CHECKBOX_NAME, str(pair.pk))
    page = manager_client.get(admin_url(LearningPair, "changelist")).text
    assert django_markup in page
