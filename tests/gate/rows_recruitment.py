"""Gate rows: the public programme page, the call for applications, selection, the invitation link and
the cohort switcher."""

from __future__ import annotations

from tests.gate.world import (
    COHORT_PK,
    REDIRECT,
    STAFF,
    Row,
    application_data,
    expect,
    get,
    invitation_link,
    post,
    r,
)

RECRUITING_PK = lambda g: g.recruiting.pk  # noqa: E731
APPLICATION_PK = lambda g: g.application.pk  # noqa: E731
ANYONE = expect(200, anonymous=200)

ROWS: list[Row] = [
    # The site root: visitors see the programme page; signed-in people are sent to where they work.
    get("home", r("home"), expect(REDIRECT, anonymous=200)),
    # The call for applications is public, whoever is signed in.
    get("cohorts:apply", r("cohorts:apply", RECRUITING_PK), ANYONE),
    post("cohorts:apply", r("cohorts:apply", RECRUITING_PK), expect(REDIRECT, anonymous=REDIRECT), application_data),
    # The confirmation page reads the applicant's own application from their session: nobody else's.
    get("cohorts:apply-received", r("cohorts:apply-received", RECRUITING_PK), ANYONE),
    # Selection: the cohort's facilitators and the managers; everyone else (other cohorts' staff too) 404.
    get("cohorts:application-list", r("cohorts:application-list", COHORT_PK), expect(**STAFF)),
    get("cohorts:application-detail", r("cohorts:application-detail", APPLICATION_PK), expect(**STAFF)),
    post(
        "cohorts:application-detail",
        r("cohorts:application-detail", APPLICATION_PK),
        expect(facilitator=REDIRECT, manager=REDIRECT),
        lambda g: {"decision": "shortlisted"},
    ),
    # The switcher: only to a cohort one belongs to (a withdrawn member may look back at theirs).
    get("cohorts:switch", r("cohorts:switch"), expect(405)),
    post(
        "cohorts:switch",
        r("cohorts:switch"),
        expect(member=REDIRECT, other_pair_member=REDIRECT, withdrawn=REDIRECT),
        lambda g: {"cohort": g.cohort_pk},
    ),
    # The invitation link: sets a first password, so it works signed out; it moves the token out of the
    # address (a redirect) for everyone, as Django's password-reset link does.
    get("invitation-accept", lambda g: invitation_link(g.world.bob), expect(REDIRECT, anonymous=REDIRECT)),
]
