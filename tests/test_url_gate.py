"""The URL gate: every URL name of the project (the admin excepted) × every role, in the manner of pretix,
and every page's exact query count at n and 10n rows.

Each row is one request (a URL name, GET or POST, its target and data) with the status expected for each of
the eight roles. A refused POST must leave every table as it was. A URL name without a row fails
`test_every_url_name_has_rows` with its name.

To add a URL: add a `Row` to `ROWS` with `expect(...)` naming the roles that differ from the default
(404 for the signed-in, a redirect to sign in for the anonymous). Targets and form data are lambdas over
the `Gate` of shared objects below; add an object to `Gate` if the URL needs one. A GET row that some role
opens (200) is also a page of `test_page_queries_do_not_grow_with_the_data`: if the page lists something
new, add ten of it in `grow`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.auth.tokens import default_token_generator
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from simple_history.models import HistoricalChanges

from cohorts.models import Attendance, Event, Side, Survey, SurveyQuestion
from cohorts.services import event_create, guest_add
from notifications.models import Kind
from notifications.services import notification_raise
from outputs.models import Output
from pairs.models import Activity, PairMember
from pairs.services import membership_withdraw, pair_member_add
from programme.models import Sector, User
from tests.conftest import World
from tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    EventFactory,
    ExternalGuestFactory,
    InsightFactory,
    MembershipFactory,
    OutputFactory,
    PublishedOutputFactory,
    QuestionFactory,
    SurveyAnswerFactory,
    SurveyFactory,
    SurveyQuestionFactory,
    SurveyResponseFactory,
    make_pair,
)
from tests.outputs.conftest import TINY_PDF, upload

ROLES = (
    "anonymous",
    "member",  # alice, in `pair`
    "other_pair_member",  # carol, in another pair of the same cohort
    "other_cohort_member",  # dave, in another cohort
    "facilitator",  # facilitates the pair's cohort
    "other_facilitator",  # facilitates the other cohort only
    "manager",  # programme staff
    "withdrawn",  # wendy: was in `pair`, withdrew from the cohort
)
LOGIN = "login"  # a redirect to the sign-in page
REDIRECT = "redirect"  # a redirect elsewhere: a done POST, or a page that sends people on
UP_OR_DOWN = "200 or 503"  # a readiness probe: 200 while this process can serve, 503 when a check fails


def expect(default: int | str = 404, *, anonymous: int | str = LOGIN, **roles: int | str) -> dict[str, int | str]:
    """The status for each role: `default` for every signed-in role not named."""
    unknown = set(roles) - set(ROLES)
    assert not unknown, f"unknown roles {unknown}"
    return {"anonymous": anonymous} | {role: roles.get(role, default) for role in ROLES if role != "anonymous"}


STAFF = {"facilitator": 200, "manager": 200}
PAIR = {"member": 200, **STAFF}  # the pair's own pages: its members write, the cohort's staff read
COHORT = {"member": 200, "other_pair_member": 200, **STAFF}  # the cohort's pages
SIGNED_IN = expect(200)


@dataclass
class Gate:
    """The personas' world plus one of each thing a URL acts on."""

    world: World
    wendy: User
    future_event: Event
    today_event: Event
    guest_pk: int
    survey: Survey
    survey_question: SurveyQuestion
    private_output: Output  # the pair's, pair only, drafting, with a file
    shared_output: Output  # the pair's, cohort-wide, in review
    public_output: Output  # the pair's, published in the library, with a file
    activity: Activity
    seat: PairMember  # alice's seat in the pair
    notification_pk: int  # alice's

    @property
    def cohort_pk(self) -> int:
        return self.world.cohort.pk

    @property
    def pair_pk(self) -> int:
        return self.world.pair.pk


