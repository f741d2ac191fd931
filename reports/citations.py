"""Citations in the report's Markdown: `[[insight:12]]` and `[[ref:3]]` become numbered footnotes `[^n]`.

Facilitators type (or pick) the short syntax; pandoc never parses it itself, so nothing but this module gives
it meaning. Footnotes are numbered through the whole report in reading order, quotes and references together,
each citation its own note (as the programme's printed reports do). A citation of an insight or reference that
is not the cohort's is refused by the editor (`check_citations`) and never printed (`Citer.expand`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from cohorts.models import Insight

from .data import Footnote, UploadedFigure
from .models import Reference, escape_markdown
from .source import figure_markdown

CITATION = re.compile(r"\[\[\s*(insight|ref)\s*:\s*(\d+)\s*\]\]", re.IGNORECASE)
INSIGHT = "insight"
REFERENCE = "ref"
UNKNOWN_INSIGHT = "[[insight:{pk}]] is not an insight of this cohort (it may have been deleted)."
UNKNOWN_REFERENCE = "[[ref:{pk}]] is not a reference of this cohort (it may have been deleted)."
PICK_INSTEAD = "Pick the evidence from the lists beside the editor, or remove the citation."


FIGURE = re.compile(r"\[\[\s*figure\s*:\s*(\d+)\s*\]\]", re.IGNORECASE)


def expand_figures(text: str, figures: dict[int, UploadedFigure]) -> str:
    """Each `[[figure:N]]` as the uploaded figure, in a paragraph of its own (numbered with the report's others
    by reports.source); another cohort's or a deleted figure prints nothing."""

    def replace(match: re.Match[str]) -> str:
        figure = figures.get(int(match.group(1)))
        return f"\n\n{figure_markdown(figure.name, figure.caption)}\n\n" if figure is not None else ""

    return FIGURE.sub(replace, text)


def citation(kind: str, pk: int) -> str:
    """The short syntax the picker inserts: `[[insight:12]]`, `[[ref:3]]`."""
    return f"[[{kind}:{pk}]]"


def citations_in(text: str) -> list[tuple[str, int]]:
    """Every citation in the text, in order: ("insight", 12), ("ref", 3)."""
    return [(match.group(1).lower(), int(match.group(2))) for match in CITATION.finditer(text)]


def check_citations(texts: Iterable[str], *, insight_ids: set[int], reference_ids: set[int]) -> None:
    """Refuse citations of insights or references that are not the cohort's (another cohort's are never cited)."""
    problems: list[str] = []
    for text in texts:
        for kind, pk in citations_in(text):
            known, message = (insight_ids, UNKNOWN_INSIGHT) if kind == INSIGHT else (reference_ids, UNKNOWN_REFERENCE)
            if pk not in known and message.format(pk=pk) not in problems:
                problems.append(message.format(pk=pk))
    if problems:
        raise ValidationError([*problems, PICK_INSTEAD], code="unknown_citation")


def cited_insight_ids(texts: Iterable[str]) -> set[int]:
    return {pk for text in texts for kind, pk in citations_in(text) if kind == INSIGHT}


def insight_note(insight: Insight) -> str:
    """A quote footnote: the words, then who said them and where ("Y2 policymaker, Workshop 4")."""
    words = " ".join(insight.text.split())
    return f"“{escape_markdown(words)}” ({escape_markdown(insight.cited_as())})"


def reference_note(reference: Reference) -> str:
    return reference.markdown()


@dataclass
class Citer:
    """Numbers citations as it meets them: call expand() on each text in the report's reading order."""

    insights: dict[int, str]  # pk → the footnote's Markdown
    references: dict[int, str]
    notes: list[Footnote] = field(default_factory=list)

    def expand(self, text: str) -> str:
        def replace(match: re.Match[str]) -> str:
            kind, pk = match.group(1).lower(), int(match.group(2))
            source = self.insights if kind == INSIGHT else self.references
            if pk not in source:
                return ""  # not the cohort's: the editor said so when it was typed
            number = len(self.notes) + 1
            self.notes.append(Footnote(number=number, markdown=source[pk]))
            return f"[^{number}]"

        return CITATION.sub(replace, text)
