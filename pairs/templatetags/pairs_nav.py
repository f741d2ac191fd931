"""What the main navigation offers a person, decided by their roles (not by hiding links: every page checks access)."""

from __future__ import annotations

from dataclasses import dataclass

from django import template

from cohorts.permissions import current_membership, is_facilitator
from programme.models import User

from ..models import LearningPair

register = template.Library()


@dataclass(frozen=True)
class NavRoles:
    is_member: bool = False
    pair: LearningPair | None = None
    is_facilitator: bool = False
    is_manager: bool = False


@register.simple_tag
def nav_roles(user: User) -> NavRoles:
    """{% nav_roles user as roles %}: member (with their current pair), facilitator, manager."""
    if not user.is_authenticated:
        return NavRoles()
    is_member = current_membership(user) is not None
    return NavRoles(
        is_member=is_member,
        pair=LearningPair.objects.for_user(user).order_by("-cohort__starts_on").first() if is_member else None,
        is_facilitator=is_facilitator(user),
        is_manager=user.is_programme_manager,
    )
