"""The programme's shape as one read-only value: its sides, sectors, refining steps, event and activity kinds,
group rules and wording, loaded in one go and kept per process.

Pages read the shape many times (every side label, every citation), so it is cached per programme. Saving or
deleting any part of a shape in this process forgets the cached copy at once; other processes (the other web
workers, the task worker) see the change within SHAPE_CACHE_SECONDS.
"""

from __future__ import annotations

import string
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

SHAPE_CACHE_SECONDS = 60.0


@dataclass(frozen=True)
class ShapeEntry:
    """One side, sector, step, event kind or activity kind."""

    code: str
    name: str
    order: int
    archived: bool = False
    plural: str = ""  # sides
    short_label: str = ""  # sides: how attributions name them
    description: str = ""  # sides: how applicants recognise them
    recruited_by_organisation: bool = False  # sectors: recruitment counts applications per organisation
    guidance: str = ""  # steps
    default_due_after_days: int = 0  # steps
    counts_towards_commitment: bool = True  # event and activity kinds
    report_group: str = ""  # activity kinds

    @property
    def number(self) -> int:
        """A step's number (1, 2, ...): its place in the refining process."""
        return self.order


def _unknown(code: str) -> ShapeEntry:
    # A code no longer in the shape (never expected: items in use can only be archived) reads as itself.
    return ShapeEntry(code=code, name=code.replace("_", " ").capitalize(), order=0, plural=code, short_label=code)


@dataclass(frozen=True)
class Entries:
    """A programme's entries of one kind, in order, archived ones included (existing records still use them)."""

    items: tuple[ShapeEntry, ...] = ()
    _by_code: dict[str, ShapeEntry] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_code.update({item.code: item for item in self.items})

    def __iter__(self) -> Iterator[ShapeEntry]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def get(self, code: str) -> ShapeEntry:
        return self._by_code.get(code) or _unknown(code)

    def numbered(self, number: int) -> ShapeEntry:
        """A step by its number (its place in the process)."""
        return next((item for item in self.items if item.order == number), None) or _unknown(f"step {number}")

    def label(self, code: str) -> str:
        return self.get(code).name

    def codes(self) -> list[str]:
        return [item.code for item in self.items]

    def current(self) -> list[ShapeEntry]:
        """The entries that can be chosen for new records."""
        return [item for item in self.items if not item.archived]

    def choices(self, *, keep: str | None = None) -> list[tuple[str, str]]:
        """(code, name) for a form: the current entries, plus `keep` (a record's own, even if archived)."""
        return [(item.code, item.name) for item in self.items if not item.archived or item.code == keep]


@dataclass(frozen=True)
class Shape:
    programme_id: int
    programme_name: str
    sides: Entries
    sectors: Entries
    steps: Entries
    event_kinds: Entries
    activity_kinds: Entries
    group_word: str
    group_word_plural: str
    min_group_size: int
    max_group_size: int
    min_sides_per_group: int
    one_per_organisation: bool
    attribution_pattern: str
    cohort_phrase: str
    guest_phrase: str
    report_title_pattern: str

    def attribution(self, *, year: int, side: str, event: str = "") -> str:
        """ "Y2 policymaker, Workshop 4" in the programme's own pattern; without an event, up to the side."""
        pattern = self.attribution_pattern if event else _without_event(self.attribution_pattern)
        return pattern.format(year=year, side=side, event=event)

    def report_title(self, *, cohort_name: str) -> str:
        return self.report_title_pattern.format(programme=self.programme_name, cohort=cohort_name)


def _without_event(pattern: str) -> str:
    """The pattern without {event} and the words that join it to the rest: "Year {year}, {side} at {event}" reads
    "Year {year}, {side}", "{event}: {side}" reads "{side}" and "{side} ({event})" reads "{side}"."""
    pieces = list(string.Formatter().parse(pattern))
    at = next((i for i, (_, name, _, _) in enumerate(pieces) if name == "event"), None)
    if at is None:
        return pattern
    kept = []
    for i, (literal, name, spec, conversion) in enumerate(pieces):
        if i == at:
            continue  # the event and the words leading up to it
        if i == at + 1 and (at == 0 or name is None):
            literal = ""  # the joiner after an event that comes first, or the closing words after one at the end
        field = (
            ""
            if name is None
            else "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
        )
        kept.append(literal.replace("{", "{{").replace("}", "}}") + field)
    return "".join(kept)


_cache: dict[int, tuple[float, Shape]] = {}
_lock = threading.Lock()


