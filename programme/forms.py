"""Forms a person fills in about themselves."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from django import forms

from .models import Organisation, PolicyArea, User


class ProfileForm(forms.ModelForm):
    """A person's own profile: what the cohort directory and pairing show about them."""

    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.order_by("name"),
        required=False,
        empty_label="Not listed",
        help_text="Where you work. Not listed? Ask your programme team to add it.",
    )
    interests = forms.ModelMultipleChoiceField(
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
            "credit_on_outputs",
        ]
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}
        labels = {
            "share_contact_details": "Share my email address and phone number with my cohort",
            "credit_on_outputs": "Credit me by name on published outputs",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["full_name"].error_messages["required"] = "Enter your full name."
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's <form> carries the token
