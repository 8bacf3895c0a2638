"""The team store: PostgreSQL through psycopg 3 (docs/team-store.md).

What differs from SQLite lives here, behind the same :class:`~dyadlens.store.backend.Backend`
methods:

- search is PostgreSQL's own text search: a ``sentence_search`` table whose ``words`` column
  is a stored ``tsvector`` (the ``english`` configuration, so "recognised" finds
  "recognise"), a GIN index over it, ``websearch_to_tsquery`` (``"phrase"``, ``OR``,
  ``-word``; never a syntax error), ``ts_rank_cd`` and ``ts_headline`` with the store's
  highlight marks;
- writers are serialised by one transaction-level advisory lock, taken first thing in every
  write transaction (SQLite's ``BEGIN IMMEDIATE``): the documents' ``seq``, the duplicate
  pointers and the event clusters (:mod:`dyadlens.identity`) span documents, so two writers
  may never interleave there; the lock ends with the transaction, whatever happens to the
  process;
- a read-only store sets ``default_transaction_read_only`` on every connection, so the
  server refuses any write, whatever role connects;
- the database must compare text by code point (a ``C`` collation), as SQLite does:
  partial dates are compared as strings and ids are ordered, and a language collation
  ignores punctuation ("2024-03~" would sort before "2024-03-01").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Float, Integer, Subquery, column, create_engine, event, text
from sqlalchemy.engine import URL, make_url

from dyadlens.errors import StoreError
from dyadlens.store.backend import HIGHLIGHT_END, HIGHLIGHT_START, IndexedSentence, RawHit, split_spellings

#: The key of the advisory lock every writer holds for its whole transaction ("dyadlens").
WRITER_LOCK = 0x6479_6164_6C65_6E73

#: Planner settings of every session, where the server keeps PostgreSQL's defaults (docs/team-store.md,
#: "Server settings"). ``jit``: compiling a view's query cost 0.72 s at 200k documents, more than it saved.
SESSION_SETTINGS = {"jit": "off"}

#: The text search configuration: English stemming and stop words.
TEXT_SEARCH_CONFIG = "english"

#: True exactly when the database's default collation orders text by code point, as SQLite's
#: BINARY does (upper case before lower case, punctuation not ignored), whatever its provider.
_CODE_POINT_ORDER = "SELECT current_database(), 'Z' < 'a' AND '2024-03~' > '2024-03-01' AND 'a-b' < 'ab'"

#: Sentence text as the text search parser should read it: plain text, never markup. The parser
#: takes ``<script>…</script>`` for an HTML tag and skips what is inside, so every ``<`` is read
#: as a control character (a blank to the parser), and turned back into ``<`` in the snippet.
_AS_PLAIN_TEXT = "translate(text, '<', chr(1))"

#: ``ts_headline``: one window of at most 35 words around the best match (a sentence whole,
#: unless it is long), between the store's highlight marks.
_HEADLINE_OPTIONS = f'StartSel="{HIGHLIGHT_START}", StopSel="{HIGHLIGHT_END}", MaxWords=35, MinWords=15'


#: ``word*`` in a query: a prefix search (``to_tsquery``'s ``word:*``).
_PREFIX = re.compile(r"(\w+)\*")

#: A hit's sentence with its matched words marked (``text`` and ``query`` are the hit's columns).
_HEADLINE = f"translate(ts_headline(CAST(:config AS regconfig), {_AS_PLAIN_TEXT}, query, :options), chr(1), '<')"


def _has_terms(query: str) -> bool:
    return bool(re.search(r"\w", query))


def _tsquery(query: str) -> tuple[str, dict[str, str]]:
    """The ``tsquery`` for ``query`` as SQL and its parameters: the web-search words, the
    prefixes, and each bare word of two spellings ("recognised", "recognized") as either."""
    prefixes = _PREFIX.findall(query)
    words, pairs = split_spellings(_PREFIX.sub(" ", query))
    params = {"config": TEXT_SEARCH_CONFIG, "words": words, "prefixes": " & ".join(f"{p}:*" for p in prefixes)}
    parts = ["websearch_to_tsquery(CAST(:config AS regconfig), :words)", "to_tsquery('simple', :prefixes)"]
    for number, pair in enumerate(pairs):
        params |= {f"one{number}": pair[0], f"other{number}": pair[1]}
        parts.append(f"(plainto_tsquery(CAST(:config AS regconfig), :one{number}) || "
                     f"plainto_tsquery(CAST(:config AS regconfig), :other{number}))")
    return " && ".join(parts), params


def engine_url(url: str) -> URL:
    """SQLAlchemy's URL for a ``postgresql://`` (or ``postgres://``) address, driven by psycopg 3."""
    parsed = make_url(url.replace("postgres://", "postgresql://", 1))
    if parsed.get_backend_name() != "postgresql":
        raise StoreError(f"not a PostgreSQL URL: {parsed.render_as_string(hide_password=True)}")
    return parsed.set(drivername="postgresql+psycopg")


