"""The gate's world: the eight roles, the shared objects each URL acts on, and the row helpers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from cohorts.models import Application, Cohort, Event, Side, Survey, SurveyQuestion
from cohorts.services import event_create, guest_add
from notifications.models import Kind
from notifications.services import notification_raise
from outputs.models import Output
from pairs.models import Activity, PairMember, PrivateNotesReading
from pairs.services import membership_withdraw, pair_member_add
from programme.models import ExportFile, SectorCode, User
from programme.tokens import invitation_token_generator
from reports.models import ReportExport, SurveyEvidence
from tests.conftest import World
from tests.factories import (
    ActivityFactory,
    ApplicationFactory,
    CaseStudyFactory,
    CohortFactory,
    ExportFileFactory,
    FindingFactory,
    InsightFactory,
    MembershipFactory,
    OutputFactory,
    PublishedOutputFactory,
    QuestionFactory,
    ReferenceFactory,
    SurveyFactory,
    SurveyQuestionFactory,
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
    recruiting: Cohort  # the programme's next year, its call for applications open; nobody facilitates it yet
    application: Application  # to the pair's cohort, so its facilitator selects (and the other one may not)
    export_file: ExportFile  # a finished admin export the manager asked for

    @property
    def cohort_pk(self) -> int:
        return self.world.cohort.pk

    @property
    def pair_pk(self) -> int:
        return self.world.pair.pk


def gate_build(world: World) -> Gate:
    """The shared objects of the gate, around the personas' world."""
    now = timezone.now()
    cohort = world.cohort
    wendy = MembershipFactory(
        cohort=cohort,
        side=Side.PRACTITIONER,
        user__email="wendy@example.org",
        user__full_name="Wendy Withdrawn",
        user__organisation__name="Crisis",
        user__organisation__sector=SectorCode.VOLUNTARY,
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
    # A reading of the pair's private notes, long lapsed: the pair's list of readers is not empty.
    PrivateNotesReading.objects.create(
        pair=world.pair, reader=world.facilitator, reason="Checking in", read_at=now - timedelta(days=3)
    )
    survey = SurveyFactory(cohort=cohort)
    # The report quotes a question of the previous cohort's survey: a survey's results are read once, however many
    # of its questions the report quotes.
    earlier = SurveyFactory(cohort=world.other_cohort)
    SurveyEvidence.objects.create(cohort=cohort, question=SurveyQuestionFactory(survey=earlier))
    question = QuestionFactory(cohort=cohort)
    report_writing_build(cohort, question)
    # The report's PDF, built earlier by its task: the download serves it (the Word and XLSX files are not built).
    ReportExport.objects.create(
        cohort=cohort, kind="pdf", status="ready", requested_at=now, built_at=now, content=TINY_PDF, fingerprint="x"
    )
    today_date = timezone.localdate()
    recruiting = CohortFactory(
        programme=cohort.programme,
        name="Next year",
        number=99,
        status=Cohort.Status.RECRUITING,
        starts_on=today_date + timedelta(days=60),
        ends_on=today_date + timedelta(days=400),
        applications_open_on=today_date - timedelta(days=10),
        applications_close_on=today_date + timedelta(days=20),
    )
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
        recruiting=recruiting,
        application=ApplicationFactory(cohort=cohort, reviewer_notes="Strong on service design."),
        export_file=ExportFileFactory(requested_by=world.manager),
    )


def report_writing_build(cohort, question) -> None:
    """The report's writing, so its pages list some at n: a finding citing an insight and a reference, and a
    case study after it."""
    insight = InsightFactory(cohort=cohort, question=question)
    reference = ReferenceFactory(cohort=cohort)
    finding = FindingFactory(question=question, body=f"A claim.[[insight:{insight.pk}]][[ref:{reference.pk}]]")
    CaseStudyFactory(cohort=cohort, finding=finding).credited_people.set(cohort.facilitators.all())


def role_user(gate: Gate, role: str) -> User | None:
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


def today_iso() -> str:
    return timezone.localdate().isoformat()


def event_data(g: Gate) -> dict:
    soon = timezone.localtime() + timedelta(days=20)
    return {
        "kind": "workshop",
        "title": "Changed",
        "starts_at": soon.strftime("%Y-%m-%dT10:00"),
        "ends_at": soon.strftime("%Y-%m-%dT16:00"),
        "length_days": "1",
    }


def survey_data(g: Gate) -> dict:
    now = timezone.localtime()
    return {
        "title": "Mid-year check-in",
        "introduction": "",
        "opens_at": (now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + timedelta(days=9)).strftime("%Y-%m-%dT%H:%M"),
    }


def application_data(g: Gate) -> dict:
    return {
        "full_name": "Priya Patel",
        "email": "priya@example.org",
        "organisation": "",
        "organisation_name": "Hackney Foodbank",
        "sector": SectorCode.VOLUNTARY,
        "side": Side.PRACTITIONER,
        "job_title": "Coordinator",
        "motivation": "To see how policy is made.",
        "website": "",
    }


def invitation_link(user: User) -> str:
    return reverse(
        "invitation-accept",
        args=[urlsafe_base64_encode(force_bytes(user.pk)), invitation_token_generator.make_token(user)],
    )


def output_data(g: Gate) -> dict:
    return {"kind": "case_study", "title": "Changed title", "summary": "A summary.", "visibility": "pair"}


def activity_data(g: Gate) -> dict:
    return {"kind": "meeting", "occurred_on": today_iso(), "hours": "2", "attendees": [g.world.alice_membership.pk]}


def report_data(g: Gate) -> dict:
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
