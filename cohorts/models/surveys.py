"""Surveys of a cohort's members, their questions and the members' answers."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Q

from programme.fields import RemembersStoredValues

from .. import rules
from .cohort import Cohort, shape_for_cohort
from .members import Membership


class Survey(models.Model):
    """The end-of-year evaluation: its figures go into the report."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="surveys")
    title = models.CharField(max_length=200)
    introduction = models.TextField(blank=True)
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="survey_closes_after_open"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        rules.check_survey_window(self.opens_at, self.closes_at)


class SurveyQuestion(RemembersStoredValues, models.Model):
    class Kind(models.TextChoices):
        SCALE = "scale", "Agreement scale (1–5)"
        YES_NO = "yes_no", "Yes / no"
        CHOICE = "choice", "Single choice"
        TEXT = "text", "Free text"

    class Audience:
        """Who is asked a question: every member ("all"), or the members of one side (that side's code)."""

        ALL = "all"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(default=1)
    text = models.CharField(max_length=500)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.SCALE)
    audience = models.CharField(
        max_length=32, default=Audience.ALL, help_text='"all", or the code of the one side asked this question.'
    )
    choices = models.TextField(blank=True, help_text="For single choice: one option per line.")

    class Meta:
        ordering = ["survey", "order"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "order"], name="survey_question_order_unique"),
        ]

    stored_values = ("audience",)  # kept even once its side is archived
    _stored_audience: str | None = None

    def __str__(self) -> str:
        return self.text

    def clean(self) -> None:
        rules.check_choice_options(self.kind, self.choices)
        if self.survey_id is not None:
            rules.check_audience(
                self.audience,
                shape_for_cohort(self.survey.cohort_id).sides,
                keep=self._stored_audience,
            )

    def get_audience_display(self) -> str:
        return rules.audience_label(self.audience, shape_for_cohort(self.survey.cohort_id))

    def choice_list(self) -> list[str]:
        return rules.choice_options(self.choices)


class SurveyResponseQuerySet(models.QuerySet["SurveyResponse"]):
    def count_by_side(self) -> dict[str, int]:
        return dict(self.values_list("membership__side").annotate(n=Count("pk")))


class SurveyResponse(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="survey_responses")
    submitted_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SurveyResponseQuerySet.as_manager()

    class Meta:
        ordering = ["survey", "submitted_at"]
        indexes = [models.Index(fields=["submitted_at"], name="survey_response_by_time")]
        constraints = [
            models.UniqueConstraint(fields=["survey", "membership"], name="one_response_per_member"),
        ]

    def __str__(self) -> str:
        return f"{self.membership.user} – {self.survey}"


class SurveyAnswer(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="answers")
    scale_value = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    yes_no_value = models.BooleanField(null=True, blank=True)
    choice_value = models.CharField(max_length=200, blank=True)
    text_value = models.TextField(blank=True)

    class Meta:
        ordering = ["response", "question__order"]
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question"),
            models.CheckConstraint(
                condition=Q(scale_value__isnull=True) | Q(scale_value__gte=1, scale_value__lte=5),
                name="scale_answer_between_1_and_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.display_value()}"

    def display_value(self) -> str:
        if self.scale_value is not None:
            return str(self.scale_value)
        if self.yes_no_value is not None:
            return "Yes" if self.yes_no_value else "No"
        return self.choice_value or self.text_value
