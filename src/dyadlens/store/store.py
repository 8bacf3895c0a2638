"""The embedded store: every document and the records derived from it.

One transaction per document: :meth:`Store.write` replaces all earlier rows of
that document at once, so a reader (the web UI, another process) sees either
the old or the new version, and a killed ingest leaves no half-written
document behind. Records have deterministic ids, so writing the same records
twice leaves the same rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypedDict, cast

from sqlalchemy import ColumnElement, Connection, Select, String, and_, func, literal, select, union_all, update
from sqlalchemy.exc import SQLAlchemyError

from dyadlens.errors import StoreError
from dyadlens.identity.store_sync import clusters_of_documents, refresh_clusters
from dyadlens.model import (
    RECORD_KINDS,
    ActorRef,
    Designation,
    Document,
    DocumentRecords,
    Event,
    Failure,
    Mention,
    Quote,
    Region,
    Sentence,
)
from dyadlens.partial_dates import overlaps_sql, parse_bound
from dyadlens.store import schema
from dyadlens.store.backend import (
    HIGHLIGHT_END,
    HIGHLIGHT_START,
    Backend,
    IndexedSentence,
    connect,
)
from dyadlens.store.codec import (
    RECORD_TYPES,
    document_from_row,
    document_row,
    record_from_row,
    record_rows,
)
from dyadlens.store.corrections import apply_corrections
from dyadlens.store.migrations import applied_migrations, migrate, pending_migrations
from dyadlens.store.queries import (
    ClusterCounts,
    DocumentHead,
    EventQuery,
    PlacedEvent,
    ShownEvent,
    check_count,
    joined,
    not_rejected,
    placed_order,
)
from dyadlens.store.quote_words import keyed_quotes

D = schema.documents


@dataclass(frozen=True, slots=True)
class WriteResult:
    doc_id: str
    duplicate_of: str | None  # the earliest other document with the same fingerprint
    replaced: bool  # the document was already stored and its rows were replaced


@dataclass(frozen=True, slots=True)
class StoredInput:
    """What the store knows of the input behind a document id."""

    path: str
    content_hash: str
    pipeline: str


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """A document's metadata and record counts, without its text."""

    id: str
    path: str
    format: str
    title: str | None
    author: str | None
    outlet: str | None
    url: str | None
    published: str | None
    kind: str | None
    content_hash: str
    fingerprint: str
    duplicate_of: str | None
    pipeline: str
    ingested_at: str
    sentences: int
    events: int
    quotes: int
    designations: int


@dataclass(frozen=True, slots=True)
class StoredFailure:
    path: str
    reason: str
    stage: str
    doc_id: str | None
    time: str


@dataclass(frozen=True, slots=True)
class SearchHit:
    doc_id: str
    sentence: Sentence
    text: str  # the sentence's text
    snippet: str  # matched words between HIGHLIGHT_START and HIGHLIGHT_END
    score: float  # higher is better

    def highlighted(self, start: str = "[", end: str = "]") -> str:
        """The snippet with the match marks replaced (escape first when rendering HTML)."""
        return self.snippet.replace(HIGHLIGHT_START, start).replace(HIGHLIGHT_END, end)


class StoreStats(TypedDict):
    documents: int
    duplicates: int
    regions: int
    sentences: int
    analysed_sentences: int
    actors: int
    mentions: int
    events: int
    reports: int  # every report of an event (``events`` counts real events unless asked for reports)
    observations: int  # standing facts: a state observed, not a new act
    quotes: int
    designations: int
    places: int
    persons: int
    failures: int
    schema: int


def open_store(path: str | Path, read_only: bool = False) -> Store:
    """Open (and create or migrate) the store at a file path.

    ``read_only=True`` opens an existing store without migrating it, on
    connections where SQLite refuses every write (the web UI uses this).
    """
    if read_only and "://" not in str(path) and not Path(path).is_file():
        raise StoreError(f"{path}: no store here")
    try:
        backend = connect(path, read_only)
        if read_only:
            _check_schema(backend, path)
        else:
            migrate(backend)
    except SQLAlchemyError as error:
        raise StoreError(f"{path}: cannot open store: {_reason(error)}") from error
    return Store(backend)


