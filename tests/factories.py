"""One factory per model. Pairs are best built through pairs.services (see make_pair)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

import factory
from django.db.models import Model
from django.utils import timezone

from cohorts.models import (
    Application,
    Attendance,
    Cohort,
    DecisionLetter,
    Event,
    ExternalGuest,
    Finding,
    Insight,
    Membership,
    Question,
    Side,
    Survey,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
)
from outputs.models import Output
from pairs.models import Activity, LearningPair, PairMember, Step, StepDeadline, StepProgress
from programme.models import Disconnect, ExportFile, Organisation, PolicyArea, Programme, SectorCode, User
from reports.models import CaseStudy, Reference, YearEndReport

PASSWORD = "pairwise-test"

_Model = TypeVar("_Model", bound=Model)


class ModelFactory(factory.django.DjangoModelFactory[_Model]):
    """Calling a factory builds its model; this tells the type checker so (factory_boy's metaclass does not)."""

    class Meta:
        abstract = True

    if TYPE_CHECKING:
        # factory_boy's metaclass returns the model from `Factory()`; `__new__` is how to say so to mypy,
        # which otherwise insists that `__new__` returns the factory itself.
        def __new__(cls, *args: Any, **kwargs: Any) -> _Model: ...  # type: ignore[misc]


class OrganisationFactory(ModelFactory[Organisation]):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Organisation {n}")
    sector = SectorCode.VOLUNTARY


class PolicyAreaFactory(ModelFactory[PolicyArea]):
    class Meta:
        model = PolicyArea
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Policy area {n}")


class UserFactory(ModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    job_title = "Policy adviser"
    organisation = factory.SubFactory(OrganisationFactory)
    # A person who has consented to be named, as most of the real programme's people did; a new account's
    # default is no consent, and the privacy tests set it off where it matters.
    consents_to_be_named = True
    password = factory.django.Password(PASSWORD)


class ProgrammeFactory(ModelFactory[Programme]):
    class Meta:
        model = Programme
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Programme {n}")
    slug = factory.Sequence(lambda n: f"programme-{n}")
    description = "A cross-sector learning programme."


class DisconnectFactory(ModelFactory[Disconnect]):
    class Meta:
        model = Disconnect

    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"Disconnect {n}")
    practice_finds = "People need whole-person services."
    policy_does = "Policy operates in silos."
    order = factory.Sequence(lambda n: n + 1)


class ExportFileFactory(ModelFactory[ExportFile]):
    """A finished admin export of activities, its file in storage."""

    class Meta:
        model = ExportFile

    requested_by = factory.SubFactory(UserFactory, is_staff=True, is_superuser=True)
    title = "Activities"
    source = "admin"
    parameters = factory.LazyFunction(lambda: {"model": "pairs.Activity", "query": "", "resource": 0, "fields": None})
    file_format = "csv"
    filename = "Activity-2015-06-30.csv"
    status = ExportFile.Status.READY
    rows_total = rows_written = 1
    file = factory.django.FileField(filename="Activity-2015-06-30.csv", data=b"kind\r\nMeeting\r\n")
    finished_at = factory.LazyFunction(timezone.now)


class CohortFactory(ModelFactory[Cohort]):
    class Meta:
        model = Cohort

    programme = factory.SubFactory(ProgrammeFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.LazyAttribute(lambda o: f"Year {o.number}")
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=120))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=240))
    status = Cohort.Status.RUNNING


class QuestionFactory(ModelFactory[Question]):
    class Meta:
        model = Question

    cohort = factory.SubFactory(CohortFactory)
    kind = Question.Kind.EXAM_QUESTION
    short_title = factory.Sequence(lambda n: f"Question {n}")
    text = "How can we make better use of the experience of service users?"
    order = factory.Sequence(lambda n: n + 1)


class FindingFactory(ModelFactory[Finding]):
    class Meta:
        model = Finding

    question = factory.SubFactory(QuestionFactory)
    title = factory.Sequence(lambda n: f"Finding {n}")
    body = "What the cohort concluded."
    order = factory.Sequence(lambda n: n + 1)


