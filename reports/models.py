"""The year-end report: the facilitators' narrative for a cohort's year, its references and case studies."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Prefetch
from simple_history.models import HistoricalRecords

from cohorts.models import Cohort, Event, Finding, SurveyQuestion
from outputs.models import Output
from pairs.models import PairMember
from programme.models import User
from programme.rules import may_be_named

from . import rules

_MARKDOWN_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>#^"})


def escape_markdown(text: str) -> str:
    """Text typed as plain words, safe inside Markdown: its * _ [ ] and friends print as themselves."""
    return text.translate(_MARKDOWN_SPECIAL)


class YearEndReport(models.Model):
    """The facilitators' narrative for a cohort's year; the rest of the report is built from data."""

    cohort = models.OneToOneField(Cohort, on_delete=models.CASCADE, related_name="year_end_report")
    title = models.CharField(max_length=250, blank=True)
    # The cover and front matter.
    authors = models.TextField(blank=True, help_text="One name a line, as printed on the cover.")
    published_on = models.DateField(null=True, blank=True)
    about_authors = models.TextField(blank=True, help_text="Markdown.")
    acknowledgements = models.TextField(blank=True, help_text="Markdown.")
    executive_summary = models.TextField(blank=True, help_text="Markdown.")
    introduction = models.TextField(blank=True, help_text="Markdown.")
    background = models.TextField(blank=True, help_text="Markdown.")
    this_report = models.TextField(blank=True, help_text="Markdown.")
    # Section 1: what the cohort learned about its questions.
    section_one_title = models.CharField(max_length=200, blank=True)
    section_one_intro = models.TextField(blank=True, help_text="Markdown.")
    selection_criteria = models.TextField(blank=True, help_text="Markdown.")
    # Section 2: what running the programme taught; its sub-sections and lessons are ReportPart rows.
    section_two_title = models.CharField(max_length=200, blank=True)
    section_two_intro = models.TextField(blank=True, help_text="Markdown.")
    lessons = models.TextField(blank=True, help_text="Markdown.")
    conclusion = models.TextField(blank=True, help_text="Markdown.")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    NARRATIVE_SECTIONS = (
        "about_authors",
        "acknowledgements",
        "executive_summary",
        "introduction",
        "background",
        "this_report",
        "section_one_intro",
        "selection_criteria",
        "section_two_intro",
        "lessons",
        "conclusion",
    )
    # Written into the report's text fields; the rest of the narrative is optional.
    REQUIRED_SECTIONS = ("executive_summary", "introduction", "conclusion")

    def __str__(self) -> str:
        return self.title or f"Year-end report: {self.cohort}"

    def unwritten_sections(self) -> list[str]:
        return [name for name in self.REQUIRED_SECTIONS if not getattr(self, name).strip()]

    def author_names(self) -> list[str]:
        return [line.strip() for line in self.authors.splitlines() if line.strip()]


class ReportPart(models.Model):
    """A sub-section of the report's Section 2 ("Why connect policymakers and practitioners?") or one of its
    numbered lessons ("Lesson 1: Give participants clear tasks and deadlines")."""

    class Kind(models.TextChoices):
        SUBSECTION = "subsection", "Sub-section"
        LESSON = "lesson", "Lesson"

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="report_parts")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.SUBSECTION)
    order = models.PositiveSmallIntegerField(default=1, help_text="Its place among the others of its kind.")
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True, help_text="Markdown, citing evidence as [[insight:12]] or [[ref:3]].")
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["cohort", "kind", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class ReportFigure(models.Model):
    """An image uploaded for a figure that cannot be drawn from data, placed in the text as [[figure:N]]."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="report_figures")
    caption = models.CharField(max_length=200, help_text='Printed after its number: "Figure 3: <caption>".')
    description = models.CharField(
        max_length=500, help_text="What the image shows, for readers who cannot see it (its alternative text)."
    )
    media_type = models.CharField(max_length=40, editable=False)
    content = models.BinaryField(editable=False)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cohort", "pk"]

    def __str__(self) -> str:
        return self.caption


class SurveyEvidence(models.Model):
    """A survey question the facilitator put in the report, printed once: overall or by side."""

    class Breakdown(models.TextChoices):
        OVERALL = "overall", "Overall"
        BY_SIDE = "by_side", "By side"

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="report_survey_evidence")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="report_evidence")
    breakdown = models.CharField(max_length=16, choices=Breakdown.choices, default=Breakdown.OVERALL)
    order = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["cohort", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "question"], name="survey_evidence_once_per_report"),
        ]

    def __str__(self) -> str:
        return self.question.text


