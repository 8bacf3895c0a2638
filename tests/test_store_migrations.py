"""Stores written by an earlier dyadlens are migrated when opened, and read back whole."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import inspect

from dyadlens.model import Provenance
from dyadlens.store import Store, open_store
from dyadlens.store.migrations import MIGRATIONS, unpack_rule

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "store" / "oslo-talks-0002.sql"


@pytest.fixture()
def old_store(tmp_path: Path) -> Path:
    """A store as dyadlens wrote it at migration 0002 (``events.rule`` packed), from its SQL dump."""
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as conn:
        conn.executescript(FIXTURE.read_text(encoding="utf-8"))
    conn.close()
    return path


def test_a_store_of_0002_gets_provenance_columns_and_reads_its_events(old_store: Path, tmp_path: Path) -> None:
    with open_store(old_store) as store:
        assert store.migrations() == [m.name for m in MIGRATIONS]
        events = store.events()
        assert [(e.source, e.code, e.target, e.modality, e.provenance) for e in events] == [
            ("norway", "043", "sudan", "asserted", Provenance("verbs:58", "subject", "subject", "object~agent")),
            ("norway", "054", "taliban", "negated", Provenance("verbs:82", "subject", "subject", "object", "not")),
            ("norway", "070", "sudan", "planned", Provenance("verbs:109", "governing", "subject", "prep-object",
                                                            "promised")),
        ]
        assert store.event(events[1].id) == events[1]
        assert store.integrity_check() == []
        assert [hit.doc_id for hit in store.search("Taliban")] == ["oslo-talks"]
        records = store.load_records("oslo-talks")
        assert records is not None and records.events == events
        store.write(records, replace=True)  # and writes them back under the new schema
        assert [dataclasses.replace(e, cluster=None) for e in store.events()] == events
        migrated = _columns(store)
    with open_store(tmp_path / "new.db") as fresh:
        assert migrated == _columns(fresh)


def _columns(store: Store) -> dict[str, dict[str, bool]]:
    """Each table of the store, with each of its columns and whether it takes NULL."""
    with store.reader() as conn:
        found = inspect(conn)
        return {t: {c["name"]: c["nullable"] for c in found.get_columns(t)} for t in found.get_table_names()}


@pytest.mark.parametrize(
    ("rule", "fields"),
    [
        ("verbs:125|subject:subject~pronoun>object|claim",
         ("verbs:125", "subject", "subject~pronoun", "object", "claim")),
        ("gathering|earlier-host:participant>host~earlier|-",
         ("gathering", "earlier-host", "participant", "host~earlier", None)),
        ("keyword:attack", ("keyword:attack", "", "", "", None)),  # another coder's rule: all entry
        ("", ("", "", "", "", None)),
    ],
)
def test_a_packed_rule_unpacks_into_the_provenance_fields(rule: str, fields: tuple[str | None, ...]) -> None:
    assert tuple(unpack_rule(rule).values()) == fields


def test_events_of_an_earlier_store_are_the_rules_and_it_can_hold_corrections(old_store: Path) -> None:
    from dyadlens.store.corrections import Correction, corrections, record_correction

    with open_store(old_store) as store:
        events = store.events()
        assert {e.coder for e in events} == {"rules"}
        first = events[0]
        record_correction(store, Correction("reject", first.doc_id, first.start, first.end, first.source,
                                            first.target, first.code, first.modality, event_id=first.id))
        assert [(c.action, c.event_id) for c in corrections(store)] == [("reject", first.id)]
        assert store.integrity_check() == []


def test_a_fresh_store_has_every_step_recorded_and_the_schema_of_today(store_url: str) -> None:
    """On each backend: 0001 creates today's tables, each later step finds nothing to do, all are recorded."""
    from dyadlens.store import schema

    with open_store(store_url) as store:
        assert store.migrations() == [m.name for m in MIGRATIONS]
        tables = _columns(store)
    for table in schema.metadata.sorted_tables:
        assert tables[table.name] == {c.name: bool(c.nullable) and not c.primary_key for c in table.columns}, table
