"""The actor page's bounded reads (analysis/actor_reads.py) against the unbounded reads they replace, on the
hand-written corpus and a small synthetic store, on SQLite and PostgreSQL: the same events, documents,
mentions, partners and quotes in the same order, the same totals; a dense actor's walks (every actor made
dense) give the sparse reads' answers at every offset; counts above the bound are flagged, in the page and
its JSON twin; and the person reads keep to the person index when SQLite's statistics call it useless."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import exists, select, union

from analysis_corpus import build_store
from dyadlens.analysis import actor_reads
from dyadlens.analysis.actors import seldom
from dyadlens.analysis.common import AnalysisContext
from dyadlens.analysis.profile import actor_profile, mentions_in_context
from dyadlens.resources import Resources
from dyadlens.store import EventQuery, open_store, schema, summaries
from dyadlens.store.queries import joined
from dyadlens.web.app import WebApp
from test_actor_pages import kabulov_talks
from test_bounded_reads import _synthetic_store
from test_web_app import get

Q, M, D = schema.quotes, schema.mentions, schema.documents


@pytest.fixture()
def ctx(corpus_ctx: AnalysisContext) -> AnalysisContext:
    return corpus_ctx


@pytest.fixture()
def synthetic(tmp_path: Path, resources: Resources) -> Iterator[AnalysisContext]:
    store = open_store(_synthetic_store(tmp_path / "s.db"))
    yield AnalysisContext(store, resources.ontology, resources.kb)
    store.close()


def _actors(ctx: AnalysisContext) -> list[str]:
    return sorted({row[0] for row in ctx.store.read(select(M.c.actor_id).distinct()) if row[0]})


# --- the unbounded reads, as the actor page made them before -------------------------------------------


def _documents_unbounded(ctx: AnalysisContext, actor: str, count: str) -> list[str]:
    acts = EventQuery(actor=actor, count=count, standing=False)
    ids = union(select(M.c.doc_id.label("id")).where(M.c.actor_id == actor),
                select(schema.events.c.doc_id.label("id")).select_from(joined()).where(*acts.conditions())).subquery()
    return [row[0] for row in ctx.store.read(select(ids.c.id).order_by(ids.c.id))]


def _quotes_about_unbounded(ctx: AnalysisContext, actor: str) -> list[str]:
    mentioned = exists().where(M.c.doc_id == Q.c.doc_id, M.c.sentence_index == Q.c.sentence_index,
                               M.c.actor_id == actor)
    found = (select(Q.c.id).select_from(Q.join(D, D.c.id == Q.c.doc_id))
             .where(D.c.duplicate_of.is_(None), mentioned, Q.c.speaker_actor.is_distinct_from(actor))
             .order_by(Q.c.doc_id, Q.c.start))
    return [row[0] for row in ctx.store.read(found)]


def _page(ctx: AnalysisContext, actor: str, count: str, limit: int, offset: int) -> list[str]:
    acts = EventQuery(actor=actor, count=count, standing=False)
    return [s.event.id for s in ctx.store.shown_events(acts, limit=limit, offset=offset)]


def _answer(ctx: AnalysisContext, actor: str, count: str = "events") -> dict[str, Any]:
    """What the page shows, as plain values."""
    profile = actor_profile(ctx, actor, count=count, limit=50)
    assert profile.summary is not None
    return {
        "events": [e.id for e in profile.events], "total": profile.events_window and profile.events_window.total,
        "documents": profile.documents, "documents_total": profile.documents_total,
        "partners": profile.partners, "quotes_by": [q.id for q in profile.quotes_by],
        "quotes_about": [q.id for q in profile.quotes_about], "mentions": profile.mentions,
        "summary": profile.summary,
    }


def _compare(ctx: AnalysisContext, actors: list[str], monkeypatch: pytest.MonkeyPatch) -> int:
    """Every actor's page read the old way (summaries bypassed), the new way, and with every actor dense."""
    compared = 0
    for actor in actors:
        for count in ("events", "reports"):
            with summaries.bypassed():
                before = _answer(ctx, actor, count)
            assert before["documents"] == _documents_unbounded(ctx, actor, count)[:50], actor
            assert before["documents_total"] == len(_documents_unbounded(ctx, actor, count)), actor
            assert before["quotes_about"] == _quotes_about_unbounded(ctx, actor)[:50], actor
            assert before["events"] == _page(ctx, actor, count, 50, 0), actor
            assert _answer(ctx, actor, count) == before, actor
            with monkeypatch.context() as patched:
                patched.setattr(actor_reads, "MANY_ACTS", 0)
                patched.setattr(actor_reads, "MANY_MENTIONS", 0)
                patched.setattr(actor_reads, "QUOTED", 0)
                patched.setattr(actor_reads, "DOCUMENT_SLICE", 3)
                assert actor_reads.density(ctx, actor, count).mentions
                assert _answer(ctx, actor, count) == before, (actor, count, "dense")
            compared += len(before["events"]) > 1
    return compared