def _check_schema(backend: Backend, path: str | Path) -> None:
    with backend.engine.connect() as conn:
        if pending_migrations(conn):
            raise StoreError(f"{path}: the store needs migrating; open it once for writing")


def _reason(error: SQLAlchemyError) -> str:
    """The database's own message, without the SQL statement SQLAlchemy appends."""
    return str(getattr(error, "orig", None) or error)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Store:
    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self.engine = backend.engine

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def reader(self) -> Iterator[Connection]:
        """A read connection (one consistent snapshot) for queries the API lacks."""
        with self.engine.connect() as conn:
            yield conn

    @contextmanager
    def _writer(self) -> Iterator[Connection]:
        with self.engine.connect().execution_options(write=True) as conn, conn.begin():
            yield conn

    def transaction(self) -> AbstractContextManager[Connection]:
        """A write connection in one transaction, for the tables beside the records
        (:mod:`dyadlens.store.corrections`)."""
        return self._writer()

    # --- writing -----------------------------------------------------------

    def write(self, records: DocumentRecords, *, pipeline: str = "", replace: bool = False) -> WriteResult:
        """Store one document and its records in one transaction, replacing earlier rows.

        ``pipeline`` is the signature of the pipeline that made the records
        (see :meth:`has_document`). A document stored from other input bytes
        under the same id is replaced only when ``replace`` is set; otherwise
        the write is refused with :class:`StoreError`, so nothing stored is
        ever replaced by accident.
        """
        doc = records.document
        try:
            with self._writer() as conn:
                return self._write_document(conn, records, pipeline, replace)
        except StoreError as error:
            raise StoreError(f"{doc.path}: cannot store document {doc.id}: {error}") from error
        except SQLAlchemyError as error:
            raise StoreError(f"{doc.path}: cannot store document {doc.id}: {_reason(error)}") from error

    def write_batch(
        self, batch: Sequence[DocumentRecords], *, pipeline: str = "", replace: bool = False
    ) -> list[WriteResult | Exception]:
        """Store several documents in one transaction (one commit, the cost the store pays most);
        each result is the document's :class:`WriteResult` or the error that refused it.

        Each document stays all-or-nothing: when any write fails the whole
        transaction is rolled back and the documents are written again one
        transaction each, so one bad document costs only itself.
        """
        if len(batch) > 1:
            try:
                with self._writer() as conn:
                    return [self._write_document(conn, records, pipeline, replace) for records in batch]
            except Exception:  # noqa: BLE001 - rolled back; each document is tried again on its own below
                pass
        return [self._write_alone(records, pipeline, replace) for records in batch]

    def _write_alone(self, records: DocumentRecords, pipeline: str, replace: bool) -> WriteResult | Exception:
        try:
            return self.write(records, pipeline=pipeline, replace=replace)
        except Exception as error:  # noqa: BLE001 - the caller records it as this document's failure
            return error

    def _write_document(
        self, conn: Connection, records: DocumentRecords, pipeline: str, replace: bool
    ) -> WriteResult:
        """Write one document and its records on ``conn``, inside the caller's transaction."""
        doc = records.document
        old = conn.execute(
            select(D.c.seq, D.c.fingerprint, D.c.content_hash, D.c.path).where(D.c.id == doc.id)
        ).first()
        if old and old.content_hash != doc.content_hash and not replace:
            raise StoreError(f"id {doc.id!r} already holds other content (from {old.path}); not replaced")
        stale_clusters = clusters_of_documents(conn, [doc.id])
        self._delete_records(conn, doc.id)
        seq = old.seq if old else self._next_seq(conn)
        row = document_row(doc, seq=seq, duplicate_of=None, pipeline=pipeline, ingested_at=_now())
        if old:
            conn.execute(update(D).where(D.c.id == doc.id).values(row))
        else:
            conn.execute(D.insert().values(row))
        self._insert_records(conn, records)
        apply_corrections(conn, doc.id)
        self._index_sentences(conn, doc)
        conn.execute(schema.failures.delete().where(schema.failures.c.doc_id == doc.id))
        self._mark_duplicates(conn, {doc.fingerprint, old.fingerprint if old else ""})
        refresh_clusters(conn, [doc.id], stale=stale_clusters)
        duplicate_of = conn.scalar(select(D.c.duplicate_of).where(D.c.id == doc.id))
        return WriteResult(doc_id=doc.id, duplicate_of=duplicate_of, replaced=old is not None)

    def record_failure(self, failure: Failure) -> None:
        """Record an input that could not be processed, replacing its earlier failure."""
        table = schema.failures
        same_doc = table.c.doc_id.is_(None) if failure.doc_id is None else table.c.doc_id == failure.doc_id
        with self._writer() as conn:
            conn.execute(table.delete().where(table.c.path == failure.path, same_doc))
            conn.execute(
                table.insert().values(
                    path=failure.path,
                    doc_id=failure.doc_id,
                    stage=failure.stage,
                    reason=failure.reason,
                    time=_now(),
                )
            )

    def _next_seq(self, conn: Connection) -> int:
        return int(conn.scalar(select(func.coalesce(func.max(D.c.seq), 0))) or 0) + 1

    def _delete_records(self, conn: Connection, doc_id: str) -> None:
        rows = conn.scalars(select(schema.sentences.c.row).where(schema.sentences.c.doc_id == doc_id))
        self.backend.unindex_rows(conn, list(rows))
        for table in schema.RECORD_TABLES:
            conn.execute(table.delete().where(table.c.doc_id == doc_id))

    def _insert_records(self, conn: Connection, records: DocumentRecords) -> None:
        doc = records.document
        for attribute, (table, _cls) in RECORD_TYPES.items():
            rows = record_rows(doc.id, attribute, getattr(records, attribute))
            if table is schema.quotes:
                rows = keyed_quotes(rows, {doc.id: doc.text})
            if rows:
                conn.execute(table.insert(), rows)

    def _index_sentences(self, conn: Connection, doc: Document) -> None:
        s = schema.sentences
        found = conn.execute(
            select(s.c.row, s.c.start, s.c.end).where(s.c.doc_id == doc.id, s.c.analysed.is_(True))
        )
        indexed = [IndexedSentence(row=r.row, doc_id=doc.id, text=doc.text[r.start : r.end]) for r in found]
        self.backend.index_sentences(conn, indexed)

    def _mark_duplicates(self, conn: Connection, fingerprints: set[str]) -> None:
        """Point every document at the earliest other one with its fingerprint."""
        for fingerprint in sorted(fingerprints - {""}):
            ids = list(conn.scalars(select(D.c.id).where(D.c.fingerprint == fingerprint).order_by(D.c.seq)))
            if not ids:
                continue
            conn.execute(update(D).where(D.c.id == ids[0], D.c.duplicate_of.is_not(None)).values(duplicate_of=None))
            later = D.c.id.in_(ids[1:])
            conn.execute(update(D).where(later, D.c.duplicate_of.is_distinct_from(ids[0])).values(duplicate_of=ids[0]))

    # --- documents ---------------------------------------------------------

    def stored_input(self, doc_id: str) -> StoredInput | None:
        """The path, input hash and pipeline behind a stored document, or None."""
        columns = (D.c.path, D.c.content_hash, D.c.pipeline)
        with self.reader() as conn:
            found = conn.execute(select(*columns).where(D.c.id == doc_id)).first()
        return None if found is None else StoredInput(found.path, found.content_hash, found.pipeline)

    def document(self, doc_id: str) -> Document | None:
        with self.reader() as conn:
            row = conn.execute(select(D).where(D.c.id == doc_id)).mappings().first()
        return document_from_row(row) if row else None

    def documents(self, limit: int | None = None, *, count: str = "events", offset: int = 0,
                  by_published: bool = False) -> list[DocumentInfo]:
        """The documents in ingest order (``by_published``: by publication date, undated last, then id),
        ``limit`` of them from ``offset``, with record counts; ``count="events"`` counts each real
        event the document reports once (its headline and body telling one event are one) and
        leaves its standing facts out, ``"reports"`` counts every report."""
        counts = {
            kind.name: select(_document_count(table, check_count(count)))
            .select_from(table)
            .where(table.c.doc_id == D.c.id, *([not_rejected()] if table is schema.events else []))
            .scalar_subquery()
            .label(kind.name)
            for kind, table in zip(RECORD_KINDS, schema.RECORD_TABLES, strict=True)
            if kind.per_document
        }
        columns = [c for c in D.c if c.name not in ("text", "raw", "meta", "seq", "published_source")]
        order = [D.c.published.is_(None), D.c.published, D.c.id] if by_published else [D.c.seq]
        query = select(*columns, *counts.values()).order_by(*order).limit(limit).offset(offset or None)
        with self.reader() as conn:
            return [DocumentInfo(**row) for row in conn.execute(query).mappings()]

    def document_ids(self) -> list[str]:
        with self.reader() as conn:
            return list(conn.scalars(select(D.c.id).order_by(D.c.seq)))

    def load_records(self, doc_id: str) -> DocumentRecords | None:
        """Everything stored for one document, equal to what was written
        (``document.duplicate_of`` as the store set it)."""
        with self.reader() as conn:
            return self._load(conn, doc_id)

    def iter_records(self) -> Iterator[DocumentRecords]:
        for doc_id in self.document_ids():
            records = self.load_records(doc_id)
            if records is not None:
                yield records

    def _load(self, conn: Connection, doc_id: str) -> DocumentRecords | None:
        row = conn.execute(select(D).where(D.c.id == doc_id)).mappings().first()
        if row is None:
            return None
        records = DocumentRecords(document=document_from_row(row))
        for attribute, (table, cls) in RECORD_TYPES.items():
            query = select(table).where(table.c.doc_id == doc_id).order_by(table.c.seq)
            if table is schema.events:
                query = query.where(not_rejected())
            setattr(records, attribute, [record_from_row(cls, r) for r in conn.execute(query).mappings()])
        return records

    def sentences(self, doc_id: str) -> list[Sentence]:
        return self._records_of(schema.sentences, Sentence, schema.sentences.c.doc_id == doc_id)

    def regions(self, doc_id: str) -> list[Region]:
        return self._records_of(schema.regions, Region, schema.regions.c.doc_id == doc_id)

    def failures(self) -> list[StoredFailure]:
        table = schema.failures
        with self.reader() as conn:
            rows = conn.execute(select(table).order_by(table.c.id)).mappings()
            return [StoredFailure(**{k: v for k, v in row.items() if k != "id"}) for row in rows]

    # --- records across documents -------------------------------------------

    def event(self, event_id: str) -> Event | None:
        """One event by id, from any document (duplicates included)."""
        found = self._records_of(schema.events, Event, schema.events.c.id == event_id, limit=1)
        return found[0] if found else None

    def events(self, query: EventQuery | None = None, *, limit: int | None = None) -> list[Event]:
        """The events matching ``query`` (all of them when None), in ingest order, then text order;
        counting events, each is its cluster's lead with the cluster's consolidated fields."""
        e = schema.events
        found = (query or EventQuery()).select_events().order_by(D.c.seq, e.c.seq).limit(limit)
        with self.reader() as conn:
            return [record_from_row(Event, row) for row in conn.execute(found).mappings()]

    def placed_events(self, query: EventQuery) -> list[PlacedEvent]:
        """Id, code and placing date of the events matching ``query``, in the views' event order.

        That order is by the date an event is placed at (its own, else its
        document's), then document, offset and id; events with neither date last.
        """
        e = schema.events
        placed = query.placed_date()
        found = (
            select(e.c.id, query.column("code").label("code"), placed.label("date"))
            .select_from(joined())
            .where(*query.conditions())
            .order_by(placed.is_(None), placed, e.c.doc_id, e.c.start, e.c.id)
        )
        with self.reader() as conn:
            return [PlacedEvent(row.id, row.code, row.date) for row in conn.execute(found)]

    def read(self, statement: Select[Any]) -> list[Any]:
        """The rows of one read statement (the views' aggregates, built from :mod:`dyadlens.store.queries`)."""
        with self.reader() as conn:
            return list(conn.execute(statement))

    def count_events(self, query: EventQuery) -> int:
        """How many events match ``query``: the true total beside a page of them."""
        found = select(func.count()).select_from(joined()).where(*query.conditions())
        with self.reader() as conn:
            return int(conn.scalar(found) or 0)

    def shown_events(self, query: EventQuery, *, limit: int | None, offset: int = 0,
                     order: str = "placed") -> list[ShownEvent]:
        """One page of the events matching ``query`` with what a row shows, in one statement: in the
        views' order (``placed``, :meth:`placed_events`) or in ingest and text order (``ingest``)."""
        e = schema.events
        ordering = placed_order(query) if order == "placed" else [D.c.seq, e.c.seq]
        found = with_evidence(query.select_events()).order_by(*ordering).limit(limit).offset(offset or None)
        with self.reader() as conn:
            return [shown_event(row) for row in conn.execute(found).mappings()]

    def shown_reports(self, cluster_ids: Iterable[str]) -> dict[str, list[ShownEvent]]:
        """The reports of each cluster named, not rejected, in ingest and text order, as rows show them."""
        e = schema.events
        found = (
            with_evidence(select(*e.c).select_from(joined()))
            .where(e.c.cluster.in_(sorted(set(cluster_ids))), not_rejected())
            .order_by(D.c.seq, e.c.seq)
        )
        reports: dict[str, list[ShownEvent]] = {}
        with self.reader() as conn:
            for row in conn.execute(found).mappings():
                reports.setdefault(str(row["cluster"]), []).append(shown_event(row))
        return reports

    def actor_refs(self, actor_ids: Iterable[str]) -> dict[str, ActorRef]:
        """Each actor named, as most recently written (as :meth:`actor`), in one statement per 400 ids.

        Driven by the ids: for each, the latest document that names it (a look-up per id, not a
        read of every document that names it), then that document's row."""
        found: dict[str, ActorRef] = {}
        wanted_ids = sorted(set(actor_ids))
        with self.reader() as conn:
            for first in range(0, len(wanted_ids), 400):
                rows = conn.execute(_latest_actor_rows(wanted_ids[first : first + 400])).mappings()
                found.update((row["id"], record_from_row(ActorRef, row)) for row in rows)
        return found

    def cluster_counts(self, cluster_ids: Iterable[str]) -> dict[str, ClusterCounts]:
        """The counts of each cluster named (clusters the store does not hold are left out)."""
        c = schema.clusters
        columns = (c.c.id, c.c.reports, c.c.documents, c.c.outlets, c.c.first_seen, c.c.last_seen)
        with self.reader() as conn:
            rows = conn.execute(select(*columns).where(c.c.id.in_(sorted(set(cluster_ids))))).all()
        return {row.id: ClusterCounts(*row[1:]) for row in rows}

    def cluster_reports(self, cluster_ids: Iterable[str]) -> dict[str, list[Event]]:
        """The reports of each cluster named, not rejected, in ingest and text order."""
        e = schema.events
        found = self._records_of(e, Event, e.c.cluster.in_(sorted(set(cluster_ids))), not_rejected())
        reports: dict[str, list[Event]] = {}
        for event in found:
            reports.setdefault(str(event.cluster), []).append(event)
        return reports

    def quotes(
        self,
        speaker_actor: str | None = None,
        doc_id: str | None = None,
        *,
        speaker: str | None = None,
        kind: str | None = None,
        include_duplicates: bool = False,
        limit: int | None = None,
    ) -> list[Quote]:
        q = schema.quotes
        conditions = _equal(q, speaker_actor=speaker_actor, doc_id=doc_id, speaker=speaker, kind=kind)
        return self._records_of(q, Quote, *conditions, duplicates=include_duplicates or bool(doc_id), limit=limit)

    def designations(
        self,
        designee: str | None = None,
        designator: str | None = None,
        status: str | None = None,
        doc_id: str | None = None,
        *,
        since: str | None = None,
        until: str | None = None,
        include_duplicates: bool = False,
        limit: int | None = None,
    ) -> list[Designation]:
        d = schema.designations
        conditions = _equal(d, designee=designee, designator=designator, status=status, doc_id=doc_id)
        conditions.append(overlaps_sql(d.c.date, parse_bound(since), parse_bound(until)))
        return self._records_of(
            d, Designation, *conditions, duplicates=include_duplicates or bool(doc_id), limit=limit
        )

    def mentions(
        self,
        actor_id: str | None = None,
        doc_id: str | None = None,
        *,
        person: str | None = None,
        limit: int | None = None,
    ) -> list[Mention]:
        """Mentions of an actor, of a KB person (``person``) or in one document, in ingest and text order."""
        m = schema.mentions
        return self._records_of(m, Mention, *_equal(m, actor_id=actor_id, doc_id=doc_id, person=person), limit=limit)

    def actors(self) -> list[ActorRef]:
        """Every actor any document refers to, as most recently written, by id."""
        a = schema.actors
        query = select(a).join(D, D.c.id == a.c.doc_id).order_by(a.c.id, D.c.seq.desc())
        latest: dict[str, ActorRef] = {}
        with self.reader() as conn:
            for row in conn.execute(query).mappings():
                latest.setdefault(row["id"], record_from_row(ActorRef, row))
        return list(latest.values())

    def actor(self, actor_id: str) -> ActorRef | None:
        a = schema.actors
        query = select(a).join(D, D.c.id == a.c.doc_id).where(a.c.id == actor_id).order_by(D.c.seq.desc())
        with self.reader() as conn:
            row = conn.execute(query.limit(1)).mappings().first()
        return record_from_row(ActorRef, row) if row else None

    def _records_of(
        self,
        table: Any,
        cls: type[Any],
        *conditions: ColumnElement[bool],
        duplicates: bool = True,
        limit: int | None = None,
    ) -> list[Any]:
        query: Select[Any] = select(table).join(D, D.c.id == table.c.doc_id).where(*conditions)
        if not duplicates:
            query = query.where(D.c.duplicate_of.is_(None))
        query = query.order_by(D.c.seq, table.c.seq).limit(limit)
        with self.reader() as conn:
            return [record_from_row(cls, row) for row in conn.execute(query).mappings()]

    # --- search, stats, checks, export ---------------------------------------

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        """Full-text search over analysed sentences, best first.

        ``query`` may use the FTS5 syntax (``"exact phrase"``, ``OR``,
        ``prefix*``); anything that is not valid syntax is searched as plain words.
        """
        s = schema.sentences
        with self.reader() as conn:
            raw_hits = self.backend.search(conn, query, limit)
            rows = conn.execute(select(s).where(s.c.row.in_([h.row for h in raw_hits]))).mappings()
            by_row = {row["row"]: record_from_row(Sentence, row) for row in rows}
        return [
            SearchHit(by_row[h.row].doc_id, by_row[h.row], text=h.text, snippet=h.snippet, score=h.score)
            for h in raw_hits
            if h.row in by_row
        ]

    def stats(self, count: str = "events") -> StoreStats:
        """Rows per table; ``events`` counts real events (``count="events"``: one per cluster, standing
        facts left out, duplicates' too) or every report (``"reports"``), ``reports`` every report and
        ``observations`` the standing facts."""
        real_events = EventQuery(count="events")
        with self.reader() as conn:

            def rows(table: Any, *where: ColumnElement[bool]) -> int:
                return int(conn.scalar(select(func.count()).select_from(table).where(*where)) or 0)

            per_kind = {kind.name: rows(table, *([not_rejected()] if table is schema.events else []))
                        for kind, table in zip(RECORD_KINDS, schema.RECORD_TABLES, strict=True)}
            reports = per_kind["events"]
            if check_count(count) == "events":
                per_kind["events"] = rows(joined(), *real_events.conditions())
            stats = {
                "documents": rows(D),
                "duplicates": rows(D, D.c.duplicate_of.is_not(None)),
                **per_kind,
                "reports": reports,
                "observations": rows(schema.events, schema.events.c.standing.is_(True), not_rejected()),
                "analysed_sentences": rows(schema.sentences, schema.sentences.c.analysed.is_(True)),
                # an actor is stored once for each document that names it: count it once
                "actors": int(conn.scalar(select(func.count(func.distinct(schema.actors.c.id)))) or 0),
                "failures": rows(schema.failures),
                "schema": len(applied_migrations(conn)),
            }
            return cast(StoreStats, stats)

    def migrations(self) -> list[str]:
        """Names of the schema migrations applied to this store, in order."""
        with self.reader() as conn:
            return applied_migrations(conn)

    def integrity_check(self) -> list[str]:
        """Problems found (empty = OK): the engine's own check, foreign keys,
        orphan rows, duplicate pointers, the search index and every span
        lying within its document's text."""
        from dyadlens.store.checks import store_problems

        with self.reader() as conn:
            return self.backend.engine_problems(conn) + store_problems(conn, self.backend)

    def rows(self, table: str) -> Iterator[dict[str, Any]]:
        """Every row of one table as a dict (for export), in a stable order; the events the
        analyst rejected are left out, as every view leaves them out."""
        if table not in schema.EXPORTABLE:
            raise StoreError(f"unknown table {table!r}; tables are {', '.join(schema.EXPORTABLE)}")
        t = schema.EXPORTABLE[table]
        query = select(t).order_by(*_export_order(t))
        if t is schema.events:
            query = query.where(not_rejected())
        with self.reader() as conn:
            yield from (dict(row) for row in conn.execute(query).mappings())


