"""The programme app's rules, each once: the user model, its manager and the admin's person forms call these.

A rule is a small function that raises ValidationError with its message (a constant tests import),
or a value rule that says how data is kept. Nothing here reads the database on its own.
"""

from __future__ import annotations

import string

from django.contrib.auth.base_user import BaseUserManager
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q

EMAIL_TAKEN = "Someone already signs in with this email address."


def normalise_email(email: str) -> str:
    """Email is the login: it is kept lower-cased, so one address in two cases is one person."""
    return BaseUserManager.normalize_email(email).lower()


def check_email_free(*, taken: bool) -> None:
    """An address someone already signs in with (in any case) cannot be given to another person."""
    if taken:
        raise ValidationError(EMAIL_TAKEN)


def may_be_named(*, consents_to_be_named: bool, item_agreed: bool = True) -> bool:
    """Whether a person may be named in a report, a credit or the library.

    Their standing consent decides; a choice for one item (a quote's "agreed to be named", crediting on
    outputs) can narrow it for that item but never widen it.
    """
    return consents_to_be_named and item_agreed


UNKNOWN_SECTOR = "Choose one of the programme's sectors."
SHAPE_ENTRY_IN_USE = "“{name}” is used by existing records, so it cannot be removed{what}; archive it instead."
GROUP_SIZES_OUT_OF_ORDER = "The largest group size cannot be smaller than the smallest."
SIDES_EXCEED_GROUP_SIZE = (
    "A group cannot span more different sides than it has members: raise the largest group size or ask for fewer sides."
)
SHAPE_NEEDS_AN_ENTRY = "A programme needs at least one {kind} that is not archived."


def check_shape_entry_change(*, name: str, in_use: bool, removed: bool, key_changed: bool) -> None:
    """A side, sector, step or kind that records use keeps its code (and a step its place): it can be renamed
    or archived, never removed or re-keyed, so existing records keep their meaning."""
    if in_use and (removed or key_changed):
        what = "" if removed else " or have its code or place changed"
        raise ValidationError(SHAPE_ENTRY_IN_USE.format(name=name, what=what))


PATTERN_UNKNOWN_PLACEHOLDER = "Use only {allowed} in braces (found “{found}”)."
PATTERN_MISSING_PLACEHOLDER = "Include {needed}, where the text goes."
# Each wording pattern and its placeholders: (field, the ones it may use, the ones it must use).
WORDING_PATTERNS = {
    "attribution_pattern": (("year", "side", "event"), ("side",)),
    "report_title_pattern": (("programme", "cohort"), ()),
}


def check_wording_patterns(**patterns: str) -> None:
    """A pattern the report fills in uses only its own placeholders ("{year}", not "{yeer}" or a stray brace),
    so that a typo is a form message, not a broken report."""
    errors = {}
    for field, pattern in patterns.items():
        allowed, needed = WORDING_PATTERNS[field]
        try:
            found = [name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None]
        except ValueError:
            found = ["{"]
        unknown = [name for name in found if name not in allowed]
        missing = [name for name in needed if name not in found]
        if unknown:
            listed = ", ".join(f"{{{name}}}" for name in allowed)
            errors[field] = PATTERN_UNKNOWN_PLACEHOLDER.format(allowed=listed, found=unknown[0] or "{}")
        elif missing:
            errors[field] = PATTERN_MISSING_PLACEHOLDER.format(needed=", ".join(f"{{{name}}}" for name in missing))
    if errors:
        raise ValidationError(errors)


def check_code_in_shape(code: str, codes: list[str], *, field: str, message: str) -> None:
    """A record's side, sector or kind is one its programme's shape has."""
    if code and code not in codes:
        raise ValidationError({field: message})


def check_group_sizes(*, min_group_size: int | None, max_group_size: int | None) -> None:
    if min_group_size and max_group_size and max_group_size < min_group_size:
        raise ValidationError({"max_group_size": GROUP_SIZES_OUT_OF_ORDER})


def counts_towards_commitment_q(kind_model: str, *, programme: str, kind: str) -> Q:
    """Attendance at an event, or hours of an activity, count towards commitment unless the programme's shape says
    their kind does not (a webinar, say): the rows that count, in SQL, for every commitment figure.
    `kind_model` is "eventkind" or "activitykind"; `programme` and `kind` are the rows' paths to their
    programme's id and their kind's code. A code not in the shape counts, as ShapeEntry's default says."""
    from django.apps import apps

    model = apps.get_model("programme", kind_model)
    not_counting = model.objects.filter(
        programme_id=OuterRef(programme), code=OuterRef(kind), counts_towards_commitment=False
    )
    return Q(~Exists(not_counting))


def check_sides_fit_group(*, min_sides_per_group: int | None, max_group_size: int | None) -> None:
    """Each side a group needs takes one member, so a group needing three sides has room for three."""
    if min_sides_per_group and max_group_size and min_sides_per_group > max_group_size:
        raise ValidationError({"min_sides_per_group": SIDES_EXCEED_GROUP_SIZE})