def test_the_bounded_actor_page_is_the_unbounded_one(ctx: AnalysisContext, monkeypatch: pytest.MonkeyPatch) -> None:
    actors = _actors(ctx)
    assert len(actors) >= 5
    assert _compare(ctx, actors, monkeypatch) >= 3


def test_the_bounded_actor_page_on_a_synthetic_store(synthetic: AnalysisContext,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    busiest = [row[0] for row in synthetic.store.read(
        select(schema.summary_actors.c.actor).order_by(schema.summary_actors.c.events_involved.desc()).limit(4))]
    assert _compare(synthetic, [*busiest, _actors(synthetic)[-1]], monkeypatch) >= 4


@pytest.mark.parametrize("count", ["events", "reports"])
def test_a_dense_actors_walk_gives_every_page(synthetic: AnalysisContext, monkeypatch: pytest.MonkeyPatch,
                                              count: str) -> None:
    """Pages of 7 events and 3 mentions at offsets across many months equal the sorted reads' pages."""
    actor = "russia"
    total = synthetic.store.count_events(EventQuery(actor=actor, count=count, standing=False))
    assert total > 100
    monkeypatch.setattr(actor_reads, "MANY_ACTS", 0)
    acts = EventQuery(actor=actor, count=count, standing=False)
    for offset in (0, 5, 7, 60, total - 4, total + 3):
        walked = [s.event.id for s in actor_reads.shown_acts(synthetic, acts, 7, offset)]
        assert walked == _page(synthetic, actor, count, 7, offset), offset
    for offset in (0, 4, 31, 200):
        sparse, _ = mentions_in_context(synthetic, actor, False, 3, offset)
        dense, _ = mentions_in_context(synthetic, actor, False, 3, offset, dense=True)
        assert dense == sparse and len(sparse) == 3, offset


def test_counts_above_the_bound_are_flagged_in_the_page_and_its_json(ctx: AnalysisContext,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    exact = actor_profile(ctx, "russia").summary
    assert exact is not None and exact.more_than == [] and exact.documents == 2 and exact.quotes_by == 1
    monkeypatch.setattr(actor_reads, "COUNTED", 1)
    bounded = actor_profile(ctx, "russia").summary
    assert bounded is not None and bounded.more_than == ["documents"] and bounded.documents == 1
    assert bounded.quotes_by == 1  # exactly the bound: not more
    app = WebApp(ctx.store, ctx.ontology, ctx.kb)
    page = get(app, "/actor/russia")[2]
    assert '<b class="n-documents">more than 1</b>' in page and '<b class="n-quotes-by">1</b>' in page
    twin = json.loads(get(app, "/api/actor/russia")[2])
    assert twin["summary"]["more_than"] == ["documents"] and twin["summary"]["documents"] == 1


def test_person_reads_keep_to_the_person_index_whatever_the_statistics(tmp_path: Path) -> None:
    """SQLite statistics saying every mention has the same person (a store whose mentions name none) make
    the plain condition a scan of the mentions; the one the person page uses is still an index seek."""
    path = tmp_path / "p.db"
    store = open_store(build_store(path))
    try:
        store.write(kabulov_talks())
        plain = M.c.person == "zamir-kabulov"
        marked = seldom(store, plain)
        statements = [select(M.c.doc_id).where(where) for where in (plain, marked)]
        sql = [str(s.compile(store.engine, compile_kwargs={"literal_binds": True})) for s in statements]
        counted = [len(store.read(s)) for s in statements]
    finally:
        store.close()
    assert counted[0] == counted[1] > 0
    with sqlite3.connect(path) as conn:
        conn.execute("ANALYZE")  # then the statistics of 20M mentions that name no person:
        conn.execute("UPDATE sqlite_stat1 SET stat = '20000000 20' WHERE tbl = 'mentions'")
        conn.execute("UPDATE sqlite_stat1 SET stat = '20000000 20000000' WHERE idx = 'ix_mentions_person'")
    with sqlite3.connect(path) as conn:
        plans = [" ".join(str(r[-1]) for r in conn.execute(f"EXPLAIN QUERY PLAN {s}")) for s in sql]
    assert "ix_mentions_person" not in plans[0], plans[0]  # what the statistics alone make of it
    assert "ix_mentions_person" in plans[1], plans[1]