class MembershipFactory(ModelFactory[Membership]):
    class Meta:
        model = Membership

    cohort = factory.SubFactory(CohortFactory)
    user = factory.SubFactory(UserFactory)
    side = Side.POLICYMAKER
    status = Membership.Status.ACTIVE
    joined_on = factory.LazyAttribute(lambda o: o.cohort.starts_on)


class ApplicationFactory(ModelFactory[Application]):
    class Meta:
        model = Application

    cohort = factory.SubFactory(CohortFactory)
    full_name = factory.Faker("name", locale="en_GB")
    email = factory.Sequence(lambda n: f"applicant{n}@example.org")
    organisation = factory.SubFactory(OrganisationFactory)
    sector = factory.LazyAttribute(lambda o: o.organisation.sector if o.organisation else SectorCode.OTHER)
    side = Side.PRACTITIONER
    job_title = "Service manager"
    motivation = "I want to understand how policy is made."


class DecisionLetterFactory(ModelFactory[DecisionLetter]):
    class Meta:
        model = DecisionLetter
        django_get_or_create = ("programme", "kind")

    programme = factory.SubFactory(ProgrammeFactory)
    kind = DecisionLetter.Kind.DECLINED
    subject = "About your application to {programme}"
    body = "Dear {name},\n\nThank you for applying to {cohort}.\n"


class EventFactory(ModelFactory[Event]):
    class Meta:
        model = Event
        skip_postgeneration_save = True

    cohort = factory.SubFactory(CohortFactory)
    kind = Event.Kind.WORKSHOP
    title = factory.Sequence(lambda n: f"Workshop {n}")
    topic = "Engaging service users"
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=30))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=7))
    length_days = Decimal("1")
    place = "2 Carlton Gardens, London"


class AttendanceFactory(ModelFactory[Attendance]):
    class Meta:
        model = Attendance

    event = factory.SubFactory(EventFactory)
    membership = factory.SubFactory(MembershipFactory, cohort=factory.SelfAttribute("..event.cohort"))
    status = Attendance.Status.INVITED


class ExternalGuestFactory(ModelFactory[ExternalGuest]):
    class Meta:
        model = ExternalGuest

    event = factory.SubFactory(EventFactory, kind=Event.Kind.ROUNDTABLE)
    name = factory.Faker("name", locale="en_GB")
    organisation = "Revolving Doors Agency"
    role = "Director of policy"


class InsightFactory(ModelFactory[Insight]):
    class Meta:
        model = Insight

    cohort = factory.SubFactory(CohortFactory)
    event = factory.SubFactory(EventFactory, cohort=factory.SelfAttribute("..cohort"))
    text = "Service users' voices should be heard undiluted."


class SurveyFactory(ModelFactory[Survey]):
    class Meta:
        model = Survey

    cohort = factory.SubFactory(CohortFactory)
    title = "End-of-year evaluation"
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=7))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))


class SurveyQuestionFactory(ModelFactory[SurveyQuestion]):
    class Meta:
        model = SurveyQuestion

    survey = factory.SubFactory(SurveyFactory)
    order = factory.Sequence(lambda n: n + 1)
    text = "The programme increased my ability to engage with policymakers."
    kind = SurveyQuestion.Kind.SCALE


class SurveyResponseFactory(ModelFactory[SurveyResponse]):
    class Meta:
        model = SurveyResponse

    survey = factory.SubFactory(SurveyFactory)
    membership = factory.SubFactory(MembershipFactory, cohort=factory.SelfAttribute("..survey.cohort"))


class SurveyAnswerFactory(ModelFactory[SurveyAnswer]):
    class Meta:
        model = SurveyAnswer

    response = factory.SubFactory(SurveyResponseFactory)
    question = factory.SubFactory(SurveyQuestionFactory, survey=factory.SelfAttribute("..response.survey"))
    scale_value = 4


class StepDeadlineFactory(ModelFactory[StepDeadline]):
    class Meta:
        model = StepDeadline
        django_get_or_create = ("cohort", "step")

    cohort = factory.SubFactory(CohortFactory)
    step = Step.IDENTIFY
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))


