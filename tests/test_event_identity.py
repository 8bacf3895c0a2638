"""Event identity: the reports of one event grouped across sentences and documents (docs/event-identity.md)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from dyadlens.cli import main
from dyadlens.identity import ActorRelations, Links, Report, cluster_reports, consolidate, evidence_key
from dyadlens.model import Event
from dyadlens.store import open_store
from postgres_server import STORE_BACKENDS, new_store_target

NO_RELATIONS = ActorRelations()


def report(doc: str, start: int, source: str, target: str, code: str, date: str | None, sentence: str, *,
           published: str | None = None, outlet: str | None = None, modality: str = "asserted",
           headline: bool = False, standing: bool = False) -> Report:
    event = Event(id=f"{doc}-{start}-{code}", doc_id=doc, start=start, end=start + len(sentence), sentence_index=0,
                  trigger_start=start, trigger_end=start + 1, source=source, target=target, code=code,
                  modality=modality, date=date, date_rule="explicit" if date else None, standing=standing)
    return Report(event, published, outlet, sentence, headline)


def partition(assignment: dict[str, str]) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for event_id, cluster in assignment.items():
        groups.setdefault(cluster, set()).add(event_id)
    return {frozenset(group) for group in groups.values()}


# --- the pure core -------------------------------------------------------------

TREATY = [
    report("a", 0, "arland", "brevia", "057", "2024-05-14",
           "Arland and Brevia signed a border treaty in the northern town of Velk on 14 May.", outlet="One"),
    report("b", 10, "arland", "brevia", "057", "2024-05",
           "The border treaty Arland signed with Brevia in May ended a decade of disputes.", outlet="Two"),
    report("c", 20, "arland", "brevia", "057", "2024",
           "After the 2024 border treaty signed in Velk, trade between Arland and Brevia doubled.", outlet="Three"),
]


@pytest.mark.fast
def test_one_event_told_by_three_outlets_at_different_precisions_is_one_cluster() -> None:
    clusters = cluster_reports(TREATY, relations=NO_RELATIONS)
    assert len(set(clusters.values())) == 1
    row = consolidate(TREATY)
    assert (row.date, row.code, row.reports, row.documents, row.outlets) == ("2024-05-14", "057", 3, 3, 3)
    assert row.lead == TREATY[0].event.id


@pytest.mark.fast
def test_two_meetings_of_one_dyad_a_month_apart_stay_apart() -> None:
    meetings = [
        report("a", 0, "arland", "brevia", "040", "2024-03-02", "Arland's envoy met Brevian officials in Velk."),
        report("b", 0, "arland", "brevia", "040", "2024-04-05", "Arland's envoy met Brevian officials in Velk."),
    ]
    assert len(set(cluster_reports(meetings, relations=NO_RELATIONS).values())) == 2


@pytest.mark.fast
def test_parent_and_child_codes_join_but_other_roots_do_not() -> None:
    reports = [
        report("a", 0, "arland", "cordan", "172", "2023-02", "Arland's court banned the Cordan movement in February."),
        report("b", 0, "arland", "cordan", "1724", "2023-02-11", "Arland's supreme court banned the Cordan movement."),
        report("c", 0, "arland", "cordan", "081", "2023-02-11", "Arland's supreme court lifted the Cordan ban."),
    ]
    clusters = cluster_reports(reports, relations=NO_RELATIONS)
    assert clusters[reports[0].event.id] == clusters[reports[1].event.id] != clusters[reports[2].event.id]
    assert consolidate(reports[:2]).code == "1724"


@pytest.mark.fast
def test_reversed_dyad_joins_for_talks_only() -> None:
    talks = [
        report("a", 0, "arland", "brevia", "046", "2024-06-10", "Arland and Brevia held ceasefire talks in Osk."),
        report("b", 0, "brevia", "arland", "046", "2024-06-10", "Brevia held ceasefire talks with Arland in Osk."),
    ]
    threats = [
        report("a", 0, "arland", "brevia", "138", "2024-06-10", "Arland threatened Brevia with war in Osk."),
        report("b", 0, "brevia", "arland", "138", "2024-06-10", "Brevia threatened Arland with war in Osk."),
    ]
    assert len(set(cluster_reports(talks, relations=NO_RELATIONS).values())) == 1
    assert len(set(cluster_reports(threats, relations=NO_RELATIONS).values())) == 2


@pytest.mark.fast
def test_the_kb_relates_a_state_and_its_government() -> None:
    relations = ActorRelations([("arland-government", "arland")])
    reports = [
        report("a", 0, "arland", "brevia", "1124", "2024-06-10", "Arland accused Brevia of shelling the dam."),
        report("b", 0, "arland-government", "brevia", "1124", "2024-06-10", "The government accused Brevia."),
    ]
    assert len(set(cluster_reports(reports, relations=relations).values())) == 1
    assert len(set(cluster_reports(reports, relations=NO_RELATIONS).values())) == 2


@pytest.mark.fast
def test_undated_reports_join_within_their_document_or_on_very_similar_wording() -> None:
    dated = report("a", 0, "arland", "brevia", "0233", "2024-01-09", "Arland sent flood relief convoys to Brevia.")
    headline = report("a", 100, "arland", "brevia", "0233", None, "Arland sends flood relief to Brevia",
                      headline=True)
    elsewhere = report("b", 0, "arland", "brevia", "0233", None, "Aid workers from Arland reached Brevian towns.")
    verbatim = report("c", 0, "arland", "brevia", "0233", None, "Arland sent flood relief convoys to Brevia.")
    clusters = cluster_reports([dated, headline, elsewhere, verbatim], relations=NO_RELATIONS)
    assert clusters[dated.event.id] == clusters[headline.event.id] == clusters[verbatim.event.id]
    assert clusters[elsewhere.event.id] != clusters[dated.event.id]


@pytest.mark.fast
def test_merge_and_split_links_override_the_score() -> None:
    a, b, _c = TREATY
    split = cluster_reports(TREATY, Links.of(cannot=[(evidence_key(a.event), evidence_key(b.event))]),
                            relations=NO_RELATIONS)
    assert split[a.event.id] != split[b.event.id]
    far = report("d", 0, "brevia", "dorsk", "010", "2019", "Brevia said little about Dorsk.")
    merged = cluster_reports([a, far], Links.of(must=[(evidence_key(a.event), evidence_key(far.event))]),
                             relations=NO_RELATIONS)
    assert merged[a.event.id] == merged[far.event.id]


@pytest.mark.fast
def test_standing_and_rejected_reports_get_no_cluster_and_ids_are_stable() -> None:
    standing = report("d", 0, "arland", "brevia", "057", "2025", "Arland still abides by the treaty.", standing=True)
    clusters = cluster_reports([*TREATY, standing], relations=NO_RELATIONS)
    assert standing.event.id not in clusters
    assert clusters == cluster_reports([*TREATY, standing], relations=NO_RELATIONS)


@pytest.mark.fast
def test_consolidated_modality_prefers_an_assertion() -> None:
    reports = [report("a", 0, "arland", "brevia", "057", "2024", "x", modality=m)
               for m in ("possible", "alleged", "alleged", "asserted")]
    assert consolidate(reports).modality == "asserted"
    assert consolidate(reports[:3]).modality == "alleged"


# --- the store -----------------------------------------------------------------


@pytest.fixture(scope="module", params=STORE_BACKENDS)
def ingested(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, examples_dir: Path,
             seeds_dir: Path) -> str:
    db = new_store_target(request, tmp_path_factory.mktemp("identity"), "store.db")
    result = CliRunner().invoke(main, ["--db", str(db), "ingest", str(examples_dir), str(seeds_dir)])
    assert result.exit_code == 0, result.output
    return db


@pytest.fixture()
def store_copy(request: pytest.FixtureRequest, ingested: str, tmp_path: Path) -> str:
    """A copy of the ingested store: SQLite's backup, or a PostgreSQL database made from it as a template."""
    if "://" in ingested:
        server = request.getfixturevalue("postgres_server")
        copy = f"copy_{tmp_path.name}".replace("-", "_")
        server.sql("postgres", f"CREATE DATABASE {copy} TEMPLATE {ingested.split('/')[3].split('?')[0]}")
        return str(server.url(copy))
    copy = tmp_path / "copy.db"
    with sqlite3.connect(ingested) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    return str(copy)