@pytest.fixture
def gate(world: World) -> Gate:
    now = timezone.now()
    cohort = world.cohort
    wendy = MembershipFactory(
        cohort=cohort,
        side=Side.PRACTITIONER,
        user__email="wendy@example.org",
        user__full_name="Wendy Withdrawn",
        user__organisation__name="Crisis",
        user__organisation__sector=Sector.VOLUNTARY,
    )
    pair_member_add(pair=world.pair, membership=wendy, on=cohort.starts_on)
    membership_withdraw(membership=wendy, on=timezone.localdate(), reason="Changed jobs")
    future = event_create(
        cohort=cohort,
        by=world.facilitator,
        kind=Event.Kind.WORKSHOP,
        title="Workshop on service users",
        starts_at=now + timedelta(days=10),
        ends_at=now + timedelta(days=10, hours=6),
        length_days=1,
    )
    today = event_create(
        cohort=cohort,
        by=world.facilitator,
        kind=Event.Kind.ROUNDTABLE,
        title="Roundtable with officials",
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=3),
        length_days=0.5,
    )
    guest = guest_add(event=today, name="Paula Permanent-Secretary", organisation="HM Treasury", role="Director")
    InsightFactory(cohort=cohort, event=today, speaker=world.alice_membership)  # pages number the events quoted
    survey = SurveyFactory(cohort=cohort)
    question = QuestionFactory(cohort=cohort)
    return Gate(
        world=world,
        wendy=wendy.user,
        future_event=future,
        today_event=today,
        guest_pk=guest.pk,
        survey=survey,
        survey_question=SurveyQuestionFactory(survey=survey),
        private_output=OutputFactory(
            pair=world.pair, title="Private draft", visibility="pair", file=upload("p.pdf", TINY_PDF)
        ),
        shared_output=OutputFactory(
            pair=world.pair, title="Shared in review", visibility="cohort", status="in_review", question=question
        ),
        public_output=PublishedOutputFactory(pair=world.pair, title="In the library", file=upload("l.pdf", TINY_PDF)),
        activity=ActivityFactory(pair=world.pair, attendees=[world.alice_membership], logged_by=world.alice),
        seat=world.pair.members.get(membership=world.alice_membership),
        notification_pk=notification_raise(
            recipient=world.alice, key="gate:alice", kind=Kind.COMMENT, text="A comment on step 1", url="/"
        ).pk,  # type: ignore[union-attr]  # a new key always raises one
    )


def _user(gate: Gate, role: str) -> User | None:
    world = gate.world
    return {
        "anonymous": None,
        "member": world.alice,
        "other_pair_member": world.carol,
        "other_cohort_member": world.dave,
        "facilitator": world.facilitator,
        "other_facilitator": world.other_facilitator,
        "manager": world.manager,
        "withdrawn": gate.wendy,
    }[role]


# --- Form data ------------------------------------------------------------------------------------------


def _today() -> str:
    return timezone.localdate().isoformat()


def _event_data(g: Gate) -> dict:
    soon = timezone.localtime() + timedelta(days=20)
    return {
        "kind": "workshop",
        "title": "Changed",
        "starts_at": soon.strftime("%Y-%m-%dT10:00"),
        "ends_at": soon.strftime("%Y-%m-%dT16:00"),
        "length_days": "1",
    }


def _survey_data(g: Gate) -> dict:
    now = timezone.localtime()
    return {
        "title": "Mid-year check-in",
        "introduction": "",
        "opens_at": (now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + timedelta(days=9)).strftime("%Y-%m-%dT%H:%M"),
    }


def _output_data(g: Gate) -> dict:
    return {"kind": "case_study", "title": "Changed title", "summary": "A summary.", "visibility": "pair"}


def _activity_data(g: Gate) -> dict:
    return {"kind": "meeting", "occurred_on": _today(), "hours": "2", "attendees": [g.world.alice_membership.pk]}


def _report_data(g: Gate) -> dict:
    return {"title": "", "executive_summary": "Changed", "introduction": "", "lessons": "", "conclusion": ""}


# --- The table ------------------------------------------------------------------------------------------


