from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect

from .typing import AuthenticatedHttpRequest


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Send each person to where they work: managers to the admin, facilitators and members to their page."""
    user = request.user
    if user.is_programme_manager:
        return redirect("admin:index")
    # Reverse relation, not an import: this app sits below the cohorts app.
    if user.facilitated_cohorts.exists():
        return redirect("pairs:facilitator-home")
    return redirect("dashboard:home")
