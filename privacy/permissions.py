"""Who may answer privacy requests: programme managers only. Everyone else gets 404."""

from __future__ import annotations

from django.http import Http404

from programme.models import User


def check_privacy_officer(user: User) -> None:
    """Subject access requests and erasure are for programme managers; the pages do not exist for others."""
    if not (user.is_authenticated and user.is_programme_manager):
        raise Http404("No such page")


def get_person_for_manager(user: User, pk: int) -> User:
    check_privacy_officer(user)
    try:
        return User.objects.select_related("organisation").get(pk=pk)
    except User.DoesNotExist:
        raise Http404("No such person") from None
