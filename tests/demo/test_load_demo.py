"""The demo loader builds the Connecting Policy with Practice programme, live around today, and rebuilds it cleanly."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import F, Max, Sum
from django.utils import timezone

from cohorts.models import Attendance, Cohort, Event, Insight, Membership, Side, Survey, SurveyQuestion
from demo.loading import DEMO_LOGINS, DEMO_PASSWORD, PROGRAMME_SLUG, Demo, demo_load
from outputs.models import Output
from pairs.models import Activity, LearningPair, PairMember, Step, StepDeadline, StepProgress, check_pair_composition
from programme.models import User
from reports.models import ReportPart, YearEndReport
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_loading_twice_leaves_the_same_rows_in_every_table_and_keeps_other_data():
    bystander = MembershipFactory(user__email="someone@example.org", user__organisation__name="Shelter")
    demo_load()
    first = _row_counts()
    demo_load()
    assert _row_counts() == first
    assert first["pairs.LearningPair"] > 0 and first["pairs.HistoricalActivity"] > 0
    assert Membership.objects.filter(pk=bystander.pk, user__email="someone@example.org").exists()


def test_command_refuses_to_run_with_debug_off_unless_forced_and_prints_the_logins(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("load_demo", stdout=StringIO())
    assert not Cohort.objects.filter(programme__slug=PROGRAMME_SLUG).exists()
    out = StringIO()
    call_command("load_demo", "--force", stdout=out)
    assert all(email in out.getvalue() for email, _ in DEMO_LOGINS)
    assert DEMO_PASSWORD in out.getvalue()


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker) -> Iterator[Demo]:
    """The demo, loaded once for the class inside a transaction that is rolled back after its last test."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield demo_load()
        transaction.set_rollback(True)


