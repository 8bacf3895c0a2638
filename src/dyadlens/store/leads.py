"""One row per real event (a cluster's lead, or a report in no cluster), written so that each planner estimates it.

Counting real events (``EventQuery(count="events")``) keeps one row per cluster, its lead, and every
report in no cluster, over ``events LEFT JOIN clusters ON clusters.id = events.cluster``
(:func:`~dyadlens.store.queries.joined`). SQLite reads it as ``clusters.id IS NULL OR events.id =
clusters.lead``, as it always has. PostgreSQL estimates that ``OR`` as two join keys meeting by chance
(``events.id = clusters.lead``: one row in millions; ``clusters.id IS NULL``: none, from the key's
statistics, outer join or not), so every read counting events was planned as if it kept one row, whatever
it really keeps (nearly every event): a ``LIMIT`` read a whole join of every event to every cluster
before its first row, instead of stopping at the limit (benchmarks/README.md, "2026-12-08: PostgreSQL's
pages at 200k").

On PostgreSQL the same condition is ``coalesce(events.id = clusters.lead, true)``: true where the event
has no cluster (the comparison is NULL), else whether it is the lead. It selects the same rows (``lead``
is never NULL), and PostgreSQL, which cannot see through the ``coalesce``, estimates it at one half.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, ColumnElement, func, or_, true
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler

from dyadlens.store import schema

E = schema.events
C = schema.clusters


class LeadOrAlone(ColumnElement[bool]):
    """The event is its cluster's lead, or in no cluster (over :func:`~dyadlens.store.queries.joined`)."""

    inherit_cache = True
    type = Boolean()
    _is_implicitly_boolean = True  # a condition as it is: no "= 1" where the backend has no boolean type
    _traverse_internals: list[tuple[str, Any]] = []  # noqa: RUF012 (SQLAlchemy's own attribute, a list by its type)


def lead_or_alone() -> ColumnElement[bool]:
    """One row per real event: the cluster's lead, or a report in no cluster (see the module)."""
    return LeadOrAlone()


@compiles(LeadOrAlone)
def _as_or(element: LeadOrAlone, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(or_(C.c.id.is_(None), E.c.id == C.c.lead).self_group(), **kw)


@compiles(LeadOrAlone, "postgresql")
def _for_postgresql(element: LeadOrAlone, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(func.coalesce(E.c.id == C.c.lead, true()), **kw)
