"""Per-actor totals kept on write (``summary_actors``, migration 0011), so that the overview and ``/actors``
read one row per actor instead of counting millions of mentions and reports; and per dyad (``summary_dyads``),
so that the overview's top dyads read one row per pair of actors.

Each column counts what a view counted from the records themselves (:data:`dyadlens.store.schema.summary_actors`).
As for the event summaries (:mod:`dyadlens.store.summaries`), triggers on ``actors``, ``mentions``, ``events``,
``quotes``, ``documents`` and ``summary_totals`` (whose own triggers follow the events) subtract what the changed
row contributed and add what it contributes now; only ``mentions`` depends on another table (its document being
an original), and the document's trigger moves its mentions in or out when its ``duplicate_of`` changes, so the
deltas are exact in any statement order.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, text

from dyadlens.store import schema

SA = schema.summary_actors
COLUMNS = ("documents", "mentions", "named", "reports", "quotes", "events_involved", "reports_involved")
MODES = ("events", "reports")


def _sides(mode: str, row: str | None = None) -> list[tuple[str, str]]:
    """The actors a ``summary_totals`` row of ``mode`` involves: its source, and its target when another."""
    prefix = f"{row}." if row else ""
    rest = f"FROM summary_totals WHERE mode = '{mode}' AND" if row is None else f"WHERE {row}.mode = '{mode}' AND"
    return [(f"{prefix}source", f"{rest} {prefix}source <> ''"),
            (f"{prefix}target", f"{rest} {prefix}target <> '' AND {prefix}target <> {prefix}source")]


#: Per column, the grouped rows that count it: (actor expression, FROM/WHERE text) over the tables.
_FROM_SCRATCH = {
    "documents": [("id", "FROM actors WHERE id IS NOT NULL")],
    "mentions": [("m.actor_id", "FROM mentions m JOIN documents d ON d.id = m.doc_id "
                                "WHERE d.duplicate_of IS NULL AND m.actor_id IS NOT NULL")],
    "named": [("actor_id", "FROM mentions WHERE actor_id IS NOT NULL"),
              ("person", "FROM mentions WHERE person IS NOT NULL")],
    "reports": [("source", "FROM events WHERE source IS NOT NULL"), ("target", "FROM events WHERE target IS NOT NULL")],
    "quotes": [("speaker_actor", "FROM quotes WHERE speaker_actor IS NOT NULL")],
    **{f"{mode}_involved": _sides(mode) for mode in MODES},
}


def _add(column: str, actor: str, rest: str, amount: str) -> str:
    """Add ``amount`` to ``column`` of the actor each row of ``rest`` (a FROM/WHERE text) names."""
    return (f"INSERT INTO summary_actors (actor, {column}) SELECT {actor}, {amount} {rest} "
            f"ON CONFLICT (actor) DO UPDATE SET {column} = summary_actors.{column} + excluded.{column}")


def _dyad_keys(row: str) -> tuple[str, str]:
    """The pair of a ``summary_totals`` row, the smaller id first."""
    source, target = f"{row}.source", f"{row}.target"
    return (f"CASE WHEN {source} < {target} THEN {source} ELSE {target} END",
            f"CASE WHEN {source} < {target} THEN {target} ELSE {source} END")


def _add_dyad(row: str, sign: int) -> str:
    a, b = _dyad_keys(row)
    return ("INSERT INTO summary_dyads (mode, a, b, events, asserted) "
            f"SELECT {row}.mode, {a}, {b}, {sign} * {row}.n, "
            f"CASE WHEN {row}.modality = 'asserted' THEN {sign} * {row}.n ELSE 0 END "
            f"WHERE {row}.source <> '' AND {row}.target <> '' AND {row}.source <> {row}.target "
            "ON CONFLICT (mode, a, b) DO UPDATE SET events = summary_dyads.events + excluded.events, "
            "asserted = summary_dyads.asserted + excluded.asserted")


def _dyads_sql() -> str:
    """Every dyad's acts and asserted acts from ``summary_totals``."""
    a, b = _dyad_keys("t")
    return (f"SELECT t.mode, {a} AS a, {b} AS b, sum(t.n) AS events, "
            "sum(CASE WHEN t.modality = 'asserted' THEN t.n ELSE 0 END) AS asserted FROM summary_totals t "
            "WHERE t.source <> '' AND t.target <> '' AND t.source <> t.target GROUP BY 1, 2, 3")


def _own_row(column: str, row: str, field: str, sign: int) -> str:
    return _add(column, f"{row}.{field}", f"WHERE {row}.{field} IS NOT NULL", str(sign))


def _mention_row(row: str, sign: int) -> list[str]:
    original = (f"FROM documents d WHERE d.id = {row}.doc_id AND d.duplicate_of IS NULL "
                f"AND {row}.actor_id IS NOT NULL")
    return [_own_row("named", row, "actor_id", sign), _own_row("named", row, "person", sign),
            _add("mentions", f"{row}.actor_id", original, str(sign))]


def _document_row(row: str, sign: int) -> list[str]:
    """The mentions of an original document count for their actors."""
    rest = (f"FROM mentions m WHERE m.doc_id = {row}.id AND {row}.duplicate_of IS NULL AND m.actor_id IS NOT NULL "
            "GROUP BY m.actor_id")
    return [_add("mentions", "m.actor_id", rest, f"{sign} * count(*)")]


