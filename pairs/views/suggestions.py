"""Group suggestions for a cohort's unpaired members: the facilitator accepts all, some or none."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cohorts.permissions import get_cohort_for_staff
from programme.typing import AuthenticatedHttpRequest

from ..suggestions import suggest_pairs, suggestions_accept


@login_required
def suggestion_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The suggested groups with their scores and reasons, and who is left without a group."""
    cohort = get_cohort_for_staff(request.user, pk)
    context = {"cohort": cohort, "result": suggest_pairs(cohort), "today": timezone.localdate()}
    return render(request, "pairs/facilitate/suggestions.html", context)


@login_required
@require_POST
def suggestion_accept(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Form the chosen suggested groups, all in one transaction."""
    cohort = get_cohort_for_staff(request.user, pk)
    try:
        pairs = suggestions_accept(
            cohort=cohort, keys=request.POST.getlist("accept"), on=timezone.localdate(), by=request.user
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("pairs:suggestions", pk=cohort.pk)
    shape = cohort.shape
    names = "; ".join(f"{shape.group_word} {pair.number} ({pair.member_names()})" for pair in pairs)
    word = shape.group_word if len(pairs) == 1 else shape.group_word_plural
    messages.success(request, f"Formed {len(pairs)} {word}: {names}.")
    return redirect("pairs:cohort-overview", pk=cohort.pk)
