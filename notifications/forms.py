from __future__ import annotations

from typing import Any

from django import forms

from programme.models import User

from .models import Delivery, Kind, NotificationPreference
from .rules import DEFAULT_DELIVERY


class PreferencesForm(forms.Form):
    """One choice per kind of notification, starting from the person's current choices."""

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
        for kind in Kind:
            current = chosen.get(kind.value, DEFAULT_DELIVERY[kind.value])
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label, choices=Delivery.choices, initial=current, widget=forms.RadioSelect
            )
