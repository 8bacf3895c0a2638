"""Bulk-loading a partition (:mod:`dyadlens.store.partitions`) into the store, in one transaction.

What :meth:`Store.write <dyadlens.store.store.Store.write>` does for one
document, done set-based for a partition's documents:

- a document stored from the same input bytes by the same pipeline is
  skipped (a rerun resumes); one stored from other bytes is refused unless
  ``replace``, and the others load;
- the rows go in with ``executemany`` on SQLite and ``COPY`` on PostgreSQL
  (straight into the tables: the conflicts were settled above and the
  replaced documents' rows deleted in the same transaction, so a staging
  table would only copy every row twice);
- then, as after a plain write: the analyst's corrections, the search index,
  the documents' earlier failures cleared, duplicate marks, and the event
  identity step over the partition's documents in document order (the
  summary tables follow through their triggers).

The whole partition is one transaction: when anything fails, nothing of it
is stored.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Table, bindparam, case, func, select, update

from dyadlens.errors import StoreError
from dyadlens.identity.store_sync import clusters_of_documents, refresh_clusters
from dyadlens.store import schema
from dyadlens.store.backend import IndexedSentence
from dyadlens.store.corrections import apply_corrections
from dyadlens.store.partitions import Partition
from dyadlens.store.quote_words import keyed_quotes
from dyadlens.store.store import Store, WriteResult

D = schema.documents
#: Most values bound in one ``IN (...)`` list (SQLite's limit on parameters is far above it).
IN_CHUNK = 500


@dataclass(frozen=True, slots=True)
class LoadedDocument:
    """One document of a partition: written (``result``), refused (the error), or already stored (None)."""

    doc_id: str
    path: str  # the input it was read from
    result: WriteResult | StoreError | None
    counts: dict[str, int]
    warnings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Stored:
    seq: int
    fingerprint: str
    content_hash: str
    path: str
    pipeline: str


def load_partition(store: Store, partition: Partition, *, replace: bool = False) -> list[LoadedDocument]:
    """Load ``partition`` into ``store`` in one transaction; one result per document, in partition order.

    An earlier failure to load the same file (recorded under its path) is cleared with it."""
    with store.transaction() as conn:
        stored = _stored(conn, [doc["id"] for doc in partition.documents])
        outcomes = {doc["id"]: _settle(doc, stored.get(doc["id"]), partition.pipeline, replace)
                    for doc in partition.documents}
        writing = [doc for doc in partition.documents if outcomes[doc["id"]] == "write"]
        duplicates = _write(store, conn, partition, writing, stored) if writing else {}
        conn.execute(schema.failures.delete().where(schema.failures.c.path == str(partition.path)))
    return [_loaded(partition, doc, outcomes[doc["id"]], duplicates, stored) for doc in partition.documents]


def _settle(doc: dict[str, Any], stored: _Stored | None, pipeline: str, replace: bool) -> str | StoreError:
    if stored is None:
        return "write"
    if stored.content_hash == doc["content_hash"]:
        return "skip" if stored.pipeline == pipeline else "write"
    if replace:
        return "write"
    return StoreError(f"{doc['path']}: cannot store document {doc['id']}: id {doc['id']!r} already holds "
                      f"other content (from {stored.path}); not replaced")


def _loaded(partition: Partition, doc: dict[str, Any], outcome: str | StoreError,
            duplicates: dict[str, str | None], stored: dict[str, _Stored]) -> LoadedDocument:
    doc_id = doc["id"]
    result: WriteResult | StoreError | None
    if isinstance(outcome, StoreError):
        result = outcome
    elif outcome == "skip":
        result = None
    else:
        result = WriteResult(doc_id=doc_id, duplicate_of=duplicates.get(doc_id), replaced=doc_id in stored)
    warnings = tuple(json.loads(doc["meta"]).get("warnings", ()))
    return LoadedDocument(doc_id, doc["path"], result, partition.counts[doc_id], warnings)


def _write(store: Store, conn: Connection, partition: Partition, writing: list[dict[str, Any]],
           stored: dict[str, _Stored]) -> dict[str, str | None]:
    """Write the documents, their records and everything a write keeps right; their duplicate marks."""
    ids = [doc["id"] for doc in writing]
    replaced = [doc_id for doc_id in ids if doc_id in stored]
    stale = clusters_of_documents(conn, replaced) if replaced else set()
    _delete_records(store, conn, replaced)
    _write_documents(conn, writing, stored, partition.pipeline)
    texts = {doc["id"]: doc["text"] for doc in writing}
    for table_name, rows in partition.records.items():
        written = [row for row in rows if row["doc_id"] in texts]
        _insert(conn, schema.metadata.tables[table_name],
                keyed_quotes(written, texts) if table_name == schema.quotes.name else written)
    for doc_id in ids:
        apply_corrections(conn, doc_id)
    _index_sentences(store, conn, writing)
    for chunk in _chunks(ids):
        conn.execute(schema.failures.delete().where(schema.failures.c.doc_id.in_(chunk)))
    fingerprints = {doc["fingerprint"] for doc in writing} | {stored[i].fingerprint for i in replaced}
    mark_duplicates(conn, fingerprints - {""})
    refresh_clusters(conn, ids, stale=stale)
    return {row.id: row.duplicate_of for chunk in _chunks(ids)
            for row in conn.execute(select(D.c.id, D.c.duplicate_of).where(D.c.id.in_(chunk)))}


def _stored(conn: Connection, ids: Sequence[str]) -> dict[str, _Stored]:
    columns = (D.c.id, D.c.seq, D.c.fingerprint, D.c.content_hash, D.c.path, D.c.pipeline)
    return {row.id: _Stored(row.seq, row.fingerprint, row.content_hash, row.path, row.pipeline)
            for chunk in _chunks(ids) for row in conn.execute(select(*columns).where(D.c.id.in_(chunk)))}


def _delete_records(store: Store, conn: Connection, doc_ids: Sequence[str]) -> None:
    s = schema.sentences
    for chunk in _chunks(doc_ids):
        store.backend.unindex_rows(conn, list(conn.scalars(select(s.c.row).where(s.c.doc_id.in_(chunk)))))
        for table in schema.RECORD_TABLES:
            conn.execute(table.delete().where(table.c.doc_id.in_(chunk)))


def _write_documents(conn: Connection, writing: list[dict[str, Any]], stored: dict[str, _Stored],
                     pipeline: str) -> None:
    """New documents take the next ``seq`` numbers in partition order; a replaced one keeps its own."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    next_seq = int(conn.scalar(select(func.coalesce(func.max(D.c.seq), 0))) or 0) + 1
    new, old = [], []
    for doc in writing:
        row = {**doc, "duplicate_of": None, "pipeline": pipeline, "ingested_at": now}
        if doc["id"] in stored:
            old.append({f"new_{name}": value for name, value in {**row, "seq": stored[doc["id"]].seq}.items()})
        else:
            new.append({**row, "seq": next_seq})
            next_seq += 1
    _insert(conn, D, new)
    if old:
        values: dict[str, Any] = {c.name: bindparam(f"new_{c.name}") for c in D.columns if c.name != "id"}
        conn.execute(update(D).where(D.c.id == bindparam("new_id")).values(values), old)


