"""The admin's import pages and their template downloads, for every role of the URL gate: only managers
open them (everyone else is sent to the admin's sign-in), a refused import changes nothing, and each page
costs the same queries at n and 10n rows."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import World
from tests.gate.world import ROLES, Gate, gate_build, role_user
from tests.test_url_gate import _snapshot, grow

ADMIN_LOGIN = "admin sign-in"
MANAGER_ONLY = dict.fromkeys(ROLES, ADMIN_LOGIN) | {"manager": 200}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

PAGES = [
    "admin:cohorts_membership_import",
    "admin:cohorts_membership_import_template",
    "admin:programme_user_import",
    "admin:programme_user_import_template",
]
IMPORTS = [
    "admin:cohorts_membership_import",
    "admin:cohorts_membership_process_import",
    "admin:programme_user_import",
    "admin:programme_user_process_import",
]


@pytest.fixture
def gate(world: World) -> Gate:
    return gate_build(world)


def _client(gate: Gate, role: str) -> Client:
    client = Client()
    user = role_user(gate, role)
    if user is not None:
        client.force_login(user)
    return client


def _outcome(response) -> int | str:
    if response.status_code == 302 and response["Location"].startswith(reverse("admin:login")):
        return ADMIN_LOGIN
    return response.status_code


@pytest.mark.parametrize("name", PAGES)
def test_only_managers_open_the_import_pages_and_templates(gate: Gate, name: str) -> None:
    wrong = []
    for role in ROLES:
        response = _client(gate, role).get(reverse(name))
        if _outcome(response) != MANAGER_ONLY[role]:
            wrong.append(f"{role}: expected {MANAGER_ONLY[role]}, got {_outcome(response)}")
        if role == "manager" and name.endswith("_template"):
            assert response["Content-Type"] == XLSX
    assert not wrong, f"{name}:\n  " + "\n  ".join(wrong)


@pytest.mark.parametrize("name", IMPORTS)
def test_an_import_posted_by_anyone_but_a_manager_changes_nothing(gate: Gate, name: str) -> None:
    for role in ROLES:
        if role == "manager":
            continue
        savepoint = transaction.savepoint_create()
        try:
            before = _snapshot()
            response = _client(gate, role).post(reverse(name), {"cohort": gate.cohort_pk, "format": "0"})
            assert _outcome(response) == ADMIN_LOGIN, role
            assert _snapshot() == before, role
        finally:
            transaction.savepoint_rollback(savepoint)


def _count(client: Client, url: str) -> int:
    client.get(url)  # warm: sessions and content types are not the page's own reads
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", PAGES)
def test_import_pages_cost_the_same_at_n_and_10n_rows(gate: Gate, name: str, django_assert_num_queries) -> None:
    client = _client(gate, "manager")
    url = reverse(name)
    at_n = _count(client, url)
    grow(gate, 9)
    client.get(url)
    with django_assert_num_queries(at_n, exact=True):
        assert client.get(url).status_code == 200
