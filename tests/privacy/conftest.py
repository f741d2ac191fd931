from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Application, Side
from notifications.models import Delivery, Kind, NotificationPreference, OutboundMessage
from notifications.services import notification_raise
from outputs.models import Output
from pairs import services as pair_services
from pairs.models import Activity, Step, StepProgress
from programme.models import PolicyArea, User
from reports.models import YearEndReport
from tests.conftest import World
from tests.factories import (
    ApplicationFactory,
    AttendanceFactory,
    CohortFactory,
    EventFactory,
    InsightFactory,
    MembershipFactory,
    OutputFactory,
    SurveyAnswerFactory,
    SurveyFactory,
    SurveyQuestionFactory,
    SurveyResponseFactory,
)
from tests.outputs.conftest import TINY_PDF, upload
from tests.outputs.conftest import outputs as outputs  # the pair's outputs, one of each visibility

NAME = "Alice Adkins"
EMAIL = "alice@example.org"


@dataclass
class AliceEverywhere:
    world: World
    output: Output
    application: Application
    activity: Activity


@pytest.fixture
def alice_everywhere(world: World, settings, tmp_path) -> AliceEverywhere:
    """Alice in every kind of record Pairwise keeps, and her name and address written into others' records."""
    settings.MEDIA_ROOT = tmp_path
    alice, bob = world.alice, world.bob
    alice.interests.add(PolicyArea.objects.create(name="Homelessness"))
    alice.groups.add(Group.objects.create(name="Alumni"))
    alice.bio = "Policy adviser; reach me at alice@example.org."
    alice.save()
    client = Client()
    client.force_login(alice)
    # Through the pages, so the history tables record her as the one who changed things.
    client.post(
        reverse("pairs:activity-create", args=[world.pair.pk]),
        {
            "kind": Activity.Kind.MEETING,
            "occurred_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "hours": "2",
            "attendees": [world.alice_membership.pk, world.bob_membership.pk],
            "learning": "Met the team.",
            "private_notes": "Alice Adkins found the meeting hard going.",
        },
    )
    activity = Activity.objects.get(pair=world.pair)
    client.post(
        reverse("pairs:step-comment", args=[world.pair.pk, Step.IDENTIFY]), {"body": "A comment from me, Alice."}
    )
    progress = StepProgress.objects.get(pair=world.pair, step=Step.IDENTIFY)
    pair_services.step_update(progress=progress, status="done", summary="Found by Alice Adkins.", by=alice)
    bob_client = Client()
    bob_client.force_login(bob)
    bob_client.post(
        reverse("pairs:step-comment", args=[world.pair.pk, Step.IDENTIFY]),
        {"body": "Thanks Alice Adkins (alice@example.org)!"},
    )
    pair_services.private_notes_reading_log(pair=world.pair, reader=world.facilitator, reason="Alice Adkins asked")
    NotificationPreference.objects.create(user=alice, kind=Kind.COMMENT, delivery=Delivery.IMMEDIATELY)
    notification_raise(recipient=alice, key="privacy:alice", kind=Kind.PAIRING, text="You joined a pair")
    OutboundMessage.objects.create(
        key="privacy:alice:mail", kind="test", recipient=alice, to=EMAIL, subject="Hello Alice Adkins", body="Hi"
    )
    event = EventFactory(cohort=world.cohort)
    event.facilitators.add(alice)
    world.other_cohort.facilitators.add(alice)
    AttendanceFactory(event=event, membership=world.alice_membership)
    survey = SurveyFactory(cohort=world.cohort)
    answer_to = SurveyResponseFactory(survey=survey, membership=world.alice_membership)
    SurveyAnswerFactory(response=answer_to, question=SurveyQuestionFactory(survey=survey))
    InsightFactory(cohort=world.cohort, speaker=world.alice_membership, speaker_agreed_to_be_named=True)
    InsightFactory(cohort=world.cohort, recorded_by=alice, text="Alice Adkins noted this")
    later = MembershipFactory(cohort=world.other_cohort, user=alice, side=Side.POLICYMAKER)
    pair_services.membership_withdraw(membership=later, on=timezone.localdate(), reason="Alice moved to Leeds")
    application = ApplicationFactory(
        cohort=world.other_cohort, user=alice, full_name=NAME, email=EMAIL, motivation="I, Alice Adkins, ..."
    )
    # An earlier application from her address, before she had an account.
    ApplicationFactory(cohort=CohortFactory(programme=world.cohort.programme), full_name=NAME, email=EMAIL)
    ApplicationFactory(cohort=world.cohort, decided_by=alice, status="declined", decided_at=timezone.now())
    output = OutputFactory(pair=world.pair, title="Our guide", file=upload("guide.pdf", TINY_PDF))
    YearEndReport.objects.create(cohort=world.other_cohort, title="Report", updated_by=alice)
    user_type = ContentType.objects.get_for_model(User)
    LogEntry.objects.create(
        user=world.manager,
        content_type=user_type,
        object_id=str(alice.pk),
        object_repr=str(alice),
        action_flag=CHANGE,
        change_message=f"Changed the address of {EMAIL}",
    )
    LogEntry.objects.create(
        user=alice, content_type=user_type, object_id=str(bob.pk), object_repr="Bob", action_flag=CHANGE
    )
    AccessAttempt.objects.create(username=EMAIL, ip_address="192.0.2.1", user_agent="x", failures_since_start=1)
    AccessLog.objects.create(username=EMAIL, ip_address="192.0.2.1", user_agent="x")
    return AliceEverywhere(world=world, output=output, application=application, activity=activity)
