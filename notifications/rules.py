"""What counts as a temporary or a permanent failure to deliver, and how long to wait before trying again."""

from __future__ import annotations

import enum
import smtplib
from datetime import timedelta

# Six attempts over about two and a half hours: 5, 10, 20, 40 and 80 minutes apart.
MAX_SEND_ATTEMPTS = 6
FIRST_RETRY_DELAY = timedelta(minutes=5)
# A pending message still waiting this long after it fell due has lost its task (a worker died, the
# queue was pruned): `send_pending_mail` enqueues it again.
LOST_AFTER = timedelta(minutes=5)

ALREADY_SENT = "This message has been sent; it is not sent twice."


class Failure(enum.Enum):
    TEMPORARY = "temporary"  # try again later
    REFUSED = "refused"  # the recipient's server refuses this address for good
    PERMANENT = "permanent"  # the server will never accept this message


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the given number of failed attempts."""
    return FIRST_RETRY_DELAY * 2 ** max(attempts - 1, 0)


def _is_permanent(code: int) -> bool:
    return 500 <= code < 600


def delivery_failure(error: Exception, *, address: str) -> Failure:
    """Classify an error from sending one message to one address.

    A 5xx reply to the recipient is a refusal of that address. A 5xx reply to the message itself is
    permanent for that message. Timeouts, dropped connections, 4xx replies and a refused sender (our own
    configuration) are temporary: the server may accept later.
    """
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        replies = error.recipients
        code, _ = replies.get(address) or replies.get(address.lower()) or next(iter(replies.values()), (0, b""))
        return Failure.REFUSED if _is_permanent(code) else Failure.TEMPORARY
    if isinstance(error, smtplib.SMTPSenderRefused):
        return Failure.TEMPORARY
    if isinstance(error, smtplib.SMTPResponseException) and _is_permanent(error.smtp_code):
        return Failure.PERMANENT
    return Failure.TEMPORARY


# Notifications. Defaults: what changes a person's own work or plans comes at once; the rest daily.
DEFAULT_DELIVERY = {
    "partner_step": "digest",
    "partner_activity": "digest",
    "comment": "immediately",
    "output_reviewed": "immediately",
    "event_invitation": "immediately",
    "event_changed": "immediately",
    "survey_opened": "digest",
    "pairing": "immediately",
}
NOT_YOUR_NOTIFICATION = "No such notification."
