"""The form facilitators write the year-end report's narrative in."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.html import escape

from .building import default_title
from .models import YearEndReport
from .services import draft_marker

MARKDOWN_HELP = (
    "Markdown: ## headings, **bold**, *italics*, - bullet lists, > quotations, [links](https://…). "
    "Cite a quote as [[insight:12]] or a publication as [[ref:3]] (their numbers are on the insights and "
    "references pages): each becomes a numbered footnote."
)


class ReportNarrativeForm(forms.ModelForm):
    """Title and the four narrative sections; `based_on` carries the draft the writer opened."""

    based_on = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = YearEndReport
        fields = ["title", "executive_summary", "introduction", "lessons", "conclusion"]
        widgets = {
            "executive_summary": forms.Textarea(attrs={"rows": 10}),
            "introduction": forms.Textarea(attrs={"rows": 10}),
            "lessons": forms.Textarea(attrs={"rows": 10}),
            "conclusion": forms.Textarea(attrs={"rows": 8}),
        }
        labels = {
            "title": "Title",
            "executive_summary": "Executive summary",
            "introduction": "Introduction",
            "lessons": "Lessons",
            "conclusion": "Conclusion",
        }
        help_texts = {
            "executive_summary": MARKDOWN_HELP,
            "introduction": MARKDOWN_HELP,
            "lessons": "What you learned about running the programme. " + MARKDOWN_HELP,
            "conclusion": MARKDOWN_HELP,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["based_on"] = draft_marker(self.instance)
        # crispy-forms shows help text as HTML: escape the programme's name.
        self.fields["title"].help_text = escape(f"Leave blank for “{default_title(self.instance.cohort)}”.")
        self.helper = FormHelper()
        self.helper.form_tag = False
