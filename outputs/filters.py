"""Filters of the public library: programme, cohort, question, kind and a text search."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import django_filters
from django import forms
from django.db.models import Count
from django_filters.fields import ModelChoiceField, ModelChoiceIterator

from cohorts.models import Cohort, Question
from programme.models import Programme

from .models import Output, OutputQuerySet
from .search import search_outputs


def _public_outputs() -> OutputQuerySet:
    return Output.objects.public()


class Select(forms.Select):
    """Django's select, its options written in the one template instead of one template include per option
    (the same markup; the library's four drop-downs carry a hundred options at 100x). Named as Django's, as
    crispy-forms gives the element the widget's class name as a CSS class."""

    template_name = "outputs/widgets/select.html"


class ListedChoiceIterator(ModelChoiceIterator):
    """Reads the choices with one plain query. Django's reads them through iterator(), on PostgreSQL a
    server-side cursor: DECLARE, FETCH and CLOSE, three round trips for a few dozen rows."""

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class ListedModelChoiceField(ModelChoiceField):
    iterator = ListedChoiceIterator


class ShortModelChoiceFilter(django_filters.ModelChoiceFilter):
    """A drop-down of a short list of rows: one plain query, options inline (see the two classes above)."""

    field_class = ListedModelChoiceField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", Select)
        super().__init__(*args, **kwargs)


class LibraryFilter(django_filters.FilterSet):
    """Choices offer only programmes, cohorts and questions that have something in the library."""

    q = django_filters.CharFilter(
        label="Search",
        method="filter_search",
        help_text="Titles, summaries, text, authors, their organisations and questions. Part of a word is enough.",
    )
    programme = ShortModelChoiceFilter(
        label="Programme",
        field_name="pair__cohort__programme",
        queryset=lambda request: (
            Programme.objects.filter(pk__in=_public_outputs().values("pair__cohort__programme"))
            .only("name")
            .order_by("name")
        ),
        empty_label="Any programme",
    )
    cohort = ShortModelChoiceFilter(
        label="Cohort",
        field_name="pair__cohort",
        queryset=lambda request: (
            Cohort.objects.filter(pk__in=_public_outputs().values("pair__cohort"))
            .select_related("programme")
            .only("name", "programme__name")  # all that an option's label reads
            .order_by("programme__name", "-starts_on")
        ),
        empty_label="Any cohort",
    )
    question = ShortModelChoiceFilter(
        label="Question",
        queryset=lambda request: (
            Question.objects.filter(pk__in=_public_outputs().values("question"))
            .only("short_title")
            .order_by("cohort__starts_on", "order")
        ),
        empty_label="Any question",
    )
    kind = django_filters.ChoiceFilter(label="Kind", choices=Output.Kind.choices, empty_label="Any kind", widget=Select)

    class Meta:
        model = Output
        fields = ["q", "programme", "cohort", "question", "kind"]

    def filter_search(self, queryset: OutputQuerySet, name: str, value: str) -> OutputQuerySet:
        return search_outputs(queryset, value)


class CohortOutputFilter(django_filters.FilterSet):
    """A facilitator's view of a cohort's outputs, by status and kind."""

    status = django_filters.ChoiceFilter(choices=Output.Status.choices, empty_label="Any status")
    kind = django_filters.ChoiceFilter(choices=Output.Kind.choices, empty_label="Any kind")

    class Meta:
        model = Output
        fields = ["status", "kind"]


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    query: str = ""  # the library's query string with this value chosen
    current: bool = False


@dataclass(frozen=True)
class Facet:
    name: str
    label: str
    values: list[FacetValue]


def library_facets(outputs: OutputQuerySet) -> list[Facet]:
    """How many of the outputs found fall under each programme, cohort, question and kind: one query each."""
    found = outputs.order_by()

    def counted(field: str, *labels: str) -> list[dict]:
        return list(found.values(field, *labels).annotate(count=Count("pk")).order_by("-count", *labels))

    kinds = dict(Output.Kind.choices)
    programmes = counted("pair__cohort__programme", "pair__cohort__programme__name")
    cohorts = counted("pair__cohort", "pair__cohort__programme__name", "pair__cohort__name")
    questions = counted("question", "question__text")
    return [
        Facet(
            "programme",
            "Programme",
            [
                FacetValue(str(row["pair__cohort__programme"]), row["pair__cohort__programme__name"], row["count"])
                for row in programmes
            ],
        ),
        Facet(
            "cohort",
            "Cohort",
            [
                FacetValue(
                    str(row["pair__cohort"]),
                    f"{row['pair__cohort__programme__name']}, {row['pair__cohort__name']}",
                    row["count"],
                )
                for row in cohorts
            ],
        ),
        Facet(
            "question",
            "Question",
            [
                FacetValue(str(row["question"]), row["question__text"], row["count"])
                for row in questions
                if row["question"]
            ],
        ),
        Facet(
            "kind",
            "Kind",
            [FacetValue(row["kind"], kinds.get(row["kind"], row["kind"]), row["count"]) for row in counted("kind")],
        ),
    ]
