"""A pair's private notes: staff give a reason to read them, and the pair sees who has read them and why."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from programme.forms import add_service_error
from programme.typing import AuthenticatedHttpRequest

from .. import services
from ..models import PrivateNotesReading
from ..permissions import (
    can_see_notes_readings,
    get_pair_for_user,
    has_current_notes_reading,
    must_give_reason_for_notes,
)
from ..rules import NOTES_READING_NEEDS_REASON

READINGS_PER_PAGE = 20
NOTES_OPENED = "Your reading is logged and shown to the pair. The private notes are shown for the next hour."


class NotesReadingForm(forms.Form):
    reason = forms.CharField(
        label="Why do you need to read them?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text="The pair sees your name, the time and this reason.",
        error_messages={"required": NOTES_READING_NEEDS_REASON},
    )


@login_required
@require_http_methods(["GET", "POST"])
def private_notes(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Who has read the pair's private notes; for the cohort's staff, the form to read them with a reason."""
    pair = get_pair_for_user(request.user, pk)
    if not can_see_notes_readings(request.user, pair):
        raise Http404("No such pair")
    asks_reason = must_give_reason_for_notes(request.user, pair)
    form = NotesReadingForm(request.POST or None) if asks_reason else None
    if request.method == "POST":
        if form is None:
            raise Http404("Members of the pair read its notes on the activity log")
        if form.is_valid():
            try:
                services.private_notes_reading_log(pair=pair, reader=request.user, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, NOTES_OPENED)
                return redirect("pairs:activity-list", pk=pair.pk)
    readings = Paginator(PrivateNotesReading.objects.for_pair(pair).newest_first(), READINGS_PER_PAGE)
    context = {
        "pair": pair,
        "form": form,
        "reading_open": asks_reason and has_current_notes_reading(request.user, pair),
        "page": readings.get_page(request.GET.get("page")),
    }
    status = 400 if form is not None and form.is_bound else 200
    return render(request, "pairs/private_notes.html", context, status=status)
