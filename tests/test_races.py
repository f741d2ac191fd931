"""Races end in a correct result or a clear message, never a 500.

Real threads on real transactions: only PostgreSQL runs requests concurrently (SQLite serialises every
write), so these tests run there and are skipped on SQLite.
"""

from __future__ import annotations

import threading
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Side, SurveyAnswer, SurveyResponse
from pairs.models import Activity, LearningPair, PairMember
from programme.models import SectorCode, User
from tests.conftest import World
from tests.factories import MembershipFactory, SurveyFactory, SurveyQuestionFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite cannot run two writes at once"),
]

ROUNDS = 5
TODAY = timezone.localdate().isoformat()


Post = tuple[Client, str, dict]


def at_once(*posts: Post) -> list[int]:
    """Send each POST from its own thread and connection, released together; their status codes."""
    barrier = threading.Barrier(len(posts))
    statuses: list[int] = [0] * len(posts)
    errors: list[BaseException] = []

    def run(index: int, post: Post) -> None:
        client, url, data = post
        try:
            barrier.wait()
            statuses[index] = client.post(url, data).status_code
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, post)) for i, post in enumerate(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return statuses


def signed_in(user: User) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _unpaired(world: World, count: int) -> list:
    members = []
    for number in range(count):
        members.append(
            MembershipFactory(
                cohort=world.cohort,
                side=Side.POLICYMAKER if number % 2 == 0 else Side.PRACTITIONER,
                user__organisation__name=f"Organisation {uuid.uuid4()}",
                user__organisation__sector=SectorCode.CENTRAL_GOVERNMENT if number % 2 == 0 else SectorCode.VOLUNTARY,
            )
        )
    return members


def _form(client: Client, cohort_pk: int, members: list) -> Post:
    url = reverse("pairs:pair-create", args=[cohort_pk])
    return client, url, {"members": [m.pk for m in members], "on": TODAY, "question": "", "angle": ""}


def test_two_staff_forming_different_pairs_at_once_both_succeed_with_their_own_numbers(world):
    for _ in range(ROUNDS):
        first, second = _unpaired(world, 2), _unpaired(world, 2)
        facilitator, manager = signed_in(world.facilitator), signed_in(world.manager)
        statuses = at_once(_form(facilitator, world.cohort.pk, first), _form(manager, world.cohort.pk, second))
        assert statuses == [302, 302]
    numbers = list(LearningPair.objects.filter(cohort=world.cohort).values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) == 2 + 2 * ROUNDS


def test_two_staff_pairing_the_same_members_at_once_form_one_pair_and_the_other_is_told(world):
    for _ in range(ROUNDS):
        members = _unpaired(world, 2)
        before = LearningPair.objects.count()
        facilitator, manager = signed_in(world.facilitator), signed_in(world.manager)
        statuses = sorted(
            at_once(_form(facilitator, world.cohort.pk, members), _form(manager, world.cohort.pk, members))
        )
        # The second finds the members already paired: its form says so (400), nothing half-made.
        assert statuses == [302, 400], statuses
        assert LearningPair.objects.count() == before + 1
        for membership in members:
            assert PairMember.objects.current().filter(membership=membership).count() == 1


def test_moving_to_a_new_pair_while_another_pair_is_formed_numbers_both(world):
    for _ in range(ROUNDS):
        to_form = _unpaired(world, 2)
        mover = PairMember.objects.current().filter(pair__cohort=world.cohort).select_related("pair").last()
        assert mover is not None
        move_url = reverse("pairs:pair-member-move", args=[mover.pk])
        facilitator, manager = signed_in(world.facilitator), signed_in(world.manager)
        statuses = at_once(
            _form(facilitator, world.cohort.pk, to_form),
            (manager, move_url, {"to_pair": "new", "on": TODAY, "reason": ""}),
        )
        assert statuses == [302, 302]
        assert PairMember.objects.current().filter(membership=mover.membership).exclude(pair=mover.pair).exists()
    numbers = list(LearningPair.objects.filter(cohort=world.cohort).values_list("number", flat=True))
    assert len(numbers) == len(set(numbers))


def test_double_submitted_survey_answers_keep_one_answer_per_question(world):
    survey = SurveyFactory(cohort=world.cohort)
    questions = [SurveyQuestionFactory(survey=survey)]
    url = reverse("cohorts:survey-answer", args=[survey.pk])
    for score in range(1, ROUNDS + 1):
        # Each round a question without an answer yet, so both submits would add its answer.
        questions.append(SurveyQuestionFactory(survey=survey))
        data = {f"q{question.pk}": str(score) for question in questions}
        first, second = signed_in(world.alice), signed_in(world.alice)
        statuses = at_once((first, url, data), (second, url, data))
        assert statuses == [302, 302]
    response = SurveyResponse.objects.get(survey=survey, membership=world.alice_membership)
    assert SurveyAnswer.objects.filter(response=response).count() == len(questions)
    assert set(SurveyAnswer.objects.filter(response=response).values_list("scale_value", flat=True)) == {ROUNDS}


def test_a_double_submitted_activity_is_logged_once(world):
    url = reverse("pairs:activity-create", args=[world.pair.pk])
    for _ in range(ROUNDS):
        data = {
            "kind": Activity.Kind.MEETING,
            "occurred_on": TODAY,
            "hours": "2",
            "attendees": [world.alice_membership.pk],
            "submission_key": str(uuid.uuid4()),
        }
        first, second = signed_in(world.alice), signed_in(world.alice)
        statuses = at_once((first, url, data), (second, url, data))
        assert statuses == [302, 302]
    assert Activity.objects.filter(pair=world.pair).count() == ROUNDS
