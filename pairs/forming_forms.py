"""Forms of forming and re-pairing. They shape input; the rules stay in pairs.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import capfirst

from cohorts.models import Cohort, Membership, Question, shape_for_cohort
from programme.forms import RowsChoiceField
from programme.typing import form_field

from .models import LearningPair, PairMember
from .rules import check_group_composition, group_message
from .suggestions import unpaired_members

NEW_PAIR = "new"
TOO_FEW_MEMBERS = (
    "Choose at least {count} members for a {group}, from at least {sides_count} different sides ({sides})."
)


class MembershipChoiceField(RowsChoiceField):
    def label_from_instance(self, obj: Membership) -> str:
        organisation = obj.user.organisation.name if obj.user.organisation is not None else "no organisation"
        return f"{obj.user.full_name} — {obj.get_side_display().lower()}, {organisation}"


class SingleMembershipChoiceField(forms.ModelChoiceField):
    label_from_instance = MembershipChoiceField.label_from_instance


def _dated(label: str) -> forms.DateField:
    return forms.DateField(
        label=label, initial=timezone.localdate, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )


class PairCreateForm(forms.Form):
    members = MembershipChoiceField(
        queryset=Membership.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Unpaired current members of the cohort.",
    )
    question: forms.ModelChoiceField[Question] = forms.ModelChoiceField(queryset=None, required=False)
    angle = forms.CharField(max_length=250, required=False, help_text="The specific angle the pair takes.")
    on = _dated("Formed on")

    def __init__(self, *args: Any, cohort: Cohort, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "members", forms.ModelChoiceField).queryset = (
            unpaired_members(cohort).with_people().order_by("side", "user__full_name")
        )
        form_field(self, "question", forms.ModelChoiceField).queryset = cohort.questions.all()
        self.shape = cohort.shape
        self.fields["angle"].help_text = f"The specific angle the {self.shape.group_word} takes."

    def clean_members(self) -> list[Membership]:
        members = list(self.cleaned_data["members"])
        shape = self.shape
        if len(members) < shape.min_group_size:
            raise ValidationError(
                group_message(TOO_FEW_MEMBERS, shape, count=shape.min_group_size, sides_count=shape.min_sides_per_group)
            )
        check_group_composition(
            sides=[m.side for m in members], organisation_ids=[m.user.organisation_id for m in members], shape=shape
        )
        return members


class MemberAddForm(forms.Form):
    membership = SingleMembershipChoiceField(queryset=Membership.objects.none(), label="Member")
    on = _dated("Joins on")

    def __init__(self, *args: Any, pair: LearningPair, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "membership", forms.ModelChoiceField).queryset = (
            unpaired_members(pair.cohort).with_people().order_by("side", "user__full_name")
        )


class MemberLeaveForm(forms.Form):
    on = _dated("Left on")
    reason = forms.CharField(max_length=250, help_text="Kept in the pair's history.")


class WithdrawForm(forms.Form):
    on = _dated("Withdrew on")
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), help_text="Kept with the membership.")


class MemberMoveForm(forms.Form):
    to_pair = forms.ChoiceField(label="Move to")
    on = _dated("Moves on")
    reason = forms.CharField(max_length=250, required=False, help_text="Kept in the pair's history.")

    def __init__(self, *args: Any, member: PairMember, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        pairs = (
            LearningPair.objects.for_cohort(member.pair.cohort)
            .live()
            .exclude(pk=member.pair_id)
            .with_current_members()
            .order_by("number")
        )
        self.pairs = {str(pair.pk): pair for pair in pairs}
        group = shape_for_cohort(member.pair.cohort_id).group_word
        choices = [(NEW_PAIR, f"A new {group} (forming until others join)")]
        choices += [
            (key, f"{capfirst(group)} {pair.number}: {pair.member_names() or 'no members'}")
            for key, pair in self.pairs.items()
        ]
        form_field(self, "to_pair", forms.ChoiceField).choices = choices

    def destination(self) -> LearningPair | None:
        """The chosen pair, or None for a new pair."""
        return self.pairs.get(self.cleaned_data["to_pair"])
