from __future__ import annotations

from typing import Any

from django.apps import AppConfig


def _unread_badge(context: Any) -> int | None:
    """The bell's count: the one query notifications add to a page, and none for nobody signed in."""
    from .models import Notification

    user = context.get("user") or getattr(context.get("request"), "user", None)
    if user is None or not user.is_authenticated:
        return None
    return Notification.objects.for_user(user).unread().count() or None


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications and mail"

    def ready(self) -> None:
        from programme import navigation

        navigation.register_link(
            navigation.MAIN_MENU,
            navigation.Link("Notifications", "notifications:list", badge=_unread_badge, order=10),
        )
