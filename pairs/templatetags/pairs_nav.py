"""What the main navigation offers a person, decided by their roles (not by hiding links: every page checks access)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.template.context import Context
from django.urls import reverse

from cohorts.models import Cohort, Membership
from notifications.models import remember_unread_count, unread_count_subquery
from programme.compiled import CompiledQuery
from programme.models import User

from ..models import LearningPair

register = template.Library()


@dataclass(frozen=True)
class NavRoles:
    is_member: bool = False
    pair_id: int | None = None
    is_facilitator: bool = False
    is_manager: bool = False

    @property
    def pair_url(self) -> str:
        return reverse("pairs:detail", args=[self.pair_id]) if self.pair_id else ""


def _roles_of(user_pk: int) -> QuerySet[Any, Any]:
    """The menu's one query for a person: membership, facilitation, current pair of the latest cohort, unread."""
    current_pairs = LearningPair.objects.filter(members__membership__user=OuterRef("pk"), members__left_on__isnull=True)
    return (
        User.objects.filter(pk=user_pk)
        .annotate(
            nav_is_member=Exists(Membership.objects.filter(user=OuterRef("pk"))),
            nav_is_facilitator=Exists(Cohort.objects.filter(facilitators=OuterRef("pk"))),
            nav_pair_id=Subquery(current_pairs.order_by("-cohort__starts_on").values("pk")[:1]),
            nav_unread=unread_count_subquery(OuterRef("pk")),
        )
        .order_by()
        .values_list("nav_is_member", "nav_is_facilitator", "nav_pair_id", "nav_unread")
    )


# Compiled once per process: on every signed-in page, building and compiling it cost more than running it.
_ROLES = CompiledQuery(_roles_of)


@register.simple_tag(takes_context=True)
def nav_roles(context: Context, user: User) -> NavRoles:
    """{% nav_roles user as roles %}: member (with their current pair), facilitator, manager.

    One query on every page: a member is anyone with a membership (as cohorts.permissions.current_membership
    finds one), their pair the current one of their latest cohort, a facilitator anyone running a cohort (as
    cohorts.permissions.is_facilitator). The same query counts the unread notifications for the menu's bell."""
    if not user.is_authenticated:
        return NavRoles()
    row = _ROLES.first_row(user.pk)
    if row is None:
        return NavRoles(is_manager=user.is_programme_manager)
    is_member, is_facilitator, pair_id, unread = row
    remember_unread_count(context.get("request"), user, int(unread))
    return NavRoles(
        is_member=bool(is_member),
        pair_id=pair_id if is_member else None,
        is_facilitator=bool(is_facilitator),
        is_manager=user.is_programme_manager,
    )
