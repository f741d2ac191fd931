"""Pages of the programme itself that anyone may read."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def accessibility_statement(request: HttpRequest) -> HttpResponse:
    """The accessibility statement, in the form GOV.UK recommends for public sector websites."""
    context = {
        "contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
        "prepared_on": settings.ACCESSIBILITY_STATEMENT_PREPARED_ON,
    }
    return render(request, "programme/accessibility.html", context)
