"""Searching published outputs: PostgreSQL full-text search with ranking, a plain substring search elsewhere."""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

from .models import Output, OutputQuerySet

SEARCH_CONFIG = "english"


def search_document() -> RawSQL:
    """The stored tsvector PostgreSQL keeps for each output (migration 0003: title A, summary B, body C)."""
    column = f'"{Output._meta.db_table}"."search_document"'
    return RawSQL(column, (), output_field=SearchVectorField())  # noqa: S611 - a constant column name


def search_outputs(outputs: OutputQuerySet, text: str) -> OutputQuerySet:
    """Outputs matching the words typed, best matches first."""
    text = text.strip()
    if not text:
        return outputs
    if connection.vendor == "postgresql":
        query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
        document = search_document()
        return (
            outputs.alias(search=document)
            .annotate(rank=SearchRank(document, query))
            .filter(search=query)
            .order_by("-rank", "-published_at", "-pk")
        )
    for word in text.split():
        outputs = outputs.filter(Q(title__icontains=word) | Q(summary__icontains=word) | Q(body__icontains=word))
    return outputs
