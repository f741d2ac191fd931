"""What the cohorts admin pages share: the cohort filter and a cohort's members."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

from ..models import (
    Cohort,
    Membership,
)


class CohortFilter(admin.RelatedFieldListFilter):
    """Filter by cohort, naming each with its programme in one query (Cohort.__str__ reads the programme)."""

    def field_choices(
        self, field: Any, request: HttpRequest, model_admin: admin.ModelAdmin
    ) -> list[tuple[str, StrPromise | str]]:
        # The filter compares values as text, so the key is the pk as text.
        cohorts = Cohort.objects.select_related("programme").only("name", "programme__name")  # what __str__ reads
        return [(str(cohort.pk), str(cohort)) for cohort in cohorts]


def cohort_members(cohort_id: int | None) -> QuerySet[Membership]:
    """A cohort's members with what their names need, for choosing a member on a cohort's page."""
    # None (a new cohort, not saved yet) matches no member, which is what its page should offer.
    members = Membership.objects.filter(cohort_id=cohort_id)  # type: ignore[misc]
    return members.select_related("user", "cohort").order_by("user__full_name")