class Reference(models.Model):
    """A publication the report cites as a footnote ("Hughes, N., *Title*, Publisher, 2013, <url>")."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="references")
    author = models.CharField(max_length=250, help_text='As cited, e.g. "Hughes, N." or "HM Government".')
    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=200, blank=True, help_text="Or the journal, blog or website.")
    year = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1800), MaxValueValidator(2200)]
    )
    url = models.URLField("web address", max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["author", "title", "pk"]

    def __str__(self) -> str:
        return f"{self.author}, {self.title}"

    def markdown(self) -> str:
        """The footnote's text, in the style of the programme's reports."""
        parts = [escape_markdown(self.author), f"*{escape_markdown(self.title)}*"]
        if self.publisher:
            parts.append(escape_markdown(self.publisher))
        if self.year:
            parts.append(str(self.year))
        text = ", ".join(parts)
        return f"{text}, <{self.url}>" if self.url else text


class CaseStudyQuerySet(models.QuerySet["CaseStudy"]):
    def for_cohort(self, cohort: Cohort) -> CaseStudyQuerySet:
        return self.filter(cohort=cohort)

    def in_order(self) -> CaseStudyQuerySet:
        return self.order_by("order", "pk")

    def with_credits(self) -> CaseStudyQuerySet:
        """The people credited, and for one from a pair output the pair's members (its credits when none chosen)."""
        members = PairMember.objects.with_people().order_by("membership__side", "joined_on")
        return self.select_related("finding", "output__pair", "event").prefetch_related(
            Prefetch("credited_people", queryset=User.objects.select_related("organisation").order_by("full_name")),
            Prefetch("output__pair__members", queryset=members, to_attr="all_members"),
        )


class CaseStudy(models.Model):
    """A case study of the report, of any origin, placed after the finding it illustrates."""

    class Origin(models.TextChoices):
        PAIR_OUTPUT = "pair_output", "From a pair's output"
        WRITTEN = "written", "Written for the report"
        ROUNDTABLE = "roundtable", "From an event"
        MEMBER = "member", "Contributed by a member"
        GUEST = "guest", "Contributed by a guest"
        PARTNER = "partner", "Contributed by a partner organisation"

    class Stage(models.TextChoices):
        FINAL = "final", "Final"
        WORK_IN_PROGRESS = "work_in_progress", "Work in progress"
        REFLECTION = "reflection", "Reflection"

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="case_studies")
    finding = models.ForeignKey(
        Finding,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="case_studies",
        help_text="The finding it illustrates: it is printed after that finding.",
    )
    part = models.ForeignKey(
        "ReportPart",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="case_studies",
        help_text="Or the Section 2 sub-section it illustrates.",
    )
    order = models.PositiveSmallIntegerField(default=1, help_text="Its number in the report.")
    title = models.CharField(max_length=200)
    origin = models.CharField(max_length=16, choices=Origin.choices, default=Origin.WRITTEN)
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.FINAL)
    summary = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True, help_text="Markdown, citing evidence as [[insight:12]] or [[ref:3]].")
    output = models.ForeignKey(
        Output, on_delete=models.SET_NULL, null=True, blank=True, related_name="report_case_studies"
    )
    event = models.ForeignKey(
        Event, on_delete=models.SET_NULL, null=True, blank=True, related_name="report_case_studies"
    )
    credited_people = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="credited_case_studies")
    credited_others = models.CharField(
        max_length=300,
        blank=True,
        help_text='Guests or organisations credited, e.g. "Big Lottery Fund" (separate several with semicolons).',
    )
    version = models.PositiveIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    objects = CaseStudyQuerySet.as_manager()

    class Meta:
        ordering = ["cohort", "order", "pk"]
        verbose_name_plural = "case studies"

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        rules.check_case_study(
            cohort_id=self.cohort_id,
            origin=self.origin,
            output=self.output,
            event=self.event,
            finding=self.finding,
            credited_others=self.credited_others,
            part=self.part,
        )

    def credit_names(self) -> list[str]:
        """The people chosen who may be named (programme.rules.may_be_named), "Name (Organisation)", then the
        guests or organisations typed in."""
        people = [
            f"{person.full_name} ({person.organisation.name})" if person.organisation is not None else person.full_name
            for person in self.credited_people.all()
            if may_be_named(consents_to_be_named=person.consents_to_be_named)
        ]
        return people + [name.strip() for name in self.credited_others.split(";") if name.strip()]

    def credits(self) -> str:
        names = self.credit_names()
        if len(names) <= 1:
            return "".join(names)
        return ", ".join(names[:-1]) + " and " + names[-1]


class ReportDataStamp(models.Model):
    """A single row whose `version` database triggers raise whenever a table the year-end report reads changes
    (reports.stamp, migration 0006): a built report cached under a version is good for as long as it stays.

    Triggers rather than signals, so bulk writes, queryset updates, cascades and the admin raise it too; and a
    row in the database rather than memory, so every web process and task worker sees the same version.
    """

    version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"Report data version {self.version}"


class ReportExport(models.Model):
    """The cohort's report built as one file (PDF, Word or XLSX) by a task, kept until the next build.

    `fingerprint` names the report data the file was built from (reports.stamp.report_fingerprint): the file is
    current while the report's fingerprint is the same, and stale once anything it shows has changed.
    """

    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word document"
        XLSX = "xlsx", "spreadsheet (XLSX)"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        BUILDING = "building", "Building"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="report_exports")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    requested_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    built_at = models.DateTimeField(null=True, blank=True)
    fingerprint = models.CharField(max_length=64, blank=True)
    content = models.BinaryField(default=b"", editable=False)
    error = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cohort", "kind"], name="one_report_export_per_kind")]

    def __str__(self) -> str:
        return f"{self.cohort} report, {self.get_kind_display()}: {self.get_status_display()}"

    @property
    def is_pending(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.BUILDING}

    @property
    def has_file(self) -> bool:
        return self.built_at is not None
