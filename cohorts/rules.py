"""Rules of recruitment and membership, each once, with the message a person sees when it is broken."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Cohort

ORGANISATION_REQUIRED = "Choose your organisation from the list, or type its name if it is not there."
SECTOR_REQUIRED = "Choose the sector of the organisation you typed."
APPLICATIONS_CLOSED = "Applications to this cohort are not open: the call runs from {opens} to {closes}."
APPLICATIONS_NOT_SCHEDULED = "This cohort is not taking applications."
DUPLICATE_APPLICATION = (
    "We already have an application from this email address for this cohort. "
    "If you need to change it, reply to the confirmation email we sent you."
)
ALREADY_MEMBER = "{email} is already a member of this cohort."
DECISION_FINAL = "This application has been accepted; to undo that, withdraw the membership instead."
DECISION_UNKNOWN = "Choose shortlist, accept, waitlist or decline."
TOO_MANY_APPLICATIONS = "Too many applications have been sent from your network recently. Please try again in an hour."

# The call for applications takes this many submissions per client address per window.
APPLICATION_RATE_LIMIT = 5
APPLICATION_RATE_WINDOW = timedelta(hours=1)


def applications_open(cohort: Cohort, *, today: date) -> bool:
    """The call is open from its first to its last day, inclusive (London dates)."""
    if cohort.applications_open_on is None or cohort.applications_close_on is None:
        return False
    return cohort.applications_open_on <= today <= cohort.applications_close_on


def applications_closed_message(cohort: Cohort) -> str:
    if cohort.applications_open_on is None or cohort.applications_close_on is None:
        return APPLICATIONS_NOT_SCHEDULED
    return APPLICATIONS_CLOSED.format(
        opens=f"{cohort.applications_open_on:%-d %B %Y}", closes=f"{cohort.applications_close_on:%-d %B %Y}"
    )
