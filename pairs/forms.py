"""Forms of the pair pages. Business rules stay in pairs.services; these only shape input."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms

from .models import StepProgress


class StepProgressForm(forms.Form):
    """A step's status and summary, carrying the version the editor opened (for stale-edit checks)."""

    status = forms.ChoiceField(choices=StepProgress.Status.choices)
    summary = forms.CharField(
        label="Summary of what you found",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Write this before marking the step done.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    @classmethod
    def for_progress(cls, progress: StepProgress, data: Mapping[str, Any] | None = None) -> StepProgressForm:
        """The form of one step, prefixed so the forms of every step on a page keep distinct ids."""
        return cls(
            data,
            prefix=f"step{progress.step}",
            initial={"status": progress.status, "summary": progress.summary, "version": progress.version},
        )
