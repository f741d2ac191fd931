"""Types shared by every app: the signed-in request, and form fields by their class."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from .models import User


class AuthenticatedHttpRequest(HttpRequest):
    """A request behind `login_required`: its user is a signed-in `User`, never anonymous.

    `htmx` is set on every request by django-htmx's middleware.
    """

    user: User
    htmx: HtmxDetails


def form_field[FieldT: forms.Field](form: forms.BaseForm, name: str, kind: type[FieldT]) -> FieldT:
    """`form.fields[name]` as the field class the form declares for it, to set its queryset or choices."""
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"{type(form).__name__}.{name} is a {type(field).__name__}, not a {kind.__name__}")
    return field
