"""The year-end report's body as ONE pandoc Markdown document: the source of the preview, the PDF and the Word file.

`report_markdown(data)` writes every section, from the facilitators' narrative to Annex A, with the report's
notes as `[^n]` footnotes at the point that cites them. `reports.pipeline` turns it into HTML (preview and
PDF) and a .docx; nothing else writes the report's prose.

Conventions the pipeline relies on:
- headings start at level 1 (`#` a section, `##` a finding, `###` a case study), each with a fixed id;
- text people typed sits in a `::: {shift=N}` div: the report's Lua filter demotes its headings by N so
  they sit under the heading that holds them, and no heading level is ever skipped;
- figures are images whose address is `figure:<name>` (see `FIGURES`): the pipeline swaps in SVG for HTML
  and PNG for Word; every other image is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .data import CaseStudy, Footnote, NarrativeSection, QuestionSection, ReportData

# Every ASCII punctuation character can be backslash-escaped in pandoc Markdown; escaping them all makes
# names, titles and quotes from the database read as plain text, whatever they contain.
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
FIGURE_STEPS = "refining-steps"
FIGURE_SURVEY = "survey"
NO_FINDINGS = "[No findings recorded for this question yet]"


def markdown_escape(text: Any) -> str:
    """Plain text as pandoc Markdown that reads as that text: punctuation escaped, on one line."""
    return _PUNCTUATION.sub(r"\\\1", " ".join(str(text).split()))


def _number(value: Decimal | int) -> str:
    """12.0 → "12", 2.5 → "2.5"."""
    if isinstance(value, Decimal):
        value = value.normalize()
        return f"{value:f}"
    return str(value)


def _plural(count: Decimal | int, singular: str, plural: str = "") -> str:
    return singular if count == 1 else (plural or f"{singular}s")


def _in_a_sentence(name: str) -> str:
    """A name as it reads mid-sentence: "Council officers" -> "council officers", "NHS trust staff" unchanged."""
    return name if name[1:2].isupper() else name[:1].lower() + name[1:]


def _including(groups: list[tuple[str, int]]) -> str:
    """ ", including 1 visit to local services and 2 visits to ..." from the activity kinds' report groups."""
    if not groups:
        return ""
    parts = []
    for group, count in groups:
        words = _in_a_sentence(group)
        if count == 1:  # "Visits to local services" counts one "visit to local services"
            first, _, rest = words.partition(" ")
            words = " ".join(filter(None, [first.removesuffix("s"), rest]))
        parts.append(f"{count} {words}")
    return f", including {_listed(parts)}"


def _listed(parts: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    if not parts:
        return ""
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def _heading(level: int, text: str, *, anchor: str, classes: Iterable[str] = ()) -> str:
    attributes = " ".join([f"#{anchor}", *(f".{name}" for name in classes)])
    return f"{'#' * level} {markdown_escape(text)} {{{attributes}}}"


def _typed(text: str, *, shift: int, classes: str = "") -> str:
    """Markdown someone typed, fenced so its headings sit under the report's heading at level `shift`."""
    fence = "::::::::"
    classes_attr = f" .{classes}" if classes else ""
    return f"{fence} {{shift={shift}{classes_attr}}}\n{text.strip()}\n{fence}"


def _unwritten(text: str) -> str:
    return f"::: unwritten\n{markdown_escape(text)}\n:::"


def _table(caption: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], *, numeric: Sequence[int] = ()) -> str:
    """A pipe table; `numeric` columns align right."""

    def cell(value: Any) -> str:
        text = _number(value) if isinstance(value, Decimal | int) and not isinstance(value, bool) else str(value)
        return markdown_escape(text) or " "

    lines = [
        "| " + " | ".join(markdown_escape(header) for header in headers) + " |",
        "|" + "|".join("--:" if index in numeric else ":--" for index in range(len(headers))) + "|",
    ]
    lines += ["| " + " | ".join(cell(value) for value in row) + " |" for row in rows]
    if caption:
        lines += ["", f": {markdown_escape(caption)}"]
    return "\n".join(lines)


