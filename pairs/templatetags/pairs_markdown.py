from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from programme.markdown import render

register = template.Library()


@register.filter
def markdown(text: str) -> SafeString:
    """Markdown, sanitised by the same rules as outputs."""
    return render(text)
