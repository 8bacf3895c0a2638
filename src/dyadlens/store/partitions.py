"""Partitions: a batch of documents' rows in one Parquet file, written by a worker, bulk-loaded by the store.

A partition holds one row per document: the document's columns (a struct)
and, for each record kind, the list of its rows (a list of structs), each
with the columns of its table in :mod:`dyadlens.store.schema`, made by the
same codec as a plain write (:func:`~dyadlens.store.codec.record_rows`). The
columns the store decides (``seq``, ``duplicate_of``, ``ingested_at``, a
sentence's ``row``) are left out; the pipeline signature is in the file's
metadata.

A partition is written under a temporary name and renamed into place, so a
reader never sees half a file under a partition's name; the manifest
(:class:`Manifest`) lists the partitions in input order with the sha256 of
each, so a file damaged afterwards is refused by name. See docs/distributed.md.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import Boolean, Float, Integer, LargeBinary, Table

from dyadlens.errors import StoreError
from dyadlens.model import RECORD_KINDS, DocumentRecords
from dyadlens.store import schema
from dyadlens.store.codec import RECORD_TYPES, document_row, field_names, record_rows

FORMAT = "dyadlens-partition/1"
MANIFEST = "manifest.json"
#: Document columns the store sets when it loads the document, not the worker.
STORE_DOCUMENT_COLUMNS = frozenset({"seq", "duplicate_of", "pipeline", "ingested_at"})


class PartitionError(StoreError):
    """A partition that cannot be loaded: unreadable, damaged, or of another format."""


@dataclass(frozen=True, slots=True)
class WrittenPartition:
    """What a worker reports of the partition it wrote."""

    file: str  # the name inside the partitions folder
    sha256: str
    doc_ids: tuple[str, ...]
    pipeline: str


@dataclass(frozen=True, slots=True)
class Partition:
    """A partition read back: its documents' rows and their records' rows, table by table."""

    path: Path
    pipeline: str
    documents: list[dict[str, Any]]
    records: dict[str, list[dict[str, Any]]]  # table name -> rows of every document, in document order
    counts: dict[str, dict[str, int]]  # doc id -> record kind -> how many


def write_partition(folder: Path, name: str, batch: Sequence[DocumentRecords], pipeline: str) -> WrittenPartition:
    """Write ``batch`` as the partition ``folder/name`` (temporary file, then an atomic rename)."""
    rows = [_document_entry(records) for records in batch]
    table = pa.Table.from_pylist(rows, schema=arrow_schema().with_metadata({"format": FORMAT, "pipeline": pipeline}))
    target = folder / name
    temporary = folder / f".{name}.{uuid.uuid4().hex}.tmp"
    pq.write_table(table, temporary, compression="zstd")
    with temporary.open("rb") as handle:
        os.fsync(handle.fileno())
    os.replace(temporary, target)
    doc_ids = tuple(records.document.id for records in batch)
    return WrittenPartition(file=name, sha256=file_sha256(target), doc_ids=doc_ids, pipeline=pipeline)


def read_partition(path: Path, sha256: str | None = None) -> Partition:
    """Read a partition; a missing, damaged or foreign file is a :class:`PartitionError` naming it."""
    if sha256 is not None and path.is_file() and file_sha256(path) != sha256:
        raise PartitionError(f"{path}: partition damaged: its sha256 differs from the manifest's")
    try:
        table = pq.read_table(path)
    except (OSError, pa.ArrowException) as error:
        raise PartitionError(f"{path}: cannot read partition: {error}") from error
    metadata = table.schema.metadata or {}
    if metadata.get(b"format") != FORMAT.encode() or table.schema.remove_metadata() != arrow_schema():
        raise PartitionError(f"{path}: not a {FORMAT} partition (written by another version of dyadlens?)")
    documents = table.column("document").to_pylist()
    records: dict[str, list[dict[str, Any]]] = {}
    counts: dict[str, dict[str, int]] = {doc["id"]: {} for doc in documents}
    for kind in RECORD_KINDS:
        per_document = table.column(kind.name).to_pylist()
        records[kind.name] = [row for rows in per_document for row in rows]
        for doc, rows in zip(documents, per_document, strict=True):
            counts[doc["id"]][kind.name] = len(rows)
            _check_owner(path, doc["id"], kind.name, rows)
    return Partition(path, metadata[b"pipeline"].decode(), documents, records, counts)


def _check_owner(path: Path, doc_id: str, kind: str, rows: list[dict[str, Any]]) -> None:
    for row in rows:
        if row["doc_id"] != doc_id:
            raise PartitionError(f"{path}: a {kind} row of {doc_id!r} names document {row['doc_id']!r}")


def _document_entry(records: DocumentRecords) -> dict[str, Any]:
    doc = records.document
    row = document_row(doc, seq=0, duplicate_of=None, pipeline="", ingested_at="")
    entry: dict[str, Any] = {"document": {k: v for k, v in row.items() if k not in STORE_DOCUMENT_COLUMNS}}
    for kind in RECORD_KINDS:
        entry[kind.name] = record_rows(doc.id, kind.name, getattr(records, kind.name))
    return entry


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@cache
def arrow_schema() -> pa.Schema:
    """One row per document: its columns, then each record kind's rows."""
    document_columns = [c for c in schema.documents.columns if c.name not in STORE_DOCUMENT_COLUMNS]
    fields = [pa.field("document", pa.struct([pa.field(c.name, _arrow_type(c.type)) for c in document_columns]))]
    for kind in RECORD_KINDS:
        table, cls = RECORD_TYPES[kind.name]
        fields.append(pa.field(kind.name, pa.list_(pa.struct(_record_fields(table, cls)))))
    return pa.schema(fields)


