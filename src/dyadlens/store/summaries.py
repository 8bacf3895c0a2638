"""Summary tables kept on write, so that the counting views aggregate thousands of rows, not millions.

``summary_months`` holds, per count mode (``events``: one row per real event, as
``EventQuery(count="events")`` matches; ``reports``: every report), the number of
acts per month of their placed date (the first 7 characters of the consolidated date,
else of the document's publication date: ``2024-07``, or ``2024`` for a year-only
date, ``''`` when there is neither), source, target, code, root and modality.
``summary_totals`` is the same without the period. Both count exactly the rows a
view's ``EventQuery(count=..., standing=False)`` matches: rejected reports, standing
facts and the reports of duplicate documents are left out.

They are kept by database triggers (SQLite triggers, PostgreSQL plpgsql trigger
functions) on ``events``, ``clusters`` and ``documents``, so every write path (a
document's write, a batch, a replace, the identity step, duplicate marks, the
analyst's corrections, a cluster rebuild, a bulk load through SQL) keeps them in
the same transaction. An event's contribution depends only on its own row, its
cluster's row and its document's row; each trigger subtracts what the changed row
contributed before and adds what it contributes now, reading only the other two
tables, so the deltas are exact whatever order the statements of a write run in.
Rows that fall to 0 stay (readers skip them); :func:`rebuild` recomputes both
tables from scratch (``dyadlens store summaries --rebuild``, after a bulk load with
the triggers dropped). The per-actor totals (:mod:`dyadlens.store.actor_summaries`) and the network's edges
(:mod:`dyadlens.store.edge_summaries`) are dropped, created, rebuilt and checked with them.

:func:`tally` gives a view the table that answers its query, or the events
themselves when the query asks for more than a summary keeps (a day-precise
period, one document, duplicates, standing facts).
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import ColumnElement, Connection, FromClause, Select, and_, delete, func, literal, or_, select

from dyadlens.partial_dates import overlaps_sql, parse_bound
from dyadlens.store import actor_summaries, edge_summaries, schema
from dyadlens.store.queries import COUNT_MODES, EventQuery, joined, prefix_range

MONTHS, TOTALS = schema.summary_months, schema.summary_totals
#: The key columns of the summaries besides the count mode and the period.
FIELDS = ("source", "target", "code", "root", "modality")
_NOT_REJECTED = "({e}.correction IS NULL OR {e}.correction <> 'rejected') AND NOT {e}.standing"

_bypassed: contextvars.ContextVar[bool] = contextvars.ContextVar("summaries_bypassed", default=False)


@contextlib.contextmanager
def bypassed() -> Iterator[None]:
    """Views read the events themselves inside this block (benchmarks and tests compare both ways)."""
    token = _bypassed.set(True)
    try:
        yield
    finally:
        _bypassed.reset(token)


# --- the triggers --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Rows:
    """Which events one contribution counts: the FROM/WHERE text, and how to name the event's,
    its cluster's (None: counted as unclustered) and its document's columns in it."""

    sql: str
    event: str
    cluster: str | None
    published: str

    def value(self, name: str, mode: str) -> str:
        if mode == "events" and self.cluster is not None:
            return f"coalesce({self.cluster}.{name}, {self.event}.{name})"
        return f"{self.event}.{name}"


def _upsert(table: Any, mode: str, rows: _Rows, sign: int) -> str:
    """Add ``sign`` times the rows' counts per key to ``table``."""
    values = {name: f"coalesce({rows.value(name, mode)}, '')" for name in FIELDS}
    if "period" in table.c:
        placed = f"coalesce({rows.value('date', mode)}, {rows.published})"
        values["period"] = f"coalesce(substr({placed}, 1, 7), '')"
    names = ["mode", *values]
    keys = ", ".join(names)
    groups = ", ".join(str(i) for i in range(1, len(names) + 1))
    return (f"INSERT INTO {table.name} ({keys}, n) SELECT '{mode}', {', '.join(values.values())}, "
            f"{sign} * count(*) {rows.sql} GROUP BY {groups} "
            f"ON CONFLICT ({keys}) DO UPDATE SET n = {table.name}.n + excluded.n")


def _both(mode: str, rows: _Rows, sign: int) -> list[str]:
    return [_upsert(table, mode, rows, sign) for table in (MONTHS, TOTALS)]


