"""Forms for building surveys (staff) and answering them (members)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from programme.forms import apply_rule
from programme.shape import every_programmes_choices
from programme.typing import form_field

from . import rules
from .models import Survey, SurveyAnswer, SurveyQuestion, shape_for_cohort
from .surveys import SCALE_LABELS, answer_value

_DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
_DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


class SurveyForm(forms.ModelForm):
    """Times are entered and shown in London time (the project's TIME_ZONE)."""

    class Meta:
        model = Survey
        fields = ["title", "introduction", "opens_at", "closes_at"]
        labels = {"opens_at": "Opens (London time)", "closes_at": "Closes (London time)"}
        help_texts = {"introduction": "Shown to members above the questions."}
        widgets = {
            "opens_at": _DATETIME_INPUT,
            "closes_at": _DATETIME_INPUT,
            "introduction": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("opens_at", "closes_at"):
            form_field(self, name, forms.DateTimeField).input_formats = _DATETIME_FORMATS

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        apply_rule(self, rules.check_survey_window, data.get("opens_at"), data.get("closes_at"))
        return data

    def _post_clean(self) -> None:
        # The services validate the model; the form only checks its own fields (no duplicate messages).
        pass


def audience_choices_for(survey: Survey | None, *, keep: str | None = None) -> list[tuple[str, str]]:
    """Who a question of this survey can be asked of: all members or one side of the cohort's programme
    (before the survey has a cohort: any programme's sides)."""
    if survey is not None and survey.cohort_id is not None:
        return rules.audience_choices(shape_for_cohort(survey.cohort_id), keep=keep)
    return [(rules.ALL_MEMBERS, rules.ALL_MEMBERS_LABEL)] + [
        (code, rules.SIDE_ONLY_LABEL.format(plural=name)) for code, name in every_programmes_choices("side")
    ]


def narrow_audience(form: forms.ModelForm, survey: Survey | None) -> None:
    """Offer the audience as a choice of the survey's programme's sides; a question keeps its own audience."""
    if survey is None and form.instance.survey_id is not None:
        survey = form.instance.survey
    keep = form.instance.audience if form.instance.pk else None
    form.fields["audience"] = forms.ChoiceField(
        label=form.fields["audience"].label,
        choices=audience_choices_for(survey, keep=keep),
        initial=rules.ALL_MEMBERS,
    )


class SurveyQuestionForm(forms.ModelForm):
    class Meta:
        model = SurveyQuestion
        fields = ["text", "kind", "audience", "choices"]
        labels = {"text": "Question or statement", "kind": "Kind of answer", "audience": "Asked of"}
        help_texts = {
            "text": "For the agreement scale, write a statement: “The programme increased my understanding of "
            "how the other sides work.”",
            "choices": "Single choice only: one option per line, at least two.",
        }
        widgets = {"text": forms.Textarea(attrs={"rows": 2}), "choices": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, survey: Survey | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        narrow_audience(self, survey)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        apply_rule(self, rules.check_choice_options, data.get("kind"), data.get("choices") or "")
        return data

    def _post_clean(self) -> None:
        pass


def _field_name(question: SurveyQuestion) -> str:
    return f"q{question.pk}"


class SurveyAnswerForm(forms.Form):
    """One field per question asked of the member; free text is optional, the rest must be answered."""

    def __init__(
        self, *args: Any, questions: list[SurveyQuestion], answers: Sequence[SurveyAnswer] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        current = {answer.question_id: answer_value(answer) for answer in answers}
        for question in questions:
            field = self._field_for(question)
            value = current.get(question.pk)
            if question.kind == SurveyQuestion.Kind.YES_NO and value is not None:
                value = "yes" if value else "no"
            field.initial = value
            self.fields[_field_name(question)] = field

    @staticmethod
    def _field_for(question: SurveyQuestion) -> forms.Field:
        label, required = question.text, {"required": "Please answer this question."}
        if question.kind == SurveyQuestion.Kind.SCALE:
            return forms.TypedChoiceField(
                label=label,
                choices=list(SCALE_LABELS.items()),
                coerce=int,
                widget=forms.RadioSelect,
                error_messages=required,
            )
        if question.kind == SurveyQuestion.Kind.YES_NO:
            return forms.TypedChoiceField(
                label=label,
                choices=[("yes", "Yes"), ("no", "No")],
                coerce=lambda v: v == "yes",
                widget=forms.RadioSelect,
                error_messages=required,
            )
        if question.kind == SurveyQuestion.Kind.CHOICE:
            options = question.choice_list()
            return forms.ChoiceField(
                label=label, choices=[(o, o) for o in options], widget=forms.RadioSelect, error_messages=required
            )
        return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def answers(self) -> dict[int, Any]:
        """Question id -> value, for survey_response_save."""
        return {question.pk: self.cleaned_data.get(_field_name(question)) for question in self.questions}
