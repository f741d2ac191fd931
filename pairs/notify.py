"""Who hears of what happens in a pair: its current members, never anyone of another pair."""

from __future__ import annotations

from notifications.models import Notification
from notifications.services import Recipient, notifications_raise
from programme.models import User

from .models import LearningPair, PairMember


def current_member_user_ids(pair: LearningPair) -> list[int]:
    """The users now in the pair, in one query."""
    return list(PairMember.objects.current().filter(pair=pair).values_list("membership__user_id", flat=True))


def pair_notify(
    *, pair: LearningPair, kind: str, key: str, text: str, url: str = "", by: User | None = None
) -> list[Notification]:
    """Notify the pair's current members (but not the person who did it) of something in their pair.

    `key` names what happened; each recipient's notification key adds their id.
    """
    user_ids = [user_id for user_id in current_member_user_ids(pair) if by is None or user_id != by.pk]
    recipients = [Recipient(user_id, f"{key}:u{user_id}") for user_id in user_ids]
    return notifications_raise(recipients=recipients, kind=kind, text=text, url=url)
