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


FIGURE_NUMBER = "QQFIGURENUMBERQQ"  # letters only, so escaping leaves it alone; numbered through the whole report by report_markdown
FIGURE_NUMBER_REFERENCE = "QQNEXTFIGUREQQ"  # "(Figure 1)" in the text: the number of the next figure


def figure_markdown(name: str, caption: str) -> str:
    """A figure of the report: numbered in reading order with the others ("Figure 2: ...")."""
    return f"![{FIGURE_NUMBER} {markdown_escape(caption)}](figure:{name}){{width=100%}}"


def _figure(name: str, caption: str) -> str:
    return figure_markdown(name, caption)


def number_figures(source: str) -> str:
    """Number the figures in reading order; a reference to the next figure takes that figure's number."""
    count = 0

    def number(match: re.Match[str]) -> str:
        nonlocal count
        if match.group(0) == FIGURE_NUMBER:
            count += 1
            return f"Figure {count}:"
        return f"Figure {count + 1}"

    return re.sub(f"{re.escape(FIGURE_NUMBER)}|{FIGURE_NUMBER_REFERENCE}", number, source)


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
        _heading(2, "How the programme works", anchor="programme"),
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
        _heading(2, section.question.short_title, anchor=section.anchor, classes=["question"]),
        f"::: question-text\n**{markdown_escape(section.question.text)}**\n:::",
    ]
    if section.framing.strip():
        blocks.append(_heading(3, "What do we mean by this question?", anchor=f"{section.anchor}-framing"))
        blocks.append(_typed(section.framing, shift=3, classes="framing"))
    if section.findings:
        count = len(section.findings)
        blocks.append(f"The cohort reached {count} {_plural(count, 'answer')}:")
        blocks.append("\n".join(f"- {markdown_escape(finding.title)}" for finding in section.findings))
        for finding in section.findings:
            blocks.append(_heading(3, finding.title, anchor=f"finding-{finding.finding.pk}"))
            if finding.markdown.strip():
                blocks.append(_typed(finding.markdown, shift=3, classes="finding"))
            for study in finding.case_studies:
                blocks += _case_study(study, level=4)
    else:
        blocks.append(_unwritten(NO_FINDINGS))
    if section.insights:
        blocks += _quotes(section.insights)
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


def _section(key: str, data: ReportData, *, level: int, anchor: str = "", optional: bool = False) -> list[str]:
    """A narrative section under its heading; an optional one is left out when unwritten."""
    section = data.narrative[key]
    if optional and not section.written:
        return []
    blocks = [
        _heading(level, section.heading, anchor=anchor or section.anchor, classes=["section"] if level == 1 else [])
    ]
    if section.written:
        blocks.append(_typed(section.text, shift=level, classes="narrative"))
    else:
        blocks.append(_unwritten(section.placeholder))
    return blocks


def _first_sentence(markdown: str) -> str:
    """The first sentence of a finding's first paragraph, without its citations: the executive summary's pointer."""
    paragraph = next((p for p in re.split(r"\n\s*\n", markdown.strip()) if p.strip()), "")
    text = " ".join(re.sub(r"\[\^\d+\]|\[\[[^\]]*\]\]", "", paragraph).split())
    match = re.match(r"(.+?[.!?])(?:\s|$)", text)
    return match.group(1) if match else text


def _executive_summary(data: ReportData) -> list[str]:
    blocks = _section("executive_summary", data, level=1)
    for section in data.questions:
        if not section.findings:
            continue
        count = len(section.findings)
        blocks.append(
            markdown_escape(f"On “{section.question.text}”, the cohort reached {count} {_plural(count, 'pointer')}:")
        )
        pointers = []
        for finding in section.findings:
            sentence = _first_sentence(finding.finding.body)
            pointers.append(f"- **{markdown_escape(finding.title)}.** {sentence}".rstrip())
        blocks.append("\n".join(pointers))
    return blocks


def _list(items: Iterable[str]) -> str:
    return "\n".join(f"- {markdown_escape(item)}" for item in items)


def _introduction(data: ReportData) -> list[str]:
    blocks = _section("introduction", data, level=1)
    blocks.append(_heading(2, data.narrative["background"].heading, anchor="background"))
    if data.partners:
        partners = " and ".join(data.partners) if len(data.partners) <= 2 else ", ".join(data.partners)
        blocks.append(markdown_escape(f"The {data.cohort.programme.name} is a partnership between {partners}."))
    if data.narrative["background"].written:
        blocks.append(_typed(data.narrative["background"].text, shift=2, classes="narrative"))
    previous = data.previous
    if previous is not None and previous.disconnects:
        blocks.append(
            markdown_escape(
                f"Through the work of the {previous.name} cohort, we identified {len(previous.disconnects)} "
                f"'disconnects' between policy and practice ({FIGURE_NUMBER_REFERENCE})."
            )
        )
        blocks.append(
            _table(
                f"{FIGURE_NUMBER} 'Disconnects' between policy and practice",
                ["Disconnect", "Practice finds", "But policy"],
                previous.disconnects,
            )
        )
    blocks += _programme(data)
    blocks += _section("this_report", data, level=2, anchor="this-report")
    return blocks


