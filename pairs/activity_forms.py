"""Forms of the activity log: logging a visit, exchange, meeting or piece of research."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import uuid4

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone

from cohorts.models import Membership
from programme.forms import RowsChoiceField, apply_rule
from programme.typing import form_field

from . import rules
from .models import Activity, LearningPair
from .rules import ATTENDEE_NOT_IN_PAIR, FUTURE_ACTIVITY_DATE

FUTURE_DATE = FUTURE_ACTIVITY_DATE
HOURS_NOT_POSITIVE = "Enter the hours spent: more than 0."
HOURS_OVER_A_DAY = "An activity can last at most 24 hours; log a longer one day by day."


class AttendeeChoiceField(RowsChoiceField):
    def label_from_instance(self, obj: Membership) -> str:
        return f"{obj.user.full_name} ({obj.get_side_display().lower()})"


class ActivityForm(forms.ModelForm):
    """What a pair logs. Who went is limited to the pair's members; the service checks it again."""

    attendees = AttendeeChoiceField(
        queryset=Membership.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Who went",
        help_text="Members of the pair who took part; their commitment counts these hours.",
        error_messages={
            "required": "Tick at least one member of the pair who went.",
            "invalid_choice": ATTENDEE_NOT_IN_PAIR,
        },
    )

    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False, initial=uuid4)

    class Meta:
        model = Activity
        fields = ["kind", "occurred_on", "hours", "place", "attendees", "learning", "private_notes"]
        widgets = {
            "occurred_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "hours": forms.NumberInput(attrs={"step": "0.1"}),
            "learning": forms.Textarea(attrs={"rows": 4}),
            "private_notes": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"kind": "What kind of activity"}

    def __init__(self, *args: Any, pair: LearningPair, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["submission_key"]  # only a new activity can be submitted twice
        # Current members, plus anyone already recorded on this activity who has since left the pair.
        members = Membership.objects.filter(pair_memberships__pair=pair, pair_memberships__left_on__isnull=True)
        if self.instance.pk:
            members = members | Membership.objects.filter(activities=self.instance)
        form_field(self, "attendees", forms.ModelChoiceField).queryset = (
            members.select_related("user").distinct().order_by("side")
        )
        # The pair's programme's current kinds, and an existing activity's own even if archived since; an empty
        # first option, so a kind left unchosen is an error rather than the first kind.
        kinds = pair.cohort.shape.activity_kinds.choices(keep=self.instance.kind or None)
        form_field(self, "kind", forms.ChoiceField).choices = [("", "---------"), *kinds]
        self.fields["occurred_on"].error_messages["required"] = "Enter the date of the activity."
        self.fields["hours"].error_messages["required"] = "Enter the hours spent."
        self.fields["kind"].error_messages["required"] = "Choose what kind of activity this was."
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's <form> carries the token

    def clean_occurred_on(self):
        occurred_on = self.cleaned_data["occurred_on"]
        apply_rule(self, rules.check_activity_date, occurred_on, timezone.localdate())
        return occurred_on

    def clean_hours(self):
        hours = self.cleaned_data["hours"]
        if hours <= 0:
            raise forms.ValidationError(HOURS_NOT_POSITIVE)
        if hours > Decimal("24"):
            raise forms.ValidationError(HOURS_OVER_A_DAY)
        return hours
