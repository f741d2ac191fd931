from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

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


def accessibility_statement(request: HttpRequest) -> HttpResponse:
    """The accessibility statement, in the form GOV.UK recommends for public sector websites."""
    context = {
        "contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
        "prepared_on": settings.ACCESSIBILITY_STATEMENT_PREPARED_ON,
    }
    return render(request, "programme/accessibility.html", context)