def _section_one(data: ReportData) -> list[str]:
    blocks = [_heading(1, f"Section 1: {data.section_one_title}", anchor="section-1", classes=["section"])]
    if data.narrative["section_one_intro"].written:
        blocks.append(_typed(data.narrative["section_one_intro"].text, shift=1, classes="narrative"))
    previous = data.previous
    if previous is not None:
        blocks.append(_heading(2, f"Recapping the {previous.name} cohort", anchor="recap"))
        if previous.themes:
            blocks.append(
                markdown_escape(f"The {previous.name} cohort focused its work on {len(previous.themes)} themes:")
            )
            blocks.append(_list(previous.themes))
        if previous.disconnects:
            blocks.append(
                markdown_escape(
                    f"Its findings were summarised as {len(previous.disconnects)} 'disconnects' between policy and "
                    "practice:"
                )
            )
            blocks.append(
                _list(
                    f"{title}: {practice} But {policy[:1].lower()}{policy[1:]}"
                    for title, practice, policy in previous.disconnects
                )
            )
    blocks.append(_heading(2, data.narrative["selection_criteria"].heading, anchor="selection"))
    if data.narrative["selection_criteria"].written:
        blocks.append(_typed(data.narrative["selection_criteria"].text, shift=2, classes="narrative"))
    if data.derivations:
        count = len(data.derivations)
        blocks.append(markdown_escape(f"From the disconnects we derived {count} {_plural(count, 'question')}:"))
        lines = []
        for derivation in data.derivations:
            source = "; ".join(derivation.disconnects) or "a question of its own"
            lines.append(f"- {markdown_escape(source)} → **{markdown_escape(derivation.question)}**")
        blocks.append("\n".join(lines))
    if data.figures.pairs and data.steps_done:
        steps = ", ".join(name.lower() for _number, name, _done in data.steps_done)
        blocks.append(markdown_escape(f"Each pair worked through {len(data.steps_done)} refining steps: {steps}."))
        blocks.append(
            _figure(FIGURE_STEPS, "'Refining steps' process for pairs' work, and how many pairs finished each")
        )
    for section in data.questions:
        blocks += _question(section)
    return blocks


def _survey_evidence(data: ReportData) -> list[str]:
    if not data.survey_lines:
        return []
    blocks = [_heading(2, "What participants told us", anchor="survey")]
    lines = []
    for line in data.survey_lines:
        parts = []
        for who, answered, percent in line.groups:
            people = f"{answered} {_plural(answered, 'respondent')}"
            parts.append(f"{who}: {percent}% agreed ({people})" if percent is not None else f"{who}: {people}")
        lines.append(
            f"- **{markdown_escape(line.question)}** {markdown_escape('; '.join(parts))} *({markdown_escape(line.survey)})*"
        )
    blocks.append("\n".join(lines))
    if data.survey_bars:
        blocks.append(_figure(FIGURE_SURVEY, "Share of respondents who agreed with each statement"))
    return blocks


def _section_two(data: ReportData) -> list[str]:
    blocks = [_heading(1, f"Section 2: {data.section_two_title}", anchor="section-2", classes=["section"])]
    if data.narrative["section_two_intro"].written:
        blocks.append(_typed(data.narrative["section_two_intro"].text, shift=1, classes="narrative"))
    for part in data.subsections:
        blocks.append(_heading(2, part.title, anchor=f"part-{part.number}"))
        if part.markdown.strip():
            blocks.append(_typed(part.markdown, shift=2, classes="narrative"))
        for study in part.case_studies:
            blocks += _case_study(study, level=3)
    blocks += _survey_evidence(data)
    if data.lesson_items or data.narrative["lessons"].written:
        blocks.append(_heading(2, data.narrative["lessons"].heading, anchor="lessons"))
        if data.narrative["lessons"].written:
            blocks.append(_typed(data.narrative["lessons"].text, shift=2, classes="narrative"))
        for lesson in data.lesson_items:
            blocks.append(_heading(3, f"Lesson {lesson.number}: {lesson.title}", anchor=f"lesson-{lesson.number}"))
            if lesson.markdown.strip():
                blocks.append(_typed(lesson.markdown, shift=3, classes="narrative"))
    return blocks


def report_markdown(data: ReportData) -> str:
    """The report's body, cover and contents aside, as one pandoc Markdown document with `[^n]` footnotes, in the
    order of the programme's published reports."""
    blocks: list[str] = []
    blocks += _section("about_authors", data, level=1, anchor="about-authors")
    blocks += _section("acknowledgements", data, level=1, anchor="acknowledgements")
    blocks += _executive_summary(data)
    blocks += _introduction(data)
    blocks += _section_one(data)
    blocks += _section_two(data)
    if data.other_insights or data.other_case_studies:
        blocks.append(_heading(1, "Across the programme", anchor="across-the-programme", classes=["section"]))
        if data.other_insights:
            blocks += _quotes(data.other_insights)
        for study in data.other_case_studies:
            blocks += _case_study(study, level=2)
    blocks += _section("conclusion", data, level=1)
    blocks += _annex(data)
    # The notes' own text sits in a fenced block of its own line: pandoc ends a note at the first
    # unindented line, so every line of it is indented.
    for note in data.footnotes:
        lines = note.markdown.strip().splitlines() or [""]
        blocks.append(f"[^{note.number}]: " + "\n    ".join(lines))
    return number_figures("\n\n".join(blocks) + "\n")