def _figure(name: str, caption: str) -> str:
    return f"![{markdown_escape(caption)}](figure:{name}){{width=100%}}"


def _narrative(section: NarrativeSection) -> list[str]:
    blocks = [_heading(1, section.heading, anchor=section.anchor, classes=["section"])]
    blocks.append(
        _typed(section.text, shift=1, classes="narrative") if section.written else _unwritten(section.placeholder)
    )
    return blocks


def _programme(data: ReportData) -> list[str]:
    figures = data.figures
    cohort = data.cohort
    sides = _listed(
        [
            f"{count} {_in_a_sentence(label if count == 1 else figures.side_plurals[label])}"
            for label, count in figures.members_by_side
        ]
    )
    members = f"{figures.members} {_plural(figures.members, 'person', 'people')}"
    took_part = f"{members} took part in the {cohort.name} cohort" + (f": {sides}." if sides else ".")
    if figures.completed:
        took_part += f" {figures.completed} completed the programme."
    if figures.withdrawn:
        took_part += f" {figures.withdrawn} did not complete it."
    pair_statuses = ", ".join(f"{count} {label.lower()}" for label, count in figures.pairs_by_status)
    took_part += f" They worked in {figures.pairs} learning {_plural(figures.pairs, 'pair')}"
    took_part += f" ({pair_statuses})." if pair_statuses else "."
    events = len(figures.events)
    activity = (
        f"The cohort met at {events} {_plural(events, 'event')} over {_number(figures.event_days)} "
        f"{_plural(figures.event_days, 'day')}. Pairs logged {figures.activity_count} "
        f"{_plural(figures.activity_count, 'activity', 'activities')} ({_number(figures.activity_hours)} hours)"
        f"{_including(figures.visits_by_group)}. "
        f"Members gave {_number(figures.commitment_days)} days in all, {_number(figures.average_days)} each on "
        f"average; {figures.members_meeting_minimum} of {figures.members} reached the minimum commitment of "
        f"{_number(figures.minimum_days)} days."
    )
    blocks = [
        _heading(1, "How the programme ran", anchor="programme", classes=["section"]),
        markdown_escape(took_part),
        markdown_escape(activity),
        _table(
            "Members",
            ["Side", "Members"],
            [
                *((figures.side_plurals[label], count) for label, count in figures.members_by_side),
                ("Completed", figures.completed),
                ("Withdrew", figures.withdrawn),
                ("Total", figures.members),
            ],
            numeric=[1],
        ),
    ]
    if figures.events:
        blocks.append(
            _table(
                "Events",
                ["Event", "Title", "Date", "Days", "Attended", "Guests"],
                [
                    (
                        event.label,
                        f"{event.title} ({event.topic})" if event.topic else event.title,
                        f"{event.starts_on:%-d %B %Y}",
                        event.days,
                        event.attended,
                        event.guests,
                    )
                    for event in figures.events
                ],
                numeric=[3, 4, 5],
            )
        )
    if figures.activities:
        blocks.append(
            _table(
                "What pairs did",
                ["Activity", "Number", "Hours", "Places"],
                [(row.label, row.count, row.hours, row.places) for row in figures.activities],
                numeric=[1, 2, 3],
            )
        )
    figure_number = 0
    if figures.pairs and data.steps_done:
        figure_number += 1
        caption = f"Figure {figure_number}: The refining steps, and how many pairs finished each"
        blocks.append(_figure(FIGURE_STEPS, caption))
    if data.survey_highlights:
        blocks.append(_heading(2, "What participants told us", anchor="survey"))
        blocks.append("\n".join(f"- {markdown_escape(sentence)}" for sentence in data.survey_highlights))
    if data.survey_bars:
        figure_number += 1
        caption = f"Figure {figure_number}: Share of survey respondents who agreed with each statement"
        blocks.append(_figure(FIGURE_SURVEY, caption))
    return blocks


