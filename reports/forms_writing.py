"""Forms facilitators write the report's findings, framings, references and case studies with."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from django import forms

from cohorts.models import Cohort, Event, Finding, Membership
from outputs.models import Output
from programme.models import User

from .models import CaseStudy, Reference, ReportPart

CITE_HELP = (
    "Markdown. Cite evidence where it supports a sentence: [[insight:12]] for a quote, [[ref:3]] for a publication "
    "(the lists beside the editor insert them). Each becomes a numbered footnote."
)


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    return helper


class VersionedForm(forms.Form):
    """Carries the version of the text the writer opened, so a save over someone else's is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class FramingForm(VersionedForm):
    framing = forms.CharField(
        label="What do we mean by this question?",
        widget=forms.Textarea(attrs={"rows": 10}),
        required=False,
        help_text=CITE_HELP,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class FindingCreateForm(forms.Form):
    title = forms.CharField(max_length=200, help_text='The answer, e.g. "Match your engagement methods to your aims".')

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class CaseStudyChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: CaseStudy) -> str:
        return f"Case study {obj.order}: {obj.title}"


class FindingForm(VersionedForm):
    title = forms.CharField(max_length=200)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 18}), required=False, help_text=CITE_HELP)
    case_studies = CaseStudyChoiceField(
        queryset=CaseStudy.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Case studies shown after this finding",
        help_text="A case study shows after one finding: choosing it here moves it from another.",
    )

    def __init__(self, *args: Any, cohort: Cohort, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case_studies"].queryset = CaseStudy.objects.for_cohort(cohort).in_order()  # type: ignore[attr-defined]
        self.helper = _helper()


class ReferenceForm(forms.ModelForm):
    class Meta:
        model = Reference
        fields = ["author", "title", "publisher", "year", "url"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class CaseStudyForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    class Meta:
        model = CaseStudy
        fields = [
            "title",
            "origin",
            "stage",
            "finding",
            "part",
            "output",
            "event",
            "credited_people",
            "credited_others",
            "summary",
            "body",
        ]
        widgets = {"body": forms.Textarea(attrs={"rows": 14}), "credited_people": forms.CheckboxSelectMultiple}
        labels = {
            "finding": "Shown after the finding",
            "part": "Or after the Section 2 sub-section",
            "output": "Pair output it comes from",
            "event": "Event it comes from",
            "credited_people": "Credited to (members and staff)",
            "credited_others": "Also credited to (guests or organisations)",
            "stage": "Marked as",
        }
        help_texts = {"body": CITE_HELP}

    def __init__(self, *args: Any, cohort: Cohort, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.cohort = cohort
        fields = self.fields
        fields["finding"].queryset = Finding.objects.filter(question__cohort=cohort).order_by(  # type: ignore[attr-defined]
            "question__order", "order"
        )
        fields["part"].queryset = ReportPart.objects.filter(  # type: ignore[attr-defined]
            cohort=cohort, kind=ReportPart.Kind.SUBSECTION
        ).order_by("order")
        fields["output"].queryset = (  # type: ignore[attr-defined]
            Output.objects.current().for_cohort(cohort).select_related("pair").order_by("title")
        )
        fields["event"].queryset = Event.objects.for_cohort(cohort).order_by("starts_at")  # type: ignore[attr-defined]
        people = Membership.objects.for_cohort(cohort).values("user")
        staff_and_members = User.objects.filter(pk__in=people) | User.objects.filter(facilitated_cohorts=cohort)
        fields["credited_people"].queryset = staff_and_members.distinct().order_by("full_name")  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial["version"] = self.instance.version
        self.helper = _helper()
