"""The admin's grouped app list is built once per permission set, and a change of permissions shows at once."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.models import Permission
from django.test import RequestFactory
from django.urls import reverse

from programme.models import Organisation, User
from tests.factories import UserFactory


def _model_names(user: User) -> set[str]:
    request = RequestFactory().get("/admin/")
    request.user = User.objects.get(pk=user.pk)  # a fresh user each request, as the middleware gives
    return {model["object_name"] for group in admin.site.get_app_list(request) for model in group["models"]}


def _grant(user: User, codename: str) -> None:
    user.user_permissions.add(Permission.objects.get(codename=codename))


def test_the_app_list_follows_a_change_of_permissions(db) -> None:
    clerk = UserFactory(is_staff=True)
    _grant(clerk, "view_organisation")
    assert _model_names(clerk) == {"Organisation"}

    _grant(clerk, "view_policyarea")
    assert _model_names(clerk) == {"Organisation", "PolicyArea"}

    clerk.user_permissions.clear()
    assert _model_names(clerk) == set()


def test_a_superuser_sees_every_model_and_the_index_counts_do_not_leak_into_the_kept_list(db, client) -> None:
    manager = UserFactory(is_staff=True, is_superuser=True)
    assert {"Organisation", "User", "Membership", "Activity"} <= _model_names(manager)
    client.force_login(manager)
    assert client.get(reverse("admin:index")).status_code == 200  # the index adds a count to each model
    request = RequestFactory().get("/admin/")
    request.user = manager
    kept = admin.site.get_app_list(request)
    assert not any("count" in model for group in kept for model in group["models"])
    organisation = next(m for g in kept for m in g["models"] if m["model"] is Organisation)
    assert organisation["admin_url"] == reverse("admin:programme_organisation_changelist")
