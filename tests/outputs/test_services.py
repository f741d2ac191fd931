from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from outputs import services
from outputs.models import Output
from outputs.rules import LINK_NOT_HTTP
from tests.factories import OutputFactory, PublishedOutputFactory, QuestionFactory
from tests.outputs.conftest import TINY_PDF, upload


def test_a_new_output_without_content_is_planned(world):
    output = services.output_create(pair=world.pair, kind=Output.Kind.CASE_STUDY, title="Our case study")
    assert output.status == Output.Status.PLANNED
    assert output.visibility == Output.Visibility.PAIR


def test_a_new_output_with_a_summary_is_drafting(world):
    output = services.output_create(
        pair=world.pair, kind=Output.Kind.TOP_TIPS, title="Tips", summary="Ten tips.", file=upload("t.pdf", TINY_PDF)
    )
    assert output.status == Output.Status.DRAFTING
    assert str(output.file.name).endswith(".pdf")


def test_a_planned_output_becomes_drafting_once_written(world):
    output = services.output_create(pair=world.pair, kind=Output.Kind.CASE_STUDY, title="Plan")
    services.output_update(output=output, body="First paragraph.")
    output.refresh_from_db()
    assert output.status == Output.Status.DRAFTING


def test_a_question_of_another_cohort_is_refused(world):
    other_question = QuestionFactory(cohort=world.other_cohort)
    with pytest.raises(ValidationError):
        services.output_create(pair=world.pair, kind=Output.Kind.CASE_STUDY, title="x", question=other_question)


@pytest.mark.parametrize("link", ["javascript:alert(1)", "ftp://example.org/x", "data:text/html,hi"])
def test_a_link_that_is_not_http_is_refused(world, link):
    with pytest.raises(ValidationError) as error:
        services.output_create(pair=world.pair, kind=Output.Kind.VIDEO, title="Film", link=link)
    assert error.value.message_dict["link"] == [LINK_NOT_HTTP]


def test_the_review_flow_send_back_then_publish(world):
    output = OutputFactory(pair=world.pair, status=Output.Status.DRAFTING)
    services.output_submit_for_review(output=output)
    assert output.status == Output.Status.IN_REVIEW

    services.output_send_back(output=output, comment="Add what the service users said.")
    output.refresh_from_db()
    assert output.status == Output.Status.DRAFTING
    assert output.review_comment == "Add what the service users said."

    services.output_submit_for_review(output=output)
    services.output_publish(output=output)
    output.refresh_from_db()
    assert output.status == Output.Status.PUBLISHED
    assert output.published_at is not None
    assert output.review_comment == ""


def test_an_output_published_earlier_keeps_the_time_it_was_published(world):
    earlier = timezone.now() - timedelta(days=10)
    output = services.output_submit_for_review(output=OutputFactory(pair=world.pair, status=Output.Status.DRAFTING))

    services.output_publish(output=output, now=earlier)

    output.refresh_from_db()
    assert output.published_at == earlier


def test_publishing_without_a_summary_is_refused_with_a_message(world):
    output = OutputFactory(pair=world.pair, status=Output.Status.IN_REVIEW, summary="")
    with pytest.raises(ValidationError) as error:
        services.output_publish(output=output)
    assert error.value.messages == [services.NEEDS_TITLE_AND_SUMMARY.format(action="published")]
    output.refresh_from_db()
    assert output.status == Output.Status.IN_REVIEW


def test_submitting_without_a_summary_is_refused(world):
    output = OutputFactory(pair=world.pair, status=Output.Status.DRAFTING, summary="  ")
    with pytest.raises(ValidationError):
        services.output_submit_for_review(output=output)


def test_only_outputs_in_review_are_published(world):
    output = OutputFactory(pair=world.pair, status=Output.Status.DRAFTING)
    with pytest.raises(ValidationError):
        services.output_publish(output=output)


def test_sending_back_needs_a_comment(world):
    output = OutputFactory(pair=world.pair, status=Output.Status.IN_REVIEW)
    with pytest.raises(ValidationError):
        services.output_send_back(output=output, comment="   ")
    output.refresh_from_db()
    assert output.status == Output.Status.IN_REVIEW


def test_only_published_outputs_are_featured(world):
    draft = OutputFactory(pair=world.pair, status=Output.Status.IN_REVIEW)
    with pytest.raises(ValidationError) as error:
        services.output_feature(output=draft)
    assert error.value.messages == [services.ONLY_PUBLISHED_FEATURED]
    draft.refresh_from_db()
    assert not draft.featured

    published = PublishedOutputFactory(pair=world.pair)
    services.output_feature(output=published)
    assert Output.objects.featured().get() == published
    services.output_feature(output=published, featured=False)
    assert not Output.objects.featured().exists()


def test_removing_the_summary_of_a_published_output_is_refused(world):
    published = PublishedOutputFactory(pair=world.pair)
    with pytest.raises(ValidationError):
        services.output_update(output=published, summary="")
    published.refresh_from_db()
    assert published.summary


def test_archiving_hides_and_unfeatures(world):
    published = PublishedOutputFactory(pair=world.pair, featured=True)
    services.output_archive(output=published)
    published.refresh_from_db()
    assert published.archived and not published.featured
    assert not Output.objects.public().exists()


def test_credits_skip_members_who_asked_not_to_be_named(world):
    world.bob.credit_on_outputs = False
    world.bob.save()
    published = PublishedOutputFactory(pair=world.pair)
    assert [person.full_name for person in published.credited_people()] == ["Alice Adkins"]
    prefetched = Output.objects.with_credits().get(pk=published.pk)
    assert [person.full_name for person in prefetched.credited_people()] == ["Alice Adkins"]
