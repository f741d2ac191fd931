"""Every output URL × every persona, in the manner of pretix's permission tests.

A refused POST must change nothing. Anonymous visitors are sent to sign in on members' pages, but get
404 for files they may not read (the file view serves the public too).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from outputs.models import Output
from tests.conftest import PERSONAS

LOGIN = "login"  # a redirect to the sign-in page

MEMBERS = {"alice": 200, "bob": 200}
STAFF = {"manager": 200, "facilitator": 200}
STAFF_READ_ONLY = {"manager": 403, "facilitator": 403}
EVERYONE = dict.fromkeys(PERSONAS, 200)
EVERYONE_SIGNED_IN = {p: 200 for p in PERSONAS if p != "anonymous"}

# (name, url builder, {persona: expected}; others get `default`)
GET_MATRIX = [
    ("index", lambda w, o: reverse("outputs:index"), EVERYONE_SIGNED_IN, 404),
    ("pair-list", lambda w, o: reverse("outputs:pair-list", args=[w.pair.pk]), {**MEMBERS, **STAFF}, 404),
    ("create", lambda w, o: reverse("outputs:create", args=[w.pair.pk]), {**MEMBERS, **STAFF_READ_ONLY}, 404),
    ("cohort", lambda w, o: reverse("outputs:cohort", args=[w.cohort.pk]), STAFF, 404),
    ("detail private", lambda w, o: reverse("outputs:detail", args=[o.private.pk]), {**MEMBERS, **STAFF}, 404),
    (
        "detail shared",
        lambda w, o: reverse("outputs:detail", args=[o.shared.pk]),
        {**MEMBERS, **STAFF, "carol": 200},
        404,
    ),
    ("detail public", lambda w, o: reverse("outputs:detail", args=[o.public.pk]), EVERYONE_SIGNED_IN, 404),
    (
        "detail other cohort",
        lambda w, o: reverse("outputs:detail", args=[o.other_cohort.pk]),
        {"manager": 200, "other_facilitator": 200, "dave": 200},
        404,
    ),
    (
        "edit private",
        lambda w, o: reverse("outputs:edit", args=[o.private.pk]),
        {**MEMBERS, "manager": 403, "facilitator": 403},
        404,
    ),
    (
        "edit shared",
        lambda w, o: reverse("outputs:edit", args=[o.shared.pk]),
        {**MEMBERS, "manager": 403, "facilitator": 403, "carol": 403},
        404,
    ),
    (
        "archive private",
        lambda w, o: reverse("outputs:archive", args=[o.private.pk]),
        {**MEMBERS, "manager": 403, "facilitator": 403},
        404,
    ),
    (
        "send-back shared",
        lambda w, o: reverse("outputs:send-back", args=[o.shared.pk]),
        {**STAFF, "alice": 403, "bob": 403, "carol": 403},
        404,
    ),
    ("file private", lambda w, o: reverse("outputs:file", args=[o.private.pk]), {**MEMBERS, **STAFF}, 404),
    ("file public", lambda w, o: reverse("outputs:file", args=[o.public.pk]), EVERYONE, 404),
    ("file of output without file", lambda w, o: reverse("outputs:file", args=[o.shared.pk]), {}, 404),
    ("library", lambda w, o: reverse("library:index"), EVERYONE, 404),
    ("library detail public", lambda w, o: reverse("library:detail", args=[o.public.pk]), EVERYONE, 404),
    ("library detail shared", lambda w, o: reverse("library:detail", args=[o.shared.pk]), {}, 404),
    ("library detail private", lambda w, o: reverse("library:detail", args=[o.private.pk]), {}, 404),
    ("library feed", lambda w, o: reverse("library:feed"), EVERYONE, 404),
]
# Members' pages send anonymous visitors to sign in; the file view and the library do not.
PUBLIC_VIEWS = {"file", "library"}


def _expected(name: str, persona: str, expected: dict[str, int], default: int) -> int | str:
    if persona == "anonymous" and name.split(" ")[0] not in PUBLIC_VIEWS:
        return LOGIN
    return expected.get(persona, default)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("name", "url", "expected", "default"), GET_MATRIX, ids=[row[0] for row in GET_MATRIX])
def test_get_matrix(login_as, world, outputs, persona, name, url, expected, default):
    client = login_as(persona)
    response = client.get(url(world, outputs))
    want = _expected(name, persona, expected, default)
    if want == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == want, f"{persona} on {name}"


def _snapshot() -> list[tuple]:
    return list(
        Output.objects.order_by("pk").values_list(
            "pk", "title", "status", "archived", "featured", "review_comment", "published_at", "summary"
        )
    )


def _form_data(**overrides):
    data = {
        "kind": Output.Kind.CASE_STUDY,
        "title": "Changed title",
        "summary": "A summary.",
        "body": "",
        "link": "",
        "due_on": "",
        "question": "",
        "visibility": Output.Visibility.PAIR,
    }
    data.update(overrides)
    return data


# (name, url builder, data builder, personas allowed (expect 302 and a change), refusal code for the rest)
POST_MATRIX = [
    (
        "create",
        lambda w, o: reverse("outputs:create", args=[w.pair.pk]),
        lambda o: _form_data(title="New one"),
        {"alice", "bob"},
        {"manager": 403, "facilitator": 403},
    ),
    (
        "edit shared",
        lambda w, o: reverse("outputs:edit", args=[o.shared.pk]),
        lambda o: _form_data(),
        {"alice", "bob"},
        {"manager": 403, "facilitator": 403, "carol": 403},
    ),
    (
        "submit private",
        lambda w, o: reverse("outputs:submit", args=[o.private.pk]),
        lambda o: {},
        {"alice", "bob"},
        {"manager": 403, "facilitator": 403},
    ),
    (
        "archive shared",
        lambda w, o: reverse("outputs:archive", args=[o.shared.pk]),
        lambda o: {},
        {"alice", "bob"},
        {"manager": 403, "facilitator": 403, "carol": 403},
    ),
    (
        "publish shared",
        lambda w, o: reverse("outputs:publish", args=[o.shared.pk]),
        lambda o: {},
        {"manager", "facilitator"},
        {"alice": 403, "bob": 403, "carol": 403},
    ),
    (
        "send back shared",
        lambda w, o: reverse("outputs:send-back", args=[o.shared.pk]),
        lambda o: {"comment": "Say more about the day centre."},
        {"manager", "facilitator"},
        {"alice": 403, "bob": 403, "carol": 403},
    ),
    (
        "feature public",
        lambda w, o: reverse("outputs:feature", args=[o.public.pk]),
        lambda o: {"featured": "1"},
        {"manager", "facilitator"},
        {"alice": 403, "bob": 403, "carol": 403, "dave": 403, "other_facilitator": 403},
    ),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    ("name", "url", "data", "allowed", "refusals"), POST_MATRIX, ids=[row[0] for row in POST_MATRIX]
)
def test_post_matrix(login_as, world, outputs, persona, name, url, data, allowed, refusals):
    client = login_as(persona)
    before = _snapshot()
    response = client.post(url(world, outputs), data(outputs))
    if persona in allowed:
        assert response.status_code == 302, f"{persona} on {name}"
        assert _snapshot() != before
        return
    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == refusals.get(persona, 404), f"{persona} on {name}"
    assert _snapshot() == before


@pytest.mark.parametrize(
    "url_name",
    ["outputs:submit", "outputs:publish", "outputs:feature"],
)
def test_action_urls_refuse_get(login_as, outputs, url_name):
    client = login_as("manager")
    assert client.get(reverse(url_name, args=[outputs.shared.pk])).status_code == 405


def test_archived_outputs_are_404_to_everyone_even_their_pair(login_as, outputs):
    Output.objects.filter(pk=outputs.public.pk).update(archived=True)
    for persona in ("alice", "facilitator"):
        client = login_as(persona)
        assert client.get(reverse("outputs:detail", args=[outputs.public.pk])).status_code == 404
        assert client.get(reverse("outputs:file", args=[outputs.public.pk])).status_code == 404
    assert login_as("anonymous").get(reverse("library:detail", args=[outputs.public.pk])).status_code == 404


def test_a_guessed_media_url_serves_nothing(login_as, outputs):
    response = login_as("alice").get("/media/" + outputs.private.file.name)
    assert response.status_code == 404
