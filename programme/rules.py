"""The programme app's rules, each once: the user model, its manager and the admin's person forms call these.

A rule is a small function that raises ValidationError with its message (a constant tests import),
or a value rule that says how data is kept. Nothing here reads the database on its own.
"""

from __future__ import annotations

from django.contrib.auth.base_user import BaseUserManager
from django.core.exceptions import ValidationError

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