def query(db: str, sql: str, **params: str) -> list[tuple[Any, ...]]:
    with open_store(db) as store, store.reader() as conn:
        return [tuple(row) for row in conn.execute(text(sql), params)]


def consistent(db: str) -> None:
    """No orphan cluster rows, counts matching the events, no cluster in duplicates or standing facts."""
    actual = dict(query(db, "SELECT cluster, count(*) FROM events WHERE cluster IS NOT NULL GROUP BY cluster"))
    stored = dict(query(db, "SELECT id, reports FROM clusters"))
    [(wrong,)] = query(db, "SELECT count(*) FROM events e JOIN documents d ON d.id = e.doc_id WHERE e.cluster "
                           "IS NOT NULL AND (d.duplicate_of IS NOT NULL OR e.standing)")
    assert actual == stored
    assert wrong == 0


def russia_taliban(db: str, code: str, date_prefix: str) -> list[tuple[str, int, int]]:
    return query(db, "SELECT id, reports, documents FROM clusters WHERE source = 'russia' AND target = "
                     "'taliban' AND code LIKE :code AND date LIKE :date", code=code + "%", date=date_prefix + "%")


@pytest.mark.slow
def test_the_2003_listing_and_the_2025_recognition_are_one_event_each(ingested: str) -> None:
    [(_, reports, documents)] = russia_taliban(ingested, "172", "2003")
    assert reports >= 3 and documents >= 3
    [(_, reports, documents)] = russia_taliban(ingested, "05", "2025-07")
    assert reports >= 3 and documents >= 2
    consistent(ingested)


