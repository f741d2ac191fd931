"""Staff correct or delete a cohort's insights; history keeps what each said, and who changed it."""

from __future__ import annotations

from django.urls import reverse

from cohorts.models import Insight
from tests.factories import InsightFactory, QuestionFactory


def test_editing_an_insight_keeps_its_earlier_wording_in_history(world, login_as):
    insight = InsightFactory(cohort=world.cohort, text="Frist wording")
    question = QuestionFactory(cohort=world.cohort)
    url = reverse("cohorts:insight-edit", args=[world.cohort.pk, insight.pk])

    response = login_as("facilitator").post(
        url, {"text": "First wording", "question": question.pk, "group_attribution": "Year 2 roundtable participants"}
    )

    assert response.status_code == 302
    insight.refresh_from_db()
    assert (insight.text, insight.question, insight.cited_as()) == (
        "First wording",
        question,
        "Year 2 roundtable participants",
    )
    assert [h.text for h in insight.history.order_by("history_date")] == ["Frist wording", "First wording"]
    assert insight.history.latest().history_user == world.facilitator


def test_an_insight_is_deleted_only_after_confirmation(world, login_as):
    insight = InsightFactory(cohort=world.cohort)
    url = reverse("cohorts:insight-delete", args=[world.cohort.pk, insight.pk])
    client = login_as("facilitator")

    assert "Delete the insight" in client.get(url).content.decode()
    assert Insight.objects.filter(pk=insight.pk).exists()
    client.post(url)
    assert not Insight.objects.filter(pk=insight.pk).exists()
    assert Insight.history.filter(id=insight.pk, history_type="-").get().history_user == world.facilitator


def test_an_empty_insight_is_refused_on_the_form(world, login_as):
    insight = InsightFactory(cohort=world.cohort, text="Kept")
    url = reverse("cohorts:insight-edit", args=[world.cohort.pk, insight.pk])

    response = login_as("facilitator").post(url, {"text": ""})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    insight.refresh_from_db()
    assert insight.text == "Kept"


def test_another_cohorts_question_cannot_be_chosen(world, login_as):
    insight = InsightFactory(cohort=world.cohort)
    foreign = QuestionFactory(cohort=world.other_cohort)
    url = reverse("cohorts:insight-edit", args=[world.cohort.pk, insight.pk])

    response = login_as("facilitator").post(url, {"text": "Changed", "question": foreign.pk})

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
