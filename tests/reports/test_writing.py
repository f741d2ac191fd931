"""Writing the report: findings with cited evidence, reordering, edit conflicts, case studies, the demo's report."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cohorts.models import Finding
from cohorts.services import EditConflict, finding_move, finding_save
from reports.building import build_report
from reports.citations import UNKNOWN_INSIGHT, UNKNOWN_REFERENCE
from reports.models import CaseStudy
from tests.factories import (
    CaseStudyFactory,
    FindingFactory,
    InsightFactory,
    PublishedOutputFactory,
    QuestionFactory,
    ReferenceFactory,
)


@pytest.fixture
def question(world):
    return QuestionFactory(cohort=world.cohort, order=1)


def test_citations_become_footnotes_numbered_quotes_and_references_together(world, question):
    insight = InsightFactory(cohort=world.cohort, speaker=world.alice_membership, text="It opened my eyes.")
    reference = ReferenceFactory(cohort=world.cohort, author="Hughes, N.", title="Insights", year=2013, url="")
    finding = FindingFactory(question=question, body=f"First.[[ref:{reference.pk}]] Then.[[insight:{insight.pk}]]")
    CaseStudyFactory(cohort=world.cohort, finding=finding, title="After it")

    data = build_report(world.cohort)

    item = data.questions[0].findings[0]
    assert item.markdown == "First.[^1] Then.[^2]"
    assert [c.title for c in item.case_studies] == ["After it"]
    assert [n.markdown for n in data.footnotes] == [
        "Hughes, N., *Insights*, Institute for Government, 2013",
        "“It opened my eyes.” (Y2 policymaker, Workshop 1)",
    ]


def test_another_cohorts_insight_is_never_printed(world, question):
    foreign = InsightFactory(cohort=world.other_cohort, text="Not ours")
    FindingFactory(question=question, body=f"Claim.[[insight:{foreign.pk}]]")

    data = build_report(world.cohort)

    assert data.questions[0].findings[0].markdown == "Claim."
    assert data.footnotes == []


def test_group_attribution_replaces_the_individual_one(world, question):
    insight = InsightFactory(cohort=world.cohort, group_attribution="Year 2 roundtable participants", text="Yes.")
    FindingFactory(question=question, body=f"Agreed.[[insight:{insight.pk}]]")

    assert build_report(world.cohort).footnotes[0].markdown == "“Yes.” (Year 2 roundtable participants)"


def test_a_stale_save_is_refused_with_the_other_writers_text(world, question):
    finding = FindingFactory(question=question, body="Mine")
    finding_save(finding=finding, title="T", body="Theirs", by=world.facilitator, based_on=0)

    with pytest.raises(EditConflict) as refused:
        finding_save(finding=finding, title="T", body="Mine, edited", by=world.manager, based_on=0)

    assert refused.value.text == "Theirs"
    assert Finding.objects.get(pk=finding.pk).body == "Theirs"


def test_moving_a_finding_up_swaps_it_with_the_one_before(world, question):
    first, second = FindingFactory(question=question, order=1), FindingFactory(question=question, order=2)

    finding_move(finding=second, up=True)

    assert list(Finding.objects.filter(question=question).order_by("order")) == [second, first]


def test_editor_refuses_an_unknown_citation_and_keeps_the_text(world, question, login_as):
    finding = FindingFactory(question=question, body="Old")
    url = reverse("reports:finding-edit", args=[world.cohort.pk, finding.pk])

    response = login_as("facilitator").post(url, {"title": "T", "body": "New [[insight:99999]]", "version": 0})

    assert response.status_code == 200
    assert UNKNOWN_INSIGHT.format(pk=99999) in response.content.decode()
    assert "New [[insight:99999]]" in response.content.decode()
    assert Finding.objects.get(pk=finding.pk).body == "Old"


def test_autosave_answers_with_the_new_version(world, question, login_as):
    finding = FindingFactory(question=question)
    url = reverse("reports:finding-edit", args=[world.cohort.pk, finding.pk])

    response = login_as("facilitator").post(url, {"title": "T", "body": "Draft", "version": 0}, HTTP_X_AUTOSAVE="1")

    assert response.json()["saved"] is True and response.json()["version"] == 1
    stale = login_as("manager").post(url, {"title": "T", "body": "Other", "version": 0}, HTTP_X_AUTOSAVE="1")
    assert stale.status_code == 409 and stale.json()["conflict"]["text"] == "Draft"


def test_a_roundtable_case_study_needs_its_event(world, login_as):
    url = reverse("reports:case-study-create", args=[world.cohort.pk])

    response = login_as("facilitator").post(url, {"title": "Brokering", "origin": "roundtable", "stage": "final"})

    assert response.status_code == 200
    assert "Choose the event this case study comes from" in response.content.decode()
    assert not CaseStudy.objects.exists()


def test_demo_report_has_framings_cited_quotes_references_and_case_studies_after_findings(db):
    from demo.loading import demo_load

    demo = demo_load()
    data = build_report(demo.year2)

    assert all(section.framing for section in data.questions)
    assert all("[^" in finding.markdown for section in data.questions for finding in section.findings)
    references = [note for note in data.footnotes if not note.markdown.startswith("“")]
    assert len(references) >= 5
    studies = {study.title: study for study in data.case_studies}
    assert studies["Better 'brokering'"].origin == "From an event"
    assert studies["Changing the language of a service"].credits.count("(") == 1  # one author
    first = data.questions[0].findings[0]
    assert [s.title for s in first.case_studies] == ["Comparing two approaches to consultation"]


def test_a_featured_output_prints_until_placed_and_then_only_after_its_finding(world, question, login_as):
    output = PublishedOutputFactory(pair=world.pair, featured=True, title="Top tips", summary="Reviewed")
    finding = FindingFactory(question=question)
    client = login_as("facilitator")

    assert [s.title for s in build_report(world.cohort).other_case_studies] == ["Top tips"]
    listing = client.get(reverse("reports:case-studies", args=[world.cohort.pk])).content.decode()
    assert f"?output={output.pk}" in listing
    form = client.get(reverse("reports:case-study-create", args=[world.cohort.pk]), {"output": output.pk})
    assert form.context["form"].initial["origin"] == CaseStudy.Origin.PAIR_OUTPUT

    client.post(
        reverse("reports:case-study-create", args=[world.cohort.pk]),
        {"title": "Top tips", "origin": "pair_output", "stage": "final", "output": output.pk, "finding": finding.pk},
    )

    data = build_report(world.cohort)
    assert data.other_case_studies == []
    study = data.questions[0].findings[0].case_studies[0]
    assert (study.summary, study.credits) == ("Reviewed", "Alice Adkins (Cabinet Office) and Bob Bradley (Shelter)")


def test_saving_a_stale_framing_shows_their_text_and_keeps_yours(world, question, login_as):
    url = reverse("reports:framing", args=[world.cohort.pk, question.pk])
    login_as("manager").post(url, {"framing": "The manager's framing.", "version": 0})

    response = login_as("facilitator").post(url, {"framing": "My framing.", "version": 0})

    page = response.content.decode()
    assert response.status_code == 200
    assert "The manager&#x27;s framing." in page and "My framing." in page
    assert "after you opened it" in page
    question.refresh_from_db()
    assert question.framing == "The manager's framing."
    assert response.context["form"].data["version"] == "1"  # saving again, having seen theirs, goes through


def test_a_new_finding_goes_last_and_deleting_one_closes_the_gap(world, question, login_as):
    first = FindingFactory(question=question, order=1)
    client = login_as("facilitator")

    client.post(reverse("reports:finding-create", args=[world.cohort.pk, question.pk]), {"title": "Second"})
    second = Finding.objects.get(title="Second")
    assert second.order == 2

    client.post(reverse("reports:finding-delete", args=[world.cohort.pk, first.pk]))
    second.refresh_from_db()
    assert second.order == 1


def test_case_studies_are_numbered_by_the_order_the_facilitator_sets(world, login_as):
    one = CaseStudyFactory(cohort=world.cohort, order=1, title="One")
    two = CaseStudyFactory(cohort=world.cohort, order=2, title="Two")

    login_as("facilitator").post(
        reverse("reports:case-study-move", args=[world.cohort.pk, two.pk]), {"direction": "up"}
    )

    assert [(s.number, s.title) for s in build_report(world.cohort).case_studies] == [(1, "Two"), (2, "One")]
    one.refresh_from_db()
    assert one.order == 2


def test_the_narrative_may_cite_only_the_cohorts_evidence(world, login_as):
    reference = ReferenceFactory(cohort=world.cohort)
    url = reverse("reports:edit", args=[world.cohort.pk])
    data = {"title": "", "introduction": "", "lessons": "", "conclusion": ""}
    client = login_as("facilitator")

    refused = client.post(url, {**data, "executive_summary": "Summary [[ref:99999]]"})
    assert UNKNOWN_REFERENCE.format(pk=99999) in refused.content.decode()

    client.post(url, {**data, "executive_summary": f"Summary.[[ref:{reference.pk}]]"})
    report = build_report(world.cohort)
    assert report.narrative["executive_summary"].text == "Summary.[^1]"
    assert report.footnotes[0].markdown.startswith("Hughes, N.")
