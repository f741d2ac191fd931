"""The default shape: the 2014-15 Connecting Policy with Practice programme's sides, sectors, steps, event and
activity kinds. Every new programme starts with it (programme.services.shape_create_default), and the data
migration that introduced shapes gave it to the programmes that existed. The words here are data, not wording
the code shows on its own."""

from __future__ import annotations

from typing import Any

# The programme's wording (Programme's fields of these names default to them).
WORDING: dict[str, str] = {
    "attribution_pattern": "Y{year} {side}, {event}",
    "cohort_phrase": "core cohort",
    "guest_phrase": "roundtable participant",
    "report_title_pattern": "Insights from the {programme} in {cohort}",
}

SIDES: list[dict[str, Any]] = [
    {
        "code": "policymaker",
        "name": "Policymaker",
        "plural": "Policymakers",
        "short_label": "policymaker",
        "description": "I work on policy in central government (a policymaker)",
    },
    {
        "code": "practitioner",
        "name": "Practitioner",
        "plural": "Practitioners",
        "short_label": "practitioner",
        "description": "I work in frontline practice: a charity, community group, local authority or public "
        "service (a practitioner)",
    },
]

SECTORS: list[dict[str, Any]] = [
    {"code": "central_government", "name": "Central government department", "recruited_by_organisation": True},
    {"code": "local_authority", "name": "Local authority"},
    {"code": "voluntary", "name": "Voluntary and community sector"},
    {"code": "other", "name": "Other"},
]

# In the programme's own words (the 2014-15 report, "Figure 2: refining steps").
STEPS: list[dict[str, Any]] = [
    {
        "code": "identify",
        "name": "Identify",
        "default_due_after_days": 60,
        "guidance": "Begin with an instance from your own practice where one of the cohort's disconnects between "
        "policy and practice seems to be occurring, and agree which example you will work on.",
    },
    {
        "code": "understand",
        "name": "Understand",
        "default_due_after_days": 120,
        "guidance": "Work your example up into a case study: why is the disconnect occurring, and who is involved "
        "in making it happen? Visits to each other's worlds help here.",
    },
    {
        "code": "explore",
        "name": "Explore",
        "default_due_after_days": 180,
        "guidance": "Find out more about the example and explore ways the disconnect could be addressed: what has "
        "worked elsewhere, and what the people involved suggest.",
    },
    {
        "code": "act",
        "name": "Act",
        "default_due_after_days": 240,
        "guidance": "Match your own skills and resources to those solutions: decide the actions you can take "
        "yourselves, and the output you will produce to encourage others to change their behaviour.",
    },
]

EVENT_KINDS: list[dict[str, Any]] = [
    {"code": "workshop", "name": "Workshop", "counts_towards_commitment": True},
    {"code": "roundtable", "name": "Roundtable", "counts_towards_commitment": True},
    {"code": "other", "name": "Other", "counts_towards_commitment": True},
]

ACTIVITY_KINDS: list[dict[str, Any]] = [
    {
        "code": "local_service_visit",
        "name": "Visit to a local service",
        "counts_towards_commitment": True,
        "report_group": "Visits to local services",
    },
    {
        "code": "department_visit",
        "name": "Visit to a department",
        "counts_towards_commitment": True,
        "report_group": "Visits to government departments",
    },
    {"code": "exchange", "name": "Exchange or shadowing day", "counts_towards_commitment": True, "report_group": ""},
    {"code": "meeting", "name": "Meeting", "counts_towards_commitment": True, "report_group": ""},
    {
        "code": "service_user_engagement",
        "name": "Engagement with service users",
        "counts_towards_commitment": True,
        "report_group": "",
    },
    {"code": "desk_research", "name": "Desk research", "counts_towards_commitment": True, "report_group": ""},
]
