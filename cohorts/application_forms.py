"""Forms of recruitment: the public call for applications, reviewers' notes and the selection filters."""

from __future__ import annotations

from typing import Any

from django import forms

from programme.models import Organisation, PolicyArea, SectorCode

from .models import Application, Cohort, Side
from .rules import ORGANISATION_REQUIRED, SECTOR_REQUIRED

SIDE_FOR_APPLICANTS = [
    (Side.POLICYMAKER, "I work on policy in central government (a policymaker)"),
    (
        Side.PRACTITIONER,
        "I work in frontline practice: a charity, community group, local authority or public service (a practitioner)",
    ),
]


class ApplicationForm(forms.Form):
    full_name = forms.CharField(
        label="Your full name", max_length=150, widget=forms.TextInput({"autocomplete": "name"})
    )
    email = forms.EmailField(
        label="Your email address",
        help_text="We will write to you here, and you would sign in with it.",
        widget=forms.EmailInput({"autocomplete": "email"}),
    )
    organisation = forms.ModelChoiceField(
        label="Your organisation",
        queryset=Organisation.objects.order_by("name"),
        required=False,
        empty_label="Not in the list",
    )
    organisation_name = forms.CharField(
        label="If your organisation is not in the list, its name",
        max_length=200,
        required=False,
        widget=forms.TextInput({"autocomplete": "organization"}),
    )
    sector = forms.ChoiceField(
        label="If you typed its name, which sector is your organisation in?",
        choices=SectorCode.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    side = forms.ChoiceField(label="Which describes your work?", choices=SIDE_FOR_APPLICANTS, widget=forms.RadioSelect)
    job_title = forms.CharField(
        label="Your job title", max_length=150, widget=forms.TextInput({"autocomplete": "organization-title"})
    )
    interests = forms.ModelMultipleChoiceField(
        label="Policy areas you work on or care about",
        queryset=PolicyArea.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    motivation = forms.CharField(
        label="What do you want to get out of the programme?",
        max_length=4000,
        widget=forms.Textarea({"rows": 5}),
    )
    # A honeypot: hidden from people (and from assistive technology), but bots fill every field.
    website = forms.CharField(
        label="Leave this empty",
        required=False,
        widget=forms.TextInput({"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, cohort: Cohort, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.extra_questions = cohort.extra_questions()
        for index, question in enumerate(self.extra_questions):
            self.fields[f"extra_{index}"] = forms.CharField(
                label=question, max_length=4000, widget=forms.Textarea({"rows": 3})
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("organisation"):
            if not (data.get("organisation_name") or "").strip():
                self.add_error("organisation", ORGANISATION_REQUIRED)
            elif not data.get("sector"):
                self.add_error("sector", SECTOR_REQUIRED)
        return data

    @property
    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("website"))

    def submit_fields(self) -> dict[str, Any]:
        """What application_submit takes, from the cleaned data."""
        data = self.cleaned_data
        return {
            "full_name": data["full_name"],
            "email": data["email"],
            "organisation": data["organisation"],
            "organisation_name": data["organisation_name"],
            "sector": data["sector"],
            "side": data["side"],
            "job_title": data["job_title"],
            "interests": data["interests"],
            "motivation": data["motivation"],
            "answers": [
                {"question": question, "answer": data[f"extra_{index}"]}
                for index, question in enumerate(self.extra_questions)
            ],
        }

    def visible_without_honeypot(self) -> list[forms.BoundField]:
        return [field for field in self.visible_fields() if field.name != "website"]


class ReviewerNotesForm(forms.Form):
    notes = forms.CharField(
        label="Reviewer notes",
        required=False,
        max_length=10000,
        widget=forms.Textarea({"rows": 5}),
        help_text="Seen only by the cohort's facilitators and the programme managers.",
    )


DECISION_CHOICES = [
    (Application.Status.SHORTLISTED, "Shortlist"),
    (Application.Status.ACCEPTED, "Accept"),
    (Application.Status.WAITLISTED, "Waitlist"),
    (Application.Status.DECLINED, "Decline"),
]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=DECISION_CHOICES)


class ApplicationFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Status", choices=[("", "Any status"), *Application.Status.choices], required=False
    )
    side = forms.ChoiceField(label="Side", choices=[("", "Either side"), *Side.choices], required=False)
    sector = forms.ChoiceField(label="SectorCode", choices=[("", "Any sector"), *SectorCode.choices], required=False)
    department = forms.ModelChoiceField(
        label="Department", queryset=Organisation.objects.none(), required=False, empty_label="Any department"
    )

    def __init__(self, *args: Any, cohort: Cohort, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        departments = Organisation.objects.filter(sector=SectorCode.CENTRAL_GOVERNMENT)
        department = self.fields["department"]
        assert isinstance(department, forms.ModelChoiceField)
        department.queryset = (
            (departments.filter(applications__cohort=cohort) | departments.filter(targeted_by_cohorts=cohort))
            .distinct()
            .order_by("name")
        )
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"

    def apply(self, applications: Any) -> Any:
        if not self.is_valid():
            return applications
        data = self.cleaned_data
        if data["status"]:
            applications = applications.filter(status=data["status"])
        if data["side"]:
            applications = applications.filter(side=data["side"])
        if data["sector"]:
            applications = applications.filter(sector=data["sector"])
        if data["department"]:
            applications = applications.filter(organisation=data["department"])
        return applications