class PostgresBackend:
    """A store in a PostgreSQL database: many processes and machines read and write it at once."""

    def __init__(self, url: str, read_only: bool = False) -> None:
        self.url = engine_url(url)
        self.read_only = read_only
        self.engine = create_engine(self.url, pool_pre_ping=True)
        event.listen(self.engine, "connect", _check_collation)
        event.listen(self.engine, "connect", _tune_session)
        if read_only:
            event.listen(self.engine, "connect", _forbid_writes)
        event.listen(self.engine, "begin", _lock_writers)

    def __str__(self) -> str:
        return self.url.render_as_string(hide_password=True)

    def create_search_index(self, conn: Connection) -> None:
        conn.exec_driver_sql(
            "CREATE TABLE IF NOT EXISTS sentence_search ("
            '"row" INTEGER PRIMARY KEY, doc_id VARCHAR NOT NULL, text TEXT NOT NULL, '
            f"words TSVECTOR GENERATED ALWAYS AS (to_tsvector('{TEXT_SEARCH_CONFIG}', {_AS_PLAIN_TEXT})) STORED)"
        )
        conn.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_sentence_search_words ON sentence_search USING GIN (words)")

    def index_sentences(self, conn: Connection, sentences: Sequence[IndexedSentence]) -> None:
        """The sentences into the search index by ``COPY`` (the server computes each one's words)."""
        if sentences:
            rows = ((s.row, s.doc_id, s.text) for s in sentences)
            copy_rows(conn, "sentence_search", ("row", "doc_id", "text"), rows)

    def unindex_rows(self, conn: Connection, rows: Iterable[int]) -> None:
        found = list(rows)
        if found:
            conn.execute(text('DELETE FROM sentence_search WHERE "row" = ANY(:rows)'), {"rows": found})

    def search(self, conn: Connection, query: str, limit: int) -> list[RawHit]:
        """Sentences matching ``query`` in web-search syntax, best first (then in row order);
        ``word*`` matches every word that starts with ``word``, as in SQLite's FTS5."""
        if not _has_terms(query):
            return []
        tsquery, params = _tsquery(query)
        result = conn.execute(
            text(
                f"WITH q AS (SELECT {tsquery} AS query), "
                'hits AS (SELECT s."row", s.text, ts_rank_cd(s.words, q.query) AS score, q.query '
                'FROM sentence_search s, q WHERE s.words @@ q.query ORDER BY score DESC, s."row" LIMIT :limit) '
                f'SELECT "row", text, {_HEADLINE}, score FROM hits ORDER BY score DESC, "row"'
            ),
            {**params, "limit": limit, "options": _HEADLINE_OPTIONS},
        )
        return [RawHit(row, text_, snippet, float(score)) for row, text_, snippet, score in result]

    def matches(self, conn: Connection, query: str) -> Subquery:
        """The sentences matching ``query`` as a subquery of ``row`` and ``score`` (higher is
        better), for the caller to filter, count, facet and page in SQL."""
        tsquery, params = _tsquery(query) if _has_terms(query) else ("to_tsquery('simple', '')", {})
        sql = (f'SELECT s."row" AS "row", ts_rank_cd(s.words, q.query) AS score FROM sentence_search s, '
               f"(SELECT {tsquery} AS query) q WHERE s.words @@ q.query")
        return text(sql).bindparams(**params).columns(column("row", Integer), column("score", Float)).subquery()

    def snippets(self, conn: Connection, query: str, rows: Sequence[int]) -> dict[int, str]:
        """Each row's sentence (a window of it, when long) with the matched words between the highlight marks."""
        if not rows or not _has_terms(query):
            return {}
        tsquery, params = _tsquery(query)
        found = conn.execute(
            text(f'SELECT "row", {_HEADLINE} FROM (SELECT "row", text, {tsquery} AS query FROM sentence_search '
                 'WHERE "row" = ANY(:rows)) hits'),
            {**params, "rows": list(rows), "options": _HEADLINE_OPTIONS},
        )
        return {row: marked for row, marked in found}

    def search_index_size(self, conn: Connection) -> int:
        return int(conn.exec_driver_sql("SELECT count(*) FROM sentence_search").scalar() or 0)

    def engine_problems(self, conn: Connection) -> list[str]:
        """Invalid indexes (a failed ``CREATE INDEX CONCURRENTLY``, a broken GIN) and search rows
        whose words no longer match their text."""
        problems = [
            f"postgresql: index {name} is not valid"
            for (name,) in conn.exec_driver_sql(
                "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = current_schema() AND NOT (i.indisvalid AND i.indisready)"
            )
        ]
        stale = conn.exec_driver_sql(
            "SELECT count(*) FROM sentence_search "
            f"WHERE words IS DISTINCT FROM to_tsvector('{TEXT_SEARCH_CONFIG}', {_AS_PLAIN_TEXT})"
        ).scalar()
        if stale:
            problems.append(f"search index: {stale} rows whose words do not match their text")
        return problems


