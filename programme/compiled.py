"""A query the ORM compiles to SQL once per process, then runs for each request with its one key swapped in.

Turning a QuerySet into SQL costs about a millisecond for a query of a few subqueries, as much as running it.
The main menu's query runs on every signed-in page with nothing but the person changing, so it is built and
compiled once (per database vendor) with a placeholder key, and each page runs that SQL with its own key.
The ORM stays the one source of the query; the SQL is a pure function of the code, so nothing goes stale.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.db.models.sql.compiler import SQLCompiler

# Never a primary key: a placeholder the compiled SQL's parameters carry where the key goes.
_PLACEHOLDER = -918_273_645


class CompiledQuery:
    """`build(key)` returns the QuerySet for one key; `first_row(key)` runs its compiled SQL and returns the
    first row as a tuple of raw database values (the caller converts: SQLite gives 0/1 for booleans)."""

    def __init__(self, build: Callable[[int], QuerySet[Any, Any]]) -> None:
        self._build = build
        self._compiled: dict[str, tuple[str, Sequence[Any]]] = {}

    def _sql(self, using: str) -> tuple[str, Sequence[Any]]:
        vendor = connections[using].vendor
        if vendor not in self._compiled:
            sql, params = self._build(_PLACEHOLDER).query.get_compiler(using=using).as_sql()
            if _PLACEHOLDER not in params:
                raise ValueError("The query does not use its key as a parameter, so it cannot be reused.")
            self._compiled[vendor] = (sql, tuple(params))
        return self._compiled[vendor]

    def first_row(self, key: int, using: str = DEFAULT_DB_ALIAS) -> tuple[Any, ...] | None:
        sql, params = self._sql(using)
        with connections[using].cursor() as cursor:
            cursor.execute(sql, [key if param == _PLACEHOLDER else param for param in params])
            return cursor.fetchone()


class CompiledModelQuery:
    """Like CompiledQuery, for a QuerySet of model instances: `build(*keys)` returns the QuerySet for its keys (its
    select_related, annotations and prefetch_related as usual); `instances(*keys)` runs its SQL, compiled once per
    process, and builds the instances as the ORM does. Only for a query whose SQL depends on nothing but its keys."""

    def __init__(self, build: Callable[..., QuerySet[Any, Any]]) -> None:
        self._build = build
        self._prepared: dict[tuple[str, int], tuple[QuerySet[Any, Any], SQLCompiler, str, Sequence[Any]]] = {}

    def _prepare(self, using: str, key_count: int) -> tuple[QuerySet[Any, Any], SQLCompiler, str, Sequence[Any]]:
        prepared_as = (connections[using].vendor, key_count)
        if prepared_as not in self._prepared:
            placeholders = [_PLACEHOLDER - position for position in range(key_count)]
            queryset = self._build(*placeholders)
            compiler = queryset.query.get_compiler(using=using)
            sql, params = compiler.as_sql()  # also fills the compiler's select and klass_info, which the rows need
            if any(placeholder not in params for placeholder in placeholders):
                raise ValueError("The query does not use each key as a parameter, so it cannot be reused.")
            self._prepared[prepared_as] = (queryset, compiler, sql, tuple(params))
        return self._prepared[prepared_as]

    def instances(self, *keys: int, using: str = DEFAULT_DB_ALIAS) -> list[Any]:
        queryset, compiled, sql, params = self._prepare(using, len(keys))
        compiler = copy.copy(compiled)
        compiler.connection = connections[using]  # this thread's connection, not the one it was compiled on
        by_placeholder = {_PLACEHOLDER - position: key for position, key in enumerate(keys)}
        key_params = [by_placeholder.get(param, param) if isinstance(param, int) else param for param in params]
        compiler.as_sql = lambda *args, **kwargs: (sql, tuple(key_params))  # type: ignore[method-assign]
        fresh = queryset.all()  # a copy, whose query alone is given the prepared compiler
        fresh.query.get_compiler = lambda *args, **kwargs: compiler  # type: ignore[method-assign]
        return list(fresh)