def _event_row(row: str, sign: int) -> list[str]:
    """What one events row (NEW or OLD) counts, with its cluster and document as stored now."""
    where = f"WHERE d.id = {row}.doc_id AND d.duplicate_of IS NULL AND {_NOT_REJECTED.format(e=row)}"
    as_report = _Rows(f"FROM documents d {where}", row, None, "d.published")
    lead = f"(c.id IS NULL OR c.lead = {row}.id)"
    as_event = _Rows(f"FROM documents d LEFT JOIN clusters c ON c.id = {row}.cluster {where} AND {lead}",
                     row, "c", "d.published")
    return _both("reports", as_report, sign) + _both("events", as_event, sign)


def _cluster_row(row: str, present: bool, sign: int) -> list[str]:
    """What the members of one clusters row (NEW or OLD) count as events: the lead with the cluster's
    consolidated fields (``present``), or each member on its own (the cluster row absent)."""
    which = f"e.cluster = {row}.id" + (f" AND e.id = {row}.lead" if present else "")
    rows = _Rows(f"FROM events e JOIN documents d ON d.id = e.doc_id WHERE {which} AND d.duplicate_of IS NULL "
                 f"AND {_NOT_REJECTED.format(e='e')}", "e", row if present else None, "d.published")
    return _both("events", rows, sign)


def _document_row(row: str, sign: int) -> list[str]:
    """What the events of one documents row (NEW or OLD) count, with their clusters as stored now."""
    where = f"WHERE e.doc_id = {row}.id AND {row}.duplicate_of IS NULL AND {_NOT_REJECTED.format(e='e')}"
    published = f"{row}.published"
    as_report = _Rows(f"FROM events e {where}", "e", None, published)
    as_event = _Rows(f"FROM events e LEFT JOIN clusters c ON c.id = e.cluster {where} "
                     "AND (c.id IS NULL OR c.lead = e.id)", "e", "c", published)
    return _both("reports", as_report, sign) + _both("events", as_event, sign)


#: The columns whose change can change what a row counts.
_WATCHED = {
    "events": ("id", "doc_id", "cluster", "source", "target", "code", "root", "modality", "date", "standing",
               "correction"),
    "clusters": ("id", "lead", "source", "target", "code", "root", "modality", "date"),
    "documents": ("id", "duplicate_of", "published"),
}


def _trigger_bodies() -> dict[tuple[str, str], list[str]]:
    """Per (table, operation), the statements its row trigger runs."""
    return {
        ("events", "INSERT"): _event_row("NEW", 1),
        ("events", "DELETE"): _event_row("OLD", -1),
        ("events", "UPDATE"): _event_row("OLD", -1) + _event_row("NEW", 1),
        ("clusters", "INSERT"): _cluster_row("NEW", False, -1) + _cluster_row("NEW", True, 1),
        ("clusters", "DELETE"): _cluster_row("OLD", True, -1) + _cluster_row("OLD", False, 1),
        ("clusters", "UPDATE"): (_cluster_row("OLD", True, -1) + _cluster_row("OLD", False, 1)
                                 + _cluster_row("NEW", False, -1) + _cluster_row("NEW", True, 1)),
        ("documents", "INSERT"): _document_row("NEW", 1),
        ("documents", "DELETE"): _document_row("OLD", -1),
        ("documents", "UPDATE"): _document_row("OLD", -1) + _document_row("NEW", 1),
    }


def _event_clause(table: str, operation: str) -> str:
    return f"UPDATE OF {', '.join(_WATCHED[table])}" if operation == "UPDATE" else operation


def trigger_names() -> list[str]:
    return [f"summaries_{table}_{operation.lower()}" for table, operation in _trigger_bodies()]


def create_triggers(conn: Connection) -> None:
    """The triggers that keep the summaries, in the connection's dialect (replacing any of the same name)."""
    drop_triggers(conn)
    actor_summaries.create_triggers(conn)
    edge_summaries.create_triggers(conn)
    for (table, operation), statements in _trigger_bodies().items():
        name = f"summaries_{table}_{operation.lower()}"
        when = _event_clause(table, operation)
        if conn.dialect.name == "postgresql":
            body = "".join(f"{statement};\n" for statement in statements)
            conn.exec_driver_sql(f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $body$\nBEGIN\n"
                                 f"{body}RETURN NULL;\nEND\n$body$")
            conn.exec_driver_sql(f"CREATE TRIGGER {name} AFTER {when} ON {table} FOR EACH ROW "
                                 f"EXECUTE FUNCTION {name}()")
        else:
            body = "".join(f"{statement};\n" for statement in statements)
            conn.exec_driver_sql(f"CREATE TRIGGER {name} AFTER {when} ON {table} FOR EACH ROW BEGIN\n{body}END")


