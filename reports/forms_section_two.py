"""Forms for Section 2 of the report: its sub-sections and lessons, the survey evidence chosen, uploaded figures."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from django import forms

from cohorts.models import SurveyQuestion

from .forms_writing import CITE_HELP
from .models import ReportPart, SurveyEvidence
from .rules import FIGURE_MAX_BYTES

FIGURE_HELP = "Place it in any text of the report as [[figure:N]] (N is shown once uploaded): it is numbered with the other figures."


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    return helper


class ReportPartForm(forms.ModelForm):
    class Meta:
        model = ReportPart
        fields = ["kind", "title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 12})}
        labels = {"kind": "A sub-section or a lesson"}
        help_texts = {
            "title": 'e.g. "Why connect people across sectors?" or "Give participants clear tasks and '
            'deadlines" (lessons are numbered for you).',
            "body": CITE_HELP + " " + FIGURE_HELP,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class EvidenceQuestionField(forms.ModelChoiceField):
    def label_from_instance(self, obj: SurveyQuestion) -> str:
        return f"{obj.survey.cohort.name} · {obj.survey.title}: {obj.text}"


class SurveyEvidenceForm(forms.Form):
    question = EvidenceQuestionField(queryset=SurveyQuestion.objects.none(), label="Survey question")
    breakdown = forms.ChoiceField(
        choices=SurveyEvidence.Breakdown.choices,
        initial=SurveyEvidence.Breakdown.OVERALL,
        label="Print it",
        help_text="Once: for everyone who answered, or for each side. Fewer than 5 answers print a count and no "
        "percentage.",
    )

    def __init__(self, *args: Any, questions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["question"].queryset = questions  # type: ignore[attr-defined]
        self.helper = _helper()


class ReportFigureForm(forms.Form):
    caption = forms.CharField(max_length=200, help_text='Printed after its number: "Figure 3: <caption>".')
    description = forms.CharField(
        max_length=500, label="What it shows", help_text="For readers who cannot see the image (its alternative text)."
    )
    image = forms.FileField(help_text=f"A PNG or JPEG of at most {FIGURE_MAX_BYTES // (1024 * 1024)} MB. {FIGURE_HELP}")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper()
