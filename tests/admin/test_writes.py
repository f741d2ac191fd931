"""Admin writes carry the same rules and side effects as the services the staff pages call."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Cohort, Membership, Side
from outputs.models import Output
from pairs.models import LearningPair, PairMember, Step, StepProgress
from tests.admin.helpers import (
    admin_url,
    change_form_data,
)
from tests.conftest import World
from tests.factories import (
    EventFactory,
    PublishedOutputFactory,
)

# --- Writes carry the same rules as the services ------------------------------------------------


def test_archive_action_hides_outputs_and_keeps_history(manager_client, admin_world: World) -> None:
    output = PublishedOutputFactory(pair=admin_world.pair, featured=True)
    response = manager_client.post(
        admin_url(Output, "changelist"),
        {
            "action": "archive",
            "_selected_action": [output.pk],
        },
    )
    assert response.status_code == 302
    output.refresh_from_db()
    assert output.archived
    assert not output.featured  # as outputs.services.output_archive does
    latest = output.history.first()
    assert latest.archived and latest.history_user == admin_world.manager


def test_restore_action_brings_outputs_back(manager_client, admin_world: World) -> None:
    output = Output.objects.get()
    output.archived = True
    output.save()
    manager_client.post(admin_url(Output, "changelist"), {"action": "restore", "_selected_action": [output.pk]})
    output.refresh_from_db()
    assert not output.archived


def test_output_upload_in_the_admin_is_checked_by_its_content(manager_client, admin_world: World) -> None:
    output = Output.objects.get()
    url = admin_url(Output, "change", output.pk)
    data = change_form_data(manager_client.get(url))
    data["file"] = SimpleUploadedFile("case-study.pdf", b"<script>alert(1)</script>", content_type="application/pdf")

    response = manager_client.post(url, data)

    assert response.status_code == 200
    assert "file" in response.context["adminform"].form.errors
    output.refresh_from_db()
    assert not output.file


def test_output_link_in_the_admin_must_be_a_web_address(manager_client, admin_world: World) -> None:
    output = Output.objects.get()
    url = admin_url(Output, "change", output.pk)
    data = change_form_data(manager_client.get(url)) | {"link": "ftp://files.example.org/case-study.pdf"}
    response = manager_client.post(url, data)
    assert response.status_code == 200
    assert "link" in response.context["adminform"].form.errors


def test_publishing_in_the_admin_dates_the_output(manager_client, admin_world: World) -> None:
    output = Output.objects.get()
    Output.objects.filter(pk=output.pk).update(status=Output.Status.IN_REVIEW)
    url = admin_url(Output, "change", output.pk)
    data = change_form_data(manager_client.get(url)) | {"status": Output.Status.PUBLISHED}
    assert manager_client.post(url, data).status_code == 302
    output.refresh_from_db()
    assert output.status == Output.Status.PUBLISHED
    assert output.published_at is not None


def test_pairs_are_formed_and_members_changed_on_the_pairing_page(manager_client, admin_world: World) -> None:
    member = PairMember.objects.get(membership=admin_world.bob_membership)

    assert manager_client.get(admin_url(LearningPair, "add")).status_code == 403
    assert manager_client.get(admin_url(PairMember, "add")).status_code == 403
    assert manager_client.post(admin_url(PairMember, "change", member.pk), {"left_on": "2015-01-01"}).status_code == 403
    response = manager_client.get(admin_url(LearningPair, "change", admin_world.pair.pk))
    assert reverse("pairs:cohort-overview", args=[admin_world.cohort.pk]) in response.text
    assert "Bob Bradley" in response.text


def test_pair_page_saves_a_step_through_the_step_service(manager_client, admin_world: World) -> None:
    url = admin_url(LearningPair, "change", admin_world.pair.pk)
    data = change_form_data(manager_client.get(url))
    first_step = next(key.removesuffix("-status") for key in data if key.endswith("-status") and "steps-" in key)
    data |= {f"{first_step}-status": StepProgress.Status.DONE, f"{first_step}-summary": "Referral routes overlap."}

    response = manager_client.post(url, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    progress = StepProgress.objects.get(pair=admin_world.pair, step=Step.IDENTIFY)
    assert progress.status == StepProgress.Status.DONE
    assert (progress.completed_by, progress.version) == (admin_world.manager, 2)
    assert PairMember.objects.current().filter(pair=admin_world.pair).count() == 2


def test_withdrawing_a_member_in_the_admin_takes_them_out_of_their_pair(manager_client, admin_world: World) -> None:
    bob = admin_world.bob_membership
    today = timezone.localdate()
    response = manager_client.post(
        admin_url(Membership, "change", bob.pk),
        {
            "cohort": bob.cohort_id,
            "user": bob.user_id,
            "side": Side.PRACTITIONER,
            "status": "withdrawn",
            "joined_on": bob.joined_on.isoformat(),
            "preferred_question": "",
            "withdrawn_on": today.isoformat(),
            "withdrawal_reason": "New job",
        },
    )
    assert response.status_code == 302
    assert not PairMember.objects.current().filter(membership=bob).exists()
    assert PairMember.objects.get(membership=bob).left_on == today


def test_completing_a_step_in_the_admin_dates_it_and_bumps_its_version(manager_client, admin_world: World) -> None:
    progress = StepProgress.objects.get(pair=admin_world.pair, step=Step.IDENTIFY)
    response = manager_client.post(
        admin_url(StepProgress, "change", progress.pk),
        {
            "status": StepProgress.Status.DONE,
            "summary": "Referral routes overlap.",
        },
    )
    assert response.status_code == 302
    progress.refresh_from_db()
    assert progress.completed_on == timezone.localdate()
    assert progress.completed_by == admin_world.manager
    assert progress.version == 2


def test_a_step_is_not_done_without_a_summary(manager_client, admin_world: World) -> None:
    progress = StepProgress.objects.get(pair=admin_world.pair, step=Step.IDENTIFY)
    response = manager_client.post(
        admin_url(StepProgress, "change", progress.pk),
        {
            "status": StepProgress.Status.DONE,
            "summary": "",
        },
    )
    assert response.status_code == 200
    progress.refresh_from_db()
    assert progress.status == StepProgress.Status.NOT_STARTED


def test_event_attendance_lists_only_the_events_cohort(manager_client, admin_world: World) -> None:
    event = EventFactory(cohort=admin_world.cohort, starts_at=timezone.now() - timedelta(days=1))
    response = manager_client.get(admin_url(Cohort, "change", admin_world.cohort.pk))
    assert response.status_code == 200
    response = manager_client.get(admin_url(type(event), "change", event.pk))
    choices = response.context["inline_admin_formsets"][0].formset.empty_form.fields["membership"].queryset
    assert set(choices) == set(Membership.objects.filter(cohort=admin_world.cohort))
