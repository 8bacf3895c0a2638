"""Write table rows as JSON Lines, CSV or Parquet to a binary stream.

Parquet columns take their types from the table definition, so an empty
table still exports with its schema; rows are written in batches, so a large
table never sits in memory whole.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import chain, islice
from typing import IO, Any

from sqlalchemy import Boolean, Float, Integer, Table

from dyadlens.exports.csv_safety import csv_line
from dyadlens.store.schema import EXPORTABLE
from dyadlens.terminal_safety import escape_json_output

ROW_FORMATS = ("jsonl", "csv", "parquet")
BATCH_ROWS = 10_000


def write_rows(rows: Iterable[Mapping[str, Any]], fmt: str, out: IO[bytes], table: str | None = None) -> int:
    """Write ``rows`` in ``fmt`` to ``out``; returns the number of rows.

    ``table`` names the store table the rows come from: it fixes the CSV
    header and the Parquet schema (otherwise taken from the first row).
    """
    columns = list(EXPORTABLE[table].c.keys()) if table else None
    if fmt == "jsonl":
        return _write_jsonl(rows, out)
    if fmt == "csv":
        return _write_csv(rows, out, columns)
    if fmt == "parquet":
        return _write_parquet(rows, out, EXPORTABLE[table] if table else None)
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


def _write_parquet(rows: Iterable[Mapping[str, Any]], out: IO[bytes], table: Table | None) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    batches = _batches(iter(rows), BATCH_ROWS)
    first = next(batches, [])
    schema = _arrow_schema(table) if table is not None else pa.Table.from_pylist(first).schema
    count = 0
    with pq.ParquetWriter(out, schema) as writer:
        for batch in chain([first], batches):
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            count += len(batch)
    return count


def _batches(rows: Iterator[Mapping[str, Any]], size: int) -> Iterator[list[Mapping[str, Any]]]:
    while batch := list(islice(rows, size)):
        yield batch


def _arrow_schema(table: Table) -> Any:
    import pyarrow as pa

    def arrow_type(column: Any) -> Any:
        if isinstance(column.type, Boolean):
            return pa.bool_()
        if isinstance(column.type, Integer):
            return pa.int64()
        if isinstance(column.type, Float):
            return pa.float64()
        return pa.string()

    return pa.schema([pa.field(c.name, arrow_type(c)) for c in table.columns])
