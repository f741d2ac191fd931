"""Forms a person fills in about themselves."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError

from .models import Organisation, PolicyArea, User

# The largest id a database integer column holds (PostgreSQL bigint, SQLite INTEGER).
LARGEST_ID = 2**63 - 1


class RowsChoiceField(forms.ModelMultipleChoiceField):
    """Tick boxes of rows by id. A posted value that cannot be an id (too many digits, not a number) is
    an invalid choice on the form, where a plain ModelMultipleChoiceField lets the database choke on it."""

    def _check_values(self, value: object) -> object:
        for pk in value or ():  # type: ignore[attr-defined]
            text = str(pk).strip()
            if not text.isdigit() or int(text) > LARGEST_ID:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": text}
                )
        return super()._check_values(value)  # type: ignore[misc]


class ProfileForm(forms.ModelForm):
    """A person's own profile: what the cohort directory and pairing show about them."""

    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.order_by("name"),
        required=False,
        empty_label="Not listed",
        help_text="Where you work. Not listed? Ask your programme team to add it.",
    )
    interests = RowsChoiceField(
        queryset=PolicyArea.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Policy areas you work on or care about; pairing matches on these.",
    )

    class Meta:
        model = User
        fields = [
            "full_name",
            "job_title",
            "organisation",
            "interests",
            "bio",
            "phone",
            "share_contact_details",
            "consents_to_be_named",
            "credit_on_outputs",
        ]
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}
        labels = {
            "share_contact_details": "Share my email address and phone number with my cohort",
            "consents_to_be_named": "Name me in year-end reports and the public library",
            "credit_on_outputs": "Credit me by name on published outputs",
        }
        help_texts = {
            "consents_to_be_named": (
                "Without this, reports and the library quote and credit you only by your year of the programme "
                "and your side, never by name. You can change your mind at any time."
            ),
            "credit_on_outputs": "Only with the consent above: untick to stay unnamed on outputs even so.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["full_name"].error_messages["required"] = "Enter your full name."
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's <form> carries the token


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Also sends a link to someone invited who never set a password: Django's form skips accounts
    without a usable password, which would leave an invited person whose link expired locked out."""

    def get_users(self, email: str) -> Iterator[User]:
        return iter(User.objects.filter(email__iexact=email, is_active=True))


def add_service_error(
    form: forms.BaseForm, error: ValidationError, *, field_names: dict[str, str] | None = None
) -> None:
    """Put a service's or a rule's ValidationError on the form: beside the field it names, or above the form.

    field_names maps a model field the error names to the form field that shows it (a form may call
    `withdrawn_on` simply `on`).
    """
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            shown = (field_names or {}).get(name, name)
            form.add_error(shown if shown in form.fields else None, errors)
    else:
        form.add_error(None, error)


def apply_rule(form: forms.BaseForm, rule: Callable[..., object], *args: Any, **kwargs: Any) -> bool:
    """Check a rule from a form's clean(): on a refusal its message goes on the form and this says False."""
    try:
        rule(*args, **kwargs)
    except ValidationError as error:
        add_service_error(form, error)
        return False
    return True
