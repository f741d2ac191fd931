from __future__ import annotations

from typing import Any

from django.apps import AppConfig


def _unread_badge(context: Any) -> int | None:
    """The bell's count: the one query notifications add to a page (none when the menu's own query already counted,
    see models.remember_unread_count), and none for nobody signed in."""
    from .models import Notification, remembered_unread_count

    request = context.get("request")
    user = context.get("user") or getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    counted = remembered_unread_count(request, user)
    if counted is None:
        counted = Notification.objects.for_user(user).unread().count()
    return counted or None


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications and mail"

    def ready(self) -> None:
        from programme import navigation

        navigation.register_link(
            navigation.MAIN_MENU,
            navigation.Link("Notifications", "notifications:list", badge=_unread_badge, order=10),
        )
