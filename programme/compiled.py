"""A query the ORM compiles to SQL once per process, then runs for each request with its key (and day) swapped in.

Turning a QuerySet into SQL costs about a millisecond for a query of a few subqueries, as much as running it.
The main menu's query runs on every signed-in page with nothing but the person changing, so it is built and
compiled once (per database vendor) with a placeholder key, and each page runs that SQL with its own key.
The ORM stays the one source of the query; the SQL is a pure function of the code, so nothing goes stale.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.db.models.sql.compiler import SQLCompiler

# Never a primary key, nor a day anyone asks about: placeholders the compiled SQL's parameters carry where the
# key and the day go.
_PLACEHOLDER = -918_273_645
_DAY_PLACEHOLDER = date(1001, 2, 3)


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    day_placeholder: Any  # the placeholder day as this database's parameters carry it
    converters: dict[int, tuple[list[Any], Any]]  # the ORM's converters per column, as SQLCompiler makes them


class CompiledQuery:
    """`build(key)` (or `build(key, day)` with `dated=True`) returns the QuerySet for one key.

    `first_row(key)` runs its compiled SQL and returns the first row as a tuple of raw database values (the caller
    converts: SQLite gives 0/1 for booleans); `rows(key, day)` returns every row of a values_list() query as the
    QuerySet would (the ORM's converters applied; the SQL selects in the values_list() order)."""

    def __init__(self, build: Callable[..., QuerySet[Any, Any]], *, dated: bool = False) -> None:
        self._build = build
        self._dated = dated
        self._compiled: dict[str, _Compiled] = {}

    def _sql(self, using: str) -> _Compiled:
        connection = connections[using]
        if connection.vendor not in self._compiled:
            queryset = self._build(_PLACEHOLDER, _DAY_PLACEHOLDER) if self._dated else self._build(_PLACEHOLDER)
            compiler = queryset.query.get_compiler(using=using)
            sql, params = compiler.as_sql()
            # An undated query's day placeholder is one no parameter equals.
            day_placeholder = connection.ops.adapt_datefield_value(_DAY_PLACEHOLDER) if self._dated else object()
            if _PLACEHOLDER not in params or (self._dated and day_placeholder not in params):
                raise ValueError("The query does not use its key (or day) as a parameter, so it cannot be reused.")
            columns = [column for column, _, _ in compiler.select[: compiler.col_count]]
            self._compiled[connection.vendor] = _Compiled(
                sql, tuple(params), day_placeholder, compiler.get_converters(columns)
            )
        return self._compiled[connection.vendor]

    def _execute(self, key: int, day: date | None, using: str) -> tuple[_Compiled, Any]:
        compiled = self._sql(using)
        if self._dated and day is None:
            raise ValueError("This query needs the day it is asked about.")
        day_value = connections[using].ops.adapt_datefield_value(day) if day is not None else None
        values = [
            key if param == _PLACEHOLDER else day_value if param == compiled.day_placeholder else param
            for param in compiled.params
        ]
        cursor = connections[using].cursor()
        cursor.execute(compiled.sql, values)
        return compiled, cursor

    def first_row(self, key: int, using: str = DEFAULT_DB_ALIAS) -> tuple[Any, ...] | None:
        _, cursor = self._execute(key, None, using)
        with cursor:
            return cursor.fetchone()

    def rows(self, key: int, day: date | None = None, using: str = DEFAULT_DB_ALIAS) -> list[tuple[Any, ...]]:
        compiled, cursor = self._execute(key, day, using)
        with cursor:
            fetched = cursor.fetchall()
        connection = connections[using]
        rows = []
        for fetched_row in fetched:
            row = list(fetched_row)
            for position, (converters, expression) in compiled.converters.items():
                for converter in converters:
                    row[position] = converter(row[position], expression, connection)
            rows.append(tuple(row))
        return rows


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
