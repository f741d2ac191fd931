"""Every page each demo role reaches passes axe (no serious or critical violation), fits a 390 px phone, and
has a title that says where you are.

The pages are found by following the links each role sees, from its home page, over the demo data, and
visited once per kind of page (per URL name), at 390 px wide: one browser, one live server, one load of the
demo. Some states of a page the demo does not show are added first and visited whatever their kind: a step
with comments and marked for another look, a published output with changes in review, an event's cancel page,
an invitation's link (working and broken), the recruiting cohort's applications, the error pages and the
lock-out page after failed sign-ins. The sweep takes a minute or two, so it runs once per CI run (`.ci/run` sets PAIRWISE_SWEEP=1 for its
PostgreSQL pass) and locally with `make sweep`; otherwise it skips.
"""

from __future__ import annotations

import os
from collections import deque
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from cohorts.models import Application, Cohort, Event
from demo.loading import DEMO_PASSWORD, Demo, demo_load
from outputs import services as output_services
from outputs.models import Output
from pairs.comments import step_comment_add, step_mark_another_look
from pairs.models import LearningPair
from programme.models import User
from programme.tokens import invitation_token_generator

pytestmark = pytest.mark.skipif(
    os.environ.get("PAIRWISE_SWEEP", "") in {"", "0"},
    reason="the page sweep runs once per CI run: set PAIRWISE_SWEEP=1 (or run `make sweep`)",
)

PHONE_WIDTH = 390
PHONE_HEIGHT = 844
BLOCKING_IMPACTS = {"serious", "critical"}
LOCK_OUT_AFTER = 2  # failed sign-ins, for the sweep (the site's own limit is AXES_FAILURE_LIMIT)
# Links that download a file, end the session or leave the HTML pages.
SKIPPED_SUFFIXES = (".pdf", ".docx", ".xlsx", ".csv", ".ics")
SKIPPED_VIEWS = {
    "logout",
    "library:feed",
    "outputs:file",
    "admin:logout",
    "admin:view_on_site",
    "admin:jsi18n",
    # ZIP downloads of a person's data
    "privacy:mine-download",
    "privacy:person-download",
    "privacy:applicant-download",
}
# The admin: its index, every changelist and one change page of each model, and one history page (all
# history pages share a template).
ADMIN_KINDS = ("_changelist", "_change", "_history")
ADMIN_PAGES = {"admin:index", "admin:app_list", "admin:password_change"}

# Role: (login, start pages, path prefix the crawl stays under). The manager's staff pages outside the admin
# are the facilitator's pages (a manager may do all a facilitator does), checked in the facilitator's sweep.
ROLES = {
    "anonymous": (None, ["/", "/library/", "/accounts/login/", "/accessibility/"], "/"),
    "member": ("policymaker@pairwise.test", ["/"], "/"),
    "facilitator": ("facilitator@pairwise.test", ["/"], "/"),
    "manager": ("manager@pairwise.test", ["/admin/"], "/admin/"),
}


def _page_kind(path: str) -> str | None:
    """The URL name a path resolves to, or None for a link the sweep does not follow."""
    if path.startswith(("/static/", "/media/")) or path.endswith(SKIPPED_SUFFIXES):
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return None
    name = match.view_name
    if name in SKIPPED_VIEWS:
        return None
    if name.startswith("admin:") and name not in ADMIN_PAGES and not name.endswith(ADMIN_KINDS):
        return None
    if name.startswith("admin:") and name.endswith("_history"):
        return "admin:history"
    return name


def _check(page, path: str, axe: Axe) -> list[str]:
    """The problems of the page in the browser: axe's serious and critical findings, a title that does not
    say where you are, and a page wider than the phone."""
    problems = []
    for violation in axe.run(page).response["violations"]:
        if violation["impact"] in BLOCKING_IMPACTS:
            targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"][:3])
            problems.append(f"{path}: {violation['impact']} {violation['id']}: {violation['help']} at {targets}")
    if page.title() in {"", "Pairwise · Pairwise"}:
        problems.append(f"{path}: the page title does not say where you are")
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE_WIDTH:
        problems.append(f"{path}: {width} px wide at {PHONE_WIDTH} px")
    return problems


def _sweep(page, start_paths: list[str], origin: str, within: str, states: list[str]) -> list[str]:
    """Visit each of `states`, then one page of each kind reachable from them and the start pages; return
    every problem found."""
    axe = Axe()
    problems: list[str] = []
    seen_kinds: set[str] = set()
    queue = deque([(path, True) for path in states] + [(path, False) for path in start_paths])
    visited = 0
    while queue:
        path, always = queue.popleft()
        kind = _page_kind(urlsplit(path).path)
        if kind is None or (kind in seen_kinds and not always):
            continue
        seen_kinds.add(kind)
        visited += 1
        response = page.goto(path)
        if response is None or response.status >= 400:
            problems.append(f"{path}: HTTP {response.status if response else 'no response'}")
            continue
        problems += _check(page, path, axe)
        for href in page.eval_on_selector_all("a[href]", "links => links.map(link => link.href)"):
            parts = urlsplit(href)
            if f"{parts.scheme}://{parts.netloc}" == origin and parts.path.startswith(within):
                queue.append((parts.path + (f"?{parts.query}" if parts.query else ""), False))
    print(
        f"{visited} pages checked: {', '.join(sorted(seen_kinds))}"
    )  # shown with -rA or -s: how far the sweep reached
    return problems


