"""The form facilitators write the year-end report's narrative in."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.html import escape

from .building import default_title
from .data import SECTION_ONE_TITLE, SECTION_TWO_TITLE
from .models import YearEndReport
from .services import REPORT_FIELDS, draft_marker

MARKDOWN_HELP = (
    "Markdown: ## headings, **bold**, *italics*, - bullet lists, > quotations, [links](https://…). "
    "Cite a quote as [[insight:12]] or a publication as [[ref:3]] (their numbers are on the insights and "
    "references pages): each becomes a numbered footnote."
)


class ReportNarrativeForm(forms.ModelForm):
    """The cover, front matter and every narrative section; `based_on` carries the draft the writer opened."""

    based_on = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = YearEndReport
        fields = list(REPORT_FIELDS)
        widgets = {
            name: forms.Textarea(attrs={"rows": 6})
            for name in REPORT_FIELDS
            if name not in ("title", "published_on", "section_one_title", "section_two_title")
        } | {"authors": forms.Textarea(attrs={"rows": 2}), "published_on": forms.DateInput(attrs={"type": "date"})}
        labels = {
            "title": "Title",
            "authors": "Authors",
            "published_on": "Publication date",
            "about_authors": "About the authors",
            "acknowledgements": "Acknowledgements",
            "executive_summary": "Executive summary: introduction",
            "introduction": "Introduction",
            "background": "Introduction: background to the programme",
            "this_report": "Introduction: this report",
            "section_one_title": "Section 1: title",
            "section_one_intro": "Section 1: opening",
            "selection_criteria": "Section 1: how this year's questions were chosen (the criteria)",
            "section_two_title": "Section 2: title",
            "section_two_intro": "Section 2: opening",
            "lessons": "Section 2: opening of the lessons",
            "conclusion": "Conclusion",
        }
        help_texts = {
            name: MARKDOWN_HELP
            for name in REPORT_FIELDS
            if name not in ("title", "authors", "published_on", "section_one_title", "section_two_title")
        } | {
            "executive_summary": "Each question's findings follow it, listed with their first sentence. "
            + MARKDOWN_HELP,
            "background": "The partners and the previous cohort's disconnects (as a figure) follow it. "
            + MARKDOWN_HELP,
            "selection_criteria": "Each question, with the disconnects it came from, and the refining steps follow it. "
            + MARKDOWN_HELP,
            "lessons": "The numbered lessons follow it (written on the Section 2 page). " + MARKDOWN_HELP,
            "authors": "One name a line. Leave blank for the cohort's facilitators.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["based_on"] = draft_marker(self.instance)
        # crispy-forms shows help text as HTML: escape the programme's name.
        cohort = self.instance.cohort
        self.fields["title"].help_text = escape(f"Leave blank for “{default_title(cohort)}”.")
        self.fields["published_on"].help_text = escape(f"Leave blank for the cohort's end, {cohort.ends_on:%-d %B %Y}.")
        self.fields["section_one_title"].help_text = escape(f"Leave blank for “{SECTION_ONE_TITLE}”.")
        self.fields["section_two_title"].help_text = escape(f"Leave blank for “{SECTION_TWO_TITLE}”.")
        self.helper = FormHelper()
        self.helper.form_tag = False