@dataclass
class Row:
    name: str  # the URL name, e.g. "pairs:detail"
    url: Callable[[Gate], str]
    expected: dict[str, int | str]
    method: str = "get"
    data: Callable[[Gate], dict] = field(default=lambda g: {})
    note: str = ""  # what the row's target is, when a URL has several rows

    @property
    def id(self) -> str:
        return f"{self.method}-{self.name}{'-' + self.note if self.note else ''}"


def get(name: str, url: Callable[[Gate], str], expected: dict, note: str = "") -> Row:
    return Row(name, url, expected, "get", note=note)


def post(name: str, url: Callable[[Gate], str], expected: dict, data: Callable[[Gate], dict] | None = None) -> Row:
    return Row(name, url, expected, "post", data or (lambda g: {}))


def r(name: str, *args: Callable[[Gate], object]) -> Callable[[Gate], str]:
    """A URL builder: r("pairs:detail", lambda g: g.pair_pk)."""
    return lambda g: reverse(name, args=[arg(g) for arg in args])


COHORT_PK = lambda g: g.cohort_pk  # noqa: E731
OTHER_COHORT_PK = lambda g: g.world.other_cohort.pk  # noqa: E731
PAIR_PK = lambda g: g.pair_pk  # noqa: E731
POST_ONLY = expect(405)  # signed in, the wrong method; anonymous are sent to sign in first


