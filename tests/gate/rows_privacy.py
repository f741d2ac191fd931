"""Gate rows: a pair's private notes (staff give a reason), one's own data, managers' privacy requests, and
exported files (for the person who asked for them)."""

from __future__ import annotations

from django.urls import reverse

from tests.gate.world import PAIR, PAIR_PK, REDIRECT, SIGNED_IN, Row, expect, get, post, r

BOB_PK = lambda g: g.world.bob.pk  # noqa: E731

ROWS: list[Row] = [
    # pairs: who has read the notes (the pair and its staff); staff log a reason to read them
    get("pairs:private-notes", r("pairs:private-notes", PAIR_PK), expect(**PAIR)),
    post(
        "pairs:private-notes",
        r("pairs:private-notes", PAIR_PK),
        expect(facilitator=REDIRECT, manager=REDIRECT),  # the pair's own members need no reason: 404
        lambda g: {"reason": "The pair asked for help."},
    ),
    # privacy: one's own data
    get("privacy:mine", r("privacy:mine"), SIGNED_IN),
    get("privacy:mine-download", r("privacy:mine-download"), SIGNED_IN),
    # privacy: managers answer subject access and erasure requests
    get("privacy:people", lambda g: reverse("privacy:people") + "?q=example", expect(manager=200)),
    get("privacy:person", r("privacy:person", BOB_PK), expect(manager=200)),
    get("privacy:person-download", r("privacy:person-download", BOB_PK), expect(manager=200)),
    get("privacy:person-erase", r("privacy:person-erase", BOB_PK), expect(manager=200)),
    post(
        "privacy:person-erase",
        r("privacy:person-erase", BOB_PK),
        expect(manager=REDIRECT),
        lambda g: {"confirmation": g.world.bob.email},
    ),
]

APPLICATION_PK = lambda g: g.application.pk  # noqa: E731  # an applicant with no account

ROWS += [
    get("privacy:applicant", r("privacy:applicant", APPLICATION_PK), expect(manager=200)),
    get("privacy:applicant-download", r("privacy:applicant-download", APPLICATION_PK), expect(manager=200)),
    get("privacy:applicant-erase", r("privacy:applicant-erase", APPLICATION_PK), expect(manager=200)),
    post(
        "privacy:applicant-erase",
        r("privacy:applicant-erase", APPLICATION_PK),
        expect(manager=REDIRECT),
        lambda g: {"confirmation": g.application.email},
    ),
]

EXPORT_PK = lambda g: g.export_file.pk  # noqa: E731  # the manager's own export

ROWS += [
    # exports: a big admin export's page and file, for the person who asked for it (404 for everyone else)
    get("exports:detail", r("exports:detail", EXPORT_PK), expect(manager=200)),
    get("exports:download", r("exports:download", EXPORT_PK), expect(manager=200)),
]
