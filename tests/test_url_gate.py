"""The URL gate: every URL name of the project (the admin excepted) × every role, in the manner of pretix,
and every page's exact query count at n and 10n rows.

Each row is one request (a URL name, GET or POST, its target and data) with the status expected for each of
the eight roles. A refused POST must leave every table as it was. A URL name without a row fails
`test_every_url_name_has_rows` with its name.

To add a URL: add a `Row` to the `ROWS` of `tests/gate/rows_*.py` with `expect(...)` naming the roles that differ from the default
(404 for the signed-in, a redirect to sign in for the anonymous). Targets and form data are lambdas over
the `Gate` of shared objects in `tests/gate/world.py`; add an object to `Gate` if the URL needs one. A GET row that some role
opens (200) is also a page of `test_page_queries_do_not_grow_with_the_data`: if the page lists something
new, add ten of it in `grow`.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from simple_history.models import HistoricalChanges

from cohorts.models import Attendance, Side
from pairs.models import Activity, PrivateNotesReading
from privacy.models import Erasure
from programme.models import SectorCode
from reports.models import ReportFigure, ReportPart, SurveyEvidence
from tests.conftest import World
from tests.factories import (
    ActivityFactory,
    ApplicationFactory,
    AttendanceFactory,
    CaseStudyFactory,
    EventFactory,
    ExternalGuestFactory,
    FindingFactory,
    InsightFactory,
    MembershipFactory,
    OrganisationFactory,
    OutputFactory,
    ProgrammeFactory,
    PublishedOutputFactory,
    ReferenceFactory,
    SurveyAnswerFactory,
    SurveyQuestionFactory,
    SurveyResponseFactory,
    make_pair,
)
from tests.gate.rows_cohorts_and_outputs import ROWS as COHORT_AND_OUTPUT_ROWS
from tests.gate.rows_people_and_pairs import ROWS as PEOPLE_AND_PAIR_ROWS
from tests.gate.rows_privacy import ROWS as PRIVACY_ROWS
from tests.gate.rows_recruitment import ROWS as RECRUITMENT_ROWS
from tests.gate.rows_report_writing import ROWS as REPORT_WRITING_ROWS
from tests.gate.world import (
    LOGIN,
    REDIRECT,
    ROLES,
    UP_OR_DOWN,
    Gate,
    Row,
    gate_build,
    role_user,
)

ROWS: list[Row] = PEOPLE_AND_PAIR_ROWS + COHORT_AND_OUTPUT_ROWS + RECRUITMENT_ROWS + PRIVACY_ROWS + REPORT_WRITING_ROWS


@pytest.fixture
def gate(world: World) -> Gate:
    return gate_build(world)


# --- The checks -----------------------------------------------------------------------------------------


def _url_names(resolver: URLResolver | None = None, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            names |= _url_names(entry, f"{namespace}{entry.namespace}:" if entry.namespace else namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(namespace + entry.name)
    return names


def test_every_url_name_has_rows():
    covered = {row.name for row in ROWS}
    missing = sorted(_url_names() - covered)
    assert not missing, f"URL names without rows in tests/test_url_gate.py: {', '.join(missing)}"
    unknown = sorted(covered - _url_names())
    assert not unknown, f"rows for URL names that do not exist: {', '.join(unknown)}"


def test_every_row_names_every_role():
    for row in ROWS:
        assert tuple(row.expected) == ROLES, row.id


_SNAPSHOT_APPS = {"programme", "cohorts", "pairs", "outputs", "reports", "privacy"}


def _snapshot() -> dict[str, list[tuple]]:
    """Every row of every table a request could change (last_login aside: signing in sets it)."""
    state = {}
    for model in apps.get_models():
        if model._meta.app_label not in _SNAPSHOT_APPS or issubclass(model, HistoricalChanges):
            continue
        fields = [f.attname for f in model._meta.concrete_fields if f.attname != "last_login"]
        state[model._meta.label] = list(model._default_manager.order_by("pk").values_list(*fields))
    return state


# Staff see an event, so replying to it is refused with a message (a redirect) rather than a 404.
SEEN_BUT_REFUSED = {("cohorts:event-reply", "facilitator"), ("cohorts:event-reply", "manager")}


def _outcome(response, expected: int | str) -> int | str:
    if response.status_code in (301, 302):
        location = response["Location"]
        return LOGIN if location.startswith(reverse("login")) else REDIRECT
    if expected == UP_OR_DOWN and response.status_code in (200, 503):
        return UP_OR_DOWN
    return response.status_code


@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
def test_url_gate(gate: Gate, row: Row):
    """Each role gets the expected status; a refused POST changes nothing. Each role runs in a savepoint
    rolled back afterwards, so one role's allowed POST does not change what the next one sees."""
    wrong = []
    for role in ROLES:
        savepoint = transaction.savepoint_create()
        try:
            client = Client()
            user = role_user(gate, role)
            if user is not None:
                client.force_login(user)
            url = row.url(gate)
            before = _snapshot() if row.method == "post" else None
            response = client.get(url) if row.method == "get" else client.post(url, row.data(gate))
            outcome = _outcome(response, row.expected[role])
            if outcome != row.expected[role]:
                wrong.append(f"{role}: expected {row.expected[role]}, got {outcome}")
            refused = outcome in (LOGIN, 400, 403, 404, 405) or (row.name, role) in SEEN_BUT_REFUSED
            if row.method == "post" and refused and _snapshot() != before:
                wrong.append(f"{role}: a refused POST changed data")
        finally:
            transaction.savepoint_rollback(savepoint)
    assert not wrong, f"{row.id}:\n  " + "\n  ".join(wrong)


