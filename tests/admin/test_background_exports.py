"""Admin exports above EXPORT_IN_REQUEST_MAX_ROWS rows are written by the task worker, streaming in constant memory,
and offered on the export's page when ready."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import openpyxl
import pytest
import tablib
from django.contrib import admin
from django.core.management import call_command
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Membership
from pairs.models import Activity
from programme.export_files import export_file_write
from programme.exports import FORMULA_PREFIXES
from programme.models import ExportFile
from tests.admin.helpers import MostInstancesAlive, activity_rows, admin_url
from tests.conftest import World
from tests.factories import MembershipFactory, UserFactory


def _post_export(client, model: type[Model], file_format: str = "csv", query: str = "") -> Any:
    model_admin: Any = admin.site._registry[model]
    resource = model_admin.get_export_resource_classes(None)[0]
    formats = [f().get_extension() for f in model_admin.get_export_formats()]
    data = {"format": str(formats.index(file_format)), "resource": "0"}
    data |= {f"{resource.__name__.lower()}_{name}": "on" for name in resource().get_export_order()}
    return client.post(admin_url(model, "export") + query, data)


def _in_request_csv(client, model: type[Model]) -> list[list[str]]:
    response = _post_export(client, model)
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _downloaded(client, export: ExportFile) -> bytes:
    response = client.get(reverse("exports:download", args=[export.pk]))
    assert response.status_code == 200
    assert export.filename in response["Content-Disposition"]
    return b"".join(response.streaming_content)


def test_a_big_export_runs_as_a_task_and_its_page_offers_the_file(
    world: World, manager_client, settings, django_capture_on_commit_callbacks
) -> None:
    activity_rows(world, 12)
    expected = _in_request_csv(manager_client, Activity)  # the same columns and rows, written in the request
    settings.EXPORT_IN_REQUEST_MAX_ROWS = 5

    with django_capture_on_commit_callbacks(execute=True):
        response = _post_export(manager_client, Activity)

    export = ExportFile.objects.latest("pk")
    assert response.status_code == 302
    assert response["Location"] == reverse("exports:detail", args=[export.pk])
    assert export.status == ExportFile.Status.READY
    assert export.requested_by == world.manager
    page = manager_client.get(response["Location"])
    assert page.status_code == 200
    assert "The file is ready: 13 rows." in page.content.decode()
    assert reverse("exports:download", args=[export.pk]) in page.content.decode()
    written = list(csv.reader(io.StringIO(_downloaded(manager_client, export).decode("utf-8-sig"))))
    assert written == expected


def test_the_export_page_updates_itself_until_the_file_is_ready(world: World, manager_client, settings) -> None:
    activity_rows(world, 12)
    settings.EXPORT_IN_REQUEST_MAX_ROWS = 5
    _post_export(manager_client, Activity)  # not committed in this test: the task has not run
    export = ExportFile.objects.latest("pk")
    url = reverse("exports:detail", args=[export.pk])

    waiting = manager_client.get(url).content.decode()
    assert "Waiting to start: 0 of 13 rows written." in waiting
    assert f'hx-get="{url}"' in waiting
    assert manager_client.get(reverse("exports:download", args=[export.pk])).status_code == 404

    export_file_write(export_id=export.pk)
    status = manager_client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert status.lstrip().startswith('<div id="export-status"')
    assert "hx-get" not in status
    assert "Download Activity-" in status


def test_a_background_export_keeps_the_lists_filters(world: World, manager_client, settings) -> None:
    MembershipFactory.create_batch(4, cohort=world.other_cohort)
    settings.EXPORT_IN_REQUEST_MAX_ROWS = 1
    _post_export(manager_client, Membership, query=f"?cohort__id__exact={world.other_cohort.pk}")
    export = ExportFile.objects.latest("pk")
    export_file_write(export_id=export.pk)
    rows = list(
        csv.DictReader(io.StringIO(_downloaded(manager_client, ExportFile.objects.latest("pk")).decode("utf-8-sig")))
    )
    assert {row["cohort"] for row in rows} == {world.other_cohort.name}
    assert len(rows) == Membership.objects.filter(cohort=world.other_cohort).count()


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_background_export_never_starts_a_cell_with_a_formula_character(
    world: World, manager_client, settings, file_format
) -> None:
    activity_rows(world, 6, learning='=HYPERLINK("http://evil.example","x")')
    Activity.objects.update(place="@SUM(1,1)")
    settings.EXPORT_IN_REQUEST_MAX_ROWS = 1
    _post_export(manager_client, Activity, file_format)
    export = ExportFile.objects.latest("pk")
    export_file_write(export_id=export.pk)
    content = _downloaded(manager_client, ExportFile.objects.latest("pk"))

    if file_format == "csv":
        cells = [cell for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for cell in row]
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        assert sheet is not None
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
        cells = [str(cell.value) for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert "'@SUM(1,1)" in cells
    assert '\'=HYPERLINK("http://evil.example","x")' in cells
    assert [cell for cell in cells if cell.startswith(FORMULA_PREFIXES)] == []


@pytest.mark.parametrize("model", [Activity, Membership], ids=lambda model: model._meta.label)
def test_the_task_export_holds_no_more_than_two_chunks_of_rows_at_once(
    world: World, manager_client, settings, monkeypatch, model: type[Model]
) -> None:
    """However many rows, the task reads a chunk at a time and writes each row to the file as it goes: no more
    than two chunks of model instances are ever alive, and no dataset of every row is built."""
    chunk = 4
    activity_rows(world, 30)
    MembershipFactory.create_batch(25, cohort=world.cohort)
    settings.EXPORT_IN_REQUEST_MAX_ROWS = 1
    resource_class = admin.site._registry[model].get_export_resource_classes(None)[0]  # type: ignore[attr-defined]
    monkeypatch.setattr(resource_class, "get_chunk_size", lambda self: chunk)
    _post_export(manager_client, model)
    export = ExportFile.objects.latest("pk")

    alive = MostInstancesAlive(monkeypatch, model)

    def no_dataset(*args, **kwargs):
        raise AssertionError("the task must stream rows, not collect them in a tablib dataset")

    monkeypatch.setattr(tablib.Dataset, "append", no_dataset)
    assert export_file_write(export_id=export.pk) == "ready"

    export.refresh_from_db()
    assert export.rows_written == model._default_manager.count() > 6 * chunk
    assert alive.most <= 2 * chunk


def test_only_the_person_who_asked_sees_an_export(world: World, client, manager_client, settings) -> None:
    activity_rows(world, 3)
    settings.EXPORT_IN_REQUEST_MAX_ROWS = 1
    _post_export(manager_client, Activity)
    export = ExportFile.objects.latest("pk")
    export_file_write(export_id=export.pk)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))  # another manager
    assert client.get(reverse("exports:detail", args=[export.pk])).status_code == 404
    assert client.get(reverse("exports:download", args=[export.pk])).status_code == 404


def test_an_export_fails_on_its_page_when_the_person_lost_the_permission(world: World, manager_client, settings):
    activity_rows(world, 3)
    settings.EXPORT_IN_REQUEST_MAX_ROWS = 1
    _post_export(manager_client, Activity)
    world.manager.is_superuser = False
    world.manager.save()
    export = ExportFile.objects.latest("pk")
    assert export_file_write(export_id=export.pk) == "failed"
    assert "could not be written" in manager_client.get(reverse("exports:detail", args=[export.pk])).content.decode()


def test_exports_expire_with_their_files(
    world: World, manager_client, settings, django_capture_on_commit_callbacks
) -> None:
    activity_rows(world, 3)
    settings.EXPORT_IN_REQUEST_MAX_ROWS = 1
    _post_export(manager_client, Activity)
    old = ExportFile.objects.latest("pk")
    export_file_write(export_id=old.pk)
    old.refresh_from_db()
    storage, name = old.file.storage, str(old.file.name)
    assert storage.exists(name)
    ExportFile.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=settings.EXPORT_FILES_KEEP_DAYS + 1)
    )
    _post_export(manager_client, Activity)
    recent = ExportFile.objects.latest("pk")

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):  # files go once the deletion commits
        call_command("apply_retention", stdout=out)  # the tests' task backend runs tasks at once

    assert not ExportFile.objects.filter(pk=old.pk).exists()
    assert ExportFile.objects.filter(pk=recent.pk).exists()
    assert not storage.exists(name)
    assert f"older than {settings.EXPORT_FILES_KEEP_DAYS} days" in out.getvalue()
