"""Every model linking to the user model is in the data download and in erasure, so none can be forgotten.

The links are found by walking the app registry (foreign keys, one-to-ones and many-to-manys, history tables
and auto-created many-to-many tables included), not listed by hand: a model added later with a link to the
user model fails here until the download and erasure say what they do with it.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models

from privacy.download import M2M_SECTIONS, all_sections, covered_labels, personal_data
from privacy.services import ERASURE, Policy, is_history_model, person_erase

pytestmark = pytest.mark.django_db


def user_links() -> list[tuple[type[models.Model], str, str]]:
    """(model, field, label) for every link to the user model; an auto-created many-to-many table comes as
    (the table, the declaring field's name, the declaring model's label)."""
    user_model = get_user_model()
    links = []
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy:
            continue
        for field in model._meta.get_fields():
            if not (field.many_to_one or field.one_to_one or field.many_to_many) or field.auto_created:
                continue
            if field.related_model is None or not issubclass(field.related_model, user_model):
                continue
            declaring = model._meta.auto_created
            if isinstance(declaring, type):  # the model whose many-to-many made this table
                through_of = next(f for f in declaring._meta.many_to_many if f.remote_field.through is model)
                links.append((model, through_of.name, declaring._meta.label))
            else:
                links.append((model, field.name, model._meta.label))
    return links


def test_the_walk_finds_the_links_it_should():
    keys = {(label, field) for _, field, label in user_links()}
    # A sample across the kinds of link: a foreign key, a many-to-many, a through table, a history table.
    assert ("cohorts.Membership", "user") in keys
    assert ("cohorts.Cohort", "facilitators") in keys
    assert ("programme.User", "groups") in keys
    assert ("pairs.HistoricalActivity", "history_user") in keys
    assert ("pairs.PrivateNotesReading", "reader") in keys


def test_every_model_linking_to_the_user_model_is_in_the_download():
    missing = sorted({label for _, _, label in user_links()} - covered_labels())
    assert not missing, f"models linking to the user model without a section in privacy/download.py: {missing}"


def test_every_link_to_the_user_model_is_in_erasure():
    missing = sorted(
        {(label, field) for model, field, label in user_links() if not is_history_model(model)} - set(ERASURE)
    )
    assert not missing, f"links to the user model that privacy.services.ERASURE does not cover: {missing}"


def test_the_erasure_table_names_no_link_that_does_not_exist():
    keys = {(label, field) for _, field, label in user_links()}
    assert not set(ERASURE) - keys


def test_many_to_many_tables_are_listed_in_the_account_section(alice_everywhere):
    account = personal_data(alice_everywhere.world.alice)["account"][0]
    for field_name in M2M_SECTIONS["programme.User"]:
        assert field_name in account
    assert account["groups"] == ["Alumni"]
    assert account["interests"] == ["Homelessness"]


def test_every_row_linking_to_a_person_is_in_their_download(alice_everywhere):
    """Not only declared: each row of every linked model that points at alice is in her download, by its key."""
    alice = alice_everywhere.world.alice
    data = personal_data(alice)
    by_label: dict[str, set[int]] = {}
    for section in all_sections():
        key = section.model._meta.pk.attname
        by_label.setdefault(section.label, set()).update(row[key] for row in data[section.name])
    checked = set()
    for model, field, label in user_links():
        if model._meta.auto_created:  # a many-to-many table: the account section lists it
            continue
        linked = set(model._default_manager.filter(**{field: alice}).values_list("pk", flat=True))
        assert linked <= by_label[label], f"{label}.{field}: rows {sorted(linked - by_label[label])} not downloaded"
        if linked:
            checked.add(label)
    # The world really puts alice in most of them, so the check above is not vacuous.
    assert len(checked) >= 18, sorted(checked)


def test_rows_erasure_deletes_are_gone_and_the_rest_point_at_the_anonymised_account(alice_everywhere):
    world = alice_everywhere.world
    alice = world.alice
    person_erase(person=alice, by=world.manager, confirmation=alice.email)
    for model, field, label in user_links():
        policy = ERASURE.get((label, field))
        if policy is Policy.DELETE and not model._meta.auto_created:
            assert not model._default_manager.filter(**{field: alice.pk}).exists(), f"{label}.{field}"
    alice.refresh_from_db()
    assert not alice.groups.exists() and not alice.interests.exists() and not alice.user_permissions.exists()
