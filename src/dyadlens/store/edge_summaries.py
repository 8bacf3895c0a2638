"""The network's edges kept on write (migration 0013): acts between two different actors per count mode, modality,
directed pair and quad class, per year (``summary_edge_years``) and over all time (``summary_edges``).

A year of the network reads about 90,000 of these rows where ``summary_months`` holds 349,000 (10M events): the
months of a year, the codes and the roots folded into the year and the code's quad class. They are kept from the
event summaries themselves: a trigger on ``summary_months`` (``summary_totals``) adds each change of a month (total)
row's count to its edge row, so they follow every write path the event summaries follow, in the same transaction,
and a rebuild computes them from the event summaries (:func:`rebuild`, called by ``summaries.rebuild``).

The quad class is the one CAMEO gives the code's first two digits (:func:`dyadlens.kb.ontology.expected_quad_class`);
an ontology's codes always carry it, so the rows answer a quad-class filter exactly when every stored code is one
of the ontology's (:func:`stored_codes` lets the reader check).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, and_, delete, func, or_, select, text

from dyadlens.kb.ontology import expected_quad_class
from dyadlens.partial_dates import PartialDate
from dyadlens.store import schema

YEARS, EDGES = schema.summary_edge_years, schema.summary_edges
#: Per edge table, the event summary it is kept from.
KEPT_FROM = {YEARS.name: schema.summary_months.name, EDGES.name: schema.summary_totals.name}
_ROOTS = [f"{number:02d}" for number in range(1, 21)]


def _quad(code: str) -> str:
    cases = " ".join(f"WHEN '{root}' THEN {expected_quad_class(root)}" for root in _ROOTS)
    return f"CASE substr({code}, 1, 2) {cases} ELSE 0 END"


def _keys(table: Any, row: str) -> dict[str, str]:
    """The edge table's key columns in its order, as expressions over one row of the summary it is kept from."""
    keys = {"mode": f"{row}.mode", "year": f"substr({row}.period, 1, 4)", "modality": f"{row}.modality",
            "source": f"{row}.source", "target": f"{row}.target", "quad": _quad(f"{row}.code")}
    return {column.name: keys[column.name] for column in table.c if column.name != "n"}


def _an_edge(row: str) -> str:
    return f"{row}.source <> '' AND {row}.target <> '' AND {row}.source <> {row}.target"


def _add(table: Any, row: str, sign: int) -> str:
    keys = _keys(table, row)
    names = ", ".join(keys)
    return (f"INSERT INTO {table.name} ({names}, n) SELECT {', '.join(keys.values())}, {sign} * {row}.n "
            f"WHERE {_an_edge(row)} ON CONFLICT ({names}) DO UPDATE SET n = {table.name}.n + excluded.n")


def _trigger_bodies() -> dict[tuple[str, str, str], list[str]]:
    """Per (edge table, the summary it follows, operation), the statements its row trigger runs."""
    bodies: dict[tuple[str, str, str], list[str]] = {}
    for table in (YEARS, EDGES):
        followed = KEPT_FROM[table.name]
        bodies[(table.name, followed, "INSERT")] = [_add(table, "NEW", 1)]
        bodies[(table.name, followed, "DELETE")] = [_add(table, "OLD", -1)]
        bodies[(table.name, followed, "UPDATE")] = [_add(table, "OLD", -1), _add(table, "NEW", 1)]
    return bodies


def _name(table: str, operation: str) -> str:
    return f"{table}_{operation.lower()}"


def create_triggers(conn: Connection) -> None:
    """The triggers that keep both edge tables (replacing any of the same name)."""
    drop_triggers(conn)
    for (table, followed, operation), statements in _trigger_bodies().items():
        name, body = _name(table, operation), "".join(f"{statement};\n" for statement in statements)
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $body$\nBEGIN\n"
                                 f"{body}RETURN NULL;\nEND\n$body$")
            conn.exec_driver_sql(f"CREATE TRIGGER {name} AFTER {operation} ON {followed} FOR EACH ROW "
                                 f"EXECUTE FUNCTION {name}()")
        else:
            conn.exec_driver_sql(f"CREATE TRIGGER {name} AFTER {operation} ON {followed} FOR EACH ROW BEGIN\n"
                                 f"{body}END")


def drop_triggers(conn: Connection) -> None:
    for table, followed, operation in _trigger_bodies():
        name = _name(table, operation)
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name} ON {followed}")
            conn.exec_driver_sql(f"DROP FUNCTION IF EXISTS {name}()")
        else:
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")


def _computed_sql(table: Any) -> str:
    """The edge table's rows from the summary it is kept from (rows of 0 left out)."""
    keys = _keys(table, "s")
    groups = ", ".join(str(i) for i in range(1, len(keys) + 1))
    return (f"SELECT {', '.join(keys.values())}, sum(s.n) AS n FROM {KEPT_FROM[table.name]} s "
            f"WHERE {_an_edge('s')} AND s.n <> 0 GROUP BY {groups} HAVING sum(s.n) <> 0")


