"""Writes on programme-wide records: people's own profiles and the programme's shape."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from . import default_shape
from .models import (
    ActivityKind,
    EventKind,
    Organisation,
    PolicyArea,
    Programme,
    RefiningStep,
    Sector,
    ShapeItem,
    Side,
    User,
)


@transaction.atomic
def user_profile_update(
    *,
    user: User,
    full_name: str,
    job_title: str = "",
    organisation: Organisation | None = None,
    interests: Iterable[PolicyArea] = (),
    bio: str = "",
    phone: str = "",
    share_contact_details: bool = True,
    credit_on_outputs: bool = True,
    consents_to_be_named: bool | None = None,
) -> User:
    """Change what a person says about themselves; email, roles and password are changed elsewhere."""
    user.full_name = full_name
    user.job_title = job_title
    user.organisation = organisation
    user.bio = bio
    user.phone = phone
    user.share_contact_details = share_contact_details
    user.credit_on_outputs = credit_on_outputs
    if consents_to_be_named is not None:
        user_naming_consent_set(user=user, consents=consents_to_be_named, save=False)
    user.full_clean()
    user.save()
    user.interests.set(interests)
    return user


@transaction.atomic
def person_upsert(*, email: str, full_name: str, organisation: Organisation, job_title: str = "") -> tuple[User, bool]:
    """Find a person by email (in any case) and bring their name, job title and organisation up to date,
    or add them with no password yet (they are invited to set one). Returns the person and whether they are new."""
    email = User.objects.normalize_email(email.strip()).lower()
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if user is None:
        user = User(email=email)
        user.set_unusable_password()
    changed = (user.full_name, user.job_title, user.organisation_id) != (full_name, job_title, organisation.pk)
    if created or changed:
        user.full_name, user.job_title, user.organisation = full_name, job_title, organisation
        user.full_clean()
        user.save()
    return user, created


def user_naming_consent_set(*, user: User, consents: bool, save: bool = True) -> User:
    """Record the person's standing consent to be named, and when it last changed."""
    # Compared with what is stored: a ModelForm has already copied the new choice onto the instance.
    stored = User.objects.filter(pk=user.pk).values_list("consents_to_be_named", flat=True).first()
    if stored != consents:
        user.consents_to_be_named = consents
        user.naming_consent_changed_at = timezone.now()
        if save:
            user.save(update_fields=["consents_to_be_named", "naming_consent_changed_at"])
    return user


@transaction.atomic
def shape_create_default(*, programme: Programme) -> None:
    """Give a programme that has none of them the default sides, sectors, steps, event and activity kinds
    (the 2014-15 programme's); kinds it already defines are left as they are."""
    shape_models: list[tuple[type[ShapeItem], list[dict[str, Any]]]] = [
        (Side, default_shape.SIDES),
        (Sector, default_shape.SECTORS),
        (RefiningStep, default_shape.STEPS),
        (EventKind, default_shape.EVENT_KINDS),
        (ActivityKind, default_shape.ACTIVITY_KINDS),
    ]
    for model, rows in shape_models:
        if model._default_manager.filter(programme=programme).exists():
            continue
        model._default_manager.bulk_create(
            [model(programme=programme, order=order, **row) for order, row in enumerate(rows, start=1)]
        )
