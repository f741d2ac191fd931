"""Forms for outputs: writing one, and sending one back to its pair with a comment."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from django import forms
from django.core.files.uploadedfile import UploadedFile

from cohorts.models import Question
from pairs.models import LearningPair
from programme.typing import form_field

from .models import Output
from .rules import LINK_NOT_HTTP, SEND_BACK_NEEDS_COMMENT, http_link_validator
from .validators import FILE_CHOOSE_AGAIN, validate_output_file

TITLE_REQUIRED = "Give the output a title."
KIND_REQUIRED = "Choose what kind of output this is."


class HttpURLField(forms.URLField):
    """A web address: http or https only."""

    default_validators = [http_link_validator]


class OutputForm(forms.ModelForm):
    """An output's text, file and link. The question is limited to the pair's cohort."""

    link = HttpURLField(
        required=False,
        assume_scheme="https",
        error_messages={"invalid": LINK_NOT_HTTP},
        help_text="A web page where the output lives (a video, a blog post), if it has one.",
    )

    class Meta:
        model = Output
        fields = ["kind", "title", "summary", "body", "file", "link", "due_on", "question", "visibility"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 12}),
            "due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "visibility": forms.RadioSelect,
        }
        labels = {
            "kind": "What kind of output",
            "summary": "Summary",
            "body": "The output itself",
            "file": "File",
            "due_on": "Due date",
            "question": "The question it answers",
            "visibility": "Who can see it",
        }
        help_texts = {
            "summary": "Two or three sentences for the library and the year-end report. Needed before review.",
            "body": "Write in Markdown: ## headings, **bold**, - lists, [links](https://…).",
            "file": "PDF, Word, PowerPoint, an image or an MP4 video.",
            "visibility": "Public outputs appear in the public library once a facilitator publishes them.",
        }

    def __init__(self, *args: Any, pair: LearningPair, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pair = pair
        question = form_field(self, "question", forms.ModelChoiceField)
        question.queryset = Question.objects.filter(cohort_id=pair.cohort_id).order_by("order")
        question.empty_label = "Not linked to a question"
        self.fields["question"].error_messages["invalid_choice"] = "Choose one of your cohort's questions."
        self.fields["title"].error_messages["required"] = TITLE_REQUIRED
        self.fields["kind"].error_messages["required"] = KIND_REQUIRED
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            validate_output_file(upload)
        return upload

    def _post_clean(self) -> None:
        # Model rules run in the services; the form checks only what was typed.
        pass

    def full_clean(self) -> None:
        super().full_clean()
        # A browser never re-sends a file, so say so whenever a chosen file is about to be dropped.
        if self.is_bound and self.errors and self.files.get("file"):
            self.add_file_hint()

    def add_file_hint(self) -> None:
        errors = self.errors.setdefault("file", self.error_class())
        if FILE_CHOOSE_AGAIN not in errors:
            errors.append(FILE_CHOOSE_AGAIN)
        self.cleaned_data.pop("file", None)

    def service_kwargs(self) -> dict[str, Any]:
        """The cleaned fields as keyword arguments for output_create / output_update."""
        data = {name: self.cleaned_data[name] for name in self.Meta.fields if name != "file"}
        data["link"] = data["link"] or ""
        upload = self.cleaned_data.get("file")
        data["file"] = upload if isinstance(upload, UploadedFile) else None
        if upload is False:
            data["clear_file"] = True
        return data


class SendBackForm(forms.Form):
    comment = forms.CharField(
        label="What should the pair change?",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": SEND_BACK_NEEDS_COMMENT},
        help_text="The pair sees this comment on their output.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
