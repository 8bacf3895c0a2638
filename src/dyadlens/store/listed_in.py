"""``column IN (subquery)`` in the shape each backend reads well when it stands in an ``OR``.

:class:`~dyadlens.store.queries.EventQuery` adds candidates as alternatives such as ``(source = ? AND
target = ?) OR events.id IN (SELECT lead FROM clusters WHERE …)``. SQLite reads each alternative of such an
``OR`` through its own index ("MULTI-INDEX OR") and gets the ``IN`` it always had, byte for byte.
PostgreSQL cannot put an ``IN (subquery)`` under a ``BitmapOr``: it filters a sequential scan of every event
with the subquery hashed, or, when the subquery's rows do not fit in ``work_mem``, scanned again for every
event. On PostgreSQL the condition is therefore written in one of two shapes (benchmarks/README.md,
"2026-12-07 night: PostgreSQL's candidates by index at 200k"):

- ``indexed``, for a selective alternative meant to drive the read: ``events.id = ANY(ARRAY(SELECT …))``.
  The subquery is an InitPlan computed once, its array a parameter that a bitmap index scan of the key
  can read, so the ``OR`` becomes a ``BitmapOr`` of index scans. Its array is searched element by element
  wherever the condition is a filter, so only subqueries of a few thousand rows take this shape.
- otherwise, a correlated ``EXISTS (SELECT … WHERE key = events.id)``: one index probe per candidate row
  that reaches it, whatever the size of the subquery's answer (every cluster of a period, every document).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, ColumnElement, Select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.visitors import InternalTraversal


class ListedIn(ColumnElement[bool]):
    """``column`` is one of the values that ``subquery`` (one column) selects."""

    inherit_cache = True
    type = Boolean()
    _is_implicitly_boolean = True  # a condition as it is: no "= 1" where the backend has no boolean type
    _traverse_internals = [  # noqa: RUF012 (SQLAlchemy's own attribute, a list by its type)
        ("column", InternalTraversal.dp_clauseelement),
        ("subquery", InternalTraversal.dp_clauseelement),
        ("indexed", InternalTraversal.dp_boolean),
    ]

    def __init__(self, column: ColumnElement[Any], subquery: Select[Any], indexed: bool) -> None:
        self.column = column
        self.subquery = subquery
        self.indexed = indexed


def listed_in(column: ColumnElement[Any], subquery: Select[Any], *, indexed: bool) -> ColumnElement[bool]:
    """``column IN (subquery)``; on PostgreSQL an index-read array when ``indexed``, else a correlated
    ``EXISTS`` (see the module)."""
    return ListedIn(column, subquery, indexed)


@compiles(ListedIn)
def _as_in(element: ListedIn, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.column.in_(element.subquery), **kw)


@compiles(ListedIn, "postgresql")
def _for_postgresql(element: ListedIn, compiler: SQLCompiler, **kw: Any) -> str:
    subquery = element.subquery
    if element.indexed:
        listed = compiler.process(subquery.scalar_subquery(), **kw)
        return f"{compiler.process(element.column, **kw)} = ANY(ARRAY{listed})"
    key = subquery.selected_columns[0]
    probe = subquery.where(key == element.column).correlate_except(*subquery.get_final_froms())
    return compiler.process(probe.exists(), **kw)
