"""``quotes.words_key`` (store/quote_words.py, migration 0015): every write path stores the key of the
quotation's words, and migration 0015 fills it for a store written before it, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, func, inspect, select

from analysis_corpus import corpus
from dyadlens.model import DocumentRecords, Quote
from dyadlens.store import Store, migrations, open_store, schema
from dyadlens.store.bulk import load_partition
from dyadlens.store.partitions import read_partition, write_partition
from dyadlens.store.quote_words import quotation_words, words_key


def test_the_same_words_are_the_same_key_however_cased_or_punctuated() -> None:
    assert quotation_words("  We will NOT retreat, ever!") == "we will not retreat ever"
    assert words_key("We will not retreat, ever.") == words_key("“we will NOT retreat … ever”")
    assert words_key("We will not retreat.") != words_key("We will retreat.")
    assert -(2**63) <= words_key("") < 2**63


def _quoting(records: DocumentRecords) -> DocumentRecords:
    """The corpus document with every sentence quoted, the first twice (the second time without its last
    character): many quotes, some of them the same words."""
    text, spans = records.document.text, [(s.index, s.start, s.end) for s in records.sentences]
    spans.append((spans[0][0], spans[0][1], spans[0][2] - 1))
    quotes = [Quote(f"{records.document.id}:q{n}", records.document.id, start, end, index, "direct", "someone",
                    "russia" if n % 2 else None) for n, (index, start, end) in enumerate(spans) if text[start:end]]
    records.quotes = [*records.quotes, *quotes]
    return records


def _written(target: str | Path) -> str | Path:
    """The quoted corpus written one document at a time into a new store at ``target``."""
    with open_store(target) as store:
        for records in corpus():
            store.write(_quoting(records))
    return target


def _keys(store: Store) -> dict[str, tuple[int | None, int]]:
    """Each quote's stored key, and the key of its quotation as the document holds it."""
    q, d = schema.quotes, schema.documents
    quotation = func.substr(d.c.text, q.c.start + 1, q.c.end - q.c.start)
    with store.reader() as conn:
        found = conn.execute(select(q.c.id, q.c.words_key, quotation).join_from(q, d, d.c.id == q.c.doc_id))
        return {row[0]: (row[1], words_key(row[2])) for row in found}


def _assert_keyed(store: Store) -> dict[str, tuple[int | None, int]]:
    keys = _keys(store)
    assert len(keys) >= 10 and all(stored == made for stored, made in keys.values())
    assert len({stored for stored, _ in keys.values()}) < len(keys)  # some quotations have the same words
    return keys


def test_a_single_write_and_a_bulk_load_store_the_same_keys(store_url: str, tmp_path: Path) -> None:
    """Single writes (their other backend: the migration test below), and a partition bulk-loaded on each."""
    with open_store(_written(tmp_path / "written.db")) as written:
        keys = _assert_keyed(written)
    partition = write_partition(tmp_path, "part-0", [_quoting(records) for records in corpus()], "test@1")
    with open_store(store_url) as bulk:
        load_partition(bulk, read_partition(tmp_path / partition.file))
        assert _assert_keyed(bulk) == keys


def _as_of_0014(conn: Connection) -> None:
    """The quotes table as 0001 created it until 0014 (no key, ``speaker_actor`` indexed alone), and 0015
    not recorded."""
    conn.exec_driver_sql("DROP INDEX ix_quotes_speaker_words")
    conn.exec_driver_sql("ALTER TABLE quotes DROP COLUMN words_key")
    conn.exec_driver_sql("CREATE INDEX ix_quotes_speaker_actor ON quotes (speaker_actor)")
    conn.execute(schema.schema_migrations.delete().where(schema.schema_migrations.c.name == "0015_quote_words_key"))


def _quote_indexes(conn: Connection) -> set[Any]:
    return {index["name"] for index in inspect(conn).get_indexes("quotes")}


def test_a_store_of_0014_with_quotes_gets_every_key(store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with open_store(_written(store_url)) as store:
        before = {quote: made for quote, (_, made) in _keys(store).items()}
        with store.transaction() as conn:
            _as_of_0014(conn)
        assert store.migrations()[-1] == "0014_page_indexes"
    monkeypatch.setattr(migrations, "BACKFILL_PAGE", 3)  # several pages, the last one short
    with open_store(store_url) as store:
        assert store.migrations() == [m.name for m in migrations.MIGRATIONS]
        assert {quote: stored for quote, (stored, _) in _assert_keyed(store).items()} == before
        with store.reader() as conn:
            indexes = _quote_indexes(conn)
        assert "ix_quotes_speaker_words" in indexes and "ix_quotes_speaker_actor" not in indexes
        assert store.integrity_check() == []
