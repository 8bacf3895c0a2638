"""The summary tables (dyadlens.store.summaries) stay equal to a count from scratch through every write
path, and the views that read them answer exactly what the events themselves answer, on both backends."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import select, text

from dyadlens.analysis.common import AnalysisContext
from dyadlens.analysis.network import actor_network
from dyadlens.analysis.overview import corpus_overview
from dyadlens.analysis.profile import actor_profile
from dyadlens.analysis.series import dyad_series
from dyadlens.cli import main
from dyadlens.resources import Resources
from dyadlens.store import open_store, schema, summaries
from dyadlens.store.corrections import event_corrections, record_correction, report_link
from postgres_server import STORE_BACKENDS, new_store_target

E = schema.events


def _views(ctx: AnalysisContext) -> dict[str, Callable[[], Any]]:
    """Every view that reads the summaries, in the shapes they serve."""
    found: dict[str, Callable[[], Any]] = {}
    for count in ("events", "reports"):
        for by in ("month", "quarter", "year"):
            found[f"series {by} {count}"] = lambda by=by, count=count: dyad_series(ctx, "russia", "taliban", by=by,
                                                                                    count=count)
        found[f"series dated {count}"] = lambda count=count: dyad_series(ctx, "russia", "taliban", count=count,
                                                                         since="2003", until="2025-07")
        found[f"series directed all {count}"] = lambda count=count: dyad_series(
            ctx, "russia", "taliban", directed=True, modalities=None, count=count)
        found[f"network {count}"] = lambda count=count: actor_network(ctx, count=count)
        found[f"network 2025 {count}"] = lambda count=count: actor_network(ctx, since="2025", until="2025-12",
                                                                           quad_classes=(1, 2), count=count)
        found[f"overview {count}"] = lambda count=count: corpus_overview(ctx, count=count)
        found[f"profile {count}"] = lambda count=count: actor_profile(ctx, "russia", count=count)
    return found


def assert_summaries_hold(db: str, resources: Resources) -> None:
    """The kept summaries equal a count from scratch, and every view answers the same from them."""
    with open_store(db) as store:
        with store.reader() as conn:
            assert summaries.stale_rows(conn) == []
            kept = conn.scalar(text("SELECT count(*) FROM summary_months WHERE n > 0"))
        assert kept
        ctx = AnalysisContext(store, resources.ontology, resources.kb)
        for name, view in _views(ctx).items():
            from_summaries = view()
            with summaries.bypassed():
                from_events = view()
            assert from_summaries == from_events, name


@pytest.fixture(scope="module", params=STORE_BACKENDS)
def store_target(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, examples_dir: Path,
                 seeds_dir: Path) -> str:
    db = new_store_target(request, tmp_path_factory.mktemp("summaries"), "store.db")
    result = CliRunner().invoke(main, ["--db", str(db), "ingest", str(examples_dir), str(seeds_dir)])
    assert result.exit_code == 0, result.output
    return db


def _invoke(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def _russia_taliban(db: str, cluster_count: int = 1) -> list[Any]:
    """Russia–Taliban acts of original documents, one per cluster, the busiest clusters first."""
    with open_store(db) as store, store.reader() as conn:
        rows = conn.execute(select(E).where(E.c.source == "russia", E.c.target == "taliban", E.c.standing.is_(False),
                                            E.c.cluster.is_not(None), E.c.correction.is_(None))
                            .order_by(E.c.cluster, E.c.id)).all()
    by_cluster: dict[str, list[Any]] = {}
    for row in rows:
        by_cluster.setdefault(row.cluster, []).append(row)
    busiest = sorted(by_cluster.values(), key=lambda members: (-len(members), members[0].id))
    return [members[0] for members in busiest[:cluster_count]]


def _correct(db: str, make: Callable[[Any], list[Any]], event_id: str) -> None:
    with open_store(db) as store:
        event = store.event(event_id)
        assert event is not None
        for correction in make(event):
            record_correction(store, correction)


@pytest.mark.slow
def test_summaries_follow_every_write_path(store_target: str, resources: Resources, examples_dir: Path,
                                           tmp_path: Path) -> None:
    db = store_target
    assert_summaries_hold(db, resources)  # after ingest (the identity step, duplicate marks)

    extra = tmp_path / "listing-recalled.txt"
    extra.write_text("Ban recalled\n\nIn February 2003, Russia's Supreme Court placed the Taliban on its national "
                     "list of terrorist organisations. Russia condemned the Taliban in March 2003.\n", encoding="utf-8")
    _invoke("--db", db, "ingest", str(extra))
    extra.write_text("Trade talk\n\nIn May 2024, Russia praised the Taliban for rail freight through Termez.\n",
                     encoding="utf-8")
    _invoke("--db", db, "ingest", "--replace", str(extra))
    assert_summaries_hold(db, resources)  # re-ingest with --replace

    first, second, third, fourth = _russia_taliban(db, 4)
    _correct(db, lambda event: event_corrections(event, reject=True), first.id)
    assert_summaries_hold(db, resources)  # a rejection
    _correct(db, lambda event: event_corrections(event, code="190"), second.id)
    assert_summaries_hold(db, resources)  # a recode
    _correct(db, lambda event: event_corrections(event, date="2019-05"), third.id)
    assert_summaries_hold(db, resources)  # a redate
    with open_store(db) as store:
        one, other = store.event(third.id), store.event(fourth.id)
        assert one is not None and other is not None
        record_correction(store, report_link("merge", one, other))
    assert_summaries_hold(db, resources)  # a merge of two clusters

    copy = tmp_path / "copy-of-ban-to-recognition.pdf"
    shutil.copy(examples_dir / "2025-07-ban-to-recognition.pdf", copy)
    assert "1 duplicates" in _invoke("--db", db, "ingest", str(copy))
    assert_summaries_hold(db, resources)  # a duplicate document

    _invoke("--db", db, "clusters", "--rebuild", "--json")
    assert_summaries_hold(db, resources)  # a cluster rebuild


def test_rebuild_recomputes_summaries_after_a_write_without_triggers(tmp_path: Path) -> None:
    """A bulk load with the triggers dropped leaves the summaries behind until they are rebuilt."""
    db = tmp_path / "bulk.db"
    with open_store(db) as store, store.transaction() as conn:
        summaries.drop_triggers(conn)
        conn.execute(schema.documents.insert().values(
            id="d1", seq=1, path="d1.txt", format="text", text="Russia met the Taliban.", published="2024-05-02",
            content_hash="h", fingerprint="f", meta="{}", pipeline="", ingested_at="2026-01-01"))
        conn.execute(E.insert().values(
            id="e1", doc_id="d1", seq=0, start=0, end=23, sentence_index=0, trigger_start=7, trigger_end=10,
            source="russia", target="taliban", code="040", root="04", modality="asserted", date=None, entry="meet",
            route="r", source_route="s", target_route="t", confidence=1.0))
        assert len(summaries.stale_rows(conn)) == 6  # both modes, both tables; both actors
        summaries.rebuild(conn)
        assert summaries.stale_rows(conn) == []
        summaries.create_triggers(conn)
        [(period, n)] = conn.execute(text("SELECT period, n FROM summary_months WHERE mode = 'events'")).all()
    assert (period, n) == ("2024-05", 1)
    with open_store(db) as store, store.transaction() as conn:  # the triggers are back: a duplicate mark counts
        conn.execute(schema.documents.update().values(duplicate_of="d0"))
        assert summaries.stale_rows(conn) == []
        assert conn.scalar(text("SELECT sum(n) FROM summary_totals")) == 0


def test_the_rebuild_command_recounts_and_puts_the_triggers_back(tmp_path: Path, examples_dir: Path, seeds_dir: Path,
                                                                  resources: Resources) -> None:
    db = str(tmp_path / "rebuilt.db")
    _invoke("--db", db, "ingest", str(examples_dir), "--upto", "sentences")
    with open_store(db) as store, store.transaction() as conn:
        summaries.drop_triggers(conn)
        conn.execute(text("DELETE FROM summary_totals"))
    _invoke("--db", db, "summaries", "--rebuild", "--check")
    _invoke("--db", db, "ingest", str(seeds_dir))  # written after the rebuild: the triggers keep the counts
    assert_summaries_hold(db, resources)