def drop_triggers(conn: Connection) -> None:
    """Drop the triggers (a bulk load may, then :func:`rebuild`)."""
    actor_summaries.drop_triggers(conn)
    edge_summaries.drop_triggers(conn)
    for name in trigger_names():
        table = name.split("_")[1]
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            conn.exec_driver_sql(f"DROP FUNCTION IF EXISTS {name}()")
        else:
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")


# --- computing them from scratch ---------------------------------------------------


def computed(mode: str) -> Any:
    """The month summary of one count mode as a query over the events (what the triggers keep)."""
    query = EventQuery(count=mode, standing=False)
    values = [func.coalesce(query.column(name), "").label(name) for name in FIELDS]
    period = func.coalesce(func.substr(query.placed_date(), 1, 7), "").label("period")
    keys = [literal(mode).label("mode"), *values, period]
    return (select(*keys, func.count().label("n")).select_from(joined()).where(*query.conditions())
            .group_by(*keys[1:]))


def rebuild(conn: Connection) -> int:
    """Recompute both summaries from the events (``INSERT ... SELECT ... GROUP BY``); returns the month rows."""
    conn.execute(delete(MONTHS))
    conn.execute(delete(TOTALS))
    keys = ["mode", *FIELDS, "period", "n"]
    for mode in COUNT_MODES:
        conn.execute(MONTHS.insert().from_select(keys, computed(mode).subquery().select()))
    by_key = [MONTHS.c.mode, *(MONTHS.c[name] for name in FIELDS)]
    totals = select(*by_key, func.sum(MONTHS.c.n)).where(MONTHS.c.n != 0).group_by(*by_key)
    conn.execute(TOTALS.insert().from_select(["mode", *FIELDS, "n"], totals))
    for table in (MONTHS, TOTALS):
        conn.exec_driver_sql(f"ANALYZE {table.name}")  # the planner's statistics: which index serves a view
    actor_summaries.rebuild(conn)
    edge_summaries.rebuild(conn)
    return int(conn.scalar(select(func.count()).select_from(MONTHS)) or 0)


def sizes(conn: Connection) -> dict[str, list[int]]:
    """Per table and count mode ("summary_months events"), its rows and the events they count."""
    found: dict[str, list[int]] = {}
    for table in (MONTHS, TOTALS):
        rows = select(table.c.mode, func.count(), func.coalesce(func.sum(table.c.n), 0)).where(table.c.n != 0)
        for mode, count, n in conn.execute(rows.group_by(table.c.mode).order_by(table.c.mode)):
            found[f"{table.name} {mode}"] = [int(count), int(n)]
    return found | edge_summaries.sizes(conn)


def stale_rows(conn: Connection) -> list[tuple[Any, ...]]:
    """The keys whose kept count differs from a count from scratch, with both counts (empty: up to date)."""
    found: list[tuple[Any, ...]] = []
    kept_rows = conn.execute(select(MONTHS).where(MONTHS.c.n != 0))
    kept = {tuple(row[:-1]): row[-1] for row in kept_rows}
    fresh: dict[tuple[Any, ...], int] = {}
    for mode in COUNT_MODES:
        for row in conn.execute(computed(mode)):
            by_name = row._mapping
            fresh[tuple(by_name[c.name] for c in MONTHS.c if c.name != "n")] = int(by_name["n"])
    for key in sorted(set(kept) | set(fresh)):
        if kept.get(key, 0) != fresh.get(key, 0):
            found.append((*key, kept.get(key, 0), fresh.get(key, 0)))
    totals = conn.execute(select(TOTALS).where(TOTALS.c.n != 0))
    summed: dict[tuple[Any, ...], int] = {}
    for key, n in fresh.items():
        short = key[:3] + key[4:]  # without the period
        summed[short] = summed.get(short, 0) + n
    kept_totals = {tuple(row[:-1]): row[-1] for row in totals}
    found += [(*key, kept_totals.get(key, 0), summed.get(key, 0)) for key in sorted(set(kept_totals) | set(summed))
              if kept_totals.get(key, 0) != summed.get(key, 0)]
    return found + actor_summaries.stale_rows(conn) + edge_summaries.stale_rows(conn)


# --- reading them ---------------------------------------------------------------------


def in_use() -> bool:
    """Whether views read the summaries (outside a :func:`bypassed` block)."""
    return not _bypassed.get()


