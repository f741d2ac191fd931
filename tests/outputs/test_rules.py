"""The outputs app's rules, each on its own: the model, services, forms and admin all call these."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from outputs import rules
from outputs.models import Output


def test_rule_statuses_are_the_models_statuses() -> None:
    """The rules name statuses by value, since the model calls the rules."""
    assert tuple(Output.Status.values) == (rules.PLANNED, rules.DRAFTING, rules.IN_REVIEW, rules.PUBLISHED)


@pytest.mark.parametrize("link", ["https://example.org/case-study", "http://www.gov.uk/guidance?x=1", ""])
def test_web_links_are_accepted(link: str) -> None:
    rules.check_http_link(link)


@pytest.mark.parametrize(
    "link", ["javascript:alert(1)", "ftp://files.example.org/a.pdf", "file:///etc/passwd", "data:text/html,x"]
)
def test_only_http_and_https_links_are_accepted(link: str) -> None:
    with pytest.raises(ValidationError) as error:
        rules.check_http_link(link)
    assert error.value.message_dict == {"link": [rules.LINK_NOT_HTTP]}


def test_review_moves_an_output_one_step_at_a_time() -> None:
    assert rules.review_step("planned", "in_review") == "submit"
    assert rules.review_step("drafting", "in_review") == "submit"
    assert rules.review_step("in_review", "published") == "publish"
    assert rules.review_step("in_review", "drafting") == "send back"
    for old, new in [("drafting", "published"), ("published", "drafting"), ("planned", "published")]:
        with pytest.raises(ValidationError, match="cannot move from"):
            rules.review_step(old, new)


def test_submitting_publishing_and_sending_back_need_the_right_status_and_text() -> None:
    rules.check_can_submit("drafting")
    with pytest.raises(ValidationError, match=rules.ONLY_DRAFTS_GO_TO_REVIEW):
        rules.check_can_submit("in_review")
    with pytest.raises(ValidationError, match="Only an output in review can be published"):
        rules.check_in_review("drafting", action="published")
    with pytest.raises(ValidationError, match=rules.SEND_BACK_NEEDS_COMMENT):
        rules.check_send_back_comment("  ")
    with pytest.raises(ValidationError, match="before the output is published"):
        rules.check_title_and_summary(title="Tips", summary=" ", action="published")


def test_only_published_outputs_are_featured() -> None:
    rules.check_can_feature(status="published", featured=True)
    rules.check_can_feature(status="drafting", featured=False)
    with pytest.raises(ValidationError, match=rules.ONLY_PUBLISHED_FEATURED):
        rules.check_can_feature(status="in_review", featured=True)


def test_a_planned_output_becomes_drafting_once_it_has_content() -> None:
    assert rules.status_after_content("planned", has_content=True) == "drafting"
    assert rules.status_after_content("planned", has_content=False) == "planned"
    assert rules.status_after_content("in_review", has_content=True) == "in_review"