def _case_study(study: CaseStudy, *, level: int) -> list[str]:
    credits = " · ".join(part for part in (study.origin, study.credits) if part)
    blocks = [
        _heading(level, study.heading, anchor=f"case-study-{study.number}"),
        f"::: credits\n{markdown_escape(credits)}{f' · *{markdown_escape(study.stage)}*' if study.stage else ''}\n:::",
    ]
    if study.summary:
        blocks.append(f"**{markdown_escape(study.summary)}**")
    if study.markdown.strip():
        blocks.append(_typed(study.markdown, shift=level, classes="case-study-body"))
    if study.link:
        blocks.append(f"::: note\n{markdown_escape(f'More at {study.link}')}\n:::")
    body = "\n\n".join(blocks)
    return [f"::::::::::: case-study\n{body}\n:::::::::::"]


def _quotes(notes: list[Footnote]) -> list[str]:
    """Insights no finding cites yet, quoted together, each with its attribution as a footnote."""
    blocks = [_heading(2, "What participants said", anchor=f"said-{notes[0].number}")]
    blocks += [f"> “{markdown_escape(note.text)}”[^{note.number}]" for note in notes]
    return blocks


def _question(section: QuestionSection) -> list[str]:
    blocks = [
        _heading(1, section.heading, anchor=section.anchor, classes=["section", "question"]),
        f"::: question-text\n**{markdown_escape(section.question.text)}**\n:::",
    ]
    if section.framing.strip():
        blocks.append(_typed(section.framing, shift=1, classes="framing"))
    if section.findings:
        count = len(section.findings)
        blocks.append(f"The cohort reached {count} {_plural(count, 'answer')}:")
        blocks.append("\n".join(f"- **{markdown_escape(finding.title)}**" for finding in section.findings))
        for finding in section.findings:
            blocks.append(_heading(2, finding.title, anchor=f"finding-{finding.finding.pk}"))
            if finding.markdown.strip():
                blocks.append(_typed(finding.markdown, shift=2, classes="finding"))
            for study in finding.case_studies:
                blocks += _case_study(study, level=3)
    else:
        blocks.append(_unwritten(NO_FINDINGS))
    if section.insights:
        blocks += _quotes(section.insights)
    # Case studies of the question that illustrate no finding in particular come after its findings.
    after_findings = {study.number for finding in section.findings for study in finding.case_studies}
    for study in section.case_studies:
        if study.number not in after_findings:
            blocks += _case_study(study, level=2)
    return blocks


def _annex(data: ReportData) -> list[str]:
    count = len(data.annex)
    sentence = f"{count} {'person was' if count == 1 else 'people were'} accepted onto the {data.figures.cohort_phrase}"
    if data.annex_did_not_complete:
        sentence += ", although not all were able to complete it: those marked * did not complete the programme"
    rows = [(f"{m.name} *" if m.did_not_complete else m.name, m.organisation, m.side) for m in data.annex]
    return [
        _heading(1, "Annex A", anchor="annex-a", classes=["section"]),
        markdown_escape(f"{sentence}."),
        _table("", ["Name", "Organisation", "Side"], rows),
    ]


def report_markdown(data: ReportData) -> str:
    """The report's body, cover and contents aside, as one pandoc Markdown document with `[^n]` footnotes."""
    blocks: list[str] = []
    blocks += _narrative(data.narrative["executive_summary"])
    blocks += _narrative(data.narrative["introduction"])
    blocks += _programme(data)
    for section in data.questions:
        blocks += _question(section)
    if data.other_insights or data.other_case_studies:
        blocks.append(_heading(1, "Across the programme", anchor="across-the-programme", classes=["section"]))
        if data.other_insights:
            blocks += _quotes(data.other_insights)
        for study in data.other_case_studies:
            blocks += _case_study(study, level=2)
    blocks += _narrative(data.narrative["lessons"])
    blocks += _narrative(data.narrative["conclusion"])
    blocks += _annex(data)
    # The notes' own text sits in a fenced block of its own line: pandoc ends a note at the first
    # unindented line, so every line of it is indented.
    for note in data.footnotes:
        lines = note.markdown.strip().splitlines() or [""]
        blocks.append(f"[^{note.number}]: " + "\n    ".join(lines))
    return "\n\n".join(blocks) + "\n"
