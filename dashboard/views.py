"""The member's dashboard: the page a participant lands on, gathering from every app."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cohorts.permissions import current_membership
from pairs.models import LearningPair, PairMember


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """A member's landing page: their cohort and their current pair."""
    membership = current_membership(request.user)
    pair = None
    if membership is not None:
        current = PairMember.objects.current().filter(membership=membership).first()
        if current is not None:
            pair = LearningPair.objects.filter(pk=current.pair_id).with_current_members().with_progress().get()
    return render(request, "dashboard/home.html", {"membership": membership, "pair": pair})