def record_columns(table: Table, cls: type) -> list[str]:
    """The columns of ``table`` a partition carries: the record's fields, ``seq``, ``doc_id`` (and an event's root)."""
    carried = {*field_names(cls), "seq", "doc_id", "root"}
    return [c.name for c in table.columns if c.name in carried]


def _record_fields(table: Table, cls: type) -> list[pa.Field]:
    names = set(record_columns(table, cls))
    return [pa.field(c.name, _arrow_type(c.type)) for c in table.columns if c.name in names]


def _arrow_type(column_type: Any) -> pa.DataType:
    if isinstance(column_type, Boolean):
        return pa.bool_()
    if isinstance(column_type, Integer):
        return pa.int64()
    if isinstance(column_type, Float):
        return pa.float64()
    if isinstance(column_type, LargeBinary):
        return pa.binary()
    return pa.string()


@dataclass
class Manifest:
    """The partitions of a folder, in input order, with the sha256 of each (``manifest.json``)."""

    folder: Path
    partitions: list[WrittenPartition] = field(default_factory=list)

    @classmethod
    def open(cls, folder: Path) -> Manifest:
        """The folder's manifest (an empty one for a new folder, which is created)."""
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / MANIFEST
        if not path.is_file():
            return cls(folder)
        try:
            data = json.loads(path.read_text("utf-8"))
            found = [WrittenPartition(**{**entry, "doc_ids": tuple(entry["doc_ids"])}) for entry in data["partitions"]]
        except (ValueError, KeyError, TypeError) as error:
            raise PartitionError(f"{path}: unreadable manifest: {error}") from error
        return cls(folder, found)

    def add(self, written: WrittenPartition) -> None:
        """Record a partition (replacing an earlier entry of the same file) and save, atomically."""
        self.partitions = [p for p in self.partitions if p.file != written.file] + [written]
        data = {"format": FORMAT, "partitions": [asdict(p) for p in self.partitions]}
        temporary = self.folder / f".{MANIFEST}.{uuid.uuid4().hex}.tmp"
        temporary.write_text(json.dumps(data, indent=1), encoding="utf-8")
        os.replace(temporary, self.folder / MANIFEST)