class TestTheDemo:
    def test_demo_logins_sign_in_with_the_demo_password(self, demo, client):
        assert {email for email, _ in DEMO_LOGINS} == {
            "manager@pairwise.test",
            "facilitator@pairwise.test",
            "policymaker@pairwise.test",
            "practitioner@pairwise.test",
            "other@pairwise.test",
        }
        for email, _ in DEMO_LOGINS:
            assert client.login(email=email, password=DEMO_PASSWORD), email
            client.logout()

    def test_manager_is_staff_and_facilitator_runs_only_2014_15_without_staff_rights(self, demo):
        manager = User.objects.get(email="manager@pairwise.test")
        facilitator = User.objects.get(email="facilitator@pairwise.test")
        assert manager.is_staff and manager.is_superuser
        assert not facilitator.is_staff and not facilitator.is_superuser
        assert list(facilitator.facilitated_cohorts.all()) == [demo.year2]

    def test_policymaker_and_practitioner_share_an_active_pair_at_step_2_with_a_draft(self, demo):
        policymaker = User.objects.get(email="policymaker@pairwise.test")
        practitioner = User.objects.get(email="practitioner@pairwise.test")
        pair = LearningPair.objects.for_user(policymaker).get(cohort=demo.year2)
        assert LearningPair.objects.for_user(practitioner).get(cohort=demo.year2) == pair
        assert {m.membership.side for m in pair.current_member_list()} == {Side.POLICYMAKER, Side.PRACTITIONER}
        assert pair.status == LearningPair.Status.ACTIVE
        current = pair.current_step()
        assert current is not None and current.step == Step.UNDERSTAND
        assert pair.activities.count() >= 3
        assert pair.outputs.filter(status=Output.Status.DRAFTING).exists()

    def test_other_login_is_in_another_pair_of_2014_15(self, demo):
        other = User.objects.get(email="other@pairwise.test")
        policymaker = User.objects.get(email="policymaker@pairwise.test")
        other_pair = LearningPair.objects.for_user(other).get(cohort=demo.year2)
        assert other_pair != LearningPair.objects.for_user(policymaker).get(cohort=demo.year2)
        assert other_pair.status == LearningPair.Status.ACTIVE

    def test_2014_15_is_running_around_today_and_2013_concluded_a_year_earlier(self, demo):
        today = timezone.localdate()
        year1, year2 = demo.year1, demo.year2
        assert (year2.name, year2.number, year2.status) == ("2014-15", 2, Cohort.Status.RUNNING)
        assert year2.starts_on < today - timedelta(days=120) and year2.ends_on > today + timedelta(days=90)
        assert (year1.name, year1.number, year1.status) == ("2013", 1, Cohort.Status.CONCLUDED)
        assert year1.ends_on < year2.starts_on
        assert [q.short_title for q in year1.questions.all()] == [
            "Service design",
            "Funding models",
            "Partnership and collaboration",
        ]
        deadlines = dict(StepDeadline.objects.filter(cohort=year2).values_list("step", "due_on"))
        assert deadlines[Step.IDENTIFY] < today < deadlines[Step.UNDERSTAND] <= today + timedelta(days=7)
        assert deadlines[Step.UNDERSTAND] < deadlines[Step.EXPLORE] < deadlines[Step.ACT] < year2.ends_on

    def test_five_disconnects_found_in_2013_and_each_question_comes_from_one(self, demo):
        disconnects = list(demo.programme.disconnects.all())
        assert len(disconnects) == 5
        assert set(demo.year1.disconnects_found.all()) == set(disconnects)
        questions = list(demo.year2.questions.all())
        assert len(questions) == 2
        sources = [set(question.disconnects.all()) for question in questions]
        assert all(len(source) == 1 for source in sources) and sources[0] != sources[1]
        for question in questions:
            assert list(question.findings.values_list("order", flat=True)) == [1, 2, 3, 4]
            assert all(finding.body for finding in question.findings.all())

    def test_thirty_members_from_both_sides_with_interests(self, demo):
        memberships = Membership.objects.filter(cohort=demo.year2).select_related("user")
        assert memberships.count() == 30
        assert memberships.filter(side=Side.POLICYMAKER).count() == 15
        assert all(m.user.email.endswith("@pairwise.test") and m.user.organisation_id for m in memberships)
        assert all(m.user.interests.exists() for m in memberships)

    def test_fifteen_pairs_every_active_one_well_formed(self, demo):
        pairs = LearningPair.objects.filter(cohort=demo.year2)
        assert pairs.count() == 15
        for pair in pairs.filter(status=LearningPair.Status.ACTIVE):
            check_pair_composition(pair.current_member_list(), pair.cohort.shape)
        steps_done = [
            StepProgress.objects.filter(pair=pair, status=StepProgress.Status.DONE).count()
            for pair in pairs.exclude(status=LearningPair.Status.DISSOLVED)
        ]
        assert {0, 1, 2, 4} <= set(steps_done)
        done = StepProgress.objects.filter(pair__cohort=demo.year2, status=StepProgress.Status.DONE)
        assert done.exists() and not done.filter(summary="").exists()

    def test_one_pair_is_stalled_with_no_recent_activity_and_an_overdue_step(self, demo):
        today = timezone.localdate()
        stalled = LearningPair.objects.get(cohort=demo.year2, status=LearningPair.Status.STALLED)
        last_activity = stalled.activities.aggregate(last=Max("occurred_on"))["last"]
        assert last_activity < today - timedelta(days=demo.year2.stalled_after_days)
        assert StepProgress.objects.overdue(today).filter(pair=stalled).exists()
        assert LearningPair.objects.filter(status=LearningPair.Status.STALLED).count() == 1

    def test_a_withdrawal_left_a_partner_who_moved_into_a_trio(self, demo):
        withdrawn = Membership.objects.get(cohort=demo.year2, status=Membership.Status.WITHDRAWN)
        assert withdrawn.withdrawn_on and withdrawn.withdrawal_reason
        old_seat = PairMember.objects.get(membership=withdrawn)
        assert old_seat.left_on is not None
        trios = [p for p in LearningPair.objects.filter(cohort=demo.year2) if len(p.current_member_list()) == 3]
        assert len(trios) == 1
        trio = trios[0]
        assert trio.status == LearningPair.Status.ACTIVE
        moved = [m for m in trio.current_member_list() if m.membership.pair_memberships.count() == 2]
        assert len(moved) == 1
        earlier_seat = moved[0].membership.pair_memberships.exclude(pair=trio).get()
        assert earlier_seat.pair == old_seat.pair and earlier_seat.left_on is not None
        old_seat.pair.refresh_from_db()
        assert old_seat.pair.status == LearningPair.Status.DISSOLVED

    def test_live_pairs_other_than_the_stalled_one_logged_an_activity_in_the_last_three_weeks(self, demo):
        recent = timezone.localdate() - timedelta(days=demo.year2.stalled_after_days)
        for pair in LearningPair.objects.filter(cohort=demo.year2, status=LearningPair.Status.ACTIVE):
            assert pair.activities.filter(occurred_on__gte=recent).exists(), pair

    def test_activities_of_every_kind_with_learning_private_notes_and_hours(self, demo):
        activities = Activity.objects.filter(pair__cohort=demo.year2)
        assert set(activities.values_list("kind", flat=True)) == set(Activity.Kind.values)
        assert activities.exclude(private_notes="").exists()
        assert not activities.filter(learning="").exists()
        assert activities.aggregate(total=Sum("hours"))["total"] > Decimal("100")

    def test_four_workshops_of_three_and_a_half_days_and_three_roundtables_with_guests(self, demo):
        now = timezone.now()
        events = Event.objects.filter(cohort=demo.year2)
        workshops = events.filter(kind=Event.Kind.WORKSHOP)
        roundtables = events.filter(kind=Event.Kind.ROUNDTABLE)
        assert workshops.count() == 4 and roundtables.count() == 3
        assert workshops.aggregate(days=Sum("length_days"))["days"] == Decimal("3.5")
        assert workshops.filter(ends_at__lt=now).count() == 2
        # All three held, the language roundtable third, as in the seed report ("Year 2, Roundtable 3").
        assert [r.title for r in roundtables.filter(ends_at__lt=now).order_by("starts_at")][2] == "Mind your language"
        assert all(roundtable.guests.exists() for roundtable in roundtables)
        past_attendance = Attendance.objects.filter(event__cohort=demo.year2, event__ends_at__lt=now)
        current = past_attendance.exclude(membership__status=Membership.Status.WITHDRAWN)
        assert set(current.values_list("status", flat=True)) == {
            Attendance.Status.ATTENDED,
            Attendance.Status.APOLOGIES,
        }
        withdrawn = past_attendance.filter(membership__status=Membership.Status.WITHDRAWN)
        after_leaving = withdrawn.filter(event__starts_at__date__gt=F("membership__withdrawn_on"))
        assert after_leaving.exists() and not after_leaving.exclude(status=Attendance.Status.INVITED).exists()

    def test_insights_are_quoted_from_both_sides_and_guests(self, demo):
        insights = Insight.objects.filter(cohort=demo.year2)
        assert {i.speaker.side for i in insights if i.speaker} == {Side.POLICYMAKER, Side.PRACTITIONER}
        assert insights.filter(guest__isnull=False).exists()
        assert "Y2 policymaker" in {i.attribution().split(",")[0] for i in insights}

    def test_outputs_in_every_status_and_visibility_with_featured_public_case_studies(self, demo):
        outputs = Output.objects.filter(pair__cohort=demo.year2)
        assert set(outputs.values_list("status", flat=True)) == set(Output.Status.values)
        assert set(outputs.values_list("visibility", flat=True)) == set(Output.Visibility.values)
        featured = set(outputs.public().filter(featured=True).values_list("title", flat=True))
        assert {"Top tips on language use", "Comparing two approaches to consultation"} <= featured

    def test_year_end_report_has_the_seeds_front_matter_sections_and_lessons(self, demo):
        report = YearEndReport.objects.get(cohort=demo.year2)
        assert report.unwritten_sections() == []
        assert report.author_names() == ["Ben Hartley", "Alison Carter"]
        lessons = ReportPart.objects.filter(cohort=demo.year2, kind=ReportPart.Kind.LESSON)
        assert lessons.count() == 6

    def test_a_closed_end_of_year_survey_has_answers_to_every_kind_of_question(self, demo):
        survey = Survey.objects.get(cohort=demo.year1, title__startswith="End-of-year")
        assert survey.closes_at < timezone.now()
        assert set(survey.questions.values_list("kind", flat=True)) == set(SurveyQuestion.Kind.values)
        assert survey.responses.count() >= 10
        for question in survey.questions.all():
            assert question.answers.exists(), question

    def test_2015_16_is_recruiting_with_an_open_call_and_a_dozen_applications_in_mixed_states(self, demo):
        cohort = Cohort.objects.get(programme=demo.programme, name="2015-16")
        today = timezone.localdate()
        assert cohort.status == Cohort.Status.RECRUITING
        assert cohort.applications_open_on is not None and cohort.applications_close_on is not None
        assert cohort.applications_open_on <= today <= cohort.applications_close_on
        statuses = Counter(cohort.applications.values_list("status", flat=True))
        assert sum(statuses.values()) == 12
        assert set(statuses) == {"submitted", "shortlisted", "accepted", "waitlisted", "declined"}
        assert cohort.memberships.count() == statuses["accepted"]
        assert cohort.targeted_departments.count() == 9

    def test_command_explains_when_a_demo_person_is_used_outside_the_demo(self, demo, settings):
        settings.DEBUG = True
        stranger = MembershipFactory(user=demo.people["hannah"])
        with pytest.raises(CommandError, match="outside the demo"):
            call_command("load_demo", stdout=StringIO())
        assert Membership.objects.filter(pk=stranger.pk).exists()
        assert LearningPair.objects.filter(cohort=demo.year2).count() == 15
