"""Gate rows: signing in, the dashboard, health probes, notifications and the pairs' pages."""

from __future__ import annotations

from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from notifications.models import Kind
from tests.gate.world import (
    COHORT,
    COHORT_PK,
    LOGIN,
    PAIR,
    PAIR_PK,
    POST_ONLY,
    REDIRECT,
    SIGNED_IN,
    STAFF,
    UP_OR_DOWN,
    Row,
    activity_data,
    expect,
    get,
    post,
    r,
    today_iso,
)

ROWS: list[Row] = [
    # programme: signing in and one's own account
    get("login", r("login"), expect(REDIRECT, anonymous=200)),
    post(
        "login", r("login"), expect(REDIRECT, anonymous=200), lambda g: {"username": "x@example.org", "password": "x"}
    ),
    post("logout", r("logout"), expect(LOGIN)),  # signed out, everyone lands on the sign-in page
    get("account-profile", r("account-profile"), SIGNED_IN),
    post("account-profile", r("account-profile"), expect(REDIRECT), lambda g: {"full_name": "Changed Name"}),
    get("password_change", r("password_change"), SIGNED_IN),
    get("password_reset", r("password_reset"), expect(200, anonymous=200)),
    get(
        "password_reset_confirm",
        lambda g: reverse(
            "password_reset_confirm",
            args=[urlsafe_base64_encode(force_bytes(g.world.bob.pk)), default_token_generator.make_token(g.world.bob)],
        ),
        expect(REDIRECT, anonymous=REDIRECT),
    ),
    # the accessibility statement: public, the same for everyone
    get("accessibility", r("accessibility"), expect(200, anonymous=200)),
    # dashboard
    get("dashboard:home", r("dashboard:home"), SIGNED_IN),
    # health probes, for the load balancer and the orchestrator: nobody signs in
    get("healthz-live", r("healthz-live"), expect(200, anonymous=200)),
    get("healthz-ready", r("healthz-ready"), expect(UP_OR_DOWN, anonymous=UP_OR_DOWN)),
    # pairs: the facilitators' pages
    get(
        "pairs:facilitator-home",
        r("pairs:facilitator-home"),
        expect(facilitator=200, other_facilitator=200, manager=200),
    ),
    get("pairs:cohort-overview", r("pairs:cohort-overview", COHORT_PK), expect(**STAFF)),
    # the overview's long tables, each on its own paged page, and their filters
    get("pairs:cohort-pairs", r("pairs:cohort-pairs", COHORT_PK), expect(**STAFF)),
    get(
        "pairs:cohort-pairs",
        lambda g: reverse("pairs:cohort-pairs", args=[g.cohort_pk]) + "?at_risk=1",
        expect(**STAFF),
    ),
    get("pairs:cohort-members", r("pairs:cohort-members", COHORT_PK), expect(**STAFF)),
    get(
        "pairs:cohort-members",
        lambda g: reverse("pairs:cohort-members", args=[g.cohort_pk]) + "?behind=1",
        expect(**STAFF),
    ),
    get("pairs:cohort-attendance", r("pairs:cohort-attendance", COHORT_PK), expect(**STAFF)),
    # moving the cohort on a stage (the gate's cohort is running: the next stage concludes it), after confirming
    get("pairs:cohort-status", r("pairs:cohort-status", COHORT_PK), expect(**STAFF)),
    post(
        "pairs:cohort-status",
        r("pairs:cohort-status", COHORT_PK),
        expect(facilitator=REDIRECT, manager=REDIRECT),
        lambda g: {"to": "concluded"},
    ),
    get("pairs:pair-create", r("pairs:pair-create", COHORT_PK), expect(**STAFF)),
    post(
        "pairs:pair-create",
        r("pairs:pair-create", COHORT_PK),
        expect(facilitator=400, manager=400),  # alice and bob are paired already: a message on the form
        lambda g: {"members": [g.world.alice_membership.pk, g.world.bob_membership.pk], "on": today_iso()},
    ),
    get("pairs:suggestions", r("pairs:suggestions", COHORT_PK), expect(**STAFF)),
    get("pairs:suggestions-accept", r("pairs:suggestions-accept", COHORT_PK), expect(405)),
    post(
        "pairs:suggestions-accept",
        r("pairs:suggestions-accept", COHORT_PK),
        expect(facilitator=REDIRECT, manager=REDIRECT),  # a stale choice: told so on the suggestions page
        lambda g: {"accept": ["1-2"]},
    ),
    get("pairs:pair-member-add", r("pairs:pair-member-add", PAIR_PK), expect(**STAFF)),
    post(
        "pairs:pair-member-add",
        r("pairs:pair-member-add", PAIR_PK),
        expect(facilitator=400, manager=400),  # carol is in another pair: a message on the form
        lambda g: {"membership": g.world.carol_membership.pk, "on": today_iso()},
    ),
    get("pairs:pair-member-remove", r("pairs:pair-member-remove", lambda g: g.seat.pk), expect(**STAFF)),
    post(
        "pairs:pair-member-remove",
        r("pairs:pair-member-remove", lambda g: g.seat.pk),
        expect(facilitator=REDIRECT, manager=REDIRECT),
        lambda g: {"on": today_iso(), "reason": "Changed jobs"},
    ),
    get("pairs:pair-member-move", r("pairs:pair-member-move", lambda g: g.seat.pk), expect(**STAFF)),
    post(
        "pairs:pair-member-move",
        r("pairs:pair-member-move", lambda g: g.seat.pk),
        expect(facilitator=REDIRECT, manager=REDIRECT),
        lambda g: {"to_pair": "new", "on": today_iso(), "reason": ""},
    ),
    get(
        "pairs:membership-withdraw",
        r("pairs:membership-withdraw", lambda g: g.world.alice_membership.pk),
        expect(**STAFF),
    ),
    post(
        "pairs:membership-withdraw",
        r("pairs:membership-withdraw", lambda g: g.world.alice_membership.pk),
        expect(facilitator=REDIRECT, manager=REDIRECT),
        lambda g: {"on": today_iso(), "reason": "Changed jobs"},
    ),
    # notifications: one's own, never another person's
    get("notifications:list", r("notifications:list"), SIGNED_IN),
    get("notifications:open", r("notifications:open", lambda g: g.notification_pk), POST_ONLY),
    post("notifications:open", r("notifications:open", lambda g: g.notification_pk), expect(member=REDIRECT)),
    get("notifications:read-all", r("notifications:read-all"), POST_ONLY),
    post("notifications:read-all", r("notifications:read-all"), expect(REDIRECT)),
    get("notifications:preferences", r("notifications:preferences"), SIGNED_IN),
    post(
        "notifications:preferences",
        r("notifications:preferences"),
        expect(REDIRECT),
        lambda g: {kind.value: "off" for kind in Kind},
    ),
    # pairs: comments on a step (the pair and its staff) and the staff's "needs another look"
    get("pairs:step-comment", r("pairs:step-comment", PAIR_PK, lambda g: 1), POST_ONLY),
    post(
        "pairs:step-comment",
        r("pairs:step-comment", PAIR_PK, lambda g: 1),
        expect(member=REDIRECT, facilitator=REDIRECT, manager=REDIRECT),
        lambda g: {"body": "Have you asked the service users?"},
    ),
    get("pairs:step-another-look", r("pairs:step-another-look", PAIR_PK, lambda g: 1), POST_ONLY),
    post(
        "pairs:step-another-look",
        r("pairs:step-another-look", PAIR_PK, lambda g: 1),
        expect(facilitator=REDIRECT, manager=REDIRECT),
        lambda g: {"needed": "1"},
    ),
    # cohorts: cancelling an event, after a confirmation page
    get("cohorts:event-cancel", r("cohorts:event-cancel", lambda g: g.future_event.pk), expect(**STAFF)),
    post(
        "cohorts:event-cancel",
        r("cohorts:event-cancel", lambda g: g.future_event.pk),
        expect(facilitator=REDIRECT, manager=REDIRECT),
        lambda g: {"reason": "The venue fell through"},
    ),
    # pairs: the pair's workspace and activity log
    get("pairs:detail", r("pairs:detail", PAIR_PK), expect(**PAIR)),
    get("pairs:step-edit", r("pairs:step-edit", PAIR_PK, lambda g: 1), expect(405)),
    post(
        "pairs:step-edit",
        r("pairs:step-edit", PAIR_PK, lambda g: 1),
        expect(member=REDIRECT, facilitator=403, manager=403),
        lambda g: {"step1-status": "in_progress", "step1-summary": "Changed", "step1-version": "1"},
    ),
    get("pairs:activity-list", r("pairs:activity-list", PAIR_PK), expect(**PAIR)),
    get("pairs:activity-create", r("pairs:activity-create", PAIR_PK), expect(member=200, facilitator=403, manager=403)),
    post(
        "pairs:activity-create",
        r("pairs:activity-create", PAIR_PK),
        expect(member=REDIRECT, facilitator=403, manager=403),
        activity_data,
    ),
    get(
        "pairs:activity-edit",
        r("pairs:activity-edit", PAIR_PK, lambda g: g.activity.pk),
        expect(member=200, facilitator=403, manager=403),
    ),
    post(
        "pairs:activity-edit",
        r("pairs:activity-edit", PAIR_PK, lambda g: g.activity.pk),
        expect(member=REDIRECT, facilitator=403, manager=403),
        activity_data,
    ),
    get(
        "pairs:activity-delete",
        r("pairs:activity-delete", PAIR_PK, lambda g: g.activity.pk),
        expect(member=200, facilitator=403, manager=403),
    ),
    post(
        "pairs:activity-delete",
        r("pairs:activity-delete", PAIR_PK, lambda g: g.activity.pk),
        expect(member=REDIRECT, facilitator=403, manager=403),
    ),
    # pairs: the cohort directory
    get(
        "pairs:my-directory",
        r("pairs:my-directory"),
        expect(REDIRECT, withdrawn=404, other_facilitator=REDIRECT),
    ),
    get("pairs:directory", r("pairs:directory", COHORT_PK), expect(**COHORT)),
]
