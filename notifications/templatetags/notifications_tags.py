from __future__ import annotations

from django import template

from programme.models import User

from ..models import Notification

register = template.Library()


@register.simple_tag
def unread_count(user: User) -> int:
    """How many unread notifications the person has: the one query the bell adds to a page."""
    if not user.is_authenticated:
        return 0
    return Notification.objects.for_user(user).unread().count()
