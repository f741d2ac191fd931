"""The cached preview and the built files know when the report changed: every table the report reads raises the
data version (database triggers, so every process sees it), and a file is current only while it shows the report
as it is."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cohorts.models import Finding, Membership
from programme.models import User
from reports.models import ReportDataStamp, ReportExport, YearEndReport
from reports.preview import report_preview
from reports.stamp import STAMPED_SETTING, report_input_tables, report_stamp, tables_with_stamp_triggers
from tests.factories import ActivityFactory, FindingFactory, MembershipFactory
from tests.reports.reading import prepared_file
from tests.reports.test_report import add_report_data

pytestmark = pytest.mark.django_db

KEPT = {
    **settings.CACHES,
    "report_preview": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test-stamp"},
}


@pytest.fixture(autouse=True)
def _stamp_raised_at_once(db):
    """PostgreSQL raises the version as a transaction commits; a test's transaction never does, so raise it at each
    write instead."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    caches["report_preview"].clear()


def _version() -> int:
    """The version now; on PostgreSQL, the test's one transaction is then free to raise it again (it does so once
    per transaction)."""
    row = ReportDataStamp.objects.first()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, '', true)", [STAMPED_SETTING])
    return row.version if row is not None else 0


def test_every_table_the_report_reads_raises_the_version(world):
    add_report_data(world)
    with CaptureQueriesContext(connection) as queries:
        report_preview(world.cohort)
    read = {table for query in queries for table in re.findall(r'(?:FROM|JOIN) "(\w+)"', query["sql"])}

    assert read - {"reports_reportdatastamp"} <= tables_with_stamp_triggers()
    assert set(report_input_tables()) == tables_with_stamp_triggers()


def test_every_kind_of_write_raises_the_version(world):
    before = _version()
    finding = FindingFactory(question__cohort=world.cohort)  # insert
    assert _version() > before
    for write in (
        lambda: Finding.objects.filter(pk=finding.pk).update(title="Queryset update"),  # no signal, no history
        lambda: Membership.objects.bulk_update([world.alice_membership], ["status"]),
        lambda: world.cohort.facilitators.remove(world.facilitator),  # many-to-many
        lambda: finding.delete(),
    ):
        before = _version()
        write()
        assert _version() > before


def test_signing_in_leaves_the_version_alone(world, client):
    before = _version()
    User.objects.filter(pk=world.alice.pk).update(last_login="2026-01-01T00:00Z", email="alice.new@example.org")
    assert _version() == before
    User.objects.filter(pk=world.alice.pk).update(full_name="Alice Renamed")
    assert _version() > before


def test_the_stamp_changes_with_the_data(world):
    _version()
    stamp = report_stamp(world.cohort)
    assert report_stamp(world.cohort) == stamp
    ActivityFactory(pair=world.pair)
    assert report_stamp(world.cohort) != stamp


@override_settings(CACHES=KEPT)
@pytest.mark.parametrize(
    "change",
    [
        "finding title",
        "member's name",
        "new member",
        "narrative",
    ],
)
def test_preview_is_kept_until_what_it_shows_changes(world, login_as, change):
    add_report_data(world)
    client = login_as("facilitator")
    url = reverse("reports:preview", args=[world.cohort.pk])
    first = client.get(url).content.decode()
    with CaptureQueriesContext(connection) as kept:
        assert client.get(url).content.decode().count("Annex A") == first.count("Annex A")
    with CaptureQueriesContext(connection) as built:
        caches["report_preview"].clear()
        client.get(url)
    assert len(kept) < len(built) - 10  # the kept preview reads no report data

    shown = {
        "finding title": lambda: Finding.objects.filter(question__cohort=world.cohort).update(title="Renamed finding"),
        "member's name": lambda: User.objects.filter(pk=world.alice.pk).update(full_name="Alice Newname"),
        "new member": lambda: MembershipFactory(cohort=world.cohort, user__full_name="Nadia Newcomer"),
        "narrative": lambda: YearEndReport.objects.update_or_create(
            cohort=world.cohort, defaults={"introduction": "A new introduction"}
        ),
    }
    expected = {
        "finding title": "Renamed finding",
        "member's name": "Alice Newname",
        "new member": "Nadia Newcomer",
        "narrative": "A new introduction",
    }
    assert expected[change] not in first
    _version()
    shown[change]()

    assert expected[change] in client.get(url).content.decode()


def test_a_built_file_is_offered_until_the_report_changes(world, login_as, django_capture_on_commit_callbacks):
    add_report_data(world)
    client = login_as("facilitator")
    preview = reverse("reports:preview", args=[world.cohort.pk])
    assert "not prepared yet" in client.get(preview).content.decode()

    assert prepared_file(client, world.cohort.pk, "xlsx").status_code == 200
    page = client.get(preview).content.decode()
    assert "from the report as it is now" in page
    assert "Download spreadsheet (XLSX)" in page
    built = ReportExport.objects.get(cohort=world.cohort, kind="xlsx")

    # Asked again with nothing changed: offered at once, nothing built.
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(reverse("reports:export-prepare", args=[world.cohort.pk, "xlsx"]))
    assert callbacks == []
    assert ReportExport.objects.get(pk=built.pk).built_at == built.built_at

    Finding.objects.filter(question__cohort=world.cohort).update(title="Changed since")
    page = client.get(preview).content.decode()
    assert "the report has changed since this file was built" in page
    assert "Rebuild spreadsheet (XLSX)" in page

    with django_capture_on_commit_callbacks() as callbacks:
        client.post(reverse("reports:export-prepare", args=[world.cohort.pk, "xlsx"]))
    assert len(callbacks) == 1
    queued = client.get(preview).content.decode()
    assert "queued, waiting for the builder" in queued
    assert "Download the earlier file" in queued  # the old file stays while the new one builds
    part = client.get(reverse("reports:exports", args=[world.cohort.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in part

    callbacks[0]()  # the worker runs the task
    part = client.get(reverse("reports:exports", args=[world.cohort.pk])).content.decode()
    assert "from the report as it is now" in part
    assert "hx-trigger" not in part  # ready: no more asking
