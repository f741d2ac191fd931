"""The privacy rules, each once: who may be erased, what an erased person is called, how long data is kept.

Whether a person may be named is programme.rules.may_be_named: the apps below this one apply it.
"""

from __future__ import annotations

import calendar
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError

ERASE_SELF = "You cannot erase your own account: ask another programme manager."
ERASE_CONFIRM_MISMATCH = "Type the person's email address exactly as shown to confirm."
ALREADY_ERASED = "This person has already been erased."
ERASED_EMAIL_DOMAIN = "erased.invalid"  # a reserved domain: nothing is ever sent to it


def erased_label(pk: int) -> str:
    """The anonymous label an erased person's shared records keep: stable, and naming nobody."""
    return f"Former participant {pk}"


def erased_applicant_label(application_pk: int) -> str:
    """The label for an applicant who never had an account, named after their first application."""
    return f"Former applicant {application_pk}"


def erased_email(pk: int) -> str:
    return f"erased-{pk}@{ERASED_EMAIL_DOMAIN}"


def is_erased_email(email: str) -> bool:
    return email.endswith("@" + ERASED_EMAIL_DOMAIN)


def check_can_erase(*, person_pk: int, by_pk: int, person_email: str, confirmation: str) -> None:
    """A manager erases another person, after typing their address; never themselves, never twice."""
    if person_pk == by_pk:
        raise ValidationError(ERASE_SELF)
    if is_erased_email(person_email):
        raise ValidationError(ALREADY_ERASED)
    if confirmation.strip().lower() != person_email.lower():
        raise ValidationError({"confirmation": ERASE_CONFIRM_MISMATCH})


def name_is_searchable(full_name: str) -> bool:
    """Whether a name is distinctive enough to replace wherever it was written: a first and last name, or
    a long single name. A short single word ("Jo") would also rewrite unrelated words."""
    name = full_name.strip()
    return " " in name or len(name) >= 8


def declined_applications_retained_before(now: datetime) -> datetime:
    """Applications declined before this moment are past their retention and deleted."""
    return months_before(now, settings.PAIRWISE_RETAIN_DECLINED_APPLICATIONS_MONTHS)


def months_before(moment: datetime, months: int) -> datetime:
    """The same time `months` calendar months earlier (31 March less one month is 28 or 29 February)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)