def _states_the_demo_does_not_show(demo: Demo) -> dict[str, list[str]]:
    """Comments on a step, a step marked for another look and a published output with changes in review, on
    the demo member's own pair; the pages that show them, for each role."""
    member = User.objects.get(email=ROLES["member"][0])
    facilitator = User.objects.get(email=ROLES["facilitator"][0])
    pair = LearningPair.objects.for_user(member).filter(cohort=demo.year2).get()
    progress = pair.steps.order_by("step").first()
    assert progress is not None
    step_comment_add(progress=progress, author=facilitator, body="Could you say **who** you spoke to?")
    step_comment_add(progress=progress, author=member, body="The ward manager and two discharge nurses.")
    step_mark_another_look(progress=progress, by=facilitator, needed=True)
    output = output_services.output_create(
        pair=pair, kind=Output.Kind.CASE_STUDY, title="Jobcentre letters", summary="What young people make of them."
    )
    output = output_services.output_update(
        output=output, body="## What we read\n\n| Letter | Read |\n|---|---|\n| A | 2 |"
    )
    output = output_services.output_submit_for_review(output=output)
    output = output_services.output_publish(output=output)
    output_services.output_update(
        output=output,
        **{name: getattr(output, name) for name in output_services.EDITABLE_FIELDS if name != "title"},
        title="Jobcentre letters, read again",
    )
    output_services.output_submit_for_review(output=output)
    pages = [pair.get_absolute_url(), reverse("outputs:detail", args=[output.pk])]
    upcoming = Event.objects.filter(cohort=demo.year2).upcoming(timezone.now()).first()
    assert upcoming is not None, "the demo has no event to come"
    staff_pages = [*pages, reverse("cohorts:event-cancel", args=[upcoming.pk])]
    # An invitation's link (the page where an accepted applicant sets a first password), and a broken one.
    invited = demo.people["olivia"]
    uid = urlsafe_base64_encode(force_bytes(invited.pk))
    invitation = reverse("invitation-accept", args=[uid, invitation_token_generator.make_token(invited)])
    broken = reverse("invitation-accept", args=[uid, "1-broken"])
    return {"member": pages, "facilitator": staff_pages, "anonymous": [invitation, broken], "manager": []}


def _check_selection_pages(page, axe: Axe) -> list[str]:
    """The recruiting cohort's applications, which the demo leaves to the manager: its facilitator joins the
    selection after the crawl (joining before would make the recruiting cohort the one the pages show)."""
    application = Application.objects.filter(cohort__status=Cohort.Status.RECRUITING).order_by("pk").first()
    assert application is not None, "the demo has no application to review"
    application.cohort.facilitators.add(User.objects.get(email=ROLES["facilitator"][0]))
    problems = []
    for path in [
        reverse("cohorts:application-list", args=[application.cohort_id]),
        reverse("cohorts:application-detail", args=[application.pk]),
    ]:
        response = page.goto(path)
        if response is None or response.status != 200:
            problems.append(f"{path}: HTTP {response.status if response else 'no response'}")
            continue
        problems += _check(page, path, axe)
    return problems


def _check_lock_out_and_error_pages(page, axe: Axe) -> list[str]:
    """The pages a visitor meets when something goes wrong: not found, and locked out after failed sign-ins."""
    problems = []
    response = page.goto("/no-such-page/")
    if response is None or response.status != 404:
        problems.append(f"/no-such-page/: HTTP {response.status if response else 'no response'}, not 404")
    problems += _check(page, "the 404 page", axe)
    for _ in range(LOCK_OUT_AFTER):
        page.goto("/accounts/login/")
        page.fill('input[name="username"]', "nobody@pairwise.test")
        page.fill('input[name="password"]', "not the password")
        page.locator('form:has(input[name="password"]) [type="submit"]').click()
        page.wait_for_load_state()
    if "paused" not in page.content():
        problems.append("the lock-out page did not appear after failed sign-ins")
    problems += _check(page, "the lock-out page", axe)
    return problems


@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_a_role_reaches_passes_axe_and_fits_a_phone_with_a_title(
    browser, live_server, transactional_db, settings, role
):
    if role == "anonymous":  # the test settings turn sign-in throttling off; the lock-out page needs it
        settings.AXES_ENABLED = True
        settings.AXES_FAILURE_LIMIT = LOCK_OUT_AFTER
        settings.TRUSTED_PROXY_COUNT = 0
    states = _states_the_demo_does_not_show(demo_load())
    email, start_paths, within = ROLES[role]
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": PHONE_WIDTH, "height": PHONE_HEIGHT},
        locale="en-GB",
        timezone_id="Europe/London",
    )
    page = context.new_page()
    try:
        if email:
            page.goto("/accounts/login/")
            page.fill('input[name="username"]', email)
            page.fill('input[name="password"]', DEMO_PASSWORD)
            page.locator('form:has(input[name="password"]) [type="submit"]').click()
            page.wait_for_load_state()
        problems = _sweep(page, start_paths, live_server.url, within, states[role])
        if role == "facilitator":
            problems += _check_selection_pages(page, Axe())
        if email is None:
            problems += _check_lock_out_and_error_pages(page, Axe())
    finally:
        context.close()
    assert problems == [], "\n".join(problems)
