"""A second programme of another shape: three sides ("Policymaker", "Practitioner", "Person with lived
experience") and its own sectors. The call, selection, imports, membership forms, the directory, survey
audiences and results by side, the recruitment tally and the report all follow that programme's shape, and a
side or sector from outside it is refused with a clear message."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import tablib
from django.core.exceptions import ValidationError
from django.forms import ChoiceField
from django.urls import reverse
from django.utils import timezone

from cohorts.imports import MembershipImportResource, template_dataset
from cohorts.models import Application, Cohort, Membership, SurveyQuestion
from cohorts.recruitment import application_accept, application_submit, application_tally
from cohorts.rules import SECTOR_NOT_IN_PROGRAMME, SIDE_NOT_IN_PROGRAMME
from cohorts.services import membership_create
from cohorts.survey_forms import SurveyQuestionForm
from cohorts.surveys import survey_highlights, survey_results
from cohorts.surveys.services import survey_question_add
from programme.models import Organisation, Programme, Sector
from programme.models import Side as ShapeSide
from programme.typing import form_field
from reports.building import report_figures
from tests.admin.helpers import change_form_data
from tests.factories import (
    ApplicationFactory,
    CohortFactory,
    MembershipFactory,
    OrganisationFactory,
    ProgrammeFactory,
    SurveyAnswerFactory,
    SurveyFactory,
    SurveyResponseFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LIVED = "lived_experience"
HEALTH_SECTORS = [
    ("nhs_trust", "NHS trust", False),
    ("icb", "Integrated care board", True),
    ("private_provider", "Private provider", False),
]


def health_programme() -> Programme:
    """The default shape's two sides plus a third, and sectors of its own instead of the default four."""
    programme = ProgrammeFactory(name="Health and Care Exchange", slug="health-and-care")
    ShapeSide.objects.create(
        programme=programme,
        code=LIVED,
        name="Person with lived experience",
        plural="People with lived experience",
        short_label="person with lived experience",
        description="I have used health or care services and want to help change them",
        order=3,
    )
    Sector.objects.filter(programme=programme).delete()
    for order, (code, name, recruited) in enumerate(HEALTH_SECTORS, start=1):
        Sector.objects.create(
            programme=programme, code=code, name=name, order=order, recruited_by_organisation=recruited
        )
    return programme


@pytest.fixture
def health() -> Cohort:
    today = timezone.localdate()
    return CohortFactory(
        programme=health_programme(),
        name="2026-27",
        number=1,
        status=Cohort.Status.RECRUITING,
        applications_open_on=today - timedelta(days=5),
        applications_close_on=today + timedelta(days=20),
    )


def _application_form(**overrides: str) -> dict[str, str]:
    data = {
        "full_name": "Morgan Reed",
        "email": "morgan@example.org",
        "organisation": "",
        "organisation_name": "Riverside Carers",
        "sector": "private_provider",
        "side": LIVED,
        "job_title": "Carer",
        "motivation": "To make services listen.",
        "website": "",
    }
    data.update(overrides)
    return data


# --- The call, selection and membership ------------------------------------------------------------


def test_the_call_offers_the_programmes_three_sides_in_their_own_words_and_its_own_sectors(client, health):
    content = client.get(reverse("cohorts:apply", args=[health.pk])).content.decode()
    assert "I have used health or care services and want to help change them" in content
    assert "I work on policy in central government (a policymaker)" in content  # the default sides' words, kept
    for _, name, _ in HEALTH_SECTORS:
        assert name in content
    assert "Voluntary and community sector" not in content


def test_an_applicant_with_lived_experience_applies_and_is_accepted_on_that_side(client, health, world):
    response = client.post(reverse("cohorts:apply", args=[health.pk]), _application_form(), follow=True)
    assert response.status_code == 200
    application = Application.objects.get(cohort=health)
    assert (application.side, application.get_side_display()) == (LIVED, "Person with lived experience")
    assert application.get_sector_display() == "Private provider"

    application, membership = application_accept(application=application, by=world.manager)
    assert (membership.side, membership.get_side_display()) == (LIVED, "Person with lived experience")
    assert Organisation.objects.get(name="Riverside Carers").sector == "private_provider"


def test_the_call_refuses_a_sector_of_another_programme_on_the_form(client, health):
    response = client.post(reverse("cohorts:apply", args=[health.pk]), _application_form(sector="voluntary"))
    assert response.status_code == 200
    assert "sector" in response.context["form"].errors
    assert not Application.objects.exists()


def test_a_side_or_sector_outside_the_programme_is_refused_with_a_clear_message(health, world):
    fields: dict[str, Any] = {
        "full_name": "Sam Lee",
        "email": "sam@example.org",
        "organisation_name": "Riverside Carers",
        "motivation": "To learn.",
    }
    with pytest.raises(ValidationError) as error:
        application_submit(cohort=health, side="councillor", sector="nhs_trust", **fields)
    assert error.value.message_dict["side"] == [
        SIDE_NOT_IN_PROGRAMME.format(code="councillor", names="Policymaker, Practitioner, Person with lived experience")
    ]
    with pytest.raises(ValidationError) as error:
        application_submit(cohort=health, side=LIVED, sector="voluntary", **fields)
    assert error.value.message_dict["sector"] == [
        SECTOR_NOT_IN_PROGRAMME.format(code="voluntary", names="NHS trust, Integrated care board, Private provider")
    ]
    # The default programme has no third side.
    with pytest.raises(ValidationError, match="not a side of this programme"):
        membership_create(cohort=world.cohort, user=UserFactory(), side=LIVED)