class Tally:
    """The rows a counting view aggregates: the events of a query, each counting 1."""

    def __init__(self, query: EventQuery) -> None:
        self.query = query

    def column(self, name: str) -> ColumnElement[Any]:
        """A column of the query (consolidated when counting events); ``placed`` is the placed date."""
        return self.query.placed_date() if name == "placed" else self.query.column(name)

    @property
    def source(self) -> FromClause:
        return joined()

    def conditions(self) -> list[ColumnElement[bool]]:
        return self.query.conditions()

    @property
    def weight(self) -> ColumnElement[Any]:
        """What one row counts for."""
        return literal(1)

    def count(self) -> ColumnElement[Any]:
        return func.count()


class SummaryTally(Tally):
    """The same counts read off a summary table: each row counts ``n``."""

    def __init__(self, query: EventQuery, table: Any) -> None:
        super().__init__(query)
        self.table = table

    def column(self, name: str) -> ColumnElement[Any]:
        if name in ("source", "target", "placed"):
            return func.nullif(self.table.c[{"placed": "period"}.get(name, name)], "")
        return self.table.c[name]  # type: ignore[no-any-return]

    @property
    def source(self) -> FromClause:
        return self.table  # type: ignore[no-any-return]

    def conditions(self) -> list[ColumnElement[bool]]:
        q, t = self.query, self.table.c
        found = [self._keyed(), t.n > 0]
        if q.code:
            found += [t.code.startswith(q.code, autoescape=True), prefix_range(t.code, q.code)]
        if q.modalities is not None:
            found.append(t.modality.in_(q.modalities))
        if q.since or q.until:
            since = parse_bound(q.since)
            found.append(t.period != "")
            found.append(overlaps_sql(t.period, since, parse_bound(q.until)))
            if since is not None:  # the same, as a range the (mode, period) index reads: a year sorts first
                found.append(t.period >= f"{since.year:04d}")
        return found

    def _keyed(self) -> ColumnElement[bool]:
        """The count mode and the sides, written as alternatives that each start an index (the primary key,
        mode-source-target; mode-target): the planner reads one range per alternative."""
        q, t = self.query, self.table.c
        fixed = [t.mode == q.count]
        fixed += [t.source == q.source] if q.source else []
        fixed += [t.target == q.target] if q.target else []
        alternatives: list[list[ColumnElement[bool]]] = [fixed]
        if q.actor:
            alternatives = [[*found, side == q.actor] for found in alternatives for side in (t.source, t.target)]
        if q.between:
            a, b = q.between
            pairs = ((a, b), (b, a))
            alternatives = [[*found, t.source == x, t.target == y] for found in alternatives for x, y in pairs]
        return or_(*(and_(*found) for found in alternatives))

    @property
    def weight(self) -> ColumnElement[Any]:
        return self.table.c.n  # type: ignore[no-any-return]

    def count(self) -> ColumnElement[Any]:
        return func.sum(self.table.c.n)


def serves(query: EventQuery) -> bool:
    """Whether the summaries hold what ``query`` counts: acts of original documents, in every count mode,
    over whole months or years (a period is matched on the placed date, so ``document_dates``)."""
    if _bypassed.get() or query.doc_id or query.include_duplicates or query.with_observations:
        return False
    if query.standing is not False:
        return False
    bounds = [parse_bound(b) for b in (query.since, query.until) if b]
    if bounds and not query.document_dates:
        return False
    return all(bound is not None and bound.day is None for bound in bounds)


def tally(query: EventQuery, *, by_period: bool = False) -> Tally:
    """Where a counting view reads ``query``'s rows: the totals (no period asked or needed), the months, or
    the events themselves when the summaries cannot answer."""
    if not serves(query):
        return Tally(query)
    periodless = not (by_period or query.since or query.until)
    return SummaryTally(query, TOTALS if periodless else MONTHS)


def split_by_standing(query: EventQuery) -> tuple[EventQuery | None, EventQuery | None]:
    """``query`` as two queries whose rows partition its own: its acts, which the summaries may count, and its
    standing facts (None for a part that holds no row)."""
    if query.standing is not None:
        return (None, query) if query.standing else (query, None)
    acts = replace(query, standing=False, with_observations=False)
    if query.per_event and not query.with_observations:
        return acts, None
    return acts, replace(query, standing=True)


def acts_total(query: EventQuery) -> Select[Any] | None:
    """How many acts ``query`` (acts only) matches, read off the summaries; None when they cannot say."""
    if not serves(query):
        return None
    counted = tally(query)
    return select(func.coalesce(counted.count(), 0)).select_from(counted.source).where(*counted.conditions())
