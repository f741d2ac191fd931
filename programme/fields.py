"""A model field for a code from the programme's shape (a side, sector, step or kind)."""

from __future__ import annotations

from collections.abc import Collection
from functools import partial
from typing import Any

from django import forms
from django.db import models

from . import shape


class ShapeCodeField(models.CharField):
    """Stores the code of an entry in the programme's shape ("policymaker", "workshop"). Which codes a record may
    take depends on its programme, so the field has no fixed choices: forms offer every programme's current
    entries until a form narrows them to its own programme's (Entries.choices), and rules check the code."""

    def __init__(self, *args: Any, shape_kind: str, **kwargs: Any) -> None:
        self.shape_kind = shape_kind
        kwargs.setdefault("max_length", 32)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["shape_kind"] = self.shape_kind
        return name, path, args, kwargs

    def formfield(self, **kwargs: Any) -> Any:
        defaults: dict[str, Any] = {
            "form_class": forms.ChoiceField,
            "choices_form_class": forms.ChoiceField,
            # As Django's choice fields do: an empty first option unless the field is optional-free with a default.
            "choices": partial(
                shape.every_programmes_choices,
                self.shape_kind,
                blank=self.blank or not (self.has_default() or "initial" in kwargs),
            ),
            "required": not self.blank,
            "label": self.verbose_name[:1].upper() + self.verbose_name[1:],
            "help_text": self.help_text,
        }
        if self.has_default():
            defaults["initial"] = self.get_default()
        defaults.update(kwargs)
        defaults.pop("form_class")
        defaults.pop("choices_form_class")
        return forms.ChoiceField(**defaults)


class RemembersStoredValues:
    """A model mixin: the values of `stored_values` (attribute names) as read from the database, kept on the
    instance as `_stored_<name>`. Rules compare them with the values being saved: an archived side a record
    already had stays valid on it; a row moved to another member counts for both."""

    stored_values: tuple[str, ...] = ()

    @classmethod
    def from_db(cls, db: str | None, field_names: Collection[str], values: Collection[Any], **kwargs: Any) -> Any:
        instance = super().from_db(db, field_names, values, **kwargs)  # type: ignore[misc]  # a Model's
        for name in cls.stored_values:
            setattr(instance, f"_stored_{name}", instance.__dict__.get(name))
        return instance