# --- Query counts -----------------------------------------------------------------------------------------


# Who reads each page: the first role the gate lets in.
READERS = ("member", "facilitator", "manager", "anonymous", "other_facilitator", "withdrawn")


def _reader(row: Row) -> str | None:
    return next((role for role in READERS if row.expected[role] in (200, UP_OR_DOWN)), None)


PAGES = [row for row in ROWS if row.method == "get" and _reader(row)]


def grow(gate: Gate, times: int) -> None:
    """`times` more of everything a page lists: pairs with members, activities and outputs, events with
    attendance, guests and insights, survey questions with answers, and the pair's own activities and outputs."""
    world = gate.world
    now = timezone.now()
    for _ in range(times):
        pair = make_pair(world.cohort)
        policymaker = pair.members.get(membership__side=Side.POLICYMAKER).membership
        ActivityFactory(pair=pair, attendees=[policymaker], logged_by=policymaker.user)
        PublishedOutputFactory(pair=pair, visibility="public")
        OutputFactory(pair=pair, visibility="cohort")
        ActivityFactory(pair=world.pair, attendees=[world.alice_membership], logged_by=world.alice, place="Again")
        OutputFactory(pair=world.pair, visibility="pair")
        event = EventFactory(cohort=world.cohort, starts_at=now - timedelta(days=5))
        AttendanceFactory(event=event, membership=world.alice_membership, status=Attendance.Status.ATTENDED)
        AttendanceFactory(event=gate.today_event, membership=policymaker, status=Attendance.Status.ATTENDED)
        ExternalGuestFactory(event=gate.today_event)
        insight = InsightFactory(cohort=world.cohort, event=event, speaker=world.alice_membership)
        question = SurveyQuestionFactory(survey=gate.survey)
        answer = SurveyResponseFactory(survey=gate.survey, membership=policymaker)
        SurveyAnswerFactory(response=answer, question=question)
        MembershipFactory(cohort=world.cohort, side=Side.PRACTITIONER)  # unpaired
        reference = ReferenceFactory(cohort=world.cohort)
        finding = FindingFactory(
            question=gate.shared_output.question, body=f"Cited.[[insight:{insight.pk}]][[ref:{reference.pk}]]"
        )
        CaseStudyFactory(cohort=world.cohort, finding=finding).credited_people.set([policymaker.user])
        # The report's Section 2: a sub-section with its case study, a lesson, survey evidence and a figure.
        part = ReportPart.objects.create(cohort=world.cohort, title="Part", body=f"Said.[[insight:{insight.pk}]]")
        CaseStudyFactory(cohort=world.cohort, part=part)
        ReportPart.objects.create(cohort=world.cohort, kind=ReportPart.Kind.LESSON, title="Lesson")
        earlier = SurveyEvidence.objects.filter(cohort=world.cohort).order_by("pk")[0].question.survey
        SurveyEvidence.objects.create(cohort=world.cohort, question=SurveyQuestionFactory(survey=earlier))
        ReportFigure.objects.create(
            cohort=world.cohort, caption="Figure", description="Shows", media_type="image/png", content=b"x"
        )
        PrivateNotesReading.objects.create(
            pair=world.pair, reader=world.facilitator, reason="Checking in", read_at=now - timedelta(days=3)
        )
        Erasure.objects.create(label="Former participant 0", erased_by=world.manager)
        make_pair(world.other_cohort)
        ApplicationFactory(cohort=world.cohort, organisation=OrganisationFactory(sector=SectorCode.CENTRAL_GOVERNMENT))
        ApplicationFactory(cohort=gate.recruiting)
        gate.recruiting.targeted_departments.add(OrganisationFactory(sector=SectorCode.CENTRAL_GOVERNMENT))
        ProgrammeFactory().partners.add(OrganisationFactory())  # another programme on the public page


def _client(gate: Gate, role: str) -> Client:
    client = Client()
    user = role_user(gate, role)
    if user is not None:
        client.force_login(user)
    return client


def _count(gate: Gate, row: Row, role: str) -> int:
    client = _client(gate, role)
    url = row.url(gate)
    client.get(url)  # warm: sessions, content types and caches are not the page's own reads
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert _outcome(response, row.expected[role]) in (200, UP_OR_DOWN), row.id
    return len(queries)


@pytest.mark.parametrize("row", PAGES, ids=[row.id for row in PAGES])
def test_page_queries_do_not_grow_with_the_data(gate: Gate, row: Row, django_assert_num_queries):
    role = _reader(row)
    assert role is not None
    at_n = _count(gate, row, role)
    grow(gate, 9)
    assert Activity.objects.filter(pair=gate.world.pair).count() == 10
    client = _client(gate, role)
    url = row.url(gate)
    client.get(url)
    # Exactly as many with ten times the rows; on failure the SQL is printed.
    with django_assert_num_queries(at_n, exact=True):
        assert _outcome(client.get(url), row.expected[role]) in (200, UP_OR_DOWN)
