"""Correcting and deleting a cohort's insights, for its staff: every change is kept in the insight's history."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from programme.forms import add_service_error
from programme.typing import AuthenticatedHttpRequest

from ..models import Cohort, Insight, Question, number_insight_events
from ..permissions import get_cohort_for_staff
from ..services import insight_delete, insight_update


class InsightEditForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), label="What was said or learned")
    question = forms.ModelChoiceField(queryset=Question.objects.none(), required=False)
    group_attribution = forms.CharField(
        max_length=150,
        required=False,
        help_text=Insight._meta.get_field("group_attribution").help_text
        + " Leave blank to cite the person, anonymised unless they agreed to be named.",
    )

    def __init__(self, *args: Any, cohort: Cohort, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["question"].queryset = Question.objects.filter(cohort=cohort).order_by("order")  # type: ignore[attr-defined]
        self.helper = FormHelper()
        self.helper.form_tag = False


def _insight_for(cohort: Cohort, pk: int) -> Insight:
    insight = get_object_or_404(Insight.objects.with_attribution(), pk=pk, cohort=cohort)
    number_insight_events([insight])
    return insight


@login_required
@require_http_methods(["GET", "POST"])
def insight_edit(request: AuthenticatedHttpRequest, cohort_pk: int, pk: int) -> HttpResponse:
    cohort = get_cohort_for_staff(request.user, cohort_pk)
    insight = _insight_for(cohort, pk)
    initial = {"text": insight.text, "question": insight.question, "group_attribution": insight.group_attribution}
    form = InsightEditForm(request.POST or None, initial=initial, cohort=cohort)
    if request.method == "POST" and form.is_valid():
        try:
            insight_update(insight=insight, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Insight saved; its earlier wording is kept in its history.")
            return redirect("cohorts:insight-list", cohort_pk=cohort.pk)
    history = insight.history.select_related("history_user")[:10]
    return render(
        request, "cohorts/insight_edit.html", {"cohort": cohort, "insight": insight, "form": form, "history": history}
    )


@login_required
@require_http_methods(["GET", "POST"])
def insight_remove(request: AuthenticatedHttpRequest, cohort_pk: int, pk: int) -> HttpResponse:
    cohort = get_cohort_for_staff(request.user, cohort_pk)
    insight = _insight_for(cohort, pk)
    if request.method == "POST":
        insight_delete(insight=insight, by=request.user)
        messages.success(request, "Insight deleted. Any citation of it in the report now prints nothing.")
        return redirect("cohorts:insight-list", cohort_pk=cohort.pk)
    return render(request, "cohorts/insight_confirm_delete.html", {"cohort": cohort, "insight": insight})
