"""Searching published outputs: PostgreSQL full-text search with ranking, a plain substring search elsewhere."""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Q

from .models import OutputQuerySet

SEARCH_CONFIG = "english"


def search_vector() -> SearchVector:
    """Title weighs most, then summary, then body. The GIN index (migration 0003) is built on this expression."""
    return (
        SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("summary", weight="B", config=SEARCH_CONFIG)
        + SearchVector("body", weight="C", config=SEARCH_CONFIG)
    )


def search_outputs(outputs: OutputQuerySet, text: str) -> OutputQuerySet:
    """Outputs matching the words typed, best matches first."""
    text = text.strip()
    if not text:
        return outputs
    if connection.vendor == "postgresql":
        query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
        vector = search_vector()
        return (
            outputs.annotate(search=vector, rank=SearchRank(vector, query))
            .filter(search=query)
            .order_by("-rank", "-published_at", "-pk")
        )
    for word in text.split():
        outputs = outputs.filter(Q(title__icontains=word) | Q(summary__icontains=word) | Q(body__icontains=word))
    return outputs
