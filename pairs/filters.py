"""Filters of the activity log: kind and date range."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms

from .models import Activity, LearningPair


class ActivityFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=[], empty_label="All kinds", label="Kind")
    from_date = django_filters.DateFilter(
        field_name="occurred_on",
        lookup_expr="gte",
        label="From",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    to_date = django_filters.DateFilter(
        field_name="occurred_on",
        lookup_expr="lte",
        label="To",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    class Meta:
        model = Activity
        fields = ["kind", "from_date", "to_date"]

    def __init__(self, *args: Any, pair: LearningPair, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Every kind of the pair's programme, archived ones too: older activities may be of those.
        self.filters["kind"].extra["choices"] = [(kind.code, kind.name) for kind in pair.cohort.shape.activity_kinds]
