"""A pair's workspace: its members and the four refining steps."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ..models import LearningPair
from ..permissions import get_pair_for_user


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A pair's page: members and the four refining steps."""
    pair = get_pair_for_user(request.user, pk)
    pair = (
        LearningPair.objects.filter(pk=pair.pk)
        .select_related("cohort", "question")
        .with_current_members()
        .with_progress()
        .get()
    )
    return render(request, "pairs/detail.html", {"pair": pair, "steps": sorted(pair.steps.all(), key=lambda s: s.step)})
