"""Loading the writing of the demo's 2014-15 report (demo/data/writing.yaml) through the reports services:
a framing per question, citations of quotes and references at the sentences they support, the references and
the case studies after their findings."""

from __future__ import annotations

import re
from typing import Any

from cohorts.models import Cohort, Event, Finding, Insight, Membership, SurveyQuestion
from outputs.models import Output
from programme.models import User
from reports.citations import INSIGHT, REFERENCE, citation
from reports.models import CaseStudy, Reference, ReportPart, YearEndReport
from reports.services import (
    case_study_save,
    finding_write,
    framing_write,
    reference_save,
    report_part_save,
    report_save_narrative,
    survey_evidence_add,
)

from .content import read

PLACEHOLDER = re.compile(r"\{(ref|quote):(\w+)\}")


def load_writing(
    cohort: Cohort, events: dict[str, Event], memberships: dict[str, Membership], facilitator: User
) -> None:
    """References, framings, cited findings and case studies of the demo report."""
    content: dict[str, Any] = read("writing")
    references = {}
    for key, (author, title, publisher, year, url) in content["references"].items():
        references[key] = reference_save(
            reference=Reference(cohort=cohort, author=author, title=title, publisher=publisher, year=year, url=url)
        )

    insights = list(Insight.objects.filter(cohort=cohort).order_by("pk"))  # in events.yaml's order

    def cite(text: str) -> str:
        def code(match: re.Match[str]) -> str:
            kind, key = match.groups()
            return (
                citation(INSIGHT, insights[int(key)].pk) if kind == "quote" else citation(REFERENCE, references[key].pk)
            )

        return PLACEHOLDER.sub(code, text)

    drafted = YearEndReport.objects.get(cohort=cohort)  # demo.loading_work.load_report's summary and introduction
    report_save_narrative(
        cohort=cohort,
        by=facilitator,
        title=drafted.title,
        executive_summary=drafted.executive_summary,
        introduction=drafted.introduction,
        **{name: cite(value) for name, value in content["report"].items()},
    )
    parts = [
        report_part_save(part=ReportPart(cohort=cohort, kind=kind, title=title, body=cite(body)))
        for kind, title, body in content["parts"]
    ]
    subsections = [part for part in parts if part.kind == ReportPart.Kind.SUBSECTION]
    for cohort_name, text, breakdown in content["survey_evidence"]:
        question = SurveyQuestion.objects.get(
            survey__cohort__programme=cohort.programme, survey__cohort__name=cohort_name, text=text
        )
        survey_evidence_add(cohort=cohort, question=question, breakdown=breakdown)

    questions = {question.order: question for question in cohort.questions.all()}
    for order, framing in content["framings"].items():
        framing_write(question=questions[order], framing=cite(framing), by=facilitator)

    findings = {
        (finding.question.order, finding.order): finding
        for finding in Finding.objects.filter(question__cohort=cohort).select_related("question__cohort")
    }
    bodies = {key: finding.body for key, finding in findings.items()}
    for question, number, after, target in content["citations"]:
        kind, _, ref = target.partition(":")
        code = citation(INSIGHT, insights[int(ref)].pk) if kind == "quote" else citation(REFERENCE, references[ref].pk)
        body = bodies[(question, number)]
        assert after in body, f"'{after}' is not in finding {question}.{number}"  # the data file is wrong
        bodies[(question, number)] = body.replace(after, after + code, 1)

    outputs = {output.title: output for output in Output.objects.current().for_cohort(cohort)}
    placed: dict[tuple[int, int], list[CaseStudy]] = {}
    for row in content["case_studies"]:
        output = outputs.get(row.get("output", ""))
        study = case_study_save(
            case_study=CaseStudy(
                cohort=cohort,
                title=row["title"],
                origin=row["origin"],
                stage=row.get("stage", CaseStudy.Stage.FINAL),
                output=output,
                part=subsections[row["part"] - 1] if "part" in row else None,
                event=events.get(row.get("event", "")),
                credited_others=row.get("others", ""),
                # One from a pair output shows the output's reviewed summary, text and credits.
                summary=row.get("summary", ""),
                body=cite(row.get("body", "")),
            ),
            credited_people=[memberships[key].user for key in row.get("members", [])],
            by=facilitator,
        )
        if "follows" in row:
            placed.setdefault(tuple(row["follows"]), []).append(study)
    for key, finding in findings.items():
        finding_write(
            finding=finding,
            title=finding.title,
            body=bodies[key],
            case_studies=placed.get(key, []),
            by=facilitator,
        )