def _insert(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows``: ``COPY`` on PostgreSQL, ``executemany`` elsewhere."""
    if not rows:
        return
    if conn.dialect.name != "postgresql":
        conn.execute(table.insert(), rows)
        return
    names = list(rows[0])
    columns = ", ".join(f'"{name}"' for name in names)
    driver = conn.connection.driver_connection
    assert driver is not None
    with driver.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({columns}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([row[name] for name in names])


def _index_sentences(store: Store, conn: Connection, writing: list[dict[str, Any]]) -> None:
    s = schema.sentences
    texts = {doc["id"]: doc["text"] for doc in writing}
    indexed: list[IndexedSentence] = []
    for chunk in _chunks(list(texts)):
        query = select(s.c.row, s.c.doc_id, s.c.start, s.c.end).where(s.c.doc_id.in_(chunk), s.c.analysed.is_(True))
        indexed.extend(IndexedSentence(r.row, r.doc_id, texts[r.doc_id][r.start : r.end]) for r in conn.execute(query))
    store.backend.index_sentences(conn, indexed)


def mark_duplicates(conn: Connection, fingerprints: Iterable[str]) -> None:
    """Point every document with one of ``fingerprints`` at the earliest one that has it (the earliest
    at none), in two statements per chunk of fingerprints; rows already right are not touched."""
    other = D.alias("earliest")
    earliest = (select(other.c.id).where(other.c.fingerprint == D.c.fingerprint)
                .order_by(other.c.seq).limit(1).scalar_subquery())
    mark = case((D.c.id == earliest, None), else_=earliest)
    for chunk in _chunks(sorted(fingerprints)):
        conn.execute(update(D).where(D.c.fingerprint.in_(chunk), D.c.duplicate_of.is_distinct_from(mark))
                     .values(duplicate_of=mark))


def _chunks(values: Sequence[str]) -> Iterable[list[str]]:
    for start in range(0, len(values), IN_CHUNK):
        yield list(values[start : start + IN_CHUNK])

