"""Filters of the activity log: kind and date range."""

from __future__ import annotations

import django_filters
from django import forms

from .models import Activity


class ActivityFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Activity.Kind.choices, empty_label="All kinds", label="Kind")
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
