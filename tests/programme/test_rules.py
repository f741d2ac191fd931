"""The programme app's rules, each on its own: the user model, its manager and the admin call these."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from programme import rules
from programme.models import User
from tests.factories import ProgrammeFactory


def test_an_email_is_kept_lower_cased() -> None:
    assert rules.normalise_email("Alice.Adkins@Cabinet-Office.GOV.UK") == "alice.adkins@cabinet-office.gov.uk"


@pytest.mark.django_db
def test_people_are_stored_with_their_email_lower_cased() -> None:
    assert User.objects.create_user("Bob.Bradley@Shelter.ORG.uk").email == "bob.bradley@shelter.org.uk"


def test_one_address_in_two_cases_is_taken() -> None:
    rules.check_email_free(taken=False)
    with pytest.raises(ValidationError, match=rules.EMAIL_TAKEN):
        rules.check_email_free(taken=True)


def test_a_group_has_room_for_every_side_it_needs() -> None:
    rules.check_sides_fit_group(min_sides_per_group=3, max_group_size=3)
    with pytest.raises(ValidationError, match="cannot span more different sides than it has members"):
        rules.check_sides_fit_group(min_sides_per_group=3, max_group_size=2)
    with pytest.raises(ValidationError, match=rules.GROUP_SIZES_OUT_OF_ORDER):
        rules.check_group_sizes(min_group_size=3, max_group_size=2)


def test_a_programme_asking_more_sides_than_its_groups_hold_is_refused(db) -> None:
    programme = ProgrammeFactory(max_group_size=2, min_sides_per_group=3)
    with pytest.raises(ValidationError) as error:
        programme.full_clean()
    assert error.value.message_dict["min_sides_per_group"] == [rules.SIDES_EXCEED_GROUP_SIZE]
