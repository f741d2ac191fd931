"""Who may answer privacy requests: programme managers only. Everyone else gets 404."""

from __future__ import annotations

from django.http import Http404

from cohorts.models import Application
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


def get_applicant_for_manager(user: User, pk: int) -> Application:
    """An application by someone with no account (one with an account is answered on the person's page)."""
    check_privacy_officer(user)
    try:
        return Application.objects.select_related("cohort").get(pk=pk, user__isnull=True)
    except Application.DoesNotExist:
        raise Http404("No such applicant") from None