def test_an_archived_side_stays_on_its_members_but_new_members_cannot_join_it(health):
    member = MembershipFactory(cohort=health, side=LIVED)
    side = ShapeSide.objects.get(programme=health.programme, code=LIVED)
    side.archived = True
    side.save()
    Membership.objects.get(pk=member.pk).full_clean()  # still valid on its own record
    with pytest.raises(ValidationError, match="not a side of this programme"):
        membership_create(cohort=health, user=UserFactory(), side=LIVED)


def test_the_membership_admin_offers_only_the_cohorts_programmes_sides(client, health, world):
    member = MembershipFactory(cohort=health, side=LIVED)
    client.force_login(world.manager)
    url = reverse("admin:cohorts_membership_change", args=[member.pk])
    form = client.get(url).context["adminform"].form
    assert form.fields["side"].choices == [
        ("policymaker", "Policymaker"),
        ("practitioner", "Practitioner"),
        (LIVED, "Person with lived experience"),
    ]
    default_member = world.alice_membership
    form = client.get(reverse("admin:cohorts_membership_change", args=[default_member.pk])).context["adminform"].form
    assert [code for code, _ in form.fields["side"].choices] == ["policymaker", "practitioner"]


# --- Imports ---------------------------------------------------------------------------------------

HEADINGS = ["Email", "Full name", "Job title", "Organisation", "Sector", "Side", "Status"]


def _import(cohort: Cohort, rows: list[list[str]], *, dry_run: bool):
    dataset = tablib.Dataset(headers=HEADINGS)
    for row in rows:
        dataset.append(row)
    return MembershipImportResource(cohort=cohort).import_data(dataset, dry_run=dry_run)


def test_an_import_takes_the_programmes_sides_and_sectors_and_refuses_others(health):
    bad = _import(
        health,
        [
            [
                "a@example.org",
                "Ash",
                "Carer",
                "Riverside Carers",
                "Voluntary and community sector",
                "Practitioner",
                "Accepted",
            ],
            ["b@example.org", "Bo", "Nurse", "North Trust", "NHS trust", "Councillor", "Accepted"],
        ],
        dry_run=True,
    )
    assert bad.has_validation_errors()
    messages = [str(error) for row in bad.invalid_rows for error in row.error_dict.values()]
    assert any("“Voluntary and community sector” is not one of: NHS trust" in message for message in messages)
    assert any(
        "“Councillor” is not one of: Policymaker, Practitioner, Person with lived experience" in m for m in messages
    )

    good = _import(
        health,
        [
            [
                "a@example.org",
                "Ash",
                "Carer",
                "Riverside Carers",
                "Private provider",
                "Person with lived experience",
                "Accepted",
            ],
            ["b@example.org", "Bo", "Nurse", "North Trust", "nhs_trust", "practitioner", "Accepted"],
        ],
        dry_run=False,
    )
    assert not good.has_validation_errors() and not good.has_errors()
    assert dict(Membership.objects.filter(cohort=health).values_list("user__email", "side")) == {
        "a@example.org": LIVED,
        "b@example.org": "practitioner",
    }


def test_the_import_template_lists_the_programmes_sides_and_sectors(health):
    rows = template_dataset(health.shape).dict
    assert {row["Side"] for row in rows} == {"Policymaker", "Practitioner", "Person with lived experience"}
    assert {row["Sector"] for row in rows} == {name for _, name, _ in HEALTH_SECTORS}


# --- Directory -------------------------------------------------------------------------------------


def test_the_directory_filters_by_the_programmes_sides_and_sectors(client, health):
    trust = OrganisationFactory(name="North Trust", sector="nhs_trust")
    board = OrganisationFactory(name="South Board", sector="icb")
    MembershipFactory(cohort=health, side=LIVED, user__organisation=trust, user__full_name="Lee Lived")
    MembershipFactory(cohort=health, side="practitioner", user__organisation=board, user__full_name="Pat Practice")
    client.force_login(MembershipFactory(cohort=health, side="policymaker", user__full_name="Viewer").user)
    url = reverse("pairs:directory", args=[health.pk])

    page = client.get(url).content.decode()
    assert '<option value="lived_experience">People with lived experience</option>' in page
    assert '<option value="icb">Integrated care board</option>' in page

    by_side = client.get(url, {"side": LIVED}).content.decode()
    assert "Lee Lived" in by_side and "Pat Practice" not in by_side
    by_sector = client.get(url, {"sector": "icb"}).content.decode()
    assert "Pat Practice" in by_sector and "Lee Lived" not in by_sector
    everyone = client.get(url, {"side": "no-such-side"}).content.decode()  # an unknown code is ignored
    assert "Lee Lived" in everyone and "Pat Practice" in everyone


