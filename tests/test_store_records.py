"""The store round-trips hand-built records and keeps its invariants."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from dyadlens.errors import StoreError
from dyadlens.model import (
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
    stable_id,
)
from dyadlens.store import HIGHLIGHT_END, HIGHLIGHT_START, TABLES, EventQuery, Store, StoredInput, open_store
from dyadlens.store.migrations import MIGRATIONS

TEXT = (
    "Norway hosted envoys from Sudan in Oslo on 3 March 2023. "
    "Share this page. "
    "The envoy said \"we will return next month\". "
    "The council listed the Eastern Brigade as a terrorist group."
)


def _span(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def make_records(doc_id: str = "oslo-talks", text: str = TEXT, fingerprint: str = "fp-oslo") -> DocumentRecords:
    """One document with one record of every kind, all spans inside ``text``."""
    parts = [p + "." for p in text.split(". ") if p]
    parts[-1] = parts[-1].rstrip(".")
    sentences = []
    for index, part in enumerate(parts):
        start, end = _span(text, part)
        furniture = part.startswith("Share")
        sentences.append(
            Sentence(
                id=stable_id(doc_id, start, end, "s1"),
                doc_id=doc_id,
                index=index,
                start=start,
                end=end,
                paragraph=index,
                kind="furniture" if furniture else "body",
                analysed=not furniture,
            )
        )
    share = sentences[1]
    quoted = _span(text, "we will return next month")
    norway = _span(text, "Norway")
    document = Document(
        id=doc_id,
        path=f"{doc_id}.txt",
        format="txt",
        text=text,
        title="Envoys meet in Oslo",
        outlet="Example Wire",
        published="2023-03-04",
        published_source="sidecar",
        content_hash=f"hash-{doc_id}",
        fingerprint=fingerprint,
        meta={"tags": ["talks", "sudan"], "words": 42},
    )
    return DocumentRecords(
        document=document,
        regions=[
            Region(stable_id(doc_id, share.start), doc_id, share.start, share.end, "furniture", "share prompt", True)
        ],
        sentences=sentences,
        actors=[ActorRef("norway", "Norway", "state", iso3="NOR"), ActorRef("sudan", "Sudan", "state", iso3="SDN")],
        mentions=[Mention(stable_id(doc_id, *norway), doc_id, *norway, 0, "norway", "GPE", "alias")],
        events=[
            Event(
                id=stable_id(doc_id, "event", 0),
                doc_id=doc_id,
                start=sentences[0].start,
                end=sentences[0].end,
                sentence_index=0,
                trigger_start=7,
                trigger_end=13,
                source="norway",
                target="sudan",
                code="043",
                modality="asserted",
                date="2023-03-03",
                date_start=_span(text, "3 March 2023")[0],
                date_end=_span(text, "3 March 2023")[1],
                date_rule="explicit",
                entry="verbs:58",
                route="subject",
                source_route="subject",
                target_route="object~agent",
                cue="not",
                confidence=0.8,
            )
        ],
        quotes=[Quote(stable_id(doc_id, *quoted), doc_id, *quoted, 2, "direct", "The envoy", "sudan", cue="said")],
        designations=[
            Designation(
                stable_id(doc_id, "designation"),
                doc_id,
                sentences[3].start,
                sentences[3].end,
                "united-nations",
                "eastern-brigade",
                "listed",
                date="2023-03",
            )
        ],
    )


@pytest.fixture()
def store(store_url: str) -> Iterator[Store]:
    opened = open_store(store_url)
    yield opened
    opened.close()


def as_written(records: DocumentRecords | None) -> DocumentRecords | None:
    """What the pipeline wrote: the records without the event clusters the store assigns on write."""
    if records is None:
        return None
    return dataclasses.replace(records, events=[dataclasses.replace(e, cluster=None) for e in records.events])


def table_counts(store: Store) -> dict[str, int]:
    return {table: len(list(store.rows(table))) for table in TABLES}


def test_store_round_trip_returns_what_was_written(store: Store) -> None:
    records = make_records()
    store.write(records, pipeline="clean@1")
    loaded = store.load_records("oslo-talks")
    assert as_written(loaded) == records
    assert loaded is not None and all(e.cluster for e in loaded.events if not e.standing)
    assert [as_written(r) for r in store.iter_records()] == [records]
    assert store.document("oslo-talks") == records.document
    assert store.sentences("oslo-talks") == records.sentences
    assert store.regions("oslo-talks") == records.regions


def test_store_rewrite_is_idempotent(store: Store) -> None:
    records = make_records()
    first = store.write(records)
    counts = table_counts(store)
    ids = {table: sorted(str(row.get("id")) for row in store.rows(table)) for table in TABLES}
    second = store.write(make_records())
    assert (first.replaced, second.replaced) == (False, True)
    assert table_counts(store) == counts
    assert {table: sorted(str(row.get("id")) for row in store.rows(table)) for table in TABLES} == ids
    assert store.integrity_check() == []


def test_store_rewrite_replaces_every_earlier_row(store: Store) -> None:
    store.write(make_records())
    shorter = make_records()
    shorter.sentences = shorter.sentences[:2]
    shorter.document.text = TEXT[: shorter.sentences[-1].end]
    shorter.quotes, shorter.designations = [], []
    shorter.events = [dataclasses.replace(shorter.events[0], code="036", modality="planned")]
    store.write(shorter)
    assert as_written(store.load_records("oslo-talks")) == shorter
    assert [e.code for e in store.events()] == ["036"]
    assert store.quotes() == [] and store.designations() == []
    assert store.search("Brigade") == []
    assert store.integrity_check() == []


def test_store_marks_a_later_document_with_the_same_fingerprint_as_duplicate(store: Store) -> None:
    assert store.write(make_records("first")).duplicate_of is None
    assert store.write(make_records("second")).duplicate_of == "first"
    assert store.write(make_records("other", fingerprint="fp-other")).duplicate_of is None
    assert store.write(make_records("first")).duplicate_of is None  # rewriting the original keeps it first
    assert {d.id: d.duplicate_of for d in store.documents()} == {"first": None, "second": "first", "other": None}
    second = store.load_records("second")
    assert second is not None and second.document.duplicate_of == "first"
    assert len(store.events()) == 2  # the duplicate's events are left out of corpus queries
    assert len(store.events(EventQuery(include_duplicates=True))) == 3
    assert len(store.events(EventQuery(doc_id="second"))) == 1


@pytest.mark.parametrize("fingerprint", ["", "fp-changed"])
def test_store_duplicate_flag_follows_a_changed_or_empty_fingerprint(store: Store, fingerprint: str) -> None:
    store.write(make_records("first"))
    store.write(make_records("second"))
    store.write(make_records("first", fingerprint=fingerprint))
    assert {d.id: d.duplicate_of for d in store.documents()} == {"first": None, "second": None}
    assert store.integrity_check() == []


def test_store_records_failures_and_clears_them_when_the_document_succeeds(store: Store) -> None:
    store.record_failure(Failure("inbox/broken.pdf", "truncated PDF", stage="read", doc_id="oslo-talks"))
    store.record_failure(Failure("inbox/broken.pdf", "truncated PDF", stage="read", doc_id="oslo-talks"))
    store.record_failure(Failure("inbox/feed.jsonl:4", "broken JSON line", stage="discover"))
    failures = store.failures()
    assert [(f.path, f.stage, f.reason, f.doc_id) for f in failures] == [
        ("inbox/broken.pdf", "read", "truncated PDF", "oslo-talks"),
        ("inbox/feed.jsonl:4", "discover", "broken JSON line", None),
    ]
    assert all(f.time.endswith("+00:00") for f in failures)
    store.write(make_records())
    assert [f.path for f in store.failures()] == ["inbox/feed.jsonl:4"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Oslo", ["Norway hosted envoys"]),
        ('"will return"', ["The envoy said"]),
        ("terror*", ["The council listed"]),
        ('"we will return', ["The envoy said"]),  # unbalanced quote: searched as plain words
        ("Sudan AND (", ["Norway hosted envoys"]),  # dangling operator
        ("envoy: return", ["The envoy said"]),  # looks like a column filter
        ("Share", []),  # excluded furniture is not indexed
        ("   ", []),
    ],
)
def test_store_search_handles_fts_syntax_in_user_queries(store: Store, query: str, expected: list[str]) -> None:
    store.write(make_records())
    hits = store.search(query)
    assert [h.text[: len(e)] for h, e in zip(hits, expected, strict=False)] == expected
    assert len(hits) == len(expected)
    for hit in hits:
        document = store.document(hit.doc_id)
        assert document is not None
        assert document.text[hit.sentence.start : hit.sentence.end] == hit.text
        assert HIGHLIGHT_START in hit.snippet and HIGHLIGHT_END in hit.snippet
        assert "[" in hit.highlighted()


@pytest.mark.parametrize(
    ("filters", "count"),
    [
        ({}, 1),
        ({"source": "norway", "target": "sudan"}, 1),
        ({"source": "sudan"}, 0),
        ({"code": "04"}, 1),
        ({"code": "043"}, 1),
        ({"code": "05"}, 0),
        ({"actor": "sudan"}, 1),
        ({"modalities": ("negated",)}, 0),
        ({"modalities": ("asserted", "negated")}, 1),
        ({"between": ("sudan", "norway")}, 1),
        ({"between": ("sudan", "chad")}, 0),
        ({"since": "2023"}, 1),
        ({"since": "2023-03-04"}, 0),
        ({"until": "2023-03"}, 1),
        ({"until": "2023-02"}, 0),
        ({"doc_id": "elsewhere"}, 0),
    ],
)
def test_store_event_filters(store: Store, filters: dict[str, Any], count: int) -> None:
    store.write(make_records())
    assert len(store.events(EventQuery(**filters))) == count


def test_store_queries_by_actor(store: Store) -> None:
    store.write(make_records())
    assert [m.actor_id for m in store.mentions(actor_id="norway")] == ["norway"]
    assert [q.speaker for q in store.quotes(speaker_actor="sudan")] == ["The envoy"]
    assert [d.status for d in store.designations(designee="eastern-brigade", since="2023-03-10")] == ["listed"]
    assert [a.id for a in store.actors()] == ["norway", "sudan"]
    assert store.actor("sudan") == ActorRef("sudan", "Sudan", "state", iso3="SDN")
    assert store.actor("nobody") is None
    stats = store.stats()
    assert (stats["documents"], stats["sentences"], stats["analysed_sentences"], stats["events"]) == (1, 4, 3, 1)


def test_store_stored_input_names_path_hash_and_pipeline(store: Store) -> None:
    records = make_records()
    store.write(records, pipeline="clean@1,sentences@1")
    found = store.stored_input("oslo-talks")
    assert found == StoredInput(records.document.path, "hash-oslo-talks", "clean@1,sentences@1")
    assert store.stored_input("unknown") is None


def test_store_integrity_check_finds_a_span_outside_the_text(store: Store) -> None:
    records = make_records()
    records.mentions.append(Mention("bad", "oslo-talks", 5, len(TEXT) + 10, 0, "norway", "GPE", "alias"))
    store.write(records)
    problems = store.integrity_check()
    assert len(problems) == 1
    assert "mentions" in problems[0] and "bad" in problems[0]


def test_store_integrity_check_finds_a_stale_search_index(store: Store) -> None:
    store.write(make_records())
    with store.engine.begin() as conn:
        conn.execute(text("DELETE FROM sentence_search"))
    assert any("search index" in p for p in store.integrity_check())


def test_store_write_with_clashing_ids_raises_and_keeps_the_old_rows(store: Store) -> None:
    store.write(make_records())
    broken = make_records()
    broken.events.append(broken.events[0])
    with pytest.raises(StoreError, match="oslo-talks"):
        store.write(broken)
    assert as_written(store.load_records("oslo-talks")) == make_records()


def test_store_records_its_migrations(store_url: str) -> None:
    open_store(store_url).close()
    store = open_store(store_url)  # a second open applies nothing new
    assert store.migrations() == [m.name for m in MIGRATIONS]
    with store.reader() as conn:
        rows = conn.execute(text("SELECT name, position FROM schema_migrations ORDER BY position")).all()
    assert [tuple(r) for r in rows] == [(m.name, i) for i, m in enumerate(MIGRATIONS, start=1)]
    assert store.stats()["schema"] == len(MIGRATIONS)
    store.close()


def test_store_refuses_a_schema_it_does_not_know(store_url: str) -> None:
    store = open_store(store_url)
    with store.engine.begin() as conn:
        conn.execute(text("INSERT INTO schema_migrations VALUES ('9999_from_the_future', 99, 'now')"))
    store.close()
    with pytest.raises(StoreError, match="9999_from_the_future"):
        open_store(store_url)


def test_store_uses_wal_so_readers_do_not_block_the_writer(db_path: Path) -> None:
    with open_store(db_path) as store, store.reader() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert (conn.exec_driver_sql("PRAGMA busy_timeout").scalar() or 0) > 0
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_store_rows_rejects_an_unknown_table(store: Store) -> None:
    with pytest.raises(StoreError, match="unknown table"):
        list(store.rows("sqlite_master"))


def test_read_only_store_reads_but_refuses_writes(tmp_path: Path) -> None:
    path = tmp_path / "ro.db"
    with open_store(path) as writer:
        writer.write(DocumentRecords(document=Document(id="d1", path="d1.txt", format="txt", text="Some text.")))
    with open_store(path, read_only=True) as reader:
        assert [d.id for d in reader.documents()] == ["d1"]
        with pytest.raises(StoreError):
            reader.write(DocumentRecords(document=Document(id="d2", path="d2.txt", format="txt", text="More.")))
    with pytest.raises(StoreError):
        open_store(tmp_path / "missing.db", read_only=True)


def test_one_event_by_id(tmp_path: Path) -> None:
    records = make_records()
    with open_store(tmp_path / "e.db") as store:
        store.write(records)
        wanted = records.events[0]
        found = store.event(wanted.id)
        assert found is not None and dataclasses.replace(found, cluster=None) == wanted
        assert store.event("no-such-event") is None
