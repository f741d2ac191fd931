"""Importing a cohort's members from a spreadsheet in the admin: preview, all-or-nothing, invitations,
re-import by email, labels for choices, and bad files told on the form."""

from __future__ import annotations

import io

import openpyxl
import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cohorts.models import Membership, Side
from notifications.models import OutboundMessage
from programme.models import Organisation, SectorCode, User
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

HEADINGS = ["Email", "Full name", "Job title", "Organisation", "SectorCode", "Side", "Status"]
IMPORT_URL = reverse("admin:cohorts_membership_import")
CONFIRM_URL = reverse("admin:cohorts_membership_process_import")
CSV, XLSX = "0", "1"


@pytest.fixture
def manager_client(client, world):
    client.force_login(world.manager)
    return client


def _rows(n: int = 30) -> list[list[str]]:
    rows = []
    for i in range(n):
        policymaker = i % 2 == 0
        rows.append(
            [
                f"Member{i}@Example.org",
                f"Member {i}",
                "Policy adviser" if policymaker else "Project lead",
                "Department for Education" if policymaker else f"Community Group {i}",
                "Central government department" if policymaker else "Voluntary and community sector",
                "Policymaker" if policymaker else "practitioner",
                "Accepted",
            ]
        )
    return rows


def _xlsx(rows: list[list[str]]) -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADINGS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(
        "members.xlsx", buffer.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def _preview(client, upload, cohort, file_format=XLSX):
    return client.post(IMPORT_URL, {"import_file": upload, "format": file_format, "cohort": cohort.pk, "resource": "0"})


def _import(client, upload, cohort, file_format=XLSX):
    preview = _preview(client, upload, cohort, file_format)
    assert preview.status_code == 200
    assert "confirm_form" in preview.context, preview.content.decode()[:3000]
    confirm = preview.context["confirm_form"]
    return client.post(CONFIRM_URL, {**confirm.initial}, follow=True)


def _state():
    return (
        Membership.objects.count(),
        User.objects.count(),
        Organisation.objects.count(),
        OutboundMessage.objects.count(),
        tuple(User.objects.order_by("pk").values_list("email", "full_name", "job_title", "organisation_id")),
    )


def test_a_30_row_file_with_one_bad_row_imports_nothing_then_fixed_imports_30_invited_members(
    manager_client, world, django_capture_on_commit_callbacks
):
    cohort = world.other_cohort
    rows = _rows()
    rows[17][3] = "Ministry of Nowhere"  # unknown organisation, no sector to create it
    rows[17][4] = ""
    before = _state()
    preview = _preview(manager_client, _xlsx(rows), cohort)
    content = preview.content.decode()
    assert "is not an organisation we know: give its sector to add it" in content
    assert "confirm_form" not in preview.context
    assert preview.context["result"].has_validation_errors()
    assert _state() == before

    rows[17][4] = "Central government department"
    members_before = Membership.objects.filter(cohort=cohort).count()
    with django_capture_on_commit_callbacks(execute=True):
        response = _import(manager_client, _xlsx(rows), cohort)
    assert response.status_code == 200
    members = Membership.objects.filter(cohort=cohort).select_related("user")
    assert members.count() == members_before + 30
    imported = members.filter(user__email__startswith="member")
    assert imported.count() == 30
    assert imported.filter(side=Side.POLICYMAKER).count() == 15
    assert all(not m.user.has_usable_password() for m in imported)
    assert OutboundMessage.objects.filter(key__startswith="invitation:").count() == 30
    organisation = User.objects.get(email="member17@example.org").organisation
    assert organisation is not None and organisation.sector == SectorCode.CENTRAL_GOVERNMENT

    # The same file again: people are matched by email, nothing is added, changed or sent.
    again = _state()
    with django_capture_on_commit_callbacks(execute=True):
        _import(manager_client, _xlsx(rows), cohort)
    assert _state() == again


def test_reimporting_updates_a_person_by_email_instead_of_duplicating(manager_client, world):
    OrganisationFactory(name="Department for Education", sector=SectorCode.CENTRAL_GOVERNMENT)
    rows = _rows(2)
    _import(manager_client, _xlsx(rows), world.other_cohort)
    rows[0][2] = "Deputy director"
    _import(manager_client, _xlsx(rows), world.other_cohort)
    assert User.objects.filter(email="member0@example.org").get().job_title == "Deputy director"
    assert Membership.objects.filter(user__email="member0@example.org").count() == 1


def test_the_preview_lists_every_bad_row(manager_client, world):
    rows = _rows(4)
    rows[0][0] = "not-an-email"
    rows[1][5] = "Minister"
    rows[2][0] = rows[3][0]  # the same person twice
    content = _preview(manager_client, _xlsx(rows), world.other_cohort).content.decode()
    assert "is not an email address" in content
    assert "Minister" in content and "is not one of" in content
    assert "is in the file twice" in content
    assert not Membership.objects.filter(user__email__startswith="member").exists()


def test_a_csv_file_imports_with_choice_codes_or_labels(manager_client, world):
    dataset = tablib.Dataset(headers=HEADINGS)
    dataset.append(["csv@example.org", "Cee Ess", "", "Shelter", "voluntary", "PRACTITIONER", "active"])
    upload = SimpleUploadedFile("members.csv", dataset.export("csv").encode(), "text/csv")
    _import(manager_client, upload, world.other_cohort, file_format=CSV)
    membership = Membership.objects.get(user__email="csv@example.org")
    assert (membership.side, membership.status) == (Side.PRACTITIONER, Membership.Status.ACTIVE)


def test_a_malformed_file_is_told_on_the_form(manager_client, world):
    upload = SimpleUploadedFile("members.xlsx", b"this is not a workbook", "application/octet-stream")
    response = _preview(manager_client, upload, world.other_cohort)
    assert response.status_code == 200
    assert "encountered while trying to read file" in response.content.decode()


def test_a_file_that_is_too_large_is_refused_on_the_form(manager_client, world):
    upload = SimpleUploadedFile("members.csv", b"Email\n" + b"x" * (2 * 1024 * 1024 + 1), "text/csv")
    response = _preview(manager_client, upload, world.other_cohort, file_format=CSV)
    assert "larger than 2 MB" in response.content.decode()


def test_the_template_has_human_headings(manager_client):
    response = manager_client.get(reverse("admin:cohorts_membership_import_template"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    assert [cell.value for cell in sheet[1]] == HEADINGS
    assert sheet[2][4].value == "Voluntary and community sector"


def test_members_cannot_download_the_template(client, world):
    client.force_login(world.alice)
    response = client.get(reverse("admin:cohorts_membership_import_template"))
    assert response.status_code == 302


def test_people_import_with_their_organisation_and_updates_by_email(manager_client, world):
    dataset = tablib.Dataset(headers=HEADINGS[:5])
    dataset.append(["New.Person@example.org", "New Person", "Analyst", "HM Treasury", "Central government department"])
    dataset.append([world.alice.email.upper(), "Alice Adkins-Smith", "Deputy director", "Cabinet Office", ""])
    upload = SimpleUploadedFile("people.csv", dataset.export("csv").encode(), "text/csv")
    preview = manager_client.post(
        reverse("admin:programme_user_import"), {"import_file": upload, "format": CSV, "resource": "0"}
    )
    assert "confirm_form" in preview.context, preview.content.decode()[:2000]
    manager_client.post(reverse("admin:programme_user_process_import"), {**preview.context["confirm_form"].initial})
    person = User.objects.get(email="new.person@example.org")
    assert person.organisation is not None and person.organisation.name == "HM Treasury"
    assert not person.has_usable_password()
    world.alice.refresh_from_db()
    assert (world.alice.full_name, world.alice.job_title) == ("Alice Adkins-Smith", "Deputy director")
    assert User.objects.filter(email__iexact="alice@example.org").count() == 1


def test_people_template_has_human_headings(manager_client):
    response = manager_client.get(reverse("admin:programme_user_import_template"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    assert [cell.value for cell in sheet[1]] == HEADINGS[:5]
