"""Gate rows: writing the year-end report (framings, findings, case studies, references) and editing insights."""

from __future__ import annotations

from cohorts.models import Finding, Insight
from reports.models import CaseStudy, Reference
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
    *rows_for("cohorts:insight-edit", r("cohorts:insight-edit", COHORT_PK, insight_pk), lambda g: {"text": "Changed"}),
    *rows_for("cohorts:insight-delete", r("cohorts:insight-delete", COHORT_PK, insight_pk)),
]
