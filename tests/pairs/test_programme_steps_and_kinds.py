"""A second programme of another shape: six steps, events that are visits or webinars (webinars not counting
towards commitment) and its own kinds of activity. Steps, deadlines, the last-step rule, event labels and
commitment follow each programme's own shape."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse

from cohorts import rules as cohort_rules
from cohorts.forms import EventForm
from cohorts.models import Attendance, Membership, Side, number_events
from pairs import rules as pair_rules
from pairs.activity_forms import ActivityForm
from pairs.commitment import commitment_of, commitment_totals_out_of_date
from pairs.filters import ActivityFilter
from pairs.models import Activity, StepDeadline, StepProgress
from pairs.selectors import cohort_pairs_data
from pairs.services import activity_create, step_deadlines_create_default, step_update
from programme.models import ActivityKind, EventKind, Programme, RefiningStep
from programme.typing import form_field
from reports.building import report_event_rows, report_figures, report_steps_done
from reports.figures import steps_svg
from tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    CohortFactory,
    EventFactory,
    MembershipFactory,
    ProgrammeFactory,
    UserFactory,
    make_pair,
)

EXCHANGE_STEPS = [("notice", "Notice", 20), ("ask", "Ask", 40), ("listen", "Listen", 70), ("try", "Try", 100)]
EXCHANGE_STEPS += [("review", "Review", 150), ("share", "Share", 200)]


def _exchange_programme() -> Programme:
    """The health and care exchange: six steps, visits and webinars, and its own kinds of activity."""
    programme = ProgrammeFactory(name="Health and Care Exchange", slug="health-and-care-exchange")
    RefiningStep.objects.filter(programme=programme).delete()
    EventKind.objects.filter(programme=programme).delete()
    ActivityKind.objects.filter(programme=programme).delete()
    # Created out of order: the order field, not the creation order, is the step's number.
    for code, name, days in reversed(EXCHANGE_STEPS):
        number = [step[0] for step in EXCHANGE_STEPS].index(code) + 1
        RefiningStep.objects.create(
            programme=programme,
            code=code,
            name=name,
            order=number,
            default_due_after_days=days,
            guidance=f"What to do in {name}.",
        )
    EventKind.objects.create(programme=programme, code="visit", name="Visit", order=1)
    EventKind.objects.create(
        programme=programme, code="webinar", name="Webinar", order=2, counts_towards_commitment=False
    )
    ActivityKind.objects.create(
        programme=programme, code="ward_visit", name="Ward visit", order=1, report_group="Visits to each other's worlds"
    )
    ActivityKind.objects.create(
        programme=programme, code="home_visit", name="Home visit", order=2, report_group="Visits to each other's worlds"
    )
    ActivityKind.objects.create(
        programme=programme, code="reading", name="Reading", order=3, counts_towards_commitment=False
    )
    return programme


@pytest.fixture
def exchange(db):
    programme = _exchange_programme()
    cohort = CohortFactory(programme=programme, name="Wave 1", number=1, starts_on=date(2026, 1, 5))
    pair = make_pair(cohort)
    return cohort, pair


def test_a_pair_gets_its_programmes_six_steps_in_order(exchange):
    _cohort, pair = exchange
    steps = list(pair.steps.order_by("step"))
    assert [progress.step for progress in steps] == [1, 2, 3, 4, 5, 6]
    assert [progress.get_step_display() for progress in steps] == [name for _code, name, _days in EXCHANGE_STEPS]
    assert steps[2].guidance == "What to do in Listen."
    assert pair.current_step().get_step_display() == "Notice"


def test_a_pair_of_the_default_programme_still_gets_four_steps(world):
    assert list(world.pair.steps.order_by("step").values_list("step", flat=True)) == [1, 2, 3, 4]


def test_an_archived_step_is_not_given_to_new_pairs(exchange):
    cohort, _pair = exchange
    RefiningStep.objects.filter(programme=cohort.programme, code="review").update(archived=True)
    from programme import shape

    shape.forget()  # update() saves no row, so the cache is told by hand
    pair = make_pair(cohort)
    assert list(pair.steps.order_by("step").values_list("step", flat=True)) == [1, 2, 3, 4, 6]


def test_a_new_cohort_gets_deadlines_from_each_steps_offset(exchange):
    cohort, _pair = exchange
    created = step_deadlines_create_default(cohort=cohort)
    assert len(created) == 6
    deadlines = dict(StepDeadline.objects.filter(cohort=cohort).values_list("step", "due_on"))
    start = date(2026, 1, 5)
    assert deadlines == {
        number: start + timedelta(days=days) for number, (_code, _name, days) in enumerate(EXCHANGE_STEPS, start=1)
    }


def test_default_deadlines_keep_the_ones_a_cohort_set(exchange):
    cohort, _pair = exchange
    StepDeadline.objects.create(cohort=cohort, step=2, due_on=date(2026, 3, 31))
    step_deadlines_create_default(cohort=cohort)
    assert StepDeadline.objects.get(cohort=cohort, step=2).due_on == date(2026, 3, 31)
    assert StepDeadline.objects.filter(cohort=cohort).count() == 6
    assert step_deadlines_create_default(cohort=cohort) == []  # run again, nothing more


def test_the_admins_new_cohort_gets_its_programmes_deadlines(db, client):
    programme = _exchange_programme()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    prefix = "step_deadlines"
    response = client.post(
        reverse("admin:cohorts_cohort_add"),
        {
            "programme": programme.pk,
            "name": "Wave 2",
            "number": 2,
            "status": "recruiting",
            "starts_on": "2026-09-01",
            "ends_on": "2027-07-31",
            "min_commitment_days": "12",
            "hours_per_day": "7.5",
            "stalled_after_days": "42",
            "repair_grace_days": "30",
            "policymaker_target": "0",
            "practitioner_target": "0",
            "questions-TOTAL_FORMS": "0",
            "questions-INITIAL_FORMS": "0",
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-0-step": "6",
            f"{prefix}-0-due_on": "2027-06-30",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    cohort = programme.cohorts.get(name="Wave 2")
    deadlines = dict(StepDeadline.objects.filter(cohort=cohort).values_list("step", "due_on"))
    assert deadlines[1] == date(2026, 9, 21)  # 20 days after the start
    assert deadlines[5] == date(2026, 9, 1) + timedelta(days=150)
    assert deadlines[6] == date(2027, 6, 30)  # typed in: kept
    assert len(deadlines) == 6


def _finish(progress: StepProgress, user) -> StepProgress:
    return step_update(progress=progress, status=StepProgress.Status.DONE, summary="What we found.", by=user)


def test_the_last_step_waits_for_the_earlier_ones_named_from_the_shape(exchange):
    _cohort, pair = exchange
    user = pair.current_member_list()[0].membership.user
    steps = {progress.step: progress for progress in pair.steps.all()}
    _finish(steps[4], user)  # step 4 is not the last step here: no rule
    with pytest.raises(ValidationError, match=re.escape("Step 6 (Share) can only be done once steps 1 to 5 are done.")):
        _finish(steps[6], user)
    for number in (1, 2, 3, 5):
        _finish(steps[number], user)
    assert _finish(steps[6], user).status == StepProgress.Status.DONE


def test_the_last_step_rule_of_the_default_programme_is_unchanged(world):
    steps = {progress.step: progress for progress in world.pair.steps.all()}
    with pytest.raises(ValidationError, match=re.escape("Step 4 (Act) can only be done once steps 1 to 3 are done.")):
        _finish(steps[4], world.alice)


def test_the_pairs_grid_and_the_overview_have_a_column_or_row_per_programme_step(exchange, client):
    cohort, _pair = exchange
    data = cohort_pairs_data(cohort, date(2026, 2, 1), page=1, at_risk_only=False)
    assert [f"{step.number} {step.name}" for step in data["step_columns"]] == [
        "1 Notice",
        "2 Ask",
        "3 Listen",
        "4 Try",
        "5 Review",
        "6 Share",
    ]
    assert [progress.step for progress in data["rows"][0].step_cells] == [1, 2, 3, 4, 5, 6]
    facilitator = UserFactory()
    cohort.facilitators.add(facilitator)
    client.force_login(facilitator)
    page = client.get(reverse("pairs:cohort-pairs", args=[cohort.pk])).content.decode()
    assert '<th scope="col">6 Share</th>' in page
    assert "4 Act" not in page
    overview = client.get(reverse("pairs:cohort-overview", args=[cohort.pk])).content.decode()
    assert '<th scope="row">6 Share</th>' in overview  # the overview's count of pairs at each step
    assert "4 Act" not in overview


def test_the_reports_steps_figure_shows_the_programmes_steps(exchange):
    cohort, pair = exchange
    user = pair.current_member_list()[0].membership.user
    _finish(pair.steps.get(step=1), user)
    steps = report_steps_done(cohort)
    assert steps == [
        (1, "Notice", 1),
        (2, "Ask", 0),
        (3, "Listen", 0),
        (4, "Try", 0),
        (5, "Review", 0),
        (6, "Share", 0),
    ]
    svg = steps_svg(steps, pairs=1)
    assert ">6 Share</text>" in svg and "Act" not in svg


def test_event_forms_offer_the_programmes_kinds_and_label_visit_two(exchange):
    cohort, _pair = exchange
    form = EventForm(cohort=cohort)
    kind = form_field(form, "kind", forms.ChoiceField)
    assert kind.choices == [("visit", "Visit"), ("webinar", "Webinar")]
    assert form.initial["kind"] == "visit"
    first = EventFactory(cohort=cohort, kind="visit", starts_at=EventFactory.starts_at.function() - timedelta(days=9))
    EventFactory(cohort=cohort, kind="webinar", starts_at=first.starts_at + timedelta(days=1))
    second = EventFactory(cohort=cohort, kind="visit", starts_at=first.starts_at + timedelta(days=2))
    number_events([first, second])
    assert f"{second.get_kind_display()} {second.number}" == "Visit 2"
    assert kind.valid_value("visit") and not kind.valid_value("workshop")
    assert [row.label for row in report_event_rows(cohort)] == ["Visit 1", "Webinar 1", "Visit 2"]


def test_activity_form_and_filter_offer_the_programmes_kinds(exchange):
    _cohort, pair = exchange
    expected = [("ward_visit", "Ward visit"), ("home_visit", "Home visit"), ("reading", "Reading")]
    assert form_field(ActivityForm(pair=pair), "kind", forms.ChoiceField).choices == [("", "---------"), *expected]
    activity_filter = ActivityFilter({}, queryset=Activity.objects.for_pair(pair), pair=pair)
    assert list(activity_filter.form.fields["kind"].choices)[1:] == expected


def test_commitment_leaves_out_webinars_and_activities_that_do_not_count(exchange):
    cohort, pair = exchange
    member = pair.current_member_list()[0].membership
    visit = EventFactory(cohort=cohort, kind="visit", length_days=Decimal("1"))
    webinar = EventFactory(cohort=cohort, kind="webinar", length_days=Decimal("0.5"))
    for event in (visit, webinar):
        AttendanceFactory(event=event, membership=member, status=Attendance.Status.ATTENDED)
    ActivityFactory(pair=pair, kind="ward_visit", hours=Decimal("7.5"), attendees=[member])
    ActivityFactory(pair=pair, kind="reading", hours=Decimal("15"), attendees=[member])

    commitment = commitment_of(Membership.objects.select_related("cohort").get(pk=member.pk))
    assert (commitment.event_days, commitment.activity_hours, commitment.days) == (
        Decimal("1.00"),
        Decimal("7.50"),
        Decimal("2.0"),
    )
    assert commitment_totals_out_of_date() == []  # the stored totals are the rule's, recounted in SQL


def test_the_default_programme_counts_every_kind_as_before(world):
    member = world.alice_membership
    workshop = EventFactory(cohort=world.cohort, length_days=Decimal("1"))
    AttendanceFactory(event=workshop, membership=member, status=Attendance.Status.ATTENDED)
    ActivityFactory(pair=world.pair, kind=Activity.Kind.DESK_RESEARCH, hours=Decimal("7.5"), attendees=[member])
    member.refresh_from_db()
    assert commitment_of(member).days == Decimal("2.0")


def test_a_kind_marked_not_counting_later_stops_counting_everywhere(world):
    member = MembershipFactory(cohort=world.cohort, side=Side.POLICYMAKER)
    roundtable = EventFactory(cohort=world.cohort, kind="roundtable", length_days=Decimal("1"))
    AttendanceFactory(event=roundtable, membership=member, status=Attendance.Status.ATTENDED)
    member.refresh_from_db()
    assert commitment_of(member).event_days == Decimal("1")
    kind = EventKind.objects.get(programme=world.cohort.programme, code="roundtable")
    kind.counts_towards_commitment = False
    kind.save()
    assert commitment_of(Membership.objects.get(pk=member.pk)).event_days == Decimal("0")


def test_an_activity_or_event_of_another_programmes_kind_is_refused(exchange):
    cohort, pair = exchange
    member = pair.current_member_list()[0].membership
    with pytest.raises(ValidationError, match=re.escape(pair_rules.UNKNOWN_ACTIVITY_KIND)):
        activity_create(
            pair=pair,
            kind=Activity.Kind.MEETING,
            occurred_on=date(2026, 2, 1),
            hours=Decimal("1"),
            attendees=[member],
            by=member.user,
        )
    event = EventFactory.build(cohort=cohort, kind="workshop")
    with pytest.raises(ValidationError, match=re.escape(cohort_rules.UNKNOWN_EVENT_KIND)):
        event.full_clean()
    event.kind = "webinar"
    event.full_clean()


def test_the_admin_lists_and_filters_events_by_their_kinds_names(exchange, client):
    cohort, _pair = exchange
    EventFactory(cohort=cohort, kind="webinar", title="Discharge webinar")
    EventFactory(cohort=cohort, kind="visit", title="Ward visit day")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:cohorts_event_changelist"), {"kind": "webinar"}).content.decode()
    assert "Discharge webinar" in page and "Ward visit day" not in page
    assert ">Webinar</td>" in page


def test_the_report_groups_activities_by_their_kinds_report_group(exchange):
    cohort, pair = exchange
    member = pair.current_member_list()[0].membership
    for kind in ("ward_visit", "home_visit", "reading"):
        ActivityFactory(pair=pair, kind=kind, hours=Decimal("7.5"), attendees=[member])
    memberships = list(Membership.objects.filter(cohort=cohort).select_related("cohort", "user"))
    figures = report_figures(cohort, memberships)
    assert figures.visits_by_group == [("Visits to each other's worlds", 2)]
    assert [row.label for row in figures.activities] == ["Ward visit", "Home visit", "Reading"]
    assert figures.commitment_days == Decimal("2.0")  # reading's hours do not count