def copy_rows(conn: Connection, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Rows into ``table`` by ``COPY ... FROM STDIN``, in the connection's transaction: one stream to the
    server, no statement per row (several times faster than ``executemany`` for thousands of rows)."""
    driver = conn.connection.driver_connection
    assert driver is not None
    names = ", ".join(f'"{name}"' for name in columns)
    with driver.cursor() as cursor, cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(row)


def _check_collation(dbapi_connection: Any, _record: Any) -> None:
    with dbapi_connection.cursor() as cursor:
        cursor.execute(_CODE_POINT_ORDER)
        name, code_point_order = cursor.fetchone()
    dbapi_connection.rollback()
    if not code_point_order:
        raise StoreError(
            f"database {name!r} does not sort text by code point; dyadlens needs a C collation: "
            f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C.UTF-8' (docs/team-store.md)"
        )


def _tune_session(dbapi_connection: Any, _record: Any) -> None:
    """:data:`SESSION_SETTINGS` on a new connection, each only where nobody set it (the server's
    configuration, ``ALTER DATABASE``/``ROLE ... SET``, the URL's ``options=-c name=value`` all win)."""
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_settings WHERE name = ANY(%s) AND source = 'default'",
                       [list(SESSION_SETTINGS)])
        for (name,) in cursor.fetchall():
            cursor.execute("SELECT set_config(%s, %s, false)", [name, SESSION_SETTINGS[name]])
    dbapi_connection.commit()


def _forbid_writes(dbapi_connection: Any, _record: Any) -> None:
    """A read-only store: the server refuses any write in any transaction of this connection."""
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SET default_transaction_read_only = on")
    dbapi_connection.commit()


def _lock_writers(conn: Connection) -> None:
    """One writer at a time, for the whole transaction (``write=True`` connections only)."""
    if conn.get_execution_options().get("write"):
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITER_LOCK})")
