"""The public library's rendered listing, kept per query string until anything it shows changes.

Every visitor, signed in or not, sees the same listing for the same query string (the page around it, with
its navigation, is rendered per request). So each web process keeps the listings it rendered in the
`library_html` cache under the library's version number, which lives in the database (LibraryVersion): a
change made through one process is seen by every other at once, at the cost of one small query per page.

The number goes up after any write to a row the listing shows: outputs, their pairs and pair members, the
members' memberships, people and organisations, and the cohorts, programmes and questions. Signals, as a
cache's invalidation must see every path that writes these rows (services, the admin, imports, erasure);
bulk loads that bypass them call `library_changed()` themselves, and kept pages also expire after a while.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.core.cache import caches
from django.db import transaction
from django.db.models import F, Model
from django.db.models.signals import post_delete, post_save
from django.http import QueryDict
from django.utils.safestring import SafeString, mark_safe

from .models import LibraryVersion

CACHE = "library_html"


def library_version() -> int:
    """The current version number (0 before anything has changed)."""
    return LibraryVersion.objects.filter(pk=1).values_list("number", flat=True).first() or 0


def library_changed() -> None:
    """Count a change to what the library shows, once the current transaction commits (at once outside one):
    a page rendered meanwhile from the old rows is kept under the old number, which nobody asks for again."""
    transaction.on_commit(_next_version)


def _next_version() -> None:
    if not LibraryVersion.objects.filter(pk=1).update(number=F("number") + 1):
        LibraryVersion.objects.get_or_create(pk=1, defaults={"number": 1})


def cached_listing(params: QueryDict, render: Callable[[], str]) -> SafeString:
    """The listing for these query parameters: kept, or rendered by `render` and kept."""
    query = hashlib.sha256(params.urlencode().encode()).hexdigest()
    key = f"library:{library_version()}:{query}"
    cache = caches[CACHE]
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, str(html))
    return mark_safe(html)  # noqa: S308 - our own rendered template, kept as it was rendered


def _changed(sender: type[Model], **kwargs: Any) -> None:
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # a sign-in, which the library does not show
    library_changed()


def watch(*models: type[Model]) -> None:
    """Count every save and delete of these models as a change to the library."""
    for model in models:
        post_save.connect(_changed, sender=model, dispatch_uid=f"library-{model._meta.label}-save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"library-{model._meta.label}-delete")