@pytest.mark.slow
def test_rebuild_gives_the_incremental_assignment(store_copy: str) -> None:
    def assignment() -> Counter[str | None]:
        return Counter(dict(query(store_copy, "SELECT id, cluster FROM events")).values())

    before = assignment()
    result = CliRunner().invoke(main, ["--db", str(store_copy), "clusters", "--rebuild", "--json"])
    assert result.exit_code == 0, result.output
    assert assignment() == before
    consistent(store_copy)


@pytest.mark.slow
def test_ingesting_a_copy_of_a_document_keeps_clusters_consistent(store_copy: str, examples_dir: Path,
                                                           tmp_path: Path) -> None:
    before = russia_taliban(store_copy, "172", "2003")
    changed = tmp_path / "copy-of-ban-to-recognition.pdf"
    shutil.copy(examples_dir / "2025-07-ban-to-recognition.pdf", changed)
    result = CliRunner().invoke(main, ["--db", str(store_copy), "ingest", "--replace", str(changed)])
    assert result.exit_code == 0, result.output
    assert "1 duplicates" in result.output
    consistent(store_copy)
    assert russia_taliban(store_copy, "172", "2003") == before


@pytest.mark.slow
def test_replacing_a_document_moves_its_reports_out_of_their_cluster(store_copy: str, tmp_path: Path) -> None:
    [(_, before, _)] = russia_taliban(store_copy, "172", "2003")
    extra = tmp_path / "listing-recalled.txt"
    extra.write_text("Ban recalled\n\nIn February 2003, Russia's Supreme Court placed the Taliban on its national "
                     "list of terrorist organisations.\n", encoding="utf-8")
    ingest = ["--db", str(store_copy), "ingest", "--replace", str(extra)]
    assert CliRunner().invoke(main, ingest).exit_code == 0
    [(_, joined, _)] = russia_taliban(store_copy, "172", "2003")
    extra.write_text("Trade talk\n\nTraders in Termez expect more rail freight this winter.\n", encoding="utf-8")
    assert CliRunner().invoke(main, ingest).exit_code == 0
    [(_, after, _)] = russia_taliban(store_copy, "172", "2003")
    assert (joined, after) == (before + 1, before)
    consistent(store_copy)


@pytest.mark.slow
def test_clusters_command_lists_events_with_their_reports(ingested: str) -> None:
    result = CliRunner().invoke(main, ["--db", str(ingested), "clusters", "Russia", "Taliban", "--code", "172",
                                       "--min-reports", "3", "--json"])
    assert result.exit_code == 0, result.output
    [event] = json.loads(result.output)
    assert event["reports"] == len(event["members"]) >= 3
    assert all("Taliban" in member["sentence"] for member in event["members"])


@pytest.mark.slow
def test_split_and_merge_corrections_hold_in_the_store(store_copy: str) -> None:
    from sqlalchemy import select

    from dyadlens.identity.reports import key_to_json
    from dyadlens.identity.store_sync import refresh_clusters
    from dyadlens.store import schema

    [(cluster, _, _)] = russia_taliban(store_copy, "172", "2003")
    e = schema.events
    with open_store(store_copy) as store, store.transaction() as conn:
        first, second = conn.execute(select(e).where(e.c.cluster == cluster).order_by(e.c.doc_id).limit(2)).all()
        other = key_to_json((second.doc_id, second.start, second.end, second.source, second.target, second.code))
        conn.execute(schema.corrections.insert().values(
            id="split-test", created="2026-01-01", action="split", doc_id=first.doc_id, start=first.start,
            end=first.end, source=first.source, target=first.target, code=first.code, other=other))
        refresh_clusters(conn, [first.doc_id, second.doc_id])
        clusters_of = dict(conn.execute(select(e.c.id, e.c.cluster).where(e.c.id.in_([first.id, second.id]))).all())
    assert clusters_of[first.id] != clusters_of[second.id]
    consistent(store_copy)
    with open_store(store_copy) as store, store.transaction() as conn:
        conn.execute(schema.corrections.update().values(action="merge"))
        refresh_clusters(conn, [first.doc_id, second.doc_id])
        clusters_of = dict(conn.execute(select(e.c.id, e.c.cluster).where(e.c.id.in_([first.id, second.id]))).all())
    assert clusters_of[first.id] == clusters_of[second.id]
    consistent(store_copy)
