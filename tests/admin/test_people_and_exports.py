"""People in the admin sign in with their email; spreadsheets export without secrets."""

from __future__ import annotations

import csv
import io
from typing import Any

import openpyxl
import pytest
import tablib
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import authenticate
from django.db import connection
from django.db.models import CharField, Model, TextField
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from simple_history.models import HistoricalChanges

from cohorts.models import Membership
from pairs.commitment import commitment_totals_refresh_all
from pairs.models import Activity
from programme.admin import EMAIL_TAKEN, OrganisationResource
from programme.exports import FORMULA_PREFIXES
from programme.models import Organisation, SectorCode, User
from tests.admin.helpers import (
    DOMAIN_APPS,
    EXPORT_ADMINS,
    MostInstancesAlive,
    activity_rows,
    admin_url,
    model_label,
)
from tests.conftest import World
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    UserFactory,
)

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


@pytest.mark.parametrize("model", EXPORT_ADMINS, ids=model_label)
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


HOSTILE = ['==HYPERLINK("http://evil.example","x")', "+3+3", "-4+4", "@SUM(5,5)", "\tTAB", "\rCR", "=1+1"]


def _make_every_text_hostile() -> None:
    """Every text field of every row a spreadsheet export could show starts with a formula character."""
    written = 0
    for model in apps.get_models():
        if model._meta.app_label not in DOMAIN_APPS or issubclass(model, HistoricalChanges):
            continue
        text_fields = [
            field
            for field in model._meta.concrete_fields
            if isinstance(field, (CharField, TextField)) and field.name != "password"
        ]
        for number, pk in enumerate(model._default_manager.values_list("pk", flat=True)):
            values = {}
            for offset, field in enumerate(text_fields):
                value = f"{HOSTILE[(number + offset) % len(HOSTILE)]} {model._meta.model_name} {pk}"
                values[field.attname] = value[: field.max_length] if field.max_length else value
            model._default_manager.filter(pk=pk).update(**values)
            written += len(values)
    assert written
    commitment_totals_refresh_all()  # statuses and kinds changed without a signal: what counts has changed


def _export(client, model: type[Model], file_format: str) -> list[list[object]]:
    model_admin: Any = admin.site._registry[model]  # an import-export admin
    resource = model_admin.get_export_resource_classes(None)[0]
    formats = [f().get_extension() for f in model_admin.get_export_formats()]
    data = {"format": str(formats.index(file_format)), "resource": "0"}
    data |= {f"{resource.__name__.lower()}_{name}": "on" for name in resource().get_export_order()}
    response = client.post(admin_url(model, "export"), data)
    assert response.status_code == 200
    if file_format == "csv":
        return [list(row) for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig")))]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows: list[list[object]] = []
    for row in sheet.iter_rows():
        assert all(cell.data_type != "f" for cell in row), [cell.value for cell in row]
        rows.append([cell.value for cell in row])
    return rows


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize("model", EXPORT_ADMINS, ids=model_label)
def test_admin_exports_never_start_a_cell_with_a_formula_character(manager_client, model, file_format) -> None:
    _make_every_text_hostile()

    rows = _export(manager_client, model, file_format)

    cells = [str(cell) for row in rows[1:] for cell in row if isinstance(cell, str)]
    assert any(cell.startswith("'") for cell in cells), "the hostile values should reach the export"
    live = [cell for cell in cells if cell.startswith(FORMULA_PREFIXES)]
    assert live == []
    assert "'==HYPERLINK" in str(rows) or "'=1+1" in str(rows) or "'+3+3" in str(rows)


def test_organisations_import_from_a_spreadsheet(manager_client) -> None:
    assert manager_client.get(admin_url(Organisation, "import")).status_code == 200
    dataset = tablib.Dataset(headers=["name", "sector", "website"])
    dataset.append(["Revolving Doors Agency", SectorCode.VOLUNTARY, "https://www.revolving-doors.org.uk"])
    dataset.append(["Nowhere Council", "not-a-sector", ""])

    # The admin's first step is this dry run: a bad sector is reported and nothing is saved.
    result = OrganisationResource().import_data(dataset, dry_run=True)

    assert result.has_validation_errors()
    assert not Organisation.objects.filter(name__in=["Revolving Doors Agency", "Nowhere Council"]).exists()
    dataset.pop()
    OrganisationResource().import_data(dataset, dry_run=False, raise_errors=True)
    assert Organisation.objects.get(name="Revolving Doors Agency").sector == SectorCode.VOLUNTARY


def test_staff_without_view_permission_cannot_export(client, admin_world: World) -> None:
    client.force_login(UserFactory(is_staff=True))
    assert client.get(admin_url(Membership, "export")).status_code == 403


# --- Exports in constant memory -----------------------------------------------------------------


@pytest.mark.parametrize("model", [Activity, Membership], ids=model_label)
def test_an_admin_export_holds_no_more_than_two_chunks_of_rows_at_once(
    world: World, manager_client, monkeypatch, model: type[Model]
) -> None:
    """However many rows, the export reads them a chunk at a time from one cursor, never all at once."""
    chunk = 4
    activity_rows(world, 30)
    MembershipFactory.create_batch(25, cohort=world.cohort)
    resource_class = admin.site._registry[model].get_export_resource_classes(None)[0]  # type: ignore[attr-defined]
    monkeypatch.setattr(resource_class, "get_chunk_size", lambda self: chunk)
    alive = MostInstancesAlive(monkeypatch, model)
    rows = _export_csv(manager_client, model)

    assert len(rows) == model._default_manager.count() > 6 * chunk
    assert alive.most <= 2 * chunk


def test_the_activity_export_reads_one_cursor_with_a_query_per_chunk_not_offset_pages(world: World, monkeypatch):
    from pairs.admin.activities import ActivityAdmin, ActivityResource

    activity_rows(world, 30)
    monkeypatch.setattr(ActivityResource, "get_chunk_size", lambda self: 10)
    queryset = ActivityAdmin(Activity, admin.site).get_queryset(RequestFactory().get("/"))
    with CaptureQueriesContext(connection) as queries:
        dataset = ActivityResource().export(queryset=queryset)
    assert len(dataset) == 30
    assert not any("OFFSET" in query["sql"] for query in queries.captured_queries)
