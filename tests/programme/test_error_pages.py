"""Error pages in the site's look, with a way home, revealing nothing; the 500 page needs no database."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import connection
from django.http import Http404
from django.test import RequestFactory
from django.views import defaults
from django.views.csrf import csrf_failure

SECRET = "secret-detail-4711"


def _assert_in_the_sites_look(body: str, heading: str) -> None:
    assert heading in body
    assert 'class="navbar-brand fw-semibold" href="/"' in body
    assert "Go to the home page" in body
    assert "pairwise.css" in body
    assert SECRET not in body


def test_404_is_in_the_sites_look_and_names_nothing(client, db):
    response = client.get(f"/no-such-page-{SECRET}/")
    assert response.status_code == 404
    _assert_in_the_sites_look(response.content.decode(), "Page not found")


def test_404_for_another_pairs_page_looks_like_any_other(world, login_as):
    response = login_as("carol").get(f"/pairs/{world.pair.pk}/")
    assert response.status_code == 404
    _assert_in_the_sites_look(response.content.decode(), "Page not found")


@pytest.mark.parametrize(
    ("view", "exception", "status", "heading"),
    [
        (defaults.bad_request, SuspiciousOperation(SECRET), 400, "We could not understand that request"),
        (defaults.permission_denied, PermissionDenied(SECRET), 403, "You cannot do that here"),
        (defaults.page_not_found, Http404(SECRET), 404, "Page not found"),
    ],
)
def test_error_pages_show_no_detail_of_the_error(db, view, exception, status, heading):
    request = RequestFactory().get(f"/{SECRET}/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    response = view(request, exception)
    assert response.status_code == status
    _assert_in_the_sites_look(response.content.decode(), heading)


def test_csrf_failure_page_is_in_the_sites_look():
    response = csrf_failure(RequestFactory().post("/"), reason=SECRET)
    assert response.status_code == 403
    _assert_in_the_sites_look(response.content.decode(), "That form has expired")


def test_500_page_renders_with_the_database_unreachable():
    def refuse(*args, **kwargs):
        raise AssertionError("the 500 page must not touch the database")

    with connection.execute_wrapper(refuse):
        response = defaults.server_error(RequestFactory().get(f"/{SECRET}/"))

    assert response.status_code == 500
    _assert_in_the_sites_look(response.content.decode(), "Something went wrong on our side")
