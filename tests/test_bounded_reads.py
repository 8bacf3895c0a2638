"""The bounded reads of the brief and the actor page against the unbounded answers they replace, on the
hand-written corpus (SQLite and PostgreSQL): the same events in the same order, the same counts."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest
from sqlalchemy import func, select

from analysis_corpus import build_store
from dyadlens.analysis.brief import Named, Period, _acts, _new_partners, top_events
from dyadlens.analysis.common import AnalysisContext
from dyadlens.analysis.profile import _mention_total, _stored_actor, mentions_in_context
from dyadlens.model import Event
from dyadlens.resources import Resources
from dyadlens.store import EventQuery, open_store, schema
from dyadlens.store.summaries import tally
from dyadlens.web.app import WebApp
from synthetic_store import synthetic_store
from test_web_app import get


@pytest.fixture()
def ctx(store_url: str, resources: Resources) -> Iterator[AnalysisContext]:
    store = open_store(build_store(store_url))
    yield AnalysisContext(store, resources.ontology, resources.kb)
    store.close()


def _ranked_in_python(ctx: AnalysisContext, a: str, b: str, since: str | None, until: str | None) -> list[str]:
    """Every event of the dyad read and scored one by one (what the brief did before ranking in SQL)."""
    events = ctx.store.events(EventQuery(between=(a, b), since=since, until=until, document_dates=True,
                                         count="events", standing=False))
    counts = ctx.store.cluster_counts(e.cluster for e in events if e.cluster)

    def key(event: Event) -> tuple[bool, float, int, str]:
        found = counts.get(event.cluster or "")
        reports, outlets = (found.reports, found.outlets) if found is not None else (1, 1)
        info = ctx.code(event.code)
        score = abs(info.goldstein) * reports if info is not None else 0.0
        later_first = "".join(chr(0x7F - ord(c)) for c in event.date) if event.date else "\x7f"
        return (event.modality != "asserted", -score, -outlets, later_first)

    return [e.id for e in sorted(events, key=key)]


def _dyads(ctx: AnalysisContext) -> list[tuple[str, str]]:
    """The dyads with events, the busiest first."""
    events = ctx.store.events(EventQuery(count="events", standing=False))
    pairs = Counter(tuple(sorted((e.source, e.target))) for e in events if e.source and e.target)
    return [(a, b) for (a, b), _ in pairs.most_common()]


@pytest.mark.parametrize(("since", "until"), [(None, None), ("2021", "2024-06")])
def test_top_events_ranked_in_sql_are_the_python_ranking(ctx: AnalysisContext, since: str | None,
                                                         until: str | None) -> None:
    dyads = _dyads(ctx)
    assert len(dyads) >= 3
    compared = 0
    for a, b in dyads:
        expected = _ranked_in_python(ctx, a, b, since, until)
        ranked = top_events(ctx, a, b, since, until, top=1000)
        assert [r.row.id for r in ranked] == expected, (a, b)
        assert [r.row.id for r in top_events(ctx, a, b, since, until, top=2)] == expected[:2]
        compared += len(expected) > 1
    assert compared >= 2


def _synthetic_store(path: Path) -> str:
    """A small store from the benchmarks' generator: many dyads, clusters told 1-5 times, ties."""
    return synthetic_store(path, 400, seed=5, actors=25)


def test_top_events_ranked_in_sql_on_a_synthetic_store(tmp_path: Path, resources: Resources) -> None:
    store = open_store(_synthetic_store(tmp_path / "s.db"))
    try:
        ctx = AnalysisContext(store, resources.ontology, resources.kb)
        busiest = _dyads(ctx)[:12]
        told_often = 0
        for a, b in busiest:
            expected = _ranked_in_python(ctx, a, b, None, None)
            ranked = top_events(ctx, a, b, None, None, top=20)
            assert [r.row.id for r in ranked] == expected[:20], (a, b)
            told_often += any(r.row.counts is not None and r.row.counts.reports > 1 for r in ranked)
        assert told_often >= 3
    finally:
        store.close()


