"""The per-actor totals (``summary_actors``, migration 0011) stay equal to counts from scratch through ingest,
replace, duplicate marks and rejections on both backends; the overview and ``/actors`` answer from them
exactly what they count from the records; the listing and status indexes of 0011 are the ones SQLite reads."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from sqlalchemy import func, select, text

from dyadlens.analysis.common import AnalysisContext
from dyadlens.analysis.explorers.actors import explore_actors
from dyadlens.analysis.overview import corpus_overview
from dyadlens.cli import main
from dyadlens.resources import Resources
from dyadlens.store import actor_summaries, open_store, schema, summaries
from dyadlens.store.corrections import event_corrections, record_correction

E, M = schema.events, schema.mentions


def _invoke(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def _answers(ctx: AnalysisContext) -> dict[str, Any]:
    found: dict[str, Any] = {f"overview {count}": corpus_overview(ctx, count=count) for count in ("events", "reports")}
    for sort in ("name", "-reports", "-mentions", "reports"):
        found[f"actors {sort}"] = explore_actors(ctx, {}, sort=sort, limit=20)
    found["actors persons by reports"] = explore_actors(ctx, {"type": "person"}, sort="-reports")
    return found


def _assert_kept(db: str, resources: Resources) -> None:
    """The kept totals equal the counts from scratch, and the views answer the same read either way."""
    with open_store(db) as store:
        with store.reader() as conn:
            assert actor_summaries.stale_rows(conn) == []
            russia = conn.execute(select(schema.summary_actors).where(schema.summary_actors.c.actor == "russia")).one()
            as_source = conn.scalar(select(func.count()).where(E.c.source == "russia"))
            as_target = conn.scalar(select(func.count()).where(E.c.target == "russia"))
        assert russia.reports == as_source + as_target > 0
        ctx = AnalysisContext(store, resources.ontology, resources.kb)
        kept = _answers(ctx)
        with summaries.bypassed():
            counted = _answers(ctx)
    for name, answer in kept.items():
        assert answer == counted[name], name


def test_actor_totals_follow_writes(store_url: str, resources: Resources, examples_dir: Path, seeds_dir: Path,
                                    tmp_path: Path) -> None:
    db = store_url
    _invoke("--db", db, "ingest", str(examples_dir))
    _assert_kept(db, resources)  # after ingest (identity, duplicate marks)

    extra = tmp_path / "trade.txt"
    extra.write_text("Trade talk\n\nIn May 2024, Russia praised the Taliban. Sergei Lavrov said: \"Kabul is a "
                     "partner.\"\n", encoding="utf-8")
    _invoke("--db", db, "ingest", str(extra))
    extra.write_text("Trade talk\n\nIn May 2024, Pakistan condemned Russia and China.\n", encoding="utf-8")
    _invoke("--db", db, "ingest", "--replace", str(extra))
    _assert_kept(db, resources)  # a replace: the old mentions, reports and quotes leave

    copy = tmp_path / "copy-of-ban-to-recognition.pdf"
    shutil.copy(examples_dir / "2025-07-ban-to-recognition.pdf", copy)
    assert "1 duplicates" in _invoke("--db", db, "ingest", str(copy))
    with open_store(db) as store, store.reader() as conn:
        kept = conn.scalar(select(schema.summary_actors.c.named).where(schema.summary_actors.c.actor == "taliban"))
        original = conn.scalar(select(schema.summary_actors.c.mentions).where(
            schema.summary_actors.c.actor == "taliban"))
    assert kept > original  # the duplicate's mentions count in /actors, not in the overview
    _assert_kept(db, resources)

    with open_store(db) as store, store.reader() as conn:
        event_id = conn.scalar(select(E.c.id).where(E.c.source == "russia").order_by(E.c.id).limit(1))
    with open_store(db) as store:
        event = store.event(event_id)
        assert event is not None
        for correction in event_corrections(event, reject=True):
            record_correction(store, correction)
    _assert_kept(db, resources)  # a rejection (reports still count it: /actors counts every report)

    _invoke("--db", db, "ingest", str(seeds_dir))
    _assert_kept(db, resources)


def test_migration_0011_counts_a_store_written_before_it(tmp_path: Path, examples_dir: Path,
                                                         resources: Resources) -> None:
    """A store at 0010 (no per-actor table, triggers nor indexes) gets them, counted from its records."""
    db = str(tmp_path / "old.db")
    _invoke("--db", db, "ingest", str(examples_dir))
    with open_store(db) as store, store.transaction() as conn:
        actor_summaries.drop_triggers(conn)
        conn.exec_driver_sql("DROP TABLE summary_actors")
        conn.exec_driver_sql("DROP TABLE summary_dyads")
        for name in ("ix_actors_id_name", "ix_documents_head"):
            conn.exec_driver_sql(f"DROP INDEX {name}")
        conn.exec_driver_sql("DELETE FROM schema_migrations WHERE name >= '0011'")  # 0011 and the later ones
    with open_store(db) as store, store.reader() as conn:
        names = set(conn.scalars(text("SELECT name FROM sqlite_master WHERE type IN ('index', 'trigger')")))
        assert {"ix_actors_id_name", "ix_documents_head", "summary_actors_mentions_insert"} <= names
        assert conn.scalar(select(func.count()).select_from(schema.summary_actors)) > 10
    _assert_kept(db, resources)


def _plan(conn: Any, statement: Any) -> str:
    compiled = statement.compile(conn, compile_kwargs={"literal_binds": True})
    return " | ".join(row[-1] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}"))


def test_listings_and_status_reads_use_the_indexes_of_0011_and_0014(tmp_path: Path, examples_dir: Path) -> None:
    db = str(tmp_path / "plans.db")
    _invoke("--db", db, "ingest", str(examples_dir))
    D, A, C = schema.documents, schema.actors, schema.clusters
    with open_store(db) as store, store.reader() as conn:
        head = select(D.c.id, D.c.title, D.c.outlet, D.c.published, D.c.url, D.c.duplicate_of).order_by(
            D.c.published, D.c.id).limit(50)
        assert "COVERING INDEX ix_documents_head" in _plan(conn, head)
        first_name = select(func.min(A.c.name)).where(A.c.id == "russia")
        assert "COVERING INDEX ix_actors_id_name" in _plan(conn, first_name)
        coded = select(E.c.id).where(E.c.code == "1041", E.c.source == "russia", E.c.target == "taliban")
        assert "ix_events_claims" in _plan(conn, coded)
        led = select(C.c.id).where(C.c.code == "1041", C.c.source == "russia", C.c.target == "taliban")
        assert "ix_clusters_keys_date" in _plan(conn, led)
