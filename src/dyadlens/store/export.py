"""Write table rows as JSON Lines, CSV or Parquet to a binary stream.

Parquet columns take their types from the table definition, so an empty
table still exports with its schema; rows are written in batches, so a large
table never sits in memory whole. Text stays text: a CAMEO code is the string
``050`` in every format.

The ``events`` table is exported with its context beside the ids
(:data:`EVENT_CONTEXT_COLUMNS`): the two actors' names, the evidence sentence,
the document's publication date, and the event and publication dates as
dates where they are complete days (Parquet ``date32``; the ISO prefix
columns ``date`` and ``published`` keep partial dates). See docs/exports.md.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import chain, islice
from typing import IO, Any

from sqlalchemy import Boolean, Float, Integer, and_, func, select

from dyadlens.exports.csv_safety import csv_line
from dyadlens.partial_dates import PartialDate
from dyadlens.store.queries import not_rejected
from dyadlens.store.schema import EXPORTABLE, actors, documents, events, sentences
from dyadlens.store.store import Store
from dyadlens.terminal_safety import escape_json_output

ROW_FORMATS = ("jsonl", "csv", "parquet")
BATCH_ROWS = 10_000
#: What an exported event carries beside its ids; the ``*_day`` columns are dates (complete days only).
EVENT_CONTEXT_COLUMNS = ("source_name", "target_name", "evidence_text", "published", "date_day", "published_day")
_DATE_COLUMNS = frozenset({"date_day", "published_day"})


def table_columns(table: str) -> list[str]:
    """The columns an export of ``table`` writes, in order."""
    extra = list(EVENT_CONTEXT_COLUMNS) if table == "events" else []
    return list(EXPORTABLE[table].c.keys()) + extra


def table_rows(store: Store, table: str) -> Iterator[dict[str, Any]]:
    """The rows an export of ``table`` writes: the store's rows, events with their context."""
    if table != "events":
        yield from store.rows(table)
        return
    with store.reader() as conn:
        for row in conn.execute(_events_with_context()).mappings():
            yield _with_days(dict(row))


def _events_with_context() -> Any:
    """Every event the analyst did not reject, joined to its actors' names (as its document names
    them), its sentence's text and its document's publication date; in the store's export order."""
    e, d, s = events, documents, sentences
    source, target = actors.alias("source_actor"), actors.alias("target_actor")
    evidence = func.substr(d.c.text, s.c.start + 1, s.c.end - s.c.start)
    return (
        select(e, source.c.name.label("source_name"), target.c.name.label("target_name"),
               evidence.label("evidence_text"), d.c.published.label("published"))
        .select_from(e.join(d, d.c.id == e.c.doc_id)
                     .outerjoin(s, and_(s.c.doc_id == e.c.doc_id, s.c.index == e.c.sentence_index))
                     .outerjoin(source, and_(source.c.doc_id == e.c.doc_id, source.c.id == e.c.source))
                     .outerjoin(target, and_(target.c.doc_id == e.c.doc_id, target.c.id == e.c.target)))
        .where(not_rejected())
        .order_by(e.c.doc_id, e.c.seq)
    )


def _with_days(row: dict[str, Any]) -> dict[str, Any]:
    row["date_day"] = complete_day(row.get("date"))
    row["published_day"] = complete_day(row.get("published"))
    return row


def complete_day(value: str | None) -> datetime.date | None:
    """The day an ISO date (or datetime) names, when it names a complete day; None for partial dates."""
    when = PartialDate.parse_or_none((value or "")[:10])
    return when.first_day if when is not None and when.day else None


def write_rows(rows: Iterable[Mapping[str, Any]], fmt: str, out: IO[bytes], table: str | None = None) -> int:
    """Write ``rows`` in ``fmt`` to ``out``; returns the number of rows.

    ``table`` names the store table the rows come from: it fixes the CSV
    header and the Parquet schema (otherwise taken from the first row).
    """
    columns = table_columns(table) if table else None
    if fmt == "jsonl":
        return _write_jsonl(rows, out)
    if fmt == "csv":
        return _write_csv(rows, out, columns)
    if fmt == "parquet":
        return _write_parquet(rows, out, table)
    raise ValueError(f"unknown format {fmt!r}; formats are {', '.join(ROW_FORMATS)}")


def _write_jsonl(rows: Iterable[Mapping[str, Any]], out: IO[bytes]) -> int:
    """One JSON object a line; bidi and control characters as ``\\uNNNN`` (the same value, safe on a terminal)."""
    count = 0
    for row in rows:
        dumped = escape_json_output(json.dumps(row, ensure_ascii=False, default=str))
        out.write(dumped.encode("utf-8") + b"\n")
        count += 1
    return count


def _write_csv(rows: Iterable[Mapping[str, Any]], out: IO[bytes], columns: Sequence[str] | None) -> int:
    """RFC 4180 CSV whose text cells cannot run as spreadsheet formulas (:mod:`dyadlens.exports.csv_safety`)."""
    rows = iter(rows)
    first = next(rows, None)
    header = columns or (list(first) if first is not None else [])
    out.write(csv_line(header).encode("utf-8"))
    count = 0
    for row in chain([first] if first is not None else [], rows):
        values = _csv_values(row)
        out.write(csv_line(values.get(column) for column in header).encode("utf-8"))
        count += 1
    return count


def _csv_values(row: Mapping[str, Any]) -> dict[str, Any]:
    return {k: json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else v for k, v in row.items()}


def _write_parquet(rows: Iterable[Mapping[str, Any]], out: IO[bytes], table: str | None) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    batches = _batches(iter(rows), BATCH_ROWS)
    first = next(batches, [])
    schema = _arrow_schema(table) if table else pa.Table.from_pylist(first).schema
    count = 0
    with pq.ParquetWriter(out, schema) as writer:
        for batch in chain([first], batches):
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            count += len(batch)
    return count


def _batches(rows: Iterator[Mapping[str, Any]], size: int) -> Iterator[list[Mapping[str, Any]]]:
    while batch := list(islice(rows, size)):
        yield batch


def _arrow_schema(table: str) -> Any:
    """The table's columns typed as the store types them (text as strings), then the context columns
    of an events export: the ``*_day`` columns ``date32``, the others strings."""
    import pyarrow as pa

    def arrow_type(column: Any) -> Any:
        if isinstance(column.type, Boolean):
            return pa.bool_()
        if isinstance(column.type, Integer):
            return pa.int64()
        if isinstance(column.type, Float):
            return pa.float64()
        return pa.string()

    stored = [pa.field(c.name, arrow_type(c)) for c in EXPORTABLE[table].columns]
    extra = [pa.field(name, pa.date32() if name in _DATE_COLUMNS else pa.string())
             for name in table_columns(table)[len(stored):]]
    return pa.schema(stored + extra)
