"""Standing consent to be named: the person's own, changeable by them; per-item choices narrow it, never widen it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cohorts.models import Side
from programme.models import User
from programme.rules import may_be_named
from programme.services import user_naming_consent_set
from reports.building import ANNEX_NAME_WITHHELD, build_report
from tests.factories import CaseStudyFactory, FindingFactory, InsightFactory, MembershipFactory, QuestionFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("consents", "item_agreed", "named"),
    [(True, True, True), (True, False, False), (False, True, False), (False, False, False)],
)
def test_an_item_narrows_consent_but_never_widens_it(consents, item_agreed, named):
    assert may_be_named(consents_to_be_named=consents, item_agreed=item_agreed) is named


def test_a_new_account_has_not_consented():
    person = User.objects.create_user("new@example.org", full_name="New Person")
    assert person.consents_to_be_named is False
    assert person.naming_consent_changed_at is None


def test_a_person_gives_and_withdraws_consent_on_their_profile(world, login_as):
    world.alice.consents_to_be_named = False
    world.alice.save()
    client = login_as("alice")
    data = {"full_name": "Alice Adkins", "consents_to_be_named": "on", "credit_on_outputs": "on"}
    client.post(reverse("account-profile"), data)
    world.alice.refresh_from_db()
    assert world.alice.consents_to_be_named
    given_at = world.alice.naming_consent_changed_at
    assert given_at is not None
    client.post(reverse("account-profile"), {"full_name": "Alice Adkins"})
    world.alice.refresh_from_db()
    assert not world.alice.consents_to_be_named
    assert world.alice.naming_consent_changed_at > given_at


def test_saving_the_profile_unchanged_keeps_the_consent_date(world):
    user_naming_consent_set(user=world.alice, consents=True)
    before = world.alice.naming_consent_changed_at
    user_naming_consent_set(user=world.alice, consents=True)
    assert world.alice.naming_consent_changed_at == before


def test_a_quote_names_its_speaker_only_with_their_standing_consent(world):
    insight = InsightFactory(cohort=world.cohort, speaker=world.alice_membership, speaker_agreed_to_be_named=True)
    assert insight.attribution().startswith("Alice Adkins")
    world.alice.consents_to_be_named = False
    world.alice.save()
    insight.refresh_from_db()
    assert "Alice" not in insight.attribution()
    assert insight.attribution().startswith("Y2 policymaker")


def test_the_library_credits_only_people_who_consent(client, world, outputs):
    world.bob.consents_to_be_named = False  # credit_on_outputs stays on: it cannot widen the consent
    world.bob.save()
    content = client.get(reverse("library:detail", args=[outputs.public.pk])).content.decode()
    assert "Alice Adkins" in content
    assert "Bob Bradley" not in content
    feed = client.get(reverse("library:feed")).content.decode()
    assert "Bob Bradley" not in feed


def test_annex_a_names_everyone_unless_the_manager_asks_for_consent(world):
    world.bob.consents_to_be_named = False
    world.bob.save()
    names = [member.name for member in build_report(world.cohort).annex]
    assert "Bob Bradley" in names
    programme = world.cohort.programme
    programme.annex_names_need_consent = True
    programme.save()
    annex = build_report(world.cohort).annex
    names = [member.name for member in annex]
    assert "Bob Bradley" not in names
    assert "Alice Adkins" in names
    withheld = [member for member in annex if member.name == ANNEX_NAME_WITHHELD]
    assert len(withheld) == 1 and withheld[0].organisation == "" and withheld[0].side == "Practitioner"


def test_a_member_without_consent_is_not_named_in_the_report_quotes(world):
    speaker = MembershipFactory(cohort=world.cohort, side=Side.PRACTITIONER, user__full_name="Quiet Quentin")
    speaker.user.consents_to_be_named = False
    speaker.user.save()
    insight = InsightFactory(cohort=world.cohort, speaker=speaker, speaker_agreed_to_be_named=True, text="Said quietly")
    FindingFactory(question=QuestionFactory(cohort=world.cohort), body=f"A finding.[[insight:{insight.pk}]]")
    report = build_report(world.cohort)
    notes = [note.markdown for note in report.footnotes]
    assert len(notes) == 1 and "Said quietly" in notes[0] and "Quentin" not in notes[0]


def test_a_case_study_credits_only_the_people_who_consent_to_be_named(world):
    quiet = MembershipFactory(cohort=world.cohort, user__full_name="Quiet Quentin").user
    quiet.consents_to_be_named = False
    quiet.save()
    study = CaseStudyFactory(cohort=world.cohort, credited_others="Big Lottery Fund")
    study.credited_people.set([quiet, world.alice])
    credits = build_report(world.cohort).other_case_studies[0].credits
    assert "Alice Adkins" in credits and "Big Lottery Fund" in credits and "Quentin" not in credits


def test_the_admin_shows_consent_but_cannot_change_it(world, login_as):
    response = login_as("manager").get(reverse("admin:programme_user_change", args=[world.alice.pk]))
    assert "consents_to_be_named" not in response.context["adminform"].form.fields
