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

from sqlalchemy import Connection, Engine, Float, Integer, Subquery, column, create_engine, event, text
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

    def matches(self, conn: Connection, query: str) -> Subquery: ...

    def snippets(self, conn: Connection, query: str, rows: Sequence[int]) -> dict[int, str]: ...

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
            f"text, doc_id UNINDEXED, tokenize = '{FTS_TOKENIZER}')"
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
        """The best ``limit`` sentences for ``query`` (FTS5 syntax; anything else as plain words)."""
        found = self.matches(conn, query)
        rows = conn.execute(
            text(
                "SELECT m.row, s.text, m.score FROM sentence_search s JOIN "
                f"({_MATCHES}) m ON m.row = s.rowid ORDER BY m.score DESC, m.row LIMIT :limit"
            ),
            {"fts": self._fts_query(conn, query), "limit": limit},
        ).all() if _has_words(query) else []
        del found
        snippets = self.snippets(conn, query, [row for row, _, _ in rows])
        return [RawHit(row, text_, snippets.get(row, text_), score) for row, text_, score in rows]

    def matches(self, conn: Connection, query: str) -> Subquery:
        """The sentences matching ``query`` as a subquery of ``row`` and ``score`` (higher is
        better), for the caller to filter, count, facet and page in SQL."""
        fts = self._fts_query(conn, query)
        found = text(_MATCHES).bindparams(fts=fts) if fts else text(_NO_MATCHES)
        return found.columns(column("row", Integer), column("score", Float)).subquery()

    def snippets(self, conn: Connection, query: str, rows: Sequence[int]) -> dict[int, str]:
        """Each row's sentence with the matched words between the highlight marks."""
        fts = self._fts_query(conn, query)
        if not rows or not fts:
            return {}
        found = conn.execute(
            text(
                "SELECT rowid, highlight(sentence_search, 0, :start, :end) FROM sentence_search "
                f"WHERE sentence_search MATCH :fts AND rowid IN ({', '.join(str(int(r)) for r in rows)})"
            ),
            {"fts": fts, "start": HIGHLIGHT_START, "end": HIGHLIGHT_END},
        )
        return {row: marked for row, marked in found}

    def _fts_query(self, conn: Connection, query: str) -> str:
        """``query`` with British and American spellings of a word both sought, or, when that is
        not valid FTS5 syntax, its plain words; empty when it has no words."""
        if not _has_words(query):
            return ""
        fts = with_spelling_variants(query)
        try:
            conn.execute(text("SELECT 1 FROM sentence_search WHERE sentence_search MATCH :fts LIMIT 1"), {"fts": fts})
        except OperationalError:
            # FTS5 reports bad syntax in many ways ("unterminated string",
            # "no such column", "syntax error near"); any failure gets one
            # retry as plain words, and a real problem then fails again.
            return with_spelling_variants(quote_fts_terms(query), quoted_words=True)
        return fts

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


#: The FTS5 tokenizer (since 0009): Porter stemming over Unicode words without diacritics,
#: so "sanction" finds "sanctions" and "recognise" finds "recognised".
FTS_TOKENIZER = "porter unicode61 remove_diacritics 2"

#: Matching rows and their relevance (``bm25`` is lower for better matches, so negated).
_MATCHES = "SELECT rowid AS row, -bm25(sentence_search) AS score FROM sentence_search WHERE sentence_search MATCH :fts"
_NO_MATCHES = "SELECT rowid AS row, 0.0 AS score FROM sentence_search WHERE 0"

#: A word spelt ``-ise``/``-ize`` (``-yse``/``-yze``) with an ending: its other spelling is sought too,
#: since no stemmer joins them ("recognised" is ``recognis``, "recognized" ``recogn``).
_SPELLED_IZE = re.compile(r"^(\w{3,}?)(is|iz|ys|yz)(e|es|ed|ing|ation|ations|er|ers)$", re.IGNORECASE)
_OTHER_SPELLING = {"is": "iz", "iz": "is", "ys": "yz", "yz": "ys"}

#: A query's pieces: a quoted phrase, a word (with a following ``*`` or a leading ``-``), anything else.
_QUERY_PIECE = re.compile(r'"[^"]*"?|-?\w+\*?|-|[^"\w-]+')


def other_spelling(word: str) -> str | None:
    """ "recognised" → "recognized", "analyze" → "analyse"; None for a word with one spelling."""
    found = _SPELLED_IZE.match(word)
    if found is None:
        return None
    stem, middle, ending = found.groups()
    return stem + _OTHER_SPELLING[middle.lower()] + ending


def split_spellings(query: str) -> tuple[str, list[tuple[str, str]]]:
    """``query`` without its bare words (not quoted, negated or prefixes) that have another
    spelling, and those words with their other spelling."""
    rest, pairs = [], []
    for piece in _QUERY_PIECE.findall(query):
        other = other_spelling(piece) if _is_plain_term(piece) and not piece.startswith('"') else None
        if other is None:
            rest.append(piece)
        else:
            pairs.append((piece, other))
            rest.append(" ")
    return "".join(rest), pairs


def with_spelling_variants(query: str, quoted_words: bool = False) -> str:
    """FTS5 ``query`` with each bare word of two spellings sought in both: ``(word OR other)``; a
    quoted word keeps its spelling, unless ``quoted_words`` (the plain words of :func:`quote_fts_terms`)."""
    def variant(piece: str) -> str:
        plain = _is_plain_term(piece) and (quoted_words or not piece.startswith('"'))
        other = other_spelling(piece.strip('"')) if plain else None
        return f"({piece} OR {_requote(piece, other)})" if other else piece

    return "".join(variant(piece) for piece in _QUERY_PIECE.findall(query))


def _is_plain_term(piece: str) -> bool:
    """A bare word, or a quoted single word (as :func:`quote_fts_terms` writes them)."""
    inner = piece[1:-1] if len(piece) > 2 and piece[0] == piece[-1] == '"' else piece
    return bool(re.fullmatch(r"\w+", inner)) and inner not in _FTS_OPERATORS


def _requote(piece: str, word: str) -> str:
    return f'"{word}"' if piece.startswith('"') else word


def _has_words(query: str) -> bool:
    return bool(re.search(r"\w", query))


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