def _latest_actor_rows(actor_ids: list[str]) -> Select[Any]:
    """The ``actors`` row of each id from the latest document (by ingest order) that names it."""
    a, named = schema.actors, schema.actors.alias("named")
    wanted = union_all(*(select(literal(i, String).label("id")) for i in actor_ids)).subquery("wanted")
    latest = (select(D.c.id).join(named, named.c.doc_id == D.c.id).where(named.c.id == wanted.c.id)
              .order_by(D.c.seq.desc()).limit(1).scalar_subquery())
    return select(a).select_from(wanted).join(a, and_(a.c.id == wanted.c.id, a.c.doc_id == latest))


def with_evidence(query: Select[Any]) -> Select[Any]:
    """``query`` over :func:`joined` with its document's head and the words of the evidence and the
    place, cut from the text in SQL (``substr`` counts characters, from 1)."""
    e = schema.events
    place = func.substr(D.c.text, e.c.place_start + 1, e.c.place_end - e.c.place_start)
    return query.add_columns(
        D.c.title.label("doc_title"), D.c.outlet.label("doc_outlet"), D.c.published.label("doc_published"),
        D.c.url.label("doc_url"), func.substr(D.c.text, e.c.start + 1, e.c.end - e.c.start).label("evidence_text"),
        place.label("place_words"),
    )


def shown_event(row: Any) -> ShownEvent:
    head = DocumentHead(row["doc_id"], row["doc_title"], row["doc_outlet"], row["doc_published"], row["doc_url"])
    return ShownEvent(record_from_row(Event, row), head, row["evidence_text"] or "", row["place_words"])


def _export_order(table: Any) -> list[Any]:
    if table is D:
        return [D.c.seq]
    if "seq" in table.c:
        return [table.c.doc_id, table.c.seq]
    return list(table.primary_key.columns)


def _document_count(table: Any, count: str) -> ColumnElement[int]:
    """What a document's count of ``table`` counts: its events once each, standing facts left out,
    unless every report is asked for."""
    if table is not schema.events or count == "reports":
        return func.count()
    e = schema.events
    return func.count(func.distinct(func.coalesce(e.c.cluster, e.c.id))).filter(e.c.standing.is_(False))


def _equal(table: Any, **values: str | None) -> list[ColumnElement[bool]]:
    return [table.c[name] == value for name, value in values.items() if value is not None]

