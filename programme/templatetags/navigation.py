"""Render what higher apps registered in programme.navigation: {% page_links %}, {% page_panels %}, {% destination_url %}."""

from __future__ import annotations

from typing import Any, cast

from django import template
from django.template.context import Context
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from programme import navigation

register = template.Library()


def _flat(context: Context) -> dict[str, Any]:
    """The page's template context as one mapping, for the registered callables to read."""
    return cast(dict[str, Any], context.flatten())


@register.simple_tag(takes_context=True)
def page_links(context: Context, slot: str) -> list[navigation.ResolvedLink]:
    """{% page_links "cohort-staff-actions" as links %}: the slot's links for this page, in order."""
    return navigation.links(slot, _flat(context))


@register.simple_tag(takes_context=True)
def page_panels(context: Context, slot: str) -> SafeString:
    """{% page_panels "slot" %}: each registered panel's template, rendered with its own context."""
    flat = _flat(context)
    request = flat.get("request")
    rendered = [
        render_to_string(panel.template_name, {**flat, **panel.context}, request=request)
        for panel in navigation.panels(slot, flat)
    ]
    return mark_safe("".join(rendered))  # noqa: S308 - templates rendered with autoescaping


@register.simple_tag
def destination_url(name: str) -> str:
    """{% destination_url "member-home" %}: the page a destination leads to."""
    return navigation.destination_url(name)
