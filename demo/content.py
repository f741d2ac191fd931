"""The demo's content, read from the YAML files in demo/data/ into the shapes the loaders build from.

Each file holds one part of the programme's 2014-15 report (seeds/programme-report-2014-15.txt):
people.yaml (organisations with their sector, staff, the members of both cohorts with their side),
ideas.yaml (disconnects, the 2013 themes, the 2014-15 exam questions and their findings), pairs.yaml
(who paired with whom, steps done with days relative to today, activities), outputs.yaml, events.yaml
(workshops, roundtables with their guests, insights) and surveys.yaml (questions with the answers cycled
over respondents). Rows that are lists are read positionally, as the comment above each constant below
says; rows that are mappings become the dataclasses below. Values of choices (sectors, sides,
kinds, statuses) are the models' stored values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).resolve().parent / "data"
DEMO_EMAIL_DOMAIN = "pairwise.test"


@cache
def read(name: str) -> dict[str, Any]:
    """One data file, parsed once."""
    with (DATA / f"{name}.yaml").open(encoding="utf-8") as file:
        return yaml.safe_load(file)


def _rows(items: list[Any]) -> list[Any]:
    """A list of positional rows, each a tuple (nested lists too), as the loaders unpack them."""
    return [_tuple(item) for item in items]


def _tuple(value: Any) -> Any:
    return tuple(_tuple(item) for item in value) if isinstance(value, list) else value


@dataclass(frozen=True)
class Person:
    key: str
    name: str
    organisation: str
    job_title: str
    interests: tuple[str, ...] = ()
    bio: str = ""
    email: str = ""
    # Demo people have consented to be named, bar those the data says not (to show anonymised credits).
    consents_to_be_named: bool = True

    @property
    def address(self) -> str:
        """The login: a fixed demo address, or firstname.lastname@pairwise.test."""
        local_part = self.name.lower().replace(" ", ".").replace("'", "")
        return self.email or f"{local_part}@{DEMO_EMAIL_DOMAIN}"


@dataclass(frozen=True)
class Visit:
    """An activity: days relative to today, kind, hours, place, learning, private notes, who went."""

    days: int
    kind: str
    hours: str
    place: str
    learning: str
    private_notes: str = ""
    who: str = "both"  # "both", "pm", "pr" or "all" (every current member)


@dataclass(frozen=True)
class PairPlan:
    policymaker: str
    practitioner: str
    question: int
    angle: str
    done: list[tuple[int, str]] = field(default_factory=list)  # (completed, days relative to today; summary)
    working_on: str = ""  # summary so far of the step in progress
    visits: list[Visit] = field(default_factory=list)


@dataclass(frozen=True)
class OutputPlan:
    pair: int
    kind: str
    title: str
    summary: str
    status: str
    visibility: str
    body: str = ""
    featured: bool = False
    published_days: int | None = None
    due_days: int | None = None
    review_comment: str = ""


def _person(row: dict[str, Any]) -> Person:
    return Person(**{**row, "interests": tuple(row.get("interests", ()))})


def _pair_plan(row: dict[str, Any]) -> PairPlan:
    return PairPlan(
        **{
            **row,
            "done": [tuple(step) for step in row.get("done", [])],
            "visits": [Visit(**visit) for visit in row.get("visits", [])],
        }
    )


_people = read("people")
_ideas = read("ideas")
_pairs = read("pairs")
_events = read("events")
_surveys = read("surveys")

ORGANISATIONS: dict[str, str] = _people["organisations"]
STAFF: list[Person] = [_person(row) for row in _people["staff"]]
MEMBERS_2014: list[tuple[str, Person]] = [(side, _person(row)) for side, row in _people["members_2014"]]
MEMBERS_2013: list[tuple[str, Person]] = [(side, _person(row)) for side, row in _people["members_2013"]]

# (title, what practice finds, what policy does)
DISCONNECTS = _rows(_ideas["disconnects"])
# (short title, text, indexes of the disconnects it came from)
THEMES_2013 = _rows(_ideas["themes_2013"])
QUESTIONS_2014 = _rows(_ideas["questions_2014"])
# question number: [(title, body)]
FINDINGS = {number: _rows(findings) for number, findings in _ideas["findings"].items()}

# (policymaker key, practitioner key, theme number, angle)
PAIRS_2013 = _rows(_pairs["pairs_2013"])
PAIRS_2014: list[PairPlan] = [_pair_plan(row) for row in _pairs["pairs_2014"]]
OUTPUTS_2014: list[OutputPlan] = [OutputPlan(**row) for row in read("outputs")["outputs_2014"]]

# (days from today, length in days, title, topic)
WORKSHOPS_2014 = _rows(_events["workshops_2014"])
# (days from today, question number, title, topic, [(guest name, organisation, role)])
ROUNDTABLES_2014 = _rows(_events["roundtables_2014"])
# (event key "W1", "R2"... or None for a pair's reflection, question, speaker key or guest name, text)
INSIGHTS_2014 = _rows(_events["insights_2014"])

# (kind, audience, text, choices, answers cycled over respondents)
MID_YEAR_QUESTIONS = [(k, a, t, c, list(answers)) for k, a, t, c, answers in _surveys["mid_year_questions"]]
END_OF_YEAR_QUESTIONS = [(k, a, t, c, list(answers)) for k, a, t, c, answers in _surveys["end_of_year_questions"]]
