"""Conversion between the record dataclasses and table rows.

A record's fields map one to one onto columns of the same name; the only
extras are ``seq`` (position in the document's list), ``doc_id`` for actors,
the derived ``root`` of events and the store's own document columns.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import fields
from types import MappingProxyType
from typing import Any, TypeVar

from sqlalchemy import Table

from dyadlens.errors import StoreError
from dyadlens.model import RECORD_KINDS, Document
from dyadlens.store import schema

T = TypeVar("T")

#: Which list of :class:`DocumentRecords` each record table holds: the table and record class of each kind.
RECORD_TYPES: Mapping[str, tuple[Table, type]] = MappingProxyType(
    {kind.name: (table, kind.record) for kind, table in zip(RECORD_KINDS, schema.RECORD_TABLES, strict=True)}
)

#: Each record class's field names, computed once: they are read for every row.
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def field_names(cls: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in fields(cls))
    return names


def record_rows(doc_id: str, attribute: str, records: Sequence[Any]) -> list[dict[str, Any]]:
    """Rows for one list of a document's records, numbered in list order."""
    names = field_names(RECORD_TYPES[attribute][1])
    rows = []
    for seq, record in enumerate(records):
        if getattr(record, "doc_id", doc_id) != doc_id:
            raise StoreError(f"{attribute} record {record.id} belongs to {record.doc_id!r}, not to {doc_id!r}")
        row = {name: getattr(record, name) for name in names}
        row["seq"] = seq
        row["doc_id"] = doc_id
        if attribute == "events":
            row["root"] = record.root
        rows.append(row)
    return rows


def record_from_row(cls: type[T], row: Mapping[Any, Any]) -> T:
    return cls(**{name: row[name] for name in field_names(cls)})


def document_row(
    document: Document, *, seq: int, duplicate_of: str | None, pipeline: str, ingested_at: str
) -> dict[str, Any]:
    row = {name: getattr(document, name) for name in field_names(Document)}
    row.update(
        seq=seq,
        duplicate_of=duplicate_of,
        meta=json.dumps(document.meta, ensure_ascii=False, sort_keys=True, default=str),
        pipeline=pipeline,
        ingested_at=ingested_at,
    )
    return row


def document_from_row(row: Mapping[Any, Any]) -> Document:
    values = {name: row[name] for name in field_names(Document)}
    values["meta"] = json.loads(row["meta"])
    return Document(**values)