ROWS: list[Row] = [
    # programme: signing in and one's own account
    get("home", r("home"), expect(REDIRECT)),
    get("login", r("login"), expect(REDIRECT, anonymous=200)),
    post(
        "login", r("login"), expect(REDIRECT, anonymous=200), lambda g: {"username": "x@example.org", "password": "x"}
    ),
    post("logout", r("logout"), expect(LOGIN)),  # signed out, everyone lands on the sign-in page
    get("account-profile", r("account-profile"), SIGNED_IN),
    post("account-profile", r("account-profile"), expect(REDIRECT), lambda g: {"full_name": "Changed Name"}),
    get("password_change", r("password_change"), SIGNED_IN),
    get("password_reset", r("password_reset"), expect(200, anonymous=200)),
    get(
        "password_reset_confirm",
        lambda g: reverse(
            "password_reset_confirm",
            args=[urlsafe_base64_encode(force_bytes(g.world.bob.pk)), default_token_generator.make_token(g.world.bob)],
        ),
        expect(REDIRECT, anonymous=REDIRECT),
    ),
    # dashboard
    get("dashboard:home", r("dashboard:home"), SIGNED_IN),
    # health probes, for the load balancer and the orchestrator: nobody signs in
    get("healthz-live", r("healthz-live"), expect(200, anonymous=200)),
    get("healthz-ready", r("healthz-ready"), expect(UP_OR_DOWN, anonymous=UP_OR_DOWN)),
    # pairs: the facilitators' pages
    get(
        "pairs:facilitator-home",
        r("pairs:facilitator-home"),
        expect(facilitator=200, other_facilitator=200, manager=200),
    ),
    get("pairs:cohort-overview", r("pairs:cohort-overview", COHORT_PK), expect(**STAFF)),
    get("pairs:pair-create", r("pairs:pair-create", COHORT_PK), expect(**STAFF)),
    post(
        "pairs:pair-create",
        r("pairs:pair-create", COHORT_PK),
        expect(facilitator=400, manager=400),  # alice and bob are paired already: a message on the form
        lambda g: {"members": [g.world.alice_membership.pk, g.world.bob_membership.pk], "on": _today()},
    ),
    get("pairs:suggestions", r("pairs:suggestions", COHORT_PK), expect(**STAFF)),
    get("pairs:suggestions-accept", r("pairs:suggestions-accept", COHORT_PK), expect(405)),
    post(
        "pairs:suggestions-accept",
        r("pairs:suggestions-accept", COHORT_PK),
        expect(facilitator=REDIRECT, manager=REDIRECT),  # a stale choice: told so on the suggestions page
        lambda g: {"accept": ["1-2"]},
    ),
    get("pairs:pair-member-add", r("pairs:pair-member-add", PAIR_PK), expect(**STAFF)),
    post(
        "pairs:pair-member-add",
        r("pairs:pair-member-add", PAIR_PK),
        expect(facilitator=400, manager=400),  # carol is in another pair: a message on the form
        lambda g: {"membership": g.world.carol_membership.pk, "on": _today()},
    ),
    get("pairs:pair-member-remove", r("pairs:pair-member-remove", lambda g: g.seat.pk), expect(**STAFF)),
    post(
        "pairs:pair-member-remove",
        r("pairs:pair-member-remove", lambda g: g.seat.pk),
        expect(facilitator=REDIRECT, manager=REDIRECT),
        lambda g: {"on": _today(), "reason": "Changed jobs"},
    ),
    get("pairs:pair-member-move", r("pairs:pair-member-move", lambda g: g.seat.pk), expect(**STAFF)),
    post(
        "pairs:pair-member-move",
        r("pairs:pair-member-move", lambda g: g.seat.pk),
        expect(facilitator=REDIRECT, manager=REDIRECT),
        lambda g: {"to_pair": "new", "on": _today(), "reason": ""},
    ),
    get(
        "pairs:membership-withdraw",
        r("pairs:membership-withdraw", lambda g: g.world.alice_membership.pk),
        expect(**STAFF),
    ),
    post(
        "pairs:membership-withdraw",
        r("pairs:membership-withdraw", lambda g: g.world.alice_membership.pk),
        expect(facilitator=REDIRECT, manager=REDIRECT),
        lambda g: {"on": _today(), "reason": "Changed jobs"},
    ),
    # notifications: one's own, never another person's
    get("notifications:list", r("notifications:list"), SIGNED_IN),
    get("notifications:open", r("notifications:open", lambda g: g.notification_pk), POST_ONLY),
    post("notifications:open", r("notifications:open", lambda g: g.notification_pk), expect(member=REDIRECT)),
    get("notifications:read-all", r("notifications:read-all"), POST_ONLY),
    post("notifications:read-all", r("notifications:read-all"), expect(REDIRECT)),
    get("notifications:preferences", r("notifications:preferences"), SIGNED_IN),
    post(
        "notifications:preferences",
        r("notifications:preferences"),
        expect(REDIRECT),
        lambda g: {kind.value: "off" for kind in Kind},
    ),
    # pairs: comments on a step (the pair and its staff) and the staff's "needs another look"
    get("pairs:step-comment", r("pairs:step-comment", PAIR_PK, lambda g: 1), POST_ONLY),
    post(
        "pairs:step-comment",
        r("pairs:step-comment", PAIR_PK, lambda g: 1),
        expect(member=REDIRECT, facilitator=REDIRECT, manager=REDIRECT),
        lambda g: {"body": "Have you asked the service users?"},
    ),
    get("pairs:step-another-look", r("pairs:step-another-look", PAIR_PK, lambda g: 1), POST_ONLY),
    post(
        "pairs:step-another-look",
        r("pairs:step-another-look", PAIR_PK, lambda g: 1),
        expect(facilitator=REDIRECT, manager=REDIRECT),
        lambda g: {"needed": "1"},
    ),
    # cohorts: cancelling an event, after a confirmation page
    get("cohorts:event-cancel", r("cohorts:event-cancel", lambda g: g.future_event.pk), expect(**STAFF)),
    post(
        "cohorts:event-cancel",
        r("cohorts:event-cancel", lambda g: g.future_event.pk),
        expect(facilitator=REDIRECT, manager=REDIRECT),
        lambda g: {"reason": "The venue fell through"},
    ),
    # pairs: the pair's workspace and activity log
    get("pairs:detail", r("pairs:detail", PAIR_PK), expect(**PAIR)),
    get("pairs:step-edit", r("pairs:step-edit", PAIR_PK, lambda g: 1), expect(405)),
    post(
        "pairs:step-edit",
        r("pairs:step-edit", PAIR_PK, lambda g: 1),
        expect(member=REDIRECT, facilitator=403, manager=403),
        lambda g: {"step1-status": "in_progress", "step1-summary": "Changed", "step1-version": "1"},
    ),
    get("pairs:activity-list", r("pairs:activity-list", PAIR_PK), expect(**PAIR)),
    get("pairs:activity-create", r("pairs:activity-create", PAIR_PK), expect(member=200, facilitator=403, manager=403)),
    post(
        "pairs:activity-create",
        r("pairs:activity-create", PAIR_PK),
        expect(member=REDIRECT, facilitator=403, manager=403),
        _activity_data,
    ),
    get(
        "pairs:activity-edit",
        r("pairs:activity-edit", PAIR_PK, lambda g: g.activity.pk),
        expect(member=200, facilitator=403, manager=403),
    ),
    post(
        "pairs:activity-edit",
        r("pairs:activity-edit", PAIR_PK, lambda g: g.activity.pk),
        expect(member=REDIRECT, facilitator=403, manager=403),
        _activity_data,
    ),
    get(
        "pairs:activity-delete",
        r("pairs:activity-delete", PAIR_PK, lambda g: g.activity.pk),
        expect(member=200, facilitator=403, manager=403),
    ),
    post(
        "pairs:activity-delete",
        r("pairs:activity-delete", PAIR_PK, lambda g: g.activity.pk),
        expect(member=REDIRECT, facilitator=403, manager=403),
    ),
    # pairs: the cohort directory
    get(
        "pairs:my-directory",
        r("pairs:my-directory"),
        expect(REDIRECT, withdrawn=404, other_facilitator=REDIRECT),
    ),
    get("pairs:directory", r("pairs:directory", COHORT_PK), expect(**COHORT)),
    # cohorts: events
    # Members and facilitators go straight to their cohort's events; a manager picks among all cohorts.
    get("cohorts:events", r("cohorts:events"), expect(REDIRECT, manager=200, withdrawn=200)),
    get("cohorts:event-list", r("cohorts:event-list", COHORT_PK), expect(**COHORT)),
    get("cohorts:event-create", r("cohorts:event-create", COHORT_PK), expect(**STAFF)),
    post(
        "cohorts:event-create",
        r("cohorts:event-create", COHORT_PK),
        expect(facilitator=REDIRECT, manager=REDIRECT),
        _event_data,
    ),
    get("cohorts:insight-list", r("cohorts:insight-list", COHORT_PK), expect(**STAFF)),
    get("cohorts:event-detail", r("cohorts:event-detail", lambda g: g.future_event.pk), expect(**COHORT)),
    get("cohorts:event-edit", r("cohorts:event-edit", lambda g: g.future_event.pk), expect(**STAFF)),
    post(
        "cohorts:event-edit",
        r("cohorts:event-edit", lambda g: g.future_event.pk),
        expect(facilitator=REDIRECT, manager=REDIRECT),
        _event_data,
    ),
    get("cohorts:event-reply", r("cohorts:event-reply", lambda g: g.future_event.pk), expect(405)),
    post(
        "cohorts:event-reply",
        r("cohorts:event-reply", lambda g: g.future_event.pk),
        # Staff see the event, so they are told they cannot reply (and nothing changes).
        expect(member=REDIRECT, other_pair_member=REDIRECT, facilitator=REDIRECT, manager=REDIRECT),
        lambda g: {"status": "accepted"},
    ),
    get("cohorts:event-ics", r("cohorts:event-ics", lambda g: g.future_event.pk), expect(**COHORT)),
    get("cohorts:guest-add", r("cohorts:guest-add", lambda g: g.today_event.pk), expect(**STAFF)),
    post(
        "cohorts:guest-add",
        r("cohorts:guest-add", lambda g: g.today_event.pk),
        expect(facilitator=REDIRECT, manager=REDIRECT),
        lambda g: {"name": "Gus Guest", "organisation": "", "role": ""},
    ),
    get(
        "cohorts:guest-remove",
        r("cohorts:guest-remove", lambda g: g.today_event.pk, lambda g: g.guest_pk),
        expect(**STAFF),
    ),
    post(
        "cohorts:guest-remove",
        r("cohorts:guest-remove", lambda g: g.today_event.pk, lambda g: g.guest_pk),
        expect(facilitator=REDIRECT, manager=REDIRECT),
    ),
    get("cohorts:attendance-register", r("cohorts:attendance-register", lambda g: g.today_event.pk), expect(**STAFF)),
    post(
        "cohorts:attendance-register",
        r("cohorts:attendance-register", lambda g: g.today_event.pk),
        expect(facilitator=REDIRECT, manager=REDIRECT),
        lambda g: {"attended": [g.world.alice_membership.pk]},
    ),
    get(
        "cohorts:attendance-toggle",
        r("cohorts:attendance-toggle", lambda g: g.today_event.pk, lambda g: g.world.alice_membership.pk),
        expect(405),
    ),
    post(
        "cohorts:attendance-toggle",
        r("cohorts:attendance-toggle", lambda g: g.today_event.pk, lambda g: g.world.alice_membership.pk),
        expect(facilitator=REDIRECT, manager=REDIRECT),  # htmx gets the row back; a plain POST, a redirect
        lambda g: {"attended": [g.world.alice_membership.pk]},
    ),
    get("cohorts:insight-create", r("cohorts:insight-create", lambda g: g.today_event.pk), expect(**STAFF)),
    post(
        "cohorts:insight-create",
        r("cohorts:insight-create", lambda g: g.today_event.pk),
        expect(facilitator=REDIRECT, manager=REDIRECT),
        lambda g: {"text": "Listen to service users."},
    ),
    # cohorts: calendars
    get("cohorts:calendar-settings", r("cohorts:calendar-settings"), SIGNED_IN),
    get("cohorts:calendar-reset", r("cohorts:calendar-reset"), expect(405)),
    post("cohorts:calendar-reset", r("cohorts:calendar-reset"), expect(REDIRECT)),
    get(
        "cohorts:calendar-feed",
        lambda g: reverse("cohorts:calendar-feed", args=[g.world.alice.calendar_token]),
        expect(200, anonymous=200),  # the secret address is the key, for calendar apps
    ),
    # cohorts: surveys
    # The staff "Surveys" link: straight to the one cohort's surveys, or a choice for a manager.
    get("cohorts:surveys", r("cohorts:surveys"), expect(facilitator=REDIRECT, other_facilitator=REDIRECT, manager=200)),
    get("cohorts:survey-list", r("cohorts:survey-list", COHORT_PK), expect(**STAFF)),
    get("cohorts:survey-create", r("cohorts:survey-create", COHORT_PK), expect(**STAFF)),
    post(
        "cohorts:survey-create",
        r("cohorts:survey-create", COHORT_PK),
        expect(facilitator=REDIRECT, manager=REDIRECT),
        _survey_data,
    ),
    get("cohorts:survey-detail", r("cohorts:survey-detail", lambda g: g.survey.pk), expect(**STAFF)),
    get("cohorts:survey-edit", r("cohorts:survey-edit", lambda g: g.survey.pk), expect(**STAFF)),
    post(
        "cohorts:survey-edit",
        r("cohorts:survey-edit", lambda g: g.survey.pk),
        expect(facilitator=REDIRECT, manager=REDIRECT),
        _survey_data,
    ),
    get("cohorts:survey-question-add", r("cohorts:survey-question-add", lambda g: g.survey.pk), expect(**STAFF)),
    post(
        "cohorts:survey-question-add",
        r("cohorts:survey-question-add", lambda g: g.survey.pk),
        expect(facilitator=REDIRECT, manager=REDIRECT),
        lambda g: {"text": "Was it worth it?", "kind": "yes_no", "audience": "all", "choices": ""},
    ),
    get(
        "cohorts:survey-question-edit",
        r("cohorts:survey-question-edit", lambda g: g.survey.pk, lambda g: g.survey_question.pk),
        expect(**STAFF),
    ),
    post(
        "cohorts:survey-question-edit",
        r("cohorts:survey-question-edit", lambda g: g.survey.pk, lambda g: g.survey_question.pk),
        expect(facilitator=REDIRECT, manager=REDIRECT),
        lambda g: {"text": "Changed?", "kind": "yes_no", "audience": "all", "choices": ""},
    ),
    get(
        "cohorts:survey-question-move",
        r("cohorts:survey-question-move", lambda g: g.survey.pk, lambda g: g.survey_question.pk),
        expect(405),
    ),
    post(
        "cohorts:survey-question-move",
        r("cohorts:survey-question-move", lambda g: g.survey.pk, lambda g: g.survey_question.pk),
        expect(facilitator=REDIRECT, manager=REDIRECT),
        lambda g: {"direction": "down"},
    ),
    get(
        "cohorts:survey-question-delete",
        r("cohorts:survey-question-delete", lambda g: g.survey.pk, lambda g: g.survey_question.pk),
        expect(**STAFF),
    ),
    post(
        "cohorts:survey-question-delete",
        r("cohorts:survey-question-delete", lambda g: g.survey.pk, lambda g: g.survey_question.pk),
        expect(facilitator=REDIRECT, manager=REDIRECT),
    ),
    get("cohorts:survey-results", r("cohorts:survey-results", lambda g: g.survey.pk), expect(**STAFF)),
    get("cohorts:survey-export", r("cohorts:survey-export", lambda g: g.survey.pk), expect(**STAFF)),
    get(
        "cohorts:survey-answer",
        r("cohorts:survey-answer", lambda g: g.survey.pk),
        expect(member=200, other_pair_member=200),
    ),
    post(
        "cohorts:survey-answer",
        r("cohorts:survey-answer", lambda g: g.survey.pk),
        expect(member=REDIRECT, other_pair_member=REDIRECT),
        lambda g: {f"q{g.survey_question.pk}": "4"},
    ),
    # outputs: the pairs' outputs and their review
    get("outputs:index", r("outputs:index"), SIGNED_IN),
    get("outputs:pair-list", r("outputs:pair-list", PAIR_PK), expect(**PAIR)),
    get("outputs:create", r("outputs:create", PAIR_PK), expect(member=200, facilitator=403, manager=403)),
    post(
        "outputs:create",
        r("outputs:create", PAIR_PK),
        expect(member=REDIRECT, facilitator=403, manager=403),
        _output_data,
    ),
    get("outputs:cohort", r("outputs:cohort", COHORT_PK), expect(**STAFF)),
    get(
        "outputs:detail",
        r("outputs:detail", lambda g: g.private_output.pk),
        expect(**PAIR),
        note="private",
    ),
    get(
        "outputs:detail",
        r("outputs:detail", lambda g: g.shared_output.pk),
        expect(**COHORT),
        note="shared",
    ),
    get("outputs:detail", r("outputs:detail", lambda g: g.public_output.pk), SIGNED_IN, note="public"),
    get(
        "outputs:edit",
        r("outputs:edit", lambda g: g.private_output.pk),
        expect(member=200, facilitator=403, manager=403),
        note="private",
    ),
    get(
        "outputs:edit",
        r("outputs:edit", lambda g: g.shared_output.pk),
        # In review: read-only for its authors until sent back.
        expect(member=403, other_pair_member=403, facilitator=403, manager=403),
        note="in-review",
    ),
    post(
        "outputs:edit",
        r("outputs:edit", lambda g: g.private_output.pk),
        expect(member=REDIRECT, facilitator=403, manager=403),
        _output_data,
    ),
    get("outputs:submit", r("outputs:submit", lambda g: g.private_output.pk), expect(405)),
    post(
        "outputs:submit",
        r("outputs:submit", lambda g: g.private_output.pk),
        expect(member=REDIRECT, facilitator=403, manager=403),
    ),
    get(
        "outputs:archive",
        r("outputs:archive", lambda g: g.private_output.pk),
        expect(member=200, facilitator=403, manager=403),
    ),
    post(
        "outputs:archive",
        r("outputs:archive", lambda g: g.private_output.pk),
        expect(member=REDIRECT, facilitator=403, manager=403),
    ),
    get("outputs:publish", r("outputs:publish", lambda g: g.shared_output.pk), expect(405)),
    post(
        "outputs:publish",
        r("outputs:publish", lambda g: g.shared_output.pk),
        expect(member=403, other_pair_member=403, facilitator=REDIRECT, manager=REDIRECT),
    ),
    get(
        "outputs:send-back",
        r("outputs:send-back", lambda g: g.shared_output.pk),
        expect(member=403, other_pair_member=403, **STAFF),
    ),
    post(
        "outputs:send-back",
        r("outputs:send-back", lambda g: g.shared_output.pk),
        expect(member=403, other_pair_member=403, facilitator=REDIRECT, manager=REDIRECT),
        lambda g: {"comment": "Say more about the day centre."},
    ),
    get("outputs:feature", r("outputs:feature", lambda g: g.public_output.pk), expect(405)),
    post(
        "outputs:feature",
        r("outputs:feature", lambda g: g.public_output.pk),
        expect(403, facilitator=REDIRECT, manager=REDIRECT),
        lambda g: {"featured": "1"},
    ),
    get(
        "outputs:file", r("outputs:file", lambda g: g.private_output.pk), expect(anonymous=404, **PAIR), note="private"
    ),
    get("outputs:file", r("outputs:file", lambda g: g.public_output.pk), expect(200, anonymous=200), note="public"),
    # outputs: the year-end report, for the cohort's staff
    get("reports:preview", r("reports:preview", COHORT_PK), expect(**STAFF)),
    get(
        "reports:preview",
        r("reports:preview", OTHER_COHORT_PK),
        expect(other_facilitator=200, manager=200),
        note="other",
    ),
    get("reports:edit", r("reports:edit", COHORT_PK), expect(**STAFF)),
    post(
        "reports:edit",
        r("reports:edit", COHORT_PK),
        expect(facilitator=REDIRECT, manager=REDIRECT),
        _report_data,
    ),
    get("reports:pdf", r("reports:pdf", COHORT_PK), expect(**STAFF)),
    get("reports:docx", r("reports:docx", COHORT_PK), expect(**STAFF)),
    get("reports:xlsx", r("reports:xlsx", COHORT_PK), expect(**STAFF)),
    get(
        "reports:csv",
        lambda g: reverse("reports:csv", args=[g.cohort_pk]) + "?table=members",
        expect(**STAFF),
    ),
    # library: the public outputs
    get("library:index", r("library:index"), expect(200, anonymous=200)),
    get("library:feed", r("library:feed"), expect(200, anonymous=200)),
    get("library:detail", r("library:detail", lambda g: g.public_output.pk), expect(200, anonymous=200), note="public"),
    get("library:detail", r("library:detail", lambda g: g.shared_output.pk), expect(404, anonymous=404), note="shared"),
]


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


_SNAPSHOT_APPS = {"programme", "cohorts", "pairs", "outputs"}


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
            user = _user(gate, role)
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
        InsightFactory(cohort=world.cohort, event=event, speaker=world.alice_membership)
        question = SurveyQuestionFactory(survey=gate.survey)
        answer = SurveyResponseFactory(survey=gate.survey, membership=policymaker)
        SurveyAnswerFactory(response=answer, question=question)
        MembershipFactory(cohort=world.cohort, side=Side.PRACTITIONER)  # unpaired
        make_pair(world.other_cohort)


def _client(gate: Gate, role: str) -> Client:
    client = Client()
    user = _user(gate, role)
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