def _new_partners_from_the_whole_history(ctx: AnalysisContext, a: str, b: str, period: Period) -> list[Named]:
    """Every pair of either side grouped over its whole history: new when its first month is in the period."""
    new: dict[str, str] = {}
    for side, other in ((a, b), (b, a)):
        firsts: dict[str, str] = {}
        for as_source in (True, False):
            counted = tally(_acts(source=side) if as_source else _acts(target=side), by_period=True)
            partner, first = counted.column("target" if as_source else "source"), func.min(counted.column("placed"))
            for actor, month in ctx.store.read(select(partner, first).select_from(counted.source)
                                               .where(*counted.conditions()).group_by(partner)):
                if actor and month and actor not in (side, other):
                    firsts[actor] = min(month, firsts.get(actor, month))
        for actor, month in firsts.items():
            if period.since <= month <= period.until:
                new[actor] = min(month, new.get(actor, month))
    return sorted((Named(i, ctx.actor_name(i), m) for i, m in new.items()), key=lambda n: (n.first, n.id))


def test_new_partners_looked_up_per_partner_are_the_whole_history_answer(tmp_path: Path,
                                                                         resources: Resources) -> None:
    store = open_store(_synthetic_store(tmp_path / "s.db"))
    try:
        ctx = AnalysisContext(store, resources.ontology, resources.kb)
        checked = 0
        for (a, b), since, until in zip(_dyads(ctx)[:6], ["2000-06", "2001-01", "2003-02"] * 2,
                                        ["2000-12", "2002-06", "2004-12"] * 2, strict=False):
            period = Period(since, until)
            found = sorted(_new_partners(ctx, a, b, period), key=lambda n: (n.first, n.id))
            assert found == _new_partners_from_the_whole_history(ctx, a, b, period), (a, b, period)
            checked += len(found)
        assert checked > 0
    finally:
        store.close()


def _mentions_counted(ctx: AnalysisContext, actor_id: str) -> int:
    m, d = schema.mentions, schema.documents
    found = select(func.count()).select_from(m.join(d, d.c.id == m.c.doc_id)).where(
        m.c.actor_id == actor_id, d.c.duplicate_of.is_(None))
    return int(ctx.store.read(found)[0][0])


def test_the_actor_pages_mention_total_is_the_counted_one(ctx: AnalysisContext) -> None:
    actors = [row[0] for row in ctx.store.read(select(schema.mentions.c.actor_id).distinct()) if row[0]]
    assert len(actors) >= 5
    for actor in [*actors, "no-such-actor"]:
        _, window = mentions_in_context(ctx, actor, False, 10, 0)
        assert window.total == _mentions_counted(ctx, actor) and window.total == _mention_total(ctx, actor), actor
    assert _mention_total(ctx, "russia") > 0


def test_a_series_bar_leads_to_the_dyads_events_of_its_period(ctx: AnalysisContext) -> None:
    app = WebApp(ctx.store, ctx.ontology, ctx.kb)
    page = get(app, "/dyad/russia/taliban?by=year")[2]
    bars = re.findall(r'<a href="([^"]+)" class="bar-link" data-period="(\d{4})"', page)
    assert bars and all(href.startswith("/dyad/russia/taliban?since=") for href, _ in bars)
    for href, year in bars:
        status, _, html = get(app, unescape(href))
        events = re.findall(r'<tr id="ev-([^"]+)" class="event-row', html)
        assert status == "200 OK" and events, href
        listed = {e["id"]: e for e in json.loads(get(app, "/api" + unescape(href))[2])["timeline"]["events"]}
        assert set(events) <= set(listed)
        assert all(year in (listed[e]["date"] or listed[e]["published"] or "") for e in events), (year, events)


def test_the_actor_page_reads_a_kb_actor_from_the_kb_as_its_snapshots_say(ctx: AnalysisContext) -> None:
    assert ctx.kb is not None
    stored = [row[0] for row in ctx.store.read(select(schema.actors.c.id).distinct())]
    known = [a for a in stored if ctx.kb.get(a) is not None]
    assert len(known) >= 5 and "germany" not in stored
    for actor in [*stored, "germany"]:  # germany: in the KB, never named by the corpus
        found, snapshot = _stored_actor(ctx, actor, ctx.kb.get(actor) is not None), ctx.store.actor(actor)
        assert (found is None) == (snapshot is None), actor
        if found is not None and snapshot is not None:
            assert (found.name, found.type, found.resolved) == (snapshot.name, snapshot.type, snapshot.resolved)
