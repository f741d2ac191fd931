"""Forms for scheduling events, replying, the attendance register, guests and insights."""

from __future__ import annotations

from typing import Any

from django import forms

from programme.forms import apply_rule
from programme.typing import form_field

from . import rules
from .models import Attendance, Cohort, Event, ExternalGuest, Insight, Membership

GUEST_NEEDS_NAME = "Give the guest's name."

_DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class EventForm(forms.ModelForm):
    """Times are entered and shown in London time (the project's TIME_ZONE)."""

    class Meta:
        model = Event
        fields = ["kind", "title", "topic", "question", "starts_at", "ends_at", "length_days", "place", "description"]
        labels = {
            "question": "The question it serves",
            "starts_at": "Starts (London time)",
            "ends_at": "Ends (London time)",
            "length_days": "Length in days",
        }
        widgets = {
            "starts_at": _DATETIME_INPUT,
            "ends_at": _DATETIME_INPUT,
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, cohort: Cohort, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.cohort = cohort
        # The cohort's programme's current event kinds (and an existing event's own, even if archived since).
        kinds = cohort.shape.event_kinds
        form_field(self, "kind", forms.ChoiceField).choices = kinds.choices(keep=self.instance.kind or None)
        if not self.instance.pk and self.instance.kind not in kinds.codes() and kinds.current():
            self.initial["kind"] = kinds.current()[0].code
        form_field(self, "question", forms.ModelChoiceField).queryset = cohort.questions.all()
        for name in ("starts_at", "ends_at"):
            form_field(self, name, forms.DateTimeField).input_formats = [
                "%Y-%m-%dT%H:%M",
                "%Y-%m-%d %H:%M",
                "%Y-%m-%d %H:%M:%S",
            ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        apply_rule(self, rules.check_event_times, data.get("starts_at"), data.get("ends_at"))
        return data


class ReplyForm(forms.Form):
    status = forms.ChoiceField(
        choices=[(Attendance.Status.ACCEPTED, "I'll be there"), (Attendance.Status.APOLOGIES, "Send apologies")]
    )


class GuestForm(forms.ModelForm):
    class Meta:
        model = ExternalGuest
        fields = ["name", "organisation", "role"]
        error_messages = {"name": {"required": GUEST_NEEDS_NAME}}

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(GUEST_NEEDS_NAME)
        return name


class AttendanceToggleForm(forms.Form):
    attended = forms.BooleanField(required=False)


class RegisterForm(forms.Form):
    """The plain-form fallback of the register: one tick box per current member."""

    attended = forms.TypedMultipleChoiceField(coerce=int, required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, members: list[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "attended", forms.ChoiceField).choices = [(m.pk, m.user.full_name) for m in members]
        self.fields["attended"].error_messages["invalid_choice"] = rules.ATTENDANCE_NOT_MEMBER


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Membership) -> str:
        return f"{obj.user.full_name} ({obj.get_side_display().lower()})"


class GuestChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ExternalGuest) -> str:
        return f"{obj.name}, {obj.role}" if obj.role else obj.name


class InsightForm(forms.ModelForm):
    speaker = MemberChoiceField(queryset=Membership.objects.none(), required=False, label="Said by a member")
    guest = GuestChoiceField(queryset=ExternalGuest.objects.none(), required=False, label="Said by a guest")

    class Meta:
        model = Insight
        fields = ["text", "question", "speaker", "guest", "speaker_agreed_to_be_named"]
        labels = {
            "text": "Insight or quote",
            "question": "The question it answers",
            "speaker_agreed_to_be_named": "The speaker agreed to be named in reports",
        }
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.cohort, self.instance.event = event.cohort, event
        form_field(self, "question", forms.ModelChoiceField).queryset = event.cohort.questions.all()
        self.fields["question"].initial = event.question_id
        form_field(self, "speaker", forms.ModelChoiceField).queryset = (
            Membership.objects.for_cohort(event.cohort).taking_part().select_related("user")
        )
        form_field(self, "guest", forms.ModelChoiceField).queryset = event.guests.all()

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        apply_rule(self, rules.check_one_speaker, data.get("speaker"), data.get("guest"))
        if data.get("speaker_agreed_to_be_named") and not (data.get("speaker") or data.get("guest")):
            self.add_error("speaker_agreed_to_be_named", "Choose who said it before recording their consent.")
        return data


NOT_TIED = "none"  # the insight filter's value for insights tied to no question


class InsightFilterForm(forms.Form):
    """The insights list's filters: one question (or none tied), and words in the insight's text."""

    question = forms.ChoiceField(required=False, label="Question")
    q = forms.CharField(required=False, max_length=200, label="Words")

    def __init__(self, *args: Any, questions: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "question", forms.ChoiceField).choices = [
            ("", "Every question"),
            *((str(question.pk), question.short_title) for question in questions),
            (NOT_TIED, "Not tied to a question"),
        ]
