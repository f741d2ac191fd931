from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.apps import AppConfig
from django.core import checks
from django.db.models.signals import post_migrate


def check_rsvg_convert(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Warn at start-up, not at the first Word export, when the report's figures cannot be drawn for Word."""
    from .figures import RSVG_MISSING, FigureToolMissing, require_rsvg_convert

    try:
        require_rsvg_convert()
    except FigureToolMissing:
        return [checks.Warning(RSVG_MISSING, id="reports.W001")]
    return []


def _install_stamp_triggers(using: str = "default", **kwargs: Any) -> None:
    """After every migrate: the triggers that tell the cached report its data changed (reports.stamp)."""
    from .stamp import install_stamp_triggers

    install_stamp_triggers(using)


def _cohort_pk(context: Mapping[str, Any]) -> list[int]:
    return [context["cohort"].pk]


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Year-end reports"

    def ready(self) -> None:
        from programme import navigation

        checks.register(check_rsvg_convert)
        post_migrate.connect(_install_stamp_triggers, dispatch_uid="reports.install_stamp_triggers")

        # The cohort overview (pairs) links to the cohort's report.
        navigation.register_link(
            navigation.COHORT_STAFF_ACTIONS, navigation.Link("Year-end report", "reports:preview", args=_cohort_pk)
        )
        navigation.register_link(
            navigation.COHORT_STAFF_ACTIONS, navigation.Link("Report findings", "reports:writing", args=_cohort_pk)
        )
