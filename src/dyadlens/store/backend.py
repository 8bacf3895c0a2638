"""The one seam where the store touches a particular database engine.

Everything dialect-specific lives here: connection settings (SQLite PRAGMAs,
WAL, busy timeout, ``BEGIN IMMEDIATE`` for writers), the full-text index over
sentence text (SQLite FTS5) and the engine's own integrity check. The rest of
the store speaks SQLAlchemy Core only; the PostgreSQL backend is one more
class with these methods (:mod:`dyadlens.store.postgres`, ``tsvector`` for search).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.exc import OperationalError

from dyadlens.errors import StoreError

#: Marks around the matched words in a search snippet. Control characters,
#: so they can never be confused with article text and survive HTML escaping.
HIGHLIGHT_START = "\x02"
HIGHLIGHT_END = "\x03"

BUSY_TIMEOUT_MS = 30_000


@dataclass(frozen=True, slots=True)
class IndexedSentence:
    """One sentence handed to the search index: its integer key and its text."""

    row: int
    doc_id: str
    text: str


@dataclass(frozen=True, slots=True)
class RawHit:
    row: int
    text: str
    snippet: str
    score: float


class Backend(Protocol):
    engine: Engine

    def create_search_index(self, conn: Connection) -> None: ...

    def index_sentences(self, conn: Connection, sentences: Sequence[IndexedSentence]) -> None: ...

    def unindex_rows(self, conn: Connection, rows: Iterable[int]) -> None: ...

    def search(self, conn: Connection, query: str, limit: int) -> list[RawHit]: ...

    def search_index_size(self, conn: Connection) -> int: ...

    def engine_problems(self, conn: Connection) -> list[str]: ...


def connect(target: str | Path, read_only: bool = False) -> Backend:
    """A backend for a file path (SQLite) or a database URL."""
    url = str(target)
    if "://" not in url:
        path = Path(url)
        if not read_only:
            path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteBackend(path, read_only)
    if url.startswith("sqlite:///"):
        return SqliteBackend(Path(url.removeprefix("sqlite:///")), read_only)
    if url.startswith(("postgresql://", "postgresql+psycopg://", "postgres://")):
        from dyadlens.store.postgres import PostgresBackend

        return PostgresBackend(url, read_only)
    scheme = url.partition("://")[0]
    raise StoreError(f"unsupported store URL scheme {scheme!r}: use a SQLite file or a postgresql:// URL")


class SqliteBackend:
    """SQLite with WAL (readers never block the writer) and an FTS5 sentence index."""

    def __init__(self, path: Path, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        self.engine = create_engine(f"sqlite:///{path}")
        event.listen(self.engine, "connect", _configure_sqlite_connection)
        if read_only:
            event.listen(self.engine, "connect", _forbid_writes)
        event.listen(self.engine, "begin", _begin_sqlite_transaction)

    def create_search_index(self, conn: Connection) -> None:
        conn.exec_driver_sql(
            "CREATE VIRTUAL TABLE IF NOT EXISTS sentence_search USING fts5("
            "text, doc_id UNINDEXED, tokenize = 'unicode61 remove_diacritics 2')"
        )

    def index_sentences(self, conn: Connection, sentences: Sequence[IndexedSentence]) -> None:
        if not sentences:
            return
        conn.execute(
            text("INSERT INTO sentence_search(rowid, text, doc_id) VALUES (:row, :text, :doc_id)"),
            [{"row": s.row, "text": s.text, "doc_id": s.doc_id} for s in sentences],
        )

    def unindex_rows(self, conn: Connection, rows: Iterable[int]) -> None:
        params = [{"row": row} for row in rows]
        if params:
            conn.execute(text("DELETE FROM sentence_search WHERE rowid = :row"), params)

    def search(self, conn: Connection, query: str, limit: int) -> list[RawHit]:
        """FTS5 search; a query that is not valid FTS5 syntax is retried as plain words."""
        try:
            return self._match(conn, query, limit)
        except OperationalError:
            # FTS5 reports bad syntax in many ways ("unterminated string",
            # "no such column", "syntax error near"); any failure gets one
            # retry as plain words, and a real problem then fails again.
            return self._match(conn, quote_fts_terms(query), limit)

    def _match(self, conn: Connection, query: str, limit: int) -> list[RawHit]:
        if not query.strip():
            return []
        result = conn.execute(
            text(
                "SELECT rowid, text, snippet(sentence_search, 0, :start, :end, '…', 16), bm25(sentence_search) "
                "FROM sentence_search WHERE sentence_search MATCH :query "
                "ORDER BY bm25(sentence_search), rowid LIMIT :limit"
            ),
            {"query": query, "limit": limit, "start": HIGHLIGHT_START, "end": HIGHLIGHT_END},
        )
        return [RawHit(row=row, text=text_, snippet=snippet, score=-score) for row, text_, snippet, score in result]

    def search_index_size(self, conn: Connection) -> int:
        return int(conn.exec_driver_sql("SELECT count(*) FROM sentence_search").scalar() or 0)

    def engine_problems(self, conn: Connection) -> list[str]:
        problems = [
            f"sqlite integrity: {message}"
            for (message,) in conn.exec_driver_sql("PRAGMA integrity_check")
            if message != "ok"
        ]
        problems += [
            f"foreign key: {table} row {rowid} points to missing {parent}"
            for table, rowid, parent, _ in conn.exec_driver_sql("PRAGMA foreign_key_check")
        ]
        try:
            conn.exec_driver_sql("INSERT INTO sentence_search(sentence_search) VALUES ('integrity-check')")
        except OperationalError as error:
            problems.append(f"search index: {error.orig}")
        return problems


def quote_fts_terms(query: str) -> str:
    """The words of ``query`` as FTS5 strings, all required: quotes, brackets
    and operators (``AND``, ``OR``, ``NOT``, ``NEAR``) lose their meaning."""
    words = [w for w in re.findall(r"\w+", query) if w not in _FTS_OPERATORS]
    return " ".join(f'"{w}"' for w in words)


_FTS_OPERATORS = frozenset({"AND", "OR", "NOT", "NEAR"})


def _configure_sqlite_connection(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's implicit
    # transactions would start too late for BEGIN IMMEDIATE to mean anything).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _forbid_writes(dbapi_connection: Any, _record: Any) -> None:
    """A read-only store: SQLite itself refuses any write on this connection."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA query_only = ON")
    cursor.close()


def _begin_sqlite_transaction(conn: Connection) -> None:
    """``BEGIN IMMEDIATE`` for writers: take the write lock up front, so a busy
    database makes the writer wait (busy_timeout) instead of failing on upgrade."""
    mode = "IMMEDIATE" if conn.get_execution_options().get("write") else "DEFERRED"
    conn.exec_driver_sql(f"BEGIN {mode}")
