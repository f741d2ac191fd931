"""Searching published outputs: their title, summary, body, who made them, their organisations and the question.

On PostgreSQL a stored, GIN-indexed tsvector (migrations 0003 and 0004) with ranking; elsewhere a substring
search. Both split what was typed into words at anything that is not a letter or digit, so "whole-person"
finds "whole-person" and "whole person", and both match the start of a word, so "Hann" finds "Hannah".
On PostgreSQL whole words are tried first: the planner uses the index for them, while a prefix search
scans every row, so it runs only when the whole words find nothing (bench/library_search.py).
"""

from __future__ import annotations

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

from .models import Output, OutputQuerySet

SEARCH_CONFIG = "english"
WORD = re.compile(r"[^\W_]+")
SEARCHED_FIELDS = ("title", "summary", "body", "search_extra")


def search_document() -> RawSQL:
    """The stored tsvector PostgreSQL keeps for each output (title A, people and question B, summary B, body C)."""
    column = f'"{Output._meta.db_table}"."search_document"'
    return RawSQL(column, (), output_field=SearchVectorField())  # noqa: S611 - a constant column name


def search_words(text: str) -> list[str]:
    """The words of a search, split at hyphens, punctuation and spaces."""
    return WORD.findall(text.lower())


def search_outputs(outputs: OutputQuerySet, text: str) -> OutputQuerySet:
    """Outputs matching every word typed (or a word beginning with it), best matches first."""
    words = search_words(text)
    if not words:
        return outputs
    if connection.vendor == "postgresql":
        found = _ranked(outputs, _tsquery(words, prefix=False))
        if found.exists():
            return found
        return _ranked(outputs, _tsquery(words, prefix=True))
    for word in words:
        matches = Q()
        for field in SEARCHED_FIELDS:
            matches |= Q(**{f"{field}__icontains": word})
        outputs = outputs.filter(matches)
    return outputs


def _tsquery(words: list[str], *, prefix: bool) -> SearchQuery:
    """All the words required; only letters and digits reach the raw tsquery."""
    suffix = ":*" if prefix else ""
    return SearchQuery(" & ".join(f"{word}{suffix}" for word in words), config=SEARCH_CONFIG, search_type="raw")


def _ranked(outputs: OutputQuerySet, query: SearchQuery) -> OutputQuerySet:
    document = search_document()
    return (
        outputs.alias(search=document)
        .annotate(rank=SearchRank(document, query))
        .filter(search=query)
        .order_by("-rank", "-published_at", "-pk")
    )
