"""A manager exports a big list from the admin: the file is written in the background, the export's page shows
its progress and then offers the download."""

from __future__ import annotations

import csv
from decimal import Decimal

from django.utils import timezone
from playwright.sync_api import expect

from cohorts.models import Side
from pairs.models import Activity
from programme import tasks
from programme.export_files import export_file_write
from programme.models import ExportFile
from tests.factories import PASSWORD, CohortFactory, MembershipFactory, UserFactory, make_pair


class _Queued:
    """The task queue, held: the export waits on its page until the test plays the worker."""

    def enqueue(self, *args: object) -> None:
        pass


def test_a_manager_exports_every_activity_and_downloads_the_file_when_ready(
    page, sign_in, settings, tmp_path, monkeypatch
):
    settings.MEDIA_ROOT = tmp_path
    settings.EXPORT_IN_REQUEST_MAX_ROWS = 3
    monkeypatch.setattr(tasks, "export_file_write_task", _Queued())
    cohort = CohortFactory(name="2014-15")
    alice = MembershipFactory(cohort=cohort, side=Side.POLICYMAKER, user__full_name="Alice Adkins")
    pair = make_pair(cohort, policymaker=alice)
    for day in range(5):
        Activity.objects.create(
            pair=pair, kind=Activity.Kind.MEETING, occurred_on=timezone.localdate(), hours=Decimal(day + 1)
        )
    UserFactory(email="manager@example.org", is_staff=True, is_superuser=True)

    sign_in(page, "manager@example.org", PASSWORD)
    page.goto("/admin/pairs/activity/")
    page.get_by_role("link", name="Export", exact=True).click()
    page.get_by_label("Format").select_option(label="csv")
    page.get_by_role("button", name="Submit").click()

    expect(page.get_by_role("heading", name="Export: Activities (CSV)")).to_be_visible()
    status = page.locator("#export-status")
    expect(status).to_contain_text("Waiting to start: 0 of 5 rows written.")

    export_file_write(export_id=ExportFile.objects.get().pk)  # the task worker's turn

    link = page.get_by_role("link", name="Download Activity-")
    expect(link).to_be_visible()  # the page asked again by itself
    expect(status).to_contain_text("The file is ready: 5 rows.")
    with page.expect_download() as download_info:
        link.click()
    saved = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(saved)
    with open(saved, encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file))
    assert len(rows) == 5
    assert {row["who went"] for row in rows} == {""}
    page.get_by_role("link", name="Back to activities").click()
    expect(page).to_have_url(f"{page.url.split('/admin/')[0]}/admin/pairs/activity/")