# --- Surveys ---------------------------------------------------------------------------------------


def test_a_survey_question_can_be_asked_of_people_with_lived_experience_only(health):
    survey = SurveyFactory(cohort=health)
    form = SurveyQuestionForm(survey=survey)
    assert form_field(form, "audience", ChoiceField).choices == [
        ("all", "All members"),
        ("policymaker", "Policymakers only"),
        ("practitioner", "Practitioners only"),
        (LIVED, "People with lived experience only"),
    ]
    question = survey_question_add(survey=survey, text="Was I heard?", kind=SurveyQuestion.Kind.YES_NO, audience=LIVED)
    assert question.get_audience_display() == "People with lived experience only"
    with pytest.raises(ValidationError):
        survey_question_add(survey=survey, text="Other?", kind=SurveyQuestion.Kind.YES_NO, audience="councillor")


def test_survey_results_are_given_by_each_of_the_three_sides(client, health, world):
    survey = SurveyFactory(cohort=health)
    question = survey_question_add(survey=survey, text="The programme changed my work", kind=SurveyQuestion.Kind.SCALE)
    for side, values in (("policymaker", [5, 2]), ("practitioner", [4]), (LIVED, [5, 4, 1])):
        for value in values:
            response = SurveyResponseFactory(survey=survey, membership__side=side)
            SurveyAnswerFactory(response=response, question=question, scale_value=value)
    results = survey_results(survey)
    assert results.asked_by_side == {"policymaker": 2, "practitioner": 1, LIVED: 3}
    (result,) = results.questions
    assert result.agree_pct_by_side == {"policymaker": 50, "practitioner": 100, LIVED: 67}
    assert (
        "67% of person with lived experience respondents agreed or strongly agreed that "
        "“The programme changed my work” (2 of 3)." in survey_highlights(results)
    )

    client.force_login(world.manager)
    page = client.get(reverse("cohorts:survey-results", args=[survey.pk])).content.decode()
    assert "People with lived experience: 3 of 3" in page
    assert '<th scope="col" class="text-end">People with lived experience</th>' in page
    export = client.get(reverse("cohorts:survey-export", args=[survey.pk])).content.decode()
    assert "Count people with lived experience" in export


# --- Recruitment tally and report ------------------------------------------------------------------


def test_the_tally_targets_each_side_and_counts_the_organisations_of_the_recruited_sector(health):
    health.side_targets = {"policymaker": 5, LIVED: 10}
    health.full_clean()
    health.save()
    board = OrganisationFactory(name="South Board", sector="icb")
    trust = OrganisationFactory(name="North Trust", sector="nhs_trust")
    health.targeted_departments.add(board)
    ApplicationFactory(cohort=health, organisation=trust, side=LIVED)
    ApplicationFactory(cohort=health, organisation=board, side="policymaker")
    tally = application_tally(health)
    assert [(row.label, row.in_pool, row.target) for row in tally.sides] == [
        ("Policymaker", 1, 5),
        ("Practitioner", 0, 0),
        ("Person with lived experience", 1, 10),
    ]
    assert [row.name for row in tally.departments] == ["South Board"]  # only the recruited sector's organisations


def test_a_target_for_a_side_outside_the_programme_is_refused(health):
    health.side_targets = {"councillor": 3}
    with pytest.raises(ValidationError, match="not a side of this programme"):
        health.full_clean()
    health.side_targets = {LIVED: -1}
    with pytest.raises(ValidationError, match="whole number"):
        health.full_clean()


def test_the_report_counts_members_by_the_programmes_three_sides(health):
    members = [MembershipFactory(cohort=health, side=side) for side in ("policymaker", LIVED, LIVED)]
    figures = report_figures(health, members)
    assert figures.members_by_side == [("Policymaker", 1), ("Practitioner", 0), ("Person with lived experience", 2)]


# --- The admin -------------------------------------------------------------------------------------


def test_the_cohort_admin_sets_a_target_for_each_of_the_programmes_sides(client, health, world):
    health.side_targets = {"policymaker": 5}
    health.save()
    client.force_login(world.manager)
    url = reverse("admin:cohorts_cohort_change", args=[health.pk])
    page = client.get(url)
    content = page.content.decode()
    for plural in ("Policymakers", "Practitioners", "People with lived experience"):
        assert f'">{plural}</label>' in content
    data = change_form_data(page) | {"side_targets_1": "", "side_targets_2": "12"}
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    health.refresh_from_db()
    assert health.side_targets == {"policymaker": 5, LIVED: 12}


def test_adding_a_member_in_the_admin_on_a_side_outside_the_cohorts_programme_is_a_form_error(client, world):
    health_programme()  # its third side exists, but not in the default programme
    client.force_login(world.manager)
    response = client.post(
        reverse("admin:cohorts_membership_add"),
        {
            "cohort": world.cohort.pk,
            "user": UserFactory().pk,
            "side": LIVED,
            "status": Membership.Status.ACTIVE,
            "joined_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["side"] == [
        SIDE_NOT_IN_PROGRAMME.format(code=LIVED, names="Policymaker, Practitioner")
    ]
