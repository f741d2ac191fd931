"""Importing a cohort's members from a spreadsheet (CSV or XLSX) in the admin, with django-import-export.

One row is one person: their details and organisation, and their membership of the cohort chosen on the
import form, with side and status. People are matched by email, so importing the same file again updates
them rather than adding them twice. Every membership is written by `membership_create` or `membership_save`,
so new members are invited to future events and, without a password, to sign in. A file with any bad row imports nothing.
"""

from __future__ import annotations

from typing import Any

import tablib
from django.core.exceptions import ValidationError
from import_export import resources
from import_export.fields import Field

from programme.imports import PERSON_COLUMNS, choice, person_row_save, read_person_row
from programme.models import SectorCode

from .models import Cohort, Membership, Side
from .services import membership_create, membership_save

COLUMNS = {**PERSON_COLUMNS, "side": "Side", "status": "Status"}
IMPORTABLE_STATUSES = [
    (Membership.Status.ACCEPTED, Membership.Status.ACCEPTED.label),
    (Membership.Status.ACTIVE, Membership.Status.ACTIVE.label),
    (Membership.Status.COMPLETED, Membership.Status.COMPLETED.label),
]
WITHDRAWAL_NOT_IMPORTED = "Withdraw a member on their membership page, which records the date and reason."


def template_dataset() -> tablib.Dataset:
    """The downloadable template: the headings and one example row a manager overwrites."""
    dataset = tablib.Dataset(headers=list(COLUMNS.values()))
    dataset.append(
        [
            "sam.example@example.org",
            "Sam Example",
            "Service manager",
            "Shelter",
            SectorCode.VOLUNTARY.label,
            Side.PRACTITIONER.label,
            Membership.Status.ACCEPTED.label,
        ]
    )
    return dataset


class MembershipImportResource(resources.ModelResource):
    email = Field(attribute="import_email", column_name=COLUMNS["email"])
    full_name = Field(attribute="import_full_name", column_name=COLUMNS["full_name"])
    job_title = Field(attribute="import_job_title", column_name=COLUMNS["job_title"])
    organisation = Field(attribute="import_organisation", column_name=COLUMNS["organisation"])
    sector = Field(attribute="import_sector", column_name=COLUMNS["sector"])
    side = Field(attribute="side", column_name=COLUMNS["side"])
    status = Field(attribute="status", column_name=COLUMNS["status"])

    class Meta:
        model = Membership
        fields = tuple(COLUMNS)
        import_id_fields: tuple[str, ...] = ()
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = False  # the services validate; rows are checked in import_instance

    def __init__(self, cohort: Cohort | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.cohort = cohort

    def before_import(self, dataset: tablib.Dataset, **kwargs: Any) -> None:
        if self.cohort is None:
            raise ValidationError("Choose the cohort to import members into.")
        self.seen: dict[str, int] = {}
        self.row_number = 0

    def get_or_init_instance(self, instance_loader: Any, row: Any) -> tuple[Membership, bool]:
        email = str(row.get(COLUMNS["email"]) or "").strip().lower()
        existing = (
            Membership.objects.filter(cohort=self.cohort, user__email__iexact=email)
            .exclude(status=Membership.Status.WITHDRAWN)
            .select_related("user__organisation")
            .first()
            if email
            else None
        )
        if existing is not None:
            return existing, False
        return Membership(cohort=self.cohort), True

    def import_instance(self, instance: Membership, row: Any, **kwargs: Any) -> None:
        """Read and check one row, keeping every problem so the preview lists them all."""
        self.row_number += 1
        person, errors = read_person_row(row, seen=self.seen, row_number=self.row_number)
        for key, choices in (("side", Side.choices), ("status", IMPORTABLE_STATUSES)):
            given = str(row.get(COLUMNS[key]) or "").strip()
            try:
                setattr(instance, key, choice(given, choices))
            except ValueError as error:
                errors[key] = str(error) if given.lower() != "withdrawn" else WITHDRAWAL_NOT_IMPORTED
        if errors:
            raise ValidationError(errors)
        instance.import_person = person  # type: ignore[attr-defined]

    def skip_row(self, instance: Membership, original: Any, row: Any, import_validation_errors: Any = None) -> bool:
        if import_validation_errors or instance.pk is None:
            return False
        same_membership = (instance.side, instance.status) == (original.side, original.status)
        return same_membership and instance.import_person.is_unchanged_for(instance.user)  # type: ignore[attr-defined]

    def validate_instance(
        self, instance: Membership, import_validation_errors: Any = None, validate_unique: bool = True
    ) -> None:
        if import_validation_errors:
            raise ValidationError(import_validation_errors)

    def save_instance(self, instance: Membership, is_create: bool, row: Any, **kwargs: Any) -> None:
        """Write the person and their membership through the services (also in a dry run, which is rolled back)."""
        assert self.cohort is not None
        user = person_row_save(instance.import_person)  # type: ignore[attr-defined]
        if is_create:
            added = membership_create(cohort=self.cohort, user=user, side=instance.side, status=instance.status)
            instance.pk, instance.user = added.pk, user
        else:
            # A changed side or status goes through the same service as the admin: a member who is current
            # now is invited to events still to come.
            membership_save(membership=instance)

    def _person(self, membership: Membership, attribute: str) -> Any:
        # A new row's preview has no person yet: show what the row says.
        if membership.user_id is None:
            person = getattr(membership, "import_person", None)
            return getattr(person, attribute, "") if person is not None else ""
        return getattr(membership.user, attribute)

    def dehydrate_email(self, membership: Membership) -> str:
        return self._person(membership, "email")

    def dehydrate_full_name(self, membership: Membership) -> str:
        return self._person(membership, "full_name")

    def dehydrate_job_title(self, membership: Membership) -> str:
        return self._person(membership, "job_title")

    def dehydrate_organisation(self, membership: Membership) -> str:
        if membership.user_id is None:
            return self._person(membership, "organisation_name")
        return membership.user.organisation.name if membership.user.organisation else ""

    def dehydrate_sector(self, membership: Membership) -> str:
        if membership.user_id is None:
            return self._person(membership, "sector")
        return membership.user.organisation.get_sector_display() if membership.user.organisation else ""

    def dehydrate_side(self, membership: Membership) -> str:
        return membership.get_side_display() if membership.side else ""

    def dehydrate_status(self, membership: Membership) -> str:
        return membership.get_status_display() if membership.status else ""
