"""Filters of the public library: programme, cohort, question, kind and a text search."""

from __future__ import annotations

from collections import Counter
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
    """Reads the choices with one plain query, kept on the field's queryset, so the view may read the same rows
    (the library's facets name their values from them). Django's reads them through iterator(), on PostgreSQL
    a server-side cursor: DECLARE, FETCH and CLOSE, three round trips for a few dozen rows, read again per use."""

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for obj in self.queryset:
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
            .only("short_title", "text")  # the option's label, and the facet's
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


def library_facets(
    outputs: OutputQuerySet, *, programmes: list[Programme], cohorts: list[Cohort], questions: list[Question]
) -> tuple[int, list[Facet]]:
    """How many outputs were found, and how many fall under each programme, cohort, question and kind: one
    grouped query. The values are named from the drop-downs' rows (all that have something in the library)."""
    groups = (
        outputs.order_by()
        .values("pair__cohort__programme", "pair__cohort", "question", "kind")
        .annotate(count=Count("pk"))
        .values_list("pair__cohort__programme", "pair__cohort", "question", "kind", "count")
    )
    by_programme: Counter[int] = Counter()
    by_cohort: Counter[int] = Counter()
    by_question: Counter[int] = Counter()
    by_kind: Counter[str] = Counter()
    for programme, cohort, question, kind, count in groups:
        by_programme[programme] += count
        by_cohort[cohort] += count
        if question is not None:
            by_question[question] += count
        by_kind[kind] += count
    names: dict[str, dict[Any, str]] = {
        "programme": {programme.pk: programme.name for programme in programmes},
        "cohort": {cohort.pk: f"{cohort.programme.name}, {cohort.name}" for cohort in cohorts},
        "question": {question.pk: question.text for question in questions},
        "kind": dict(Output.Kind.choices),
    }

    def facet(name: str, label: str, counts: Counter[Any]) -> Facet:
        known = names[name]
        values = [FacetValue(str(value), known[value], count) for value, count in counts.items() if value in known]
        return Facet(name, label, sorted(values, key=lambda value: (-value.count, value.label)))

    facets = [
        facet("programme", "Programme", by_programme),
        facet("cohort", "Cohort", by_cohort),
        facet("question", "Question", by_question),
        facet("kind", "Kind", by_kind),
    ]
    return sum(by_kind.values()), facets
