from __future__ import annotations

from django import forms


class PersonSearchForm(forms.Form):
    q = forms.CharField(label="Name or email address", required=False, max_length=200)


class ErasureForm(forms.Form):
    confirmation = forms.CharField(
        label="Type the person's email address to confirm",
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": "Type the person's email address exactly as shown to confirm."},
    )
