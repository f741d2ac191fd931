"""Filters of the public library: programme, cohort, question, kind and a text search."""

from __future__ import annotations

import django_filters

from cohorts.models import Cohort, Question
from programme.models import Programme

from .models import Output, OutputQuerySet
from .search import search_outputs


def _public_outputs() -> OutputQuerySet:
    return Output.objects.public()


class LibraryFilter(django_filters.FilterSet):
    """Choices offer only programmes, cohorts and questions that have something in the library."""

    q = django_filters.CharFilter(label="Search", method="filter_search")
    programme = django_filters.ModelChoiceFilter(
        field_name="pair__cohort__programme",
        queryset=lambda request: (
            Programme.objects.filter(pk__in=_public_outputs().values("pair__cohort__programme"))
            .only("name")
            .order_by("name")
        ),
        empty_label="Any programme",
    )
    cohort = django_filters.ModelChoiceFilter(
        field_name="pair__cohort",
        queryset=lambda request: (
            Cohort.objects.filter(pk__in=_public_outputs().values("pair__cohort"))
            .select_related("programme")
            .only("name", "programme__name")  # all that an option's label reads
            .order_by("programme__name", "-starts_on")
        ),
        empty_label="Any cohort",
    )
    question = django_filters.ModelChoiceFilter(
        queryset=lambda request: (
            Question.objects.filter(pk__in=_public_outputs().values("question"))
            .only("short_title")
            .order_by("cohort__starts_on", "order")
        ),
        empty_label="Any question",
    )
    kind = django_filters.ChoiceFilter(choices=Output.Kind.choices, empty_label="Any kind")

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