def _row_statements(table: str, row: str, sign: int) -> list[str]:
    if table == "actors":
        return [_own_row("documents", row, "id", sign)]
    if table == "mentions":
        return _mention_row(row, sign)
    if table == "events":
        return [_own_row("reports", row, "source", sign), _own_row("reports", row, "target", sign)]
    if table == "quotes":
        return [_own_row("quotes", row, "speaker_actor", sign)]
    if table == "summary_totals":
        return [*(_add(f"{mode}_involved", actor, rest, f"{sign} * {row}.n") for mode in MODES
                  for actor, rest in _sides(mode, row)), _add_dyad(row, sign)]
    return _document_row(row, sign)


#: The columns whose change can change what a row counts.
_WATCHED = {"actors": ("id",), "mentions": ("doc_id", "actor_id", "person"), "events": ("source", "target"),
            "quotes": ("speaker_actor",), "documents": ("id", "duplicate_of"),
            "summary_totals": ("mode", "source", "target", "n")}


def _trigger_bodies() -> dict[tuple[str, str], list[str]]:
    bodies: dict[tuple[str, str], list[str]] = {}
    for table in _WATCHED:
        bodies[(table, "INSERT")] = _row_statements(table, "NEW", 1)
        bodies[(table, "DELETE")] = _row_statements(table, "OLD", -1)
        bodies[(table, "UPDATE")] = _row_statements(table, "OLD", -1) + _row_statements(table, "NEW", 1)
    return bodies


def _name(table: str, operation: str) -> str:
    return f"summary_actors_{table}_{operation.lower()}"


def create_triggers(conn: Connection) -> None:
    """The triggers that keep ``summary_actors``, in the connection's dialect (replacing any of the same name)."""
    drop_triggers(conn)
    for (table, operation), statements in _trigger_bodies().items():
        name, body = _name(table, operation), "".join(f"{statement};\n" for statement in statements)
        when = f"UPDATE OF {', '.join(_WATCHED[table])}" if operation == "UPDATE" else operation
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $body$\nBEGIN\n"
                                 f"{body}RETURN NULL;\nEND\n$body$")
            conn.exec_driver_sql(f"CREATE TRIGGER {name} AFTER {when} ON {table} FOR EACH ROW "
                                 f"EXECUTE FUNCTION {name}()")
        else:
            conn.exec_driver_sql(f"CREATE TRIGGER {name} AFTER {when} ON {table} FOR EACH ROW BEGIN\n{body}END")


def drop_triggers(conn: Connection) -> None:
    for table, operation in _trigger_bodies():
        name = _name(table, operation)
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            conn.exec_driver_sql(f"DROP FUNCTION IF EXISTS {name}()")
        else:
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")


def _computed_sql() -> str:
    """Every actor's counts from the records: one grouped count per source, summed per actor."""
    parts = []
    for column, sources in _FROM_SCRATCH.items():
        counted = "sum(n)" if column.endswith("_involved") else "count(*)"
        amounts = ", ".join(f"{counted} AS {c}" if c == column else f"0 AS {c}" for c in COLUMNS)
        parts += [f"SELECT {actor} AS actor, {amounts} {rest} GROUP BY {actor}" for actor, rest in sources]
    sums = ", ".join(f"sum({c}) AS {c}" for c in COLUMNS)
    return f"SELECT actor, {sums} FROM ({' UNION ALL '.join(parts)}) AS counted GROUP BY actor"


def rebuild(conn: Connection) -> int:
    """Recompute ``summary_actors`` from the records; returns its rows."""
    conn.execute(delete(SA))
    conn.exec_driver_sql(f"INSERT INTO summary_actors (actor, {', '.join(COLUMNS)}) {_computed_sql()}")
    conn.execute(delete(schema.summary_dyads))
    conn.exec_driver_sql(f"INSERT INTO summary_dyads (mode, a, b, events, asserted) {_dyads_sql()}")
    for table in ("summary_actors", "summary_dyads"):
        conn.exec_driver_sql(f"ANALYZE {table}")
    return int(conn.scalar(text("SELECT count(*) FROM summary_actors")) or 0)


def stale_rows(conn: Connection) -> list[tuple[Any, ...]]:
    """The actors whose kept counts differ from the counts from scratch: ("actor", id, kept, fresh)."""
    zero = (0,) * len(COLUMNS)
    kept = {row[0]: tuple(int(n) for n in row[1:]) for row in conn.execute(SA.select())}
    fresh = {row[0]: tuple(int(n) for n in row[1:]) for row in conn.exec_driver_sql(_computed_sql())}
    found: list[tuple[Any, ...]] = [("actor", actor, kept.get(actor, zero), fresh.get(actor, zero))
                                    for actor in sorted(set(kept) | set(fresh))
                                    if kept.get(actor, zero) != fresh.get(actor, zero)]
    dyads = {tuple(row[:3]): (int(row[3]), int(row[4])) for row in conn.execute(schema.summary_dyads.select())}
    counted = {tuple(row[:3]): (int(row[3]), int(row[4])) for row in conn.exec_driver_sql(_dyads_sql())}
    return found + [("dyad", *key, dyads.get(key, (0, 0)), counted.get(key, (0, 0)))
                    for key in sorted(set(dyads) | set(counted)) if dyads.get(key, (0, 0)) != counted.get(key, (0, 0))]