class LearningPairFactory(ModelFactory[LearningPair]):
    """A bare pair row; prefer make_pair() for a pair with members and steps."""

    class Meta:
        model = LearningPair

    cohort = factory.SubFactory(CohortFactory)
    number = factory.Sequence(lambda n: n + 1)
    status = LearningPair.Status.FORMING


class PairMemberFactory(ModelFactory[PairMember]):
    class Meta:
        model = PairMember

    pair = factory.SubFactory(LearningPairFactory)
    membership = factory.SubFactory(MembershipFactory, cohort=factory.SelfAttribute("..pair.cohort"))
    joined_on = factory.LazyAttribute(lambda o: o.pair.cohort.starts_on)


class StepProgressFactory(ModelFactory[StepProgress]):
    class Meta:
        model = StepProgress
        django_get_or_create = ("pair", "step")

    pair = factory.SubFactory(LearningPairFactory)
    step = Step.IDENTIFY


class ActivityFactory(ModelFactory[Activity]):
    class Meta:
        model = Activity
        skip_postgeneration_save = True

    pair = factory.SubFactory(LearningPairFactory)
    kind = Activity.Kind.LOCAL_SERVICE_VISIT
    occurred_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=3))
    hours = Decimal("3")
    place = "Emmanuel House Day Centre"
    learning = "Referral routes overlap and confuse clients."
    private_notes = "Our host was frank about funding worries."

    @factory.post_generation
    def attendees(self, create: bool, extracted: list[Membership] | None, **kwargs: object) -> None:
        if create and extracted:
            self.attendees.set(extracted)


class OutputFactory(ModelFactory[Output]):
    class Meta:
        model = Output

    pair = factory.SubFactory(LearningPairFactory)
    kind = Output.Kind.CASE_STUDY
    title = factory.Sequence(lambda n: f"Output {n}")
    summary = "What we learned about whole-person services."
    body = "## What we did\n\nWe visited each other's worlds."
    status = Output.Status.DRAFTING
    visibility = Output.Visibility.COHORT


class PublishedOutputFactory(OutputFactory):
    status = Output.Status.PUBLISHED
    visibility = Output.Visibility.PUBLIC
    published_at = factory.LazyFunction(timezone.now)


class YearEndReportFactory(ModelFactory[YearEndReport]):
    class Meta:
        model = YearEndReport

    cohort = factory.SubFactory(CohortFactory)
    executive_summary = "The cohort learned a great deal."


def make_pair(
    cohort: Cohort | None = None,
    *,
    policymaker: Membership | None = None,
    practitioner: Membership | None = None,
    on: date | None = None,
    **pair_fields: Any,
) -> LearningPair:
    """An active pair of one policymaker and one practitioner, built through the services."""
    from pairs.services import pair_create

    cohort = cohort or CohortFactory()
    policymaker = policymaker or MembershipFactory(
        cohort=cohort, side=Side.POLICYMAKER, user__organisation__sector=SectorCode.CENTRAL_GOVERNMENT
    )
    practitioner = practitioner or MembershipFactory(cohort=cohort, side=Side.PRACTITIONER)
    return pair_create(cohort=cohort, members=[policymaker, practitioner], on=on or cohort.starts_on, **pair_fields)


class ReferenceFactory(ModelFactory[Reference]):
    class Meta:
        model = Reference

    cohort = factory.SubFactory(CohortFactory)
    author = "Hughes, N."
    title = factory.Sequence(lambda n: f"Insights from the programme, part {n}")
    publisher = "Institute for Government"
    year = 2013
    url = "https://example.org/publications/insights"


class CaseStudyFactory(ModelFactory[CaseStudy]):
    class Meta:
        model = CaseStudy

    cohort = factory.SubFactory(CohortFactory)
    title = factory.Sequence(lambda n: f"Case study {n}")
    origin = CaseStudy.Origin.WRITTEN
    body = "What happened, and what it shows."
    order = factory.Sequence(lambda n: n + 1)


def reread(membership: Membership) -> Membership:
    """The membership as stored now, with its cohort: its commitment totals follow writes made since it was read."""
    return Membership.objects.select_related("cohort").get(pk=membership.pk)
