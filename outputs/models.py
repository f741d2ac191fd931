"""What the programme produces: the pairs' outputs, for the pair, the cohort and the public library."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Prefetch, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cohorts import rules as cohort_rules
from cohorts.models import Cohort, Question
from pairs.models import LearningPair, PairMember
from programme.models import User
from programme.rules import may_be_named

from . import rules


class OutputQuerySet(models.QuerySet["Output"]):
    def published(self) -> OutputQuerySet:
        return self.filter(status=Output.Status.PUBLISHED)

    def current(self) -> OutputQuerySet:
        """Not archived: archived outputs are kept but shown to nobody."""
        return self.filter(archived=False)

    def public(self) -> OutputQuerySet:
        """What anyone may read: published, visible to the public and not archived."""
        return self.published().current().filter(visibility=Output.Visibility.PUBLIC)

    def with_credits(self) -> OutputQuerySet:
        """The pair, cohort, programme and question, and every member the pair has had, for credits."""
        members = PairMember.objects.with_people().order_by("membership__side", "joined_on")
        return self.select_related("pair__cohort__programme", "question").prefetch_related(
            Prefetch("pair__members", queryset=members, to_attr="all_members")
        )

    def for_cohort(self, cohort: Cohort) -> OutputQuerySet:
        return self.filter(pair__cohort=cohort)

    def featured(self) -> OutputQuerySet:
        return self.published().filter(featured=True)


def output_upload_path(output: Output, filename: str) -> str:
    return f"outputs/{output.pair.cohort_id}/{output.pair_id}/{filename}"


class Output(models.Model):
    """A pair's product for other policymakers and practitioners."""

    class Kind(models.TextChoices):
        CASE_STUDY = "case_study", "Case study"
        SHORT_REPORT = "short_report", "Short report"
        HOW_TO_GUIDE = "how_to_guide", "How-to guide"
        VIDEO = "video", "Video"
        PRESENTATION = "presentation", "Presentation"
        TOP_TIPS = "top_tips", "Top tips"
        BLOG_POST = "blog_post", "Blog post"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        DRAFTING = "drafting", "Drafting"
        IN_REVIEW = "in_review", "In review"
        PUBLISHED = "published", "Published"

    class Visibility(models.TextChoices):
        PAIR = "pair", "Our pair only"
        COHORT = "cohort", "The cohort"
        PUBLIC = "public", "Everyone (public library)"

    pair = models.ForeignKey(LearningPair, on_delete=models.PROTECT, related_name="outputs")
    question = models.ForeignKey(Question, on_delete=models.SET_NULL, null=True, blank=True, related_name="outputs")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True, help_text="Markdown.")
    file = models.FileField(upload_to=output_upload_path, blank=True)
    link = models.URLField(blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PLANNED)
    due_on = models.DateField(null=True, blank=True)
    visibility = models.CharField(max_length=16, choices=Visibility.choices, default=Visibility.PAIR)
    featured = models.BooleanField(default=False, help_text="Featured as a case study in the year-end report.")
    review_comment = models.TextField(blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    archived = models.BooleanField(default=False, help_text="Archived outputs are hidden but kept.")
    search_extra = models.TextField(
        blank=True, editable=False, help_text="Who made it, their organisations and the question: for the search."
    )
    history = HistoricalRecords(excluded_fields=["search_extra"])

    objects = OutputQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        indexes = [
            models.Index(fields=["updated_at"], name="output_by_update"),
            # The public library, newest first.
            models.Index(
                fields=["-published_at", "-id"],
                condition=Q(status="published", visibility="public", archived=False),
                name="output_public_newest_first",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="published_output_has_date",
            ),
            models.CheckConstraint(
                condition=Q(featured=False) | Q(status="published"),
                name="only_published_outputs_are_featured",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Derived text, like a slug: kept in step on every save, whichever path writes the output.
        self.search_extra = self.people_and_question_text()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_extra"}
        super().save(*args, **kwargs)

    def credited_people(self) -> list[User]:
        """Who made it: the pair's members who had not left before it was begun and may be named on it
        (their standing consent, narrowed by crediting on outputs)."""
        members = getattr(self.pair, "all_members", None)
        if members is None:
            members = list(self.pair.members.with_people().order_by("membership__side", "joined_on"))
        begun_on = timezone.localdate(self.created_at) if self.created_at else None
        return [
            member.membership.user
            for member in members
            if may_be_named(
                consents_to_be_named=member.membership.user.consents_to_be_named,
                item_agreed=member.membership.user.credit_on_outputs,
            )
            and (member.left_on is None or begun_on is None or member.left_on >= begun_on)
        ]

    def people_and_question_text(self) -> str:
        """What the library's search reads besides the text: credited people, their organisations, the question."""
        people = self.credited_people()
        lines = [person.full_name for person in people]
        lines += [person.organisation.name for person in people if person.organisation]
        if self.question is not None:
            lines.append(self.question.text)
        return "\n".join(lines)

    def clean(self) -> None:
        if self.status == self.Status.PUBLISHED:
            rules.check_title_and_summary(title=self.title, summary=self.summary, action="published")
        rules.check_can_feature(status=self.status, featured=self.featured)
        if self.pair_id:
            cohort_rules.check_question_in_cohort(self.question, self.pair.cohort_id, owner="pair")
        rules.check_http_link(self.link)


class OutputRevisionQuerySet(models.QuerySet["OutputRevision"]):
    def open(self) -> OutputRevisionQuerySet:
        """Being written or in review: not yet what readers see."""
        return self.filter(status__in=(OutputRevision.Status.DRAFTING, OutputRevision.Status.IN_REVIEW))


def revision_upload_path(revision: OutputRevision, filename: str) -> str:
    return output_upload_path(revision.output, filename)


class OutputRevision(models.Model):
    """Changes the pair makes to a published output. The output itself stays the reviewed version that the
    library, the feed and the year-end report show, until a reviewer publishes the revision onto it."""

    class Status(models.TextChoices):
        DRAFTING = "drafting", "Drafting"
        IN_REVIEW = "in_review", "In review"
        PUBLISHED = "published", "Published"

    output = models.ForeignKey(Output, on_delete=models.CASCADE, related_name="revisions")
    kind = models.CharField(max_length=16, choices=Output.Kind.choices)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True, help_text="Markdown.")
    file = models.FileField(upload_to=revision_upload_path, blank=True)
    link = models.URLField(blank=True)
    question = models.ForeignKey(Question, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    visibility = models.CharField(max_length=16, choices=Output.Visibility.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFTING)
    review_comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    objects = OutputRevisionQuerySet.as_manager()

    CONTENT_FIELDS = ("kind", "title", "summary", "body", "file", "link", "question", "visibility")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["output"],
                condition=Q(status__in=("drafting", "in_review")),
                name="one_open_revision_per_output",
            ),
        ]

    def __str__(self) -> str:
        return f"Revision of {self.output}: {self.get_status_display().lower()}"


class LibraryVersion(models.Model):
    """One row whose number goes up whenever anything the public library shows changes (outputs, and the
    names, cohorts, questions and people they show). Rendered library pages are kept under this number, and
    it lives in the database so that every web process sees a change at once (outputs/library_cache.py)."""

    number = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"Library version {self.number}"
