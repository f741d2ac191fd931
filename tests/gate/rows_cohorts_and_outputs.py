"""Gate rows: events, calendars, surveys, outputs and their review, the year-end report and the library."""

from __future__ import annotations

from django.urls import reverse

from tests.gate.world import (
    COHORT,
    COHORT_PK,
    OTHER_COHORT_PK,
    PAIR,
    PAIR_PK,
    POST_ONLY,
    REDIRECT,
    SIGNED_IN,
    STAFF,
    Row,
    event_data,
    expect,
    get,
    output_data,
    post,
    r,
    report_data,
    survey_data,
)

ROWS: list[Row] = [
    # cohorts: events
    # Members and facilitators go straight to their cohort's events; a manager picks among all cohorts.
    get("cohorts:events", r("cohorts:events"), expect(REDIRECT, manager=200, withdrawn=200)),
    get("cohorts:event-list", r("cohorts:event-list", COHORT_PK), expect(**COHORT)),
    get("cohorts:event-create", r("cohorts:event-create", COHORT_PK), expect(**STAFF)),
    post(
        "cohorts:event-create",
        r("cohorts:event-create", COHORT_PK),
        expect(facilitator=REDIRECT, manager=REDIRECT),
        event_data,
    ),
    get("cohorts:insight-list", r("cohorts:insight-list", COHORT_PK), expect(**STAFF)),
    get(
        "cohorts:insight-list",
        lambda g: reverse("cohorts:insight-list", args=[g.cohort_pk]) + "?question=none&q=heard&page=2",
        expect(**STAFF),
    ),
    get("cohorts:event-detail", r("cohorts:event-detail", lambda g: g.future_event.pk), expect(**COHORT)),
    get("cohorts:event-edit", r("cohorts:event-edit", lambda g: g.future_event.pk), expect(**STAFF)),
    post(
        "cohorts:event-edit",
        r("cohorts:event-edit", lambda g: g.future_event.pk),
        expect(facilitator=REDIRECT, manager=REDIRECT),
        event_data,
    ),
    get("cohorts:event-reply", r("cohorts:event-reply", lambda g: g.future_event.pk), expect(405)),
    post(
        "cohorts:event-reply",
        r("cohorts:event-reply", lambda g: g.future_event.pk),
        # Staff see the event, so they are told they cannot reply (and nothing changes).
        expect(member=REDIRECT, other_pair_member=REDIRECT, facilitator=REDIRECT, manager=REDIRECT),
        lambda g: {"status": "accepted"},
    ),
    get("cohorts:event-ics", r("cohorts:event-ics", lambda g: g.future_event.pk), expect(**COHORT)),
    get("cohorts:guest-add", r("cohorts:guest-add", lambda g: g.today_event.pk), expect(**STAFF)),
    post(
        "cohorts:guest-add",
        r("cohorts:guest-add", lambda g: g.today_event.pk),
        expect(facilitator=REDIRECT, manager=REDIRECT),
        lambda g: {"name": "Gus Guest", "organisation": "", "role": ""},
    ),
    get(
        "cohorts:guest-remove",
        r("cohorts:guest-remove", lambda g: g.today_event.pk, lambda g: g.guest_pk),
        expect(**STAFF),
    ),
    post(
        "cohorts:guest-remove",
        r("cohorts:guest-remove", lambda g: g.today_event.pk, lambda g: g.guest_pk),
        expect(facilitator=REDIRECT, manager=REDIRECT),
    ),
    get("cohorts:attendance-register", r("cohorts:attendance-register", lambda g: g.today_event.pk), expect(**STAFF)),
    post(
        "cohorts:attendance-register",
        r("cohorts:attendance-register", lambda g: g.today_event.pk),
        expect(facilitator=REDIRECT, manager=REDIRECT),
        lambda g: {"attended": [g.world.alice_membership.pk]},
    ),
    get(
        "cohorts:attendance-toggle",
        r("cohorts:attendance-toggle", lambda g: g.today_event.pk, lambda g: g.world.alice_membership.pk),
        expect(405),
    ),
    post(
        "cohorts:attendance-toggle",
        r("cohorts:attendance-toggle", lambda g: g.today_event.pk, lambda g: g.world.alice_membership.pk),
        expect(facilitator=REDIRECT, manager=REDIRECT),  # htmx gets the row back; a plain POST, a redirect
        lambda g: {"attended": [g.world.alice_membership.pk]},
    ),
    get("cohorts:insight-create", r("cohorts:insight-create", lambda g: g.today_event.pk), expect(**STAFF)),
    post(
        "cohorts:insight-create",
        r("cohorts:insight-create", lambda g: g.today_event.pk),
        expect(facilitator=REDIRECT, manager=REDIRECT),
        lambda g: {"text": "Listen to service users."},
    ),
    # cohorts: calendars
    get("cohorts:calendar-settings", r("cohorts:calendar-settings"), SIGNED_IN),
    get("cohorts:calendar-reset", r("cohorts:calendar-reset"), expect(405)),
    post("cohorts:calendar-reset", r("cohorts:calendar-reset"), expect(REDIRECT)),
    get(
        "cohorts:calendar-feed",
        lambda g: reverse("cohorts:calendar-feed", args=[g.world.alice.calendar_token]),
        expect(200, anonymous=200),  # the secret address is the key, for calendar apps
    ),
    # cohorts: surveys
    # The staff "Surveys" link: straight to the one cohort's surveys, or a choice for a manager.
    get("cohorts:surveys", r("cohorts:surveys"), expect(facilitator=REDIRECT, other_facilitator=REDIRECT, manager=200)),
    get("cohorts:survey-list", r("cohorts:survey-list", COHORT_PK), expect(**STAFF)),
    get("cohorts:survey-create", r("cohorts:survey-create", COHORT_PK), expect(**STAFF)),
    post(
        "cohorts:survey-create",
        r("cohorts:survey-create", COHORT_PK),
        expect(facilitator=REDIRECT, manager=REDIRECT),
        survey_data,
    ),
    get("cohorts:survey-detail", r("cohorts:survey-detail", lambda g: g.survey.pk), expect(**STAFF)),
    get("cohorts:survey-edit", r("cohorts:survey-edit", lambda g: g.survey.pk), expect(**STAFF)),
    post(
        "cohorts:survey-edit",
        r("cohorts:survey-edit", lambda g: g.survey.pk),
        expect(facilitator=REDIRECT, manager=REDIRECT),
        survey_data,
    ),
    get("cohorts:survey-question-add", r("cohorts:survey-question-add", lambda g: g.survey.pk), expect(**STAFF)),
    post(
        "cohorts:survey-question-add",
        r("cohorts:survey-question-add", lambda g: g.survey.pk),
        expect(facilitator=REDIRECT, manager=REDIRECT),
        lambda g: {"text": "Was it worth it?", "kind": "yes_no", "audience": "all", "choices": ""},
    ),
    get(
        "cohorts:survey-question-edit",
        r("cohorts:survey-question-edit", lambda g: g.survey.pk, lambda g: g.survey_question.pk),
        expect(**STAFF),
    ),
    post(
        "cohorts:survey-question-edit",
        r("cohorts:survey-question-edit", lambda g: g.survey.pk, lambda g: g.survey_question.pk),
        expect(facilitator=REDIRECT, manager=REDIRECT),
        lambda g: {"text": "Changed?", "kind": "yes_no", "audience": "all", "choices": ""},
    ),
    get(
        "cohorts:survey-question-move",
        r("cohorts:survey-question-move", lambda g: g.survey.pk, lambda g: g.survey_question.pk),
        expect(405),
    ),
    post(
        "cohorts:survey-question-move",
        r("cohorts:survey-question-move", lambda g: g.survey.pk, lambda g: g.survey_question.pk),
        expect(facilitator=REDIRECT, manager=REDIRECT),
        lambda g: {"direction": "down"},
    ),
    get(
        "cohorts:survey-question-delete",
        r("cohorts:survey-question-delete", lambda g: g.survey.pk, lambda g: g.survey_question.pk),
        expect(**STAFF),
    ),
    post(
        "cohorts:survey-question-delete",
        r("cohorts:survey-question-delete", lambda g: g.survey.pk, lambda g: g.survey_question.pk),
        expect(facilitator=REDIRECT, manager=REDIRECT),
    ),
    get("cohorts:survey-results", r("cohorts:survey-results", lambda g: g.survey.pk), expect(**STAFF)),
    post(
        "cohorts:survey-remind",
        r("cohorts:survey-remind", lambda g: g.survey.pk),
        expect(facilitator=REDIRECT, manager=REDIRECT),
    ),
    get("cohorts:survey-export", r("cohorts:survey-export", lambda g: g.survey.pk), expect(**STAFF)),
    get(
        "cohorts:survey-answer",
        r("cohorts:survey-answer", lambda g: g.survey.pk),
        expect(member=200, other_pair_member=200),
    ),
    post(
        "cohorts:survey-answer",
        r("cohorts:survey-answer", lambda g: g.survey.pk),
        expect(member=REDIRECT, other_pair_member=REDIRECT),
        lambda g: {f"q{g.survey_question.pk}": "4"},
    ),
    # outputs: the pairs' outputs and their review
    get("outputs:index", r("outputs:index"), SIGNED_IN),
    get("outputs:pair-list", r("outputs:pair-list", PAIR_PK), expect(**PAIR)),
    get("outputs:create", r("outputs:create", PAIR_PK), expect(member=200, facilitator=403, manager=403)),
    post(
        "outputs:create",
        r("outputs:create", PAIR_PK),
        expect(member=REDIRECT, facilitator=403, manager=403),
        output_data,
    ),
    get("outputs:cohort", r("outputs:cohort", COHORT_PK), expect(**STAFF)),
    get(
        "outputs:detail",
        r("outputs:detail", lambda g: g.private_output.pk),
        expect(**PAIR),
        note="private",
    ),
    get(
        "outputs:detail",
        r("outputs:detail", lambda g: g.shared_output.pk),
        expect(**COHORT),
        note="shared",
    ),
    get("outputs:detail", r("outputs:detail", lambda g: g.public_output.pk), SIGNED_IN, note="public"),
    get(
        "outputs:edit",
        r("outputs:edit", lambda g: g.private_output.pk),
        expect(member=200, facilitator=403, manager=403),
        note="private",
    ),
    get(
        "outputs:edit",
        r("outputs:edit", lambda g: g.shared_output.pk),
        # In review: read-only for its authors until sent back.
        expect(member=403, other_pair_member=403, facilitator=403, manager=403),
        note="in-review",
    ),
    post(
        "outputs:edit",
        r("outputs:edit", lambda g: g.private_output.pk),
        expect(member=REDIRECT, facilitator=403, manager=403),
        output_data,
    ),
    get("outputs:submit", r("outputs:submit", lambda g: g.private_output.pk), expect(405)),
    post(
        "outputs:submit",
        r("outputs:submit", lambda g: g.private_output.pk),
        expect(member=REDIRECT, facilitator=403, manager=403),
    ),
    get(
        "outputs:archive",
        r("outputs:archive", lambda g: g.private_output.pk),
        expect(member=200, facilitator=403, manager=403),
    ),
    post(
        "outputs:archive",
        r("outputs:archive", lambda g: g.private_output.pk),
        expect(member=REDIRECT, facilitator=403, manager=403),
    ),
    get("outputs:publish", r("outputs:publish", lambda g: g.shared_output.pk), expect(405)),
    post(
        "outputs:publish",
        r("outputs:publish", lambda g: g.shared_output.pk),
        expect(member=403, other_pair_member=403, facilitator=REDIRECT, manager=REDIRECT),
    ),
    get(
        "outputs:send-back",
        r("outputs:send-back", lambda g: g.shared_output.pk),
        expect(member=403, other_pair_member=403, **STAFF),
    ),
    post(
        "outputs:send-back",
        r("outputs:send-back", lambda g: g.shared_output.pk),
        expect(member=403, other_pair_member=403, facilitator=REDIRECT, manager=REDIRECT),
        lambda g: {"comment": "Say more about the day centre."},
    ),
    get("outputs:feature", r("outputs:feature", lambda g: g.public_output.pk), expect(405)),
    post(
        "outputs:feature",
        r("outputs:feature", lambda g: g.public_output.pk),
        expect(403, facilitator=REDIRECT, manager=REDIRECT),
        lambda g: {"featured": "1"},
    ),
    get(
        "outputs:file", r("outputs:file", lambda g: g.private_output.pk), expect(anonymous=404, **PAIR), note="private"
    ),
    get("outputs:file", r("outputs:file", lambda g: g.public_output.pk), expect(200, anonymous=200), note="public"),
    # outputs: the year-end report, for the cohort's staff
    get("reports:preview", r("reports:preview", COHORT_PK), expect(**STAFF)),
    get(
        "reports:preview",
        r("reports:preview", OTHER_COHORT_PK),
        expect(other_facilitator=200, manager=200),
        note="other",
    ),
    get("reports:edit", r("reports:edit", COHORT_PK), expect(**STAFF)),
    post(
        "reports:edit",
        r("reports:edit", COHORT_PK),
        expect(facilitator=REDIRECT, manager=REDIRECT),
        report_data,
    ),
    # The gate's cohort has a PDF built (tests/test_url_gate.py); the Word and XLSX files are not prepared yet,
    # so their staff are sent to the preview to prepare them.
    get("reports:pdf", r("reports:pdf", COHORT_PK), expect(**STAFF)),
    get("reports:docx", r("reports:docx", COHORT_PK), expect(facilitator=REDIRECT, manager=REDIRECT)),
    get("reports:xlsx", r("reports:xlsx", COHORT_PK), expect(facilitator=REDIRECT, manager=REDIRECT)),
    get("reports:exports", r("reports:exports", COHORT_PK), expect(**STAFF)),
    get(
        "reports:exports",
        r("reports:exports", OTHER_COHORT_PK),
        expect(other_facilitator=200, manager=200),
        note="other",
    ),
    # Every kind of file is prepared alike; tests/reports/test_report_permissions.py walks the others.
    get("reports:export-prepare", r("reports:export-prepare", COHORT_PK, lambda g: "pdf"), POST_ONLY),
    post(
        "reports:export-prepare",
        r("reports:export-prepare", COHORT_PK, lambda g: "pdf"),
        expect(facilitator=REDIRECT, manager=REDIRECT),
    ),
    get(
        "reports:csv",
        lambda g: reverse("reports:csv", args=[g.cohort_pk]) + "?table=members",
        expect(**STAFF),
    ),
    # library: the public outputs
    get("library:index", r("library:index"), expect(200, anonymous=200)),
    get("library:feed", r("library:feed"), expect(200, anonymous=200)),
    get("library:detail", r("library:detail", lambda g: g.public_output.pk), expect(200, anonymous=200), note="public"),
    get("library:detail", r("library:detail", lambda g: g.shared_output.pk), expect(404, anonymous=404), note="shared"),
]
