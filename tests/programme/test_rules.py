"""The programme app's rules, each on its own: the user model, its manager and the admin call these."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from programme import rules
from programme.models import User


def test_an_email_is_kept_lower_cased() -> None:
    assert rules.normalise_email("Alice.Adkins@Cabinet-Office.GOV.UK") == "alice.adkins@cabinet-office.gov.uk"


@pytest.mark.django_db
def test_people_are_stored_with_their_email_lower_cased() -> None:
    assert User.objects.create_user("Bob.Bradley@Shelter.ORG.uk").email == "bob.bradley@shelter.org.uk"


def test_one_address_in_two_cases_is_taken() -> None:
    rules.check_email_free(taken=False)
    with pytest.raises(ValidationError, match=rules.EMAIL_TAKEN):
        rules.check_email_free(taken=True)
