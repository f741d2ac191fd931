"""Writing the year-end report in the browser: a facilitator writes a finding, cites a quote with the evidence
picker (the draft saving itself), attaches a case study and sees both in the preview in that order; and findings
reorder with the keyboard alone (WCAG 2.2, 2.5.7: dragging is never the only way)."""

from __future__ import annotations

from playwright.sync_api import expect

from cohorts.models import Finding, Side
from cohorts.services import finding_save
from tests.factories import (
    PASSWORD,
    CohortFactory,
    FindingFactory,
    InsightFactory,
    MembershipFactory,
    QuestionFactory,
    UserFactory,
)


def _cohort_with_facilitator():
    cohort = CohortFactory(name="2014-15", number=2)
    facilitator = UserFactory(email="facilitator@example.org", full_name="Fran Facilitator")
    cohort.facilitators.add(facilitator)
    question = QuestionFactory(cohort=cohort, short_title="Engaging service users", order=1)
    return cohort, question


def test_facilitator_writes_a_finding_cites_a_quote_attaches_a_case_study_and_previews_them(page, sign_in):
    cohort, question = _cohort_with_facilitator()
    speaker = MembershipFactory(cohort=cohort, side=Side.POLICYMAKER)
    InsightFactory(cohort=cohort, question=question, speaker=speaker, text="I wouldn't know where to begin.")

    sign_in(page, "facilitator@example.org", PASSWORD)
    page.goto(f"/facilitate/cohorts/{cohort.pk}/")
    page.get_by_role("link", name="Report findings").click()
    page.get_by_role("link", name="Add a finding to Engaging service users").click()
    page.get_by_label("Title").fill("Know how to find your service users")
    page.get_by_role("button", name="Add the finding").click()

    body = page.get_by_label("Body")
    body.fill("Policymakers can feel far removed from service users.")
    body.press("End")
    page.get_by_role("button", name="Cite this quote").click()
    expect(body).to_have_value(
        f"Policymakers can feel far removed from service users.[[insight:{cohort.insights.get().pk}]]"
    )
    # The draft saves itself after a pause in typing, with no button pressed.
    expect(page.locator("#autosave-status")).to_contain_text("Draft saved at", timeout=8000)
    assert "[[insight:" in Finding.objects.get(question=question).body

    page.get_by_role("link", name="Write a new case study").click()
    page.get_by_label("Title").fill("Better brokering")
    page.get_by_label("Body").fill("A roundtable proposed trusted brokers.")
    page.get_by_role("button", name="Save the case study").click()
    expect(page.locator("#case-studies")).to_contain_text("after “Know how to find your service users”")

    page.goto(f"/outputs/cohorts/{cohort.pk}/report/")
    # pandoc's preview: the finding's section holds its heading, its text citing note 1, then the case study.
    finding = page.locator(f"#finding-{Finding.objects.get(question=question).pk}")
    expect(finding.locator("a.footnote-ref")).to_have_text("1")
    text = finding.inner_text()
    assert (
        text.index("Know how to find your service users")
        < text.index("far removed from service users.")
        < text.index("Case study 1: Better brokering")
    )
    expect(page.locator("#fn1")).to_contain_text("know where to begin.")


def _tab_to(page, name: str, limit: int = 200) -> None:
    """Press Tab until the focused element's text is `name` (the keyboard user's way to reach a control)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.textContent.trim()") == name:
            return
    raise AssertionError(f"Tab never reached {name!r}")


def test_findings_reorder_with_the_keyboard_alone(page, sign_in):
    cohort, question = _cohort_with_facilitator()
    FindingFactory(question=question, order=1, title="Match your methods to your aims")
    FindingFactory(question=question, order=2, title="Know how to find your service users")

    sign_in(page, "facilitator@example.org", PASSWORD)
    page.goto(f"/outputs/cohorts/{cohort.pk}/report/writing/")
    _tab_to(page, "Move down: Match your methods to your aims")
    page.keyboard.press("Enter")
    page.wait_for_load_state()

    expect(page.locator(".finding-title")).to_have_text(
        ["Know how to find your service users", "Match your methods to your aims"]
    )
    assert list(Finding.objects.filter(question=question).order_by("order").values_list("title", flat=True)) == [
        "Know how to find your service users",
        "Match your methods to your aims",
    ]


def test_a_second_writer_is_shown_the_first_ones_text_instead_of_overwriting_it(page, sign_in):
    cohort, question = _cohort_with_facilitator()
    finding = FindingFactory(question=question, title="Invest in local collaboration", body="First draft.")
    colleague = UserFactory(full_name="Colin Colleague")

    sign_in(page, "facilitator@example.org", PASSWORD)
    page.goto(f"/outputs/cohorts/{cohort.pk}/report/findings/{finding.pk}/")
    finding_save(finding=finding, title=finding.title, body="Colin's version.", by=colleague, based_on=0)
    page.get_by_label("Body").fill("Fran's version.")

    expect(page.locator("#conflict-text")).to_have_text("Colin's version.", timeout=8000)
    expect(page.locator("#autosave-status")).to_contain_text("autosave is off")
    assert Finding.objects.get(pk=finding.pk).body == "Colin's version."

    page.get_by_label("Body").fill("Fran's version, with Colin's merged in.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("“Invest in local collaboration” saved.")).to_be_visible()
    assert Finding.objects.get(pk=finding.pk).body == "Fran's version, with Colin's merged in."
