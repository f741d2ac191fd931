"""The managers' admin, organised by task: models grouped by the job they serve, with counts and links.

Like the root URLconf, the admin site is project configuration that knows every app, so it names models
and staff pages by their labels and URL names (strings), never by importing a higher app. A model added
later lands in System until a line here says where it belongs: ADMIN_GROUPS is the one mapping.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import get_language

PEOPLE = "People and organisations"
PROGRAMMES = "Programmes and cohorts"
PAIRS = "Pairs"
EVENTS = "Events"
OUTPUTS = "Outputs"
SURVEYS_AND_REPORTS = "Surveys and reports"
SYSTEM = "System"

GROUP_ORDER = [PEOPLE, PROGRAMMES, PAIRS, EVENTS, OUTPUTS, SURVEYS_AND_REPORTS, SYSTEM]

# Model label (app_label.model_name) -> group. Anything not named here is technical: System.
ADMIN_GROUPS: dict[str, str] = {
    "programme.user": PEOPLE,
    "programme.organisation": PEOPLE,
    "programme.policyarea": PEOPLE,
    "cohorts.membership": PEOPLE,
    "cohorts.application": PEOPLE,
    "cohorts.decisionletter": PEOPLE,
    "notifications.notificationpreference": PEOPLE,
    "programme.programme": PROGRAMMES,
    "programme.disconnect": PROGRAMMES,
    "cohorts.cohort": PROGRAMMES,
    "cohorts.question": PROGRAMMES,
    "cohorts.finding": PROGRAMMES,
    "pairs.stepdeadline": PROGRAMMES,
    "pairs.learningpair": PAIRS,
    "pairs.pairmember": PAIRS,
    "pairs.stepprogress": PAIRS,
    "pairs.activity": PAIRS,
    "pairs.stepcomment": PAIRS,
    "cohorts.event": EVENTS,
    "cohorts.attendance": EVENTS,
    "cohorts.externalguest": EVENTS,
    "cohorts.insight": EVENTS,
    "outputs.output": OUTPUTS,
    "outputs.outputrevision": OUTPUTS,
    "cohorts.survey": SURVEYS_AND_REPORTS,
    "cohorts.surveyquestion": SURVEYS_AND_REPORTS,
    "cohorts.surveyresponse": SURVEYS_AND_REPORTS,
    "reports.yearendreport": SURVEYS_AND_REPORTS,
}

# Staff pages that do a group's job better than the admin's tables: (label, URL name).
GROUP_LINKS: dict[str, list[tuple[str, str]]] = {
    PEOPLE: [("Cohort directory", "pairs:my-directory")],
    PROGRAMMES: [("Cohort overviews", "pairs:facilitator-home")],
    PAIRS: [("Cohort overviews: pairs, steps and risk", "pairs:facilitator-home")],
    EVENTS: [("Events and attendance registers", "cohorts:events")],
    OUTPUTS: [("Outputs to review", "outputs:index"), ("The public library", "library:index")],
    SURVEYS_AND_REPORTS: [("Surveys and their results", "cohorts:surveys")],
}

GROUP_DESCRIPTIONS: dict[str, str] = {
    PEOPLE: "Who takes part: accounts, organisations, memberships of cohorts, applications and what each person is told.",
    PROGRAMMES: "Programmes, their yearly cohorts, questions, findings and step due dates.",
    PAIRS: "Learning pairs, who is in them, their steps, comments on them and the activities they log.",
    EVENTS: "Events of every kind: attendance, guests and insights.",
    OUTPUTS: "What pairs produce, from plans to published outputs, and changes made after publishing.",
    SURVEYS_AND_REPORTS: "Surveys, their answers and the year-end reports.",
    SYSTEM: "Technical records: sign-in security, notifications and mail sent, background tasks and permission groups.",
}


def admin_group(model_label: str) -> str:
    """The group a model belongs to on the admin index; System for any model not named in ADMIN_GROUPS."""
    return ADMIN_GROUPS.get(model_label, SYSTEM)


class PairwiseAdminSite(admin.AdminSite):
    site_header = "Pairwise administration"
    site_title = "Pairwise"
    index_title = "What would you like to do?"
    index_template = "admin/pairwise_index.html"

    # The grouped app list by what decides it: the person's flags and permissions, and the language. The
    # registry and URLs are fixed once the process starts, so the list (89 URL reversals and a sort of lazy
    # names, about a tenth of a changelist page, built for the sidebar of every admin page) is built once per
    # permission set. tests/admin/test_admin_site.py proves a change of permissions shows at once.
    _app_lists: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    APP_LISTS_KEPT = 200

    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> list[dict[str, Any]]:
        """On the index and in the sidebar, groups by task; on an app's own page, that app as Django has it."""
        if app_label is not None:
            return super().get_app_list(request, app_label)
        user: Any = request.user
        key = (
            user.is_active,
            user.is_staff,
            user.is_superuser,
            frozenset() if user.is_superuser else frozenset(user.get_all_permissions()),
            get_language(),
        )
        groups = self._app_lists.get(key)
        if groups is None:
            if len(self._app_lists) >= self.APP_LISTS_KEPT:
                self._app_lists.clear()
            groups = self._app_lists[key] = self._grouped_app_list(request)
        # Copies: the index adds counts to the models' entries.
        return [{**group, "models": [dict(model) for model in group["models"]]} for group in groups]

    def _grouped_app_list(self, request: HttpRequest) -> list[dict[str, Any]]:
        groups: dict[str, dict[str, Any]] = {
            name: {
                "name": name,
                "app_label": slugify(name),
                "app_url": f"{reverse('admin:index', current_app=self.name)}#{slugify(name)}",
                "has_module_perms": True,
                "models": [],
                "description": GROUP_DESCRIPTIONS.get(name, ""),
                "links": [(label, reverse(url_name)) for label, url_name in GROUP_LINKS.get(name, [])],
            }
            for name in GROUP_ORDER
        }
        for app in self._build_app_dict(request).values():
            for model in app["models"]:
                groups[admin_group(model["model"]._meta.label_lower)]["models"].append(model)
        for group in groups.values():
            group["models"].sort(key=lambda model: model["name"])
        return [group for group in groups.values() if group["models"]]

    def index(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> TemplateResponse:
        """The index, with how many rows each model has."""
        app_list = self.get_app_list(request)
        for group in app_list:
            for model in group["models"]:
                model["count"] = model["model"]._default_manager.count()
        return super().index(request, {"app_list": app_list, **(extra_context or {})})


class PairwiseAdminConfig(AdminConfig):
    default_site = "programme.admin_site.PairwiseAdminSite"
