from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.apps import AppConfig


def _cohort_pk(context: Mapping[str, Any]) -> list[int]:
    return [context["cohort"].pk]


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Year-end reports"

    def ready(self) -> None:
        from programme import navigation

        # The cohort overview (pairs) links to the cohort's report.
        navigation.register_link(
            navigation.COHORT_STAFF_ACTIONS, navigation.Link("Year-end report", "reports:preview", args=_cohort_pk)
        )