def rebuild(conn: Connection) -> int:
    """Recompute both edge tables from the event summaries; returns the rows of the years."""
    for table in (YEARS, EDGES):
        conn.execute(delete(table))
        names = ", ".join([*_keys(table, "s"), "n"])
        conn.exec_driver_sql(f"INSERT INTO {table.name} ({names}) {_computed_sql(table)}")
        conn.exec_driver_sql(f"ANALYZE {table.name}")
    return int(conn.scalar(text(f"SELECT count(*) FROM {YEARS.name}")) or 0)


def sizes(conn: Connection) -> dict[str, list[int]]:
    """Per edge table and count mode, its rows and the acts they count."""
    found: dict[str, list[int]] = {}
    for table in (YEARS, EDGES):
        rows = select(table.c.mode, func.count(), func.coalesce(func.sum(table.c.n), 0)).where(table.c.n != 0)
        for mode, count, n in conn.execute(rows.group_by(table.c.mode).order_by(table.c.mode)):
            found[f"{table.name} {mode}"] = [int(count), int(n)]
    return found


def stale_rows(conn: Connection) -> list[tuple[Any, ...]]:
    """The edge keys whose kept count differs from a count from the event summaries: (table, *key, kept, fresh)."""
    found: list[tuple[Any, ...]] = []
    for table in (YEARS, EDGES):
        kept = {tuple(row[:-1]): int(row[-1]) for row in conn.execute(select(table).where(table.c.n != 0))}
        fresh = {tuple(row[:-1]): int(row[-1]) for row in conn.exec_driver_sql(_computed_sql(table))}
        found += [(table.name, *key, kept.get(key, 0), fresh.get(key, 0)) for key in sorted(set(kept) | set(fresh))
                  if kept.get(key, 0) != fresh.get(key, 0)]
    return found


# --- reading them ---------------------------------------------------------------------


def stored_codes(conn: Connection, mode: str) -> list[str]:
    """Every code ``summary_totals`` holds for ``mode``: one index seek per code (a loose index scan of
    ``ix_summary_totals_code``), a few hundred where the table holds millions of rows."""
    found = conn.execute(text(
        "WITH RECURSIVE codes(code) AS (SELECT min(code) FROM summary_totals WHERE mode = :mode UNION ALL "
        "SELECT (SELECT min(t.code) FROM summary_totals t WHERE t.mode = :mode AND t.code > codes.code) "
        "FROM codes WHERE codes.code IS NOT NULL) SELECT code FROM codes WHERE code IS NOT NULL"), {"mode": mode})
    return [str(code) for code in found.scalars()]


def whole_years(since: PartialDate | None, until: PartialDate | None) -> tuple[int | None, int | None]:
    """The first and last years that [since, until] covers whole (None: open); first > last when none."""
    first = None if since is None else since.year + (0 if since.month in (None, 1) else 1)
    last = None if until is None else until.year - (0 if until.month in (None, 12) else 1)
    return first, last


def months_outside(year: int, since: PartialDate | None, until: PartialDate | None) -> list[str]:
    """The months of ``year`` (``2024-03``) that lie wholly outside [since, until] (month-precise bounds)."""
    first = (since.month or 1) if since is not None and since.year == year else 1
    last = (until.month or 12) if until is not None and until.year == year else 12
    return [f"{year:04d}-{month:02d}" for month in range(1, 13) if not first <= month <= last]


def in_years(period: Any, years: list[int]) -> ColumnElement[bool]:
    """A ``summary_months`` period (``2024-07``, ``2024``) falls in one of ``years``."""
    return or_(*(and_(period >= f"{year:04d}", period < f"{year + 1:04d}") for year in years))


def edge_rows(mode: str, modalities: tuple[str, ...] | None, quads: tuple[int, ...] | None,
              years: tuple[int | None, int | None] | None) -> Select[Any]:
    """(source, target, n) of the kept edges: of the whole years ``years`` (first, last; None at an end: open), or
    of all time (``years`` None)."""
    table = EDGES if years is None else YEARS
    t = table.c
    where = [t.mode == mode, t.n > 0]
    if modalities is not None:
        where.append(t.modality.in_(modalities))
    if quads:
        where.append(t.quad.in_(sorted(quads)))
    if years is not None:
        first, last = years
        where.append(t.year != "")
        where += [t.year >= f"{first:04d}"] if first is not None else []
        where += [t.year <= f"{last:04d}"] if last is not None else []
    return select(t.source.label("source"), t.target.label("target"), t.n.label("n")).where(*where)
