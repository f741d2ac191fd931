from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.apps import AppConfig


def _is_manager(context: Mapping[str, Any]) -> bool:
    user = context.get("user")
    return bool(user is not None and getattr(user, "is_programme_manager", False))


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = "Privacy"

    def ready(self) -> None:
        from programme import navigation

        # One's profile (programme) links to one's data; managers reach subject access and erasure.
        navigation.register_link(navigation.ACCOUNT_LINKS, navigation.Link("Your data and privacy", "privacy:mine"))
        navigation.register_link(
            navigation.MAIN_MENU, navigation.Link("Privacy requests", "privacy:people", when=_is_manager, order=90)
        )
