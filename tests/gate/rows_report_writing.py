"""Gate rows: writing the year-end report (framings, findings, case studies, references) and editing insights."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from cohorts.models import Finding, Insight
from reports.models import CaseStudy, Reference, ReportFigure, ReportPart, SurveyEvidence
from tests.factories import CaseStudyFactory, FindingFactory, ReferenceFactory
from tests.gate.world import COHORT_PK, OTHER_COHORT_PK, REDIRECT, STAFF, Gate, Row, expect, get, post, r

WRITERS = {"facilitator": REDIRECT, "manager": REDIRECT}


# The objects these URLs act on, made on first use (each role's request runs in a savepoint rolled back after).
def finding_pk(g: Gate) -> int:
    question = g.shared_output.question
    finding = Finding.objects.filter(question=question, title="Gate finding").first()
    return (finding or FindingFactory(question=question, title="Gate finding", order=90)).pk


def question_pk(g: Gate) -> int:
    return g.shared_output.question.pk  # type: ignore[union-attr]  # the gate's output has a question


def case_study_pk(g: Gate) -> int:
    study = CaseStudy.objects.filter(cohort=g.world.cohort, title="Gate case study").first()
    return (study or CaseStudyFactory(cohort=g.world.cohort, title="Gate case study")).pk


def reference_pk(g: Gate) -> int:
    reference = Reference.objects.filter(cohort=g.world.cohort, title="Gate reference").first()
    return (reference or ReferenceFactory(cohort=g.world.cohort, title="Gate reference")).pk


def part_pk(g: Gate) -> int:
    part = ReportPart.objects.filter(cohort=g.world.cohort, title="Gate part").first()
    return (part or ReportPart.objects.create(cohort=g.world.cohort, title="Gate part", body="Text")).pk


def evidence_pk(g: Gate) -> int:
    item = SurveyEvidence.objects.filter(cohort=g.world.cohort, question=g.survey_question).first()
    return (item or SurveyEvidence.objects.create(cohort=g.world.cohort, question=g.survey_question)).pk


PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def figure_pk(g: Gate) -> int:
    figure = ReportFigure.objects.filter(cohort=g.world.cohort).first()
    return (
        figure
        or ReportFigure.objects.create(
            cohort=g.world.cohort, caption="Gate", description="A gate", media_type="image/png", content=PNG
        )
    ).pk


def figure_data(g: Gate) -> dict:
    image = SimpleUploadedFile("figure.png", PNG, content_type="image/png")
    return {"caption": "A figure", "description": "What it shows", "image": image}


def part_data(g: Gate) -> dict:
    return {"kind": "lesson", "title": "Changed", "body": "Text"}


def insight_pk(g: Gate) -> int:
    return Insight.objects.filter(cohort=g.world.cohort).order_by("pk").values_list("pk", flat=True)[0]


def with_one(make, url):
    """A list's URL with one row in it first: an empty page runs fewer queries than a full one."""
    return lambda g: make(g) and url(g)


def case_study_data(g: Gate) -> dict:
    return {"title": "Changed", "origin": "written", "stage": "final", "body": "Text", "version": ""}


def rows_for(name: str, url, data=None, note: str = "") -> list[Row]:
    return [get(name, url, expect(**STAFF), note=note), post(name, url, expect(**WRITERS), data)]


ROWS: list[Row] = [
    get("reports:writing", r("reports:writing", COHORT_PK), expect(**STAFF)),
    get(
        "reports:writing",
        r("reports:writing", OTHER_COHORT_PK),
        expect(other_facilitator=200, manager=200),
        note="other",
    ),
    *rows_for("reports:framing", r("reports:framing", COHORT_PK, question_pk), lambda g: {"framing": "Changed"}),
    *rows_for(
        "reports:finding-create", r("reports:finding-create", COHORT_PK, question_pk), lambda g: {"title": "New one"}
    ),
    *rows_for(
        "reports:finding-edit",
        r("reports:finding-edit", COHORT_PK, finding_pk),
        lambda g: {"title": "Changed", "body": "Changed"},
    ),
    post(
        "reports:finding-move",
        r("reports:finding-move", COHORT_PK, finding_pk),
        expect(**WRITERS),
        lambda g: {"direction": "up"},
    ),
    *rows_for("reports:finding-delete", r("reports:finding-delete", COHORT_PK, finding_pk)),
    get("reports:case-studies", with_one(case_study_pk, r("reports:case-studies", COHORT_PK)), expect(**STAFF)),
    *rows_for("reports:case-study-create", r("reports:case-study-create", COHORT_PK), case_study_data),
    *rows_for("reports:case-study-edit", r("reports:case-study-edit", COHORT_PK, case_study_pk), case_study_data),
    post(
        "reports:case-study-move",
        r("reports:case-study-move", COHORT_PK, case_study_pk),
        expect(**WRITERS),
        lambda g: {"direction": "down"},
    ),
    *rows_for("reports:case-study-delete", r("reports:case-study-delete", COHORT_PK, case_study_pk)),
    *rows_for(
        "reports:references",
        with_one(reference_pk, r("reports:references", COHORT_PK)),
        lambda g: {"author": "HM Government", "title": "A plan"},
    ),
    *rows_for(
        "reports:reference-edit",
        r("reports:reference-edit", COHORT_PK, reference_pk),
        lambda g: {"author": "HM Government", "title": "Changed"},
    ),
    *rows_for("reports:reference-delete", r("reports:reference-delete", COHORT_PK, reference_pk)),
    get("reports:section-two", with_one(part_pk, r("reports:section-two", COHORT_PK)), expect(**STAFF)),
    get(
        "reports:section-two",
        r("reports:section-two", OTHER_COHORT_PK),
        expect(other_facilitator=200, manager=200),
        note="other",
    ),
    *rows_for("reports:part-create", r("reports:part-create", COHORT_PK), part_data),
    *rows_for("reports:part-edit", r("reports:part-edit", COHORT_PK, part_pk), part_data),
    *rows_for("reports:part-delete", r("reports:part-delete", COHORT_PK, part_pk)),
    post(
        "reports:evidence-add",
        r("reports:evidence-add", COHORT_PK),
        expect(**WRITERS),
        lambda g: {"question": g.survey_question.pk, "breakdown": "by_side"},
    ),
    post("reports:evidence-delete", r("reports:evidence-delete", COHORT_PK, evidence_pk), expect(**WRITERS)),
    post("reports:figure-upload", r("reports:figure-upload", COHORT_PK), expect(**WRITERS), figure_data),
    post("reports:figure-delete", r("reports:figure-delete", COHORT_PK, figure_pk), expect(**WRITERS)),
    *rows_for("cohorts:insight-edit", r("cohorts:insight-edit", COHORT_PK, insight_pk), lambda g: {"text": "Changed"}),
    *rows_for("cohorts:insight-delete", r("cohorts:insight-delete", COHORT_PK, insight_pk)),
]