def _entries(rows: list[dict[str, Any]]) -> Entries:
    return Entries(items=tuple(ShapeEntry(**row) for row in rows))


def _load(programme_id: int) -> Shape:
    from .models import ActivityKind, EventKind, Programme, RefiningStep, Sector, Side

    programme = Programme.objects.get(pk=programme_id)
    base = ["code", "name", "order", "archived"]
    return Shape(
        programme_id=programme.pk,
        programme_name=programme.name,
        sides=_entries(
            list(Side.objects.filter(programme=programme).values(*base, "plural", "short_label", "description"))
        ),
        sectors=_entries(list(Sector.objects.filter(programme=programme).values(*base, "recruited_by_organisation"))),
        steps=_entries(
            list(RefiningStep.objects.filter(programme=programme).values(*base, "guidance", "default_due_after_days"))
        ),
        event_kinds=_entries(
            list(EventKind.objects.filter(programme=programme).values(*base, "counts_towards_commitment"))
        ),
        activity_kinds=_entries(
            list(
                ActivityKind.objects.filter(programme=programme).values(
                    *base, "counts_towards_commitment", "report_group"
                )
            )
        ),
        group_word=programme.group_word,
        group_word_plural=programme.group_word_plural,
        min_group_size=programme.min_group_size,
        max_group_size=programme.max_group_size,
        min_sides_per_group=programme.min_sides_per_group,
        one_per_organisation=programme.one_per_organisation,
        attribution_pattern=programme.attribution_pattern,
        cohort_phrase=programme.cohort_phrase,
        guest_phrase=programme.guest_phrase,
        report_title_pattern=programme.report_title_pattern,
    )


def shape_of(programme_id: int) -> Shape:
    """The programme's shape, from this process's cache when it is fresh (no query), else loaded (six queries)."""
    now = time.monotonic()
    cached = _cache.get(programme_id)
    if cached is not None and now - cached[0] < SHAPE_CACHE_SECONDS:
        return cached[1]
    shape = _load(programme_id)
    with _lock:
        _cache[programme_id] = (now, shape)
    return shape


def reload(programme_id: int) -> Shape:
    """Load a programme's shape now, replacing any cached copy (after it changed in this process)."""
    forget(programme_id)
    return shape_of(programme_id)


def forget(programme_id: int | None = None) -> None:
    """Drop the cached shape of one programme (or of all): called whenever a shape is saved or deleted."""
    with _lock:
        _every_programme.clear()
        if programme_id is None:
            _cache.clear()
        else:
            _cache.pop(programme_id, None)


# --- Which shape entries records use --------------------------------------------------------------------
# The apps whose records store a shape code register a check here (in their AppConfig.ready), so this app
# can refuse to remove an entry in use without knowing the apps above it.

UsageCheck = Callable[[int, str], bool]  # (programme id, code) -> some record uses it
_usage_checks: dict[str, list[UsageCheck]] = {}


def register_usage(kind: str, check: UsageCheck) -> None:
    """`kind` is the shape model's name in lower case: "side", "sector", "refiningstep", "eventkind", "activitykind"."""
    _usage_checks.setdefault(kind, []).append(check)


def in_use(kind: str, programme_id: int, code: str) -> bool:
    return any(check(programme_id, code) for check in _usage_checks.get(kind, []))


_every_programme: dict[str, tuple[float, list[tuple[str, str]]]] = {}


def every_programmes_choices(kind: str, *, blank: bool = False) -> list[tuple[str, str]]:
    """(code, name) of every programme's current entries of one kind, each code once (the oldest programme's
    name): what a form offers before it knows the programme. Cached like the shapes."""
    from django.apps import apps

    now = time.monotonic()
    cached = _every_programme.get(kind)
    if cached is None or now - cached[0] >= SHAPE_CACHE_SECONDS:
        model = apps.get_model("programme", kind)
        rows = model.objects.filter(archived=False).order_by("programme_id", "order").values_list("code", "name")
        seen: dict[str, str] = {}
        for code, name in rows:
            seen.setdefault(code, name)
        cached = (now, list(seen.items()))
        with _lock:
            _every_programme[kind] = cached
    return ([("", "---------")] if blank else []) + cached[1]


def name_in_any_programme(kind: str, code: str) -> str:
    """An entry's name where no programme is at hand (organisations are shared between programmes)."""
    return dict(every_programmes_choices(kind)).get(code) or _unknown(code).name
