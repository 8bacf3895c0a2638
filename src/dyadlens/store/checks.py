"""Consistency checks of a store that the database engine cannot make itself:
orphan rows, dangling duplicate pointers, a search index out of step with
the sentences, and spans that leave their document's text."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from sqlalchemy import Column, ColumnElement, Connection, Table, and_, exists, func, or_, select

from dyadlens.store import schema
from dyadlens.store.backend import Backend

D = schema.documents

#: Span column pairs (start, end) each table holds; nullable pairs may be both NULL.
SPANS: Mapping[str, tuple[tuple[str, str], ...]] = MappingProxyType({
    "regions": (("start", "end"),),
    "sentences": (("start", "end"),),
    "mentions": (("start", "end"),),
    "events": (("start", "end"), ("trigger_start", "trigger_end"), ("date_start", "date_end"),
               ("place_start", "place_end")),
    "quotes": (("start", "end"), ("speaker_start", "speaker_end")),
    "designations": (("start", "end"),),
    "places": (("start", "end"),),
    "persons": (("start", "end"),),
})

#: Tables whose rows name the sentence they come from.
SENTENCE_INDEXED = ("mentions", "events", "quotes", "places", "persons")

SHOWN = 5  # problems listed per check before summarising the rest


def store_problems(conn: Connection, backend: Backend) -> list[str]:
    problems = _orphans(conn) + _dangling_duplicates(conn) + _search_index_size(conn, backend)
    for name, pairs in SPANS.items():
        for start, end in pairs:
            problems += _spans_outside_text(conn, schema.EXPORTABLE[name], start, end)
    for name in SENTENCE_INDEXED:
        problems += _missing_sentences(conn, schema.EXPORTABLE[name])
    return problems


def _listed(what: str, ids: list[str], total: int) -> list[str]:
    if not total:
        return []
    more = f" (and {total - len(ids)} more)" if total > len(ids) else ""
    return [f"{what}: {', '.join(ids)}{more}"]


def _check(conn: Connection, what: str, table: Table, *conditions: ColumnElement[bool]) -> list[str]:
    key = table.c.id if "id" in table.c else table.c.doc_id
    where = and_(*conditions)
    total = int(conn.scalar(select(func.count()).select_from(table).where(where)) or 0)
    ids = [str(v) for v in conn.scalars(select(key).where(where).order_by(key).limit(SHOWN))] if total else []
    return _listed(what, ids, total)


def _orphans(conn: Connection) -> list[str]:
    problems: list[str] = []
    for table in schema.RECORD_TABLES:
        has_doc = exists().where(D.c.id == table.c.doc_id)
        problems += _check(conn, f"{table.name} of missing documents", table, ~has_doc)
    return problems


def _dangling_duplicates(conn: Connection) -> list[str]:
    original = D.alias("original")
    points_to_real_original = exists().where(
        original.c.id == D.c.duplicate_of,
        original.c.fingerprint == D.c.fingerprint,
        original.c.seq < D.c.seq,
    )
    return _check(
        conn,
        "documents whose duplicate_of is not an earlier document with the same fingerprint",
        D,
        D.c.duplicate_of.is_not(None),
        ~points_to_real_original,
    )


def _search_index_size(conn: Connection, backend: Backend) -> list[str]:
    s = schema.sentences
    analysed = int(conn.scalar(select(func.count()).select_from(s).where(s.c.analysed.is_(True))) or 0)
    indexed = backend.search_index_size(conn)
    if analysed == indexed:
        return []
    return [f"search index holds {indexed} sentences, the store {analysed} analysed sentences"]


def _spans_outside_text(conn: Connection, table: Table, start_name: str, end_name: str) -> list[str]:
    start: Column[int] = table.c[start_name]
    end: Column[int] = table.c[end_name]
    length = select(func.length(D.c.text)).where(D.c.id == table.c.doc_id).scalar_subquery()
    bad = or_(
        and_(start.is_(None), end.is_not(None)),
        and_(start.is_not(None), end.is_(None)),
        start < 0,
        end < start,
        end > length,
    )
    return _check(conn, f"{table.name} with {start_name}/{end_name} outside the document text", table, bad)


def _missing_sentences(conn: Connection, table: Table) -> list[str]:
    s = schema.sentences
    has_sentence = exists().where(s.c.doc_id == table.c.doc_id, s.c["index"] == table.c.sentence_index)
    return _check(conn, f"{table.name} naming a sentence their document lacks", table, ~has_sentence)
