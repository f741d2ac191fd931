"""Sign-in throttling (django-axes): who is signing in, from where, and what a locked-out person sees."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

LOCKED_OUT = "Too many failed sign-ins. For your security, signing in is paused."


def normalised_username(request: HttpRequest, credentials: dict | None = None) -> str:
    """The email typed into the sign-in form, as stored: one counter per account whatever its case."""
    source = credentials if credentials else getattr(request, "data", request.POST)
    return str(source.get(settings.AXES_USERNAME_FORM_FIELD) or "").strip().lower()


def client_ip_address(request: HttpRequest) -> str:
    """The client's address: the connecting one, or behind TRUSTED_PROXY_COUNT proxies the address the
    outermost trusted proxy put in X-Forwarded-For. Entries further left are the client's to forge."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [item.strip() for item in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if item.strip()]
    if len(forwarded) < proxies:
        return remote
    return forwarded[-proxies]


def locked_out_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """A page in the site's look saying when the person may try again (each failure restarts the wait)."""
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request)
    context = {
        "message": LOCKED_OUT,
        "try_again_at": timezone.now() + cool_off if cool_off else None,
    }
    return render(
        request, "registration/locked_out.html", context, status=getattr(settings, "AXES_HTTP_RESPONSE_CODE", 429)
    )
