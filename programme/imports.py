"""Importing people with their organisation from a spreadsheet (CSV or XLSX) in the admin.

A row is one person, matched by email in any case, so importing the same file again updates them rather
than adding them twice. The cohort import (cohorts/imports.py) reads its person columns with the same code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import tablib
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from import_export import resources
from import_export.fields import Field

from .models import Organisation, SectorCode, User
from .services import person_upsert

PERSON_COLUMNS = {
    "email": "Email",
    "full_name": "Full name",
    "job_title": "Job title",
    "organisation": "Organisation",
    "sector": "SectorCode",
}
EMAIL_MISSING = "Give the person's email address."
EMAIL_INVALID = "“{value}” is not an email address."
EMAIL_TWICE = "{email} is in the file twice (also on row {row}): keep one row per person."
NAME_MISSING = "Give the person's full name."
ORGANISATION_MISSING = "Give the person's organisation."
ORGANISATION_UNKNOWN = "“{name}” is not an organisation we know: give its sector to add it."
CHOICE_UNKNOWN = "“{value}” is not one of: {choices}."


def choice(value: str, choices: Any, *, required: bool = True) -> str:
    """A choice given by its label ("Voluntary and community sector") or its code ("voluntary"), any case."""
    text = (value or "").strip().lower()
    if not text and not required:
        return ""
    for code, label in choices:
        if text in (str(code).lower(), str(label).lower()):
            return str(code)
    raise ValueError(CHOICE_UNKNOWN.format(value=value, choices=", ".join(str(label) for _, label in choices)))


@dataclass
class PersonRow:
    email: str
    full_name: str
    job_title: str
    organisation: Organisation | None
    organisation_name: str
    sector: str

    def is_unchanged_for(self, user: User) -> bool:
        return self.organisation is not None and (user.full_name, user.job_title, user.organisation_id) == (
            self.full_name,
            self.job_title,
            self.organisation.pk,
        )


def read_person_row(row: Any, *, seen: dict[str, int], row_number: int) -> tuple[PersonRow, dict[str, str]]:
    """Read a row's person columns and every problem with them (an empty dict when there are none)."""
    errors: dict[str, str] = {}
    value = {key: str(row.get(column) or "").strip() for key, column in PERSON_COLUMNS.items()}
    email = value["email"].lower()
    if not email:
        errors["email"] = EMAIL_MISSING
    else:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = EMAIL_INVALID.format(value=value["email"])
        else:
            if email in seen:
                errors["email"] = EMAIL_TWICE.format(email=email, row=seen[email])
            seen.setdefault(email, row_number)
    if not value["full_name"]:
        errors["full_name"] = NAME_MISSING
    sector = ""
    try:
        sector = choice(value["sector"], SectorCode.choices, required=False)
    except ValueError as error:
        errors["sector"] = str(error)
    organisation = None
    if not value["organisation"]:
        errors["organisation"] = ORGANISATION_MISSING
    else:
        organisation = Organisation.objects.filter(name__iexact=value["organisation"]).first()
        if organisation is None and not sector and "sector" not in errors:
            errors["organisation"] = ORGANISATION_UNKNOWN.format(name=value["organisation"])
    person = PersonRow(email, value["full_name"], value["job_title"], organisation, value["organisation"], sector)
    return person, errors


def person_row_save(person: PersonRow) -> User:
    """Write a checked row: its organisation if new, then the person (see person_upsert)."""
    organisation = person.organisation
    if organisation is None:
        organisation = Organisation(name=person.organisation_name, sector=person.sector)
        organisation.full_clean()
        organisation.save()
    user, _ = person_upsert(
        email=person.email, full_name=person.full_name, job_title=person.job_title, organisation=organisation
    )
    return user


def person_template_dataset() -> tablib.Dataset:
    dataset = tablib.Dataset(headers=list(PERSON_COLUMNS.values()))
    dataset.append(
        [
            "sam.example@example.org",
            "Sam Example",
            "Policy adviser",
            "Cabinet Office",
            SectorCode.CENTRAL_GOVERNMENT.label,
        ]
    )
    return dataset


class PersonImportResource(resources.ModelResource):
    """People with their organisation; imported people get no password (add them to a cohort to invite them)."""

    email = Field(attribute="email", column_name=PERSON_COLUMNS["email"])
    full_name = Field(attribute="full_name", column_name=PERSON_COLUMNS["full_name"])
    job_title = Field(attribute="job_title", column_name=PERSON_COLUMNS["job_title"])
    organisation = Field(attribute="import_organisation_name", column_name=PERSON_COLUMNS["organisation"])
    sector = Field(attribute="import_sector", column_name=PERSON_COLUMNS["sector"])

    class Meta:
        model = User
        fields = tuple(PERSON_COLUMNS)
        import_id_fields: tuple[str, ...] = ()
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = False

    def before_import(self, dataset: tablib.Dataset, **kwargs: Any) -> None:
        self.seen: dict[str, int] = {}
        self.row_number = 0

    def get_or_init_instance(self, instance_loader: Any, row: Any) -> tuple[User, bool]:
        email = str(row.get(PERSON_COLUMNS["email"]) or "").strip()
        existing = User.objects.filter(email__iexact=email).select_related("organisation").first() if email else None
        return (existing, False) if existing is not None else (User(), True)

    def import_instance(self, instance: User, row: Any, **kwargs: Any) -> None:
        self.row_number += 1
        person, errors = read_person_row(row, seen=self.seen, row_number=self.row_number)
        if errors:
            raise ValidationError(errors)
        instance.import_person = person  # type: ignore[attr-defined]

    def skip_row(self, instance: User, original: Any, row: Any, import_validation_errors: Any = None) -> bool:
        if import_validation_errors or instance.pk is None:
            return False
        return instance.import_person.is_unchanged_for(instance)  # type: ignore[attr-defined]

    def validate_instance(
        self, instance: User, import_validation_errors: Any = None, validate_unique: bool = True
    ) -> None:
        if import_validation_errors:
            raise ValidationError(import_validation_errors)

    def save_instance(self, instance: User, is_create: bool, row: Any, **kwargs: Any) -> None:
        saved = person_row_save(instance.import_person)  # type: ignore[attr-defined]
        instance.pk = saved.pk

    def dehydrate_organisation(self, user: User) -> str:
        person = getattr(user, "import_person", None)
        if person is not None:
            return person.organisation_name
        return user.organisation.name if user.organisation_id and user.organisation else ""

    def dehydrate_sector(self, user: User) -> str:
        person = getattr(user, "import_person", None)
        if person is not None:
            return person.sector
        return user.organisation.get_sector_display() if user.organisation_id and user.organisation else ""

    def dehydrate_email(self, user: User) -> str:
        person = getattr(user, "import_person", None)
        return person.email if person is not None else user.email

    def dehydrate_full_name(self, user: User) -> str:
        person = getattr(user, "import_person", None)
        return person.full_name if person is not None else user.full_name
