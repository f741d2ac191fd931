"""What the cohorts admin pages share: the cohort filter and a cohort's members."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from ..models import (
    Cohort,
    Membership,
)


class CohortFilter(admin.RelatedFieldListFilter):
    """Filter by cohort, naming each with its programme in one query (Cohort.__str__ reads the programme)."""

    def field_choices(self, field: Any, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[Any, str]]:
        return [(cohort.pk, str(cohort)) for cohort in Cohort.objects.select_related("programme")]


def cohort_members(cohort_id: int | None) -> QuerySet[Membership]:
    """A cohort's members with what their names need, for choosing a member on a cohort's page."""
    return Membership.objects.filter(cohort_id=cohort_id).select_related("user", "cohort").order_by("user__full_name")
