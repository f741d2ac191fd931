"""{{ row_url|for_row:key }}: a row's link from a programme.row_urls.RowUrl the view built once."""

from __future__ import annotations

from django import template

from programme.row_urls import RowUrl

register = template.Library()


@register.filter
def for_row(row_url: RowUrl, key: int | str) -> str:
    return row_url(key)
