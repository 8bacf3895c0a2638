"""The network, the timeline's pages, the events list and the overview's totals, read the bounded way, against
answers computed from every event (SQLite and PostgreSQL): the same rows in the same order, the same totals."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from analysis_corpus import build_store
from dyadlens.analysis.common import AnalysisContext
from dyadlens.analysis.events import list_events
from dyadlens.analysis.network import actor_network
from dyadlens.analysis.overview import corpus_overview
from dyadlens.analysis.timeline import dyad_timeline
from dyadlens.resources import Resources
from dyadlens.store import EventQuery, open_store, schema, summaries
from synthetic_store import synthetic_store


def _synthetic(target: str) -> str:
    """A small store from the benchmarks' generator: many dyads, busy ones, clusters, standing facts."""
    return synthetic_store(target, 300, seed=7, actors=20, chunk=150)


@pytest.fixture(params=["corpus", "synthetic"])
def ctx(request: pytest.FixtureRequest, store_url: str, resources: Resources) -> Iterator[AnalysisContext]:
    store = open_store(build_store(store_url) if request.param == "corpus" else _synthetic(store_url))
    yield AnalysisContext(store, resources.ontology, resources.kb)
    store.close()


def _busiest_dyads(ctx: AnalysisContext, n: int) -> list[tuple[str, str]]:
    events = ctx.store.events(EventQuery(count="events", standing=False))
    pairs = Counter(tuple(sorted((e.source, e.target))) for e in events if e.source and e.target)
    return [(a, b) for (a, b), _ in pairs.most_common(n)]


@pytest.mark.parametrize(("since", "until", "count"), [("2021", "2024", "events"), (None, None, "reports"),
                                                       ("2001-03", "2002", "events")])
def test_the_network_read_once_is_the_network_of_every_event(ctx: AnalysisContext, since: str | None,
                                                              until: str | None, count: str) -> None:
    events = ctx.store.events(EventQuery(modalities=("asserted",), since=since, until=until, document_dates=True,
                                         count=count, standing=False))
    edges = Counter((e.source, e.target) for e in events if e.source and e.target and e.source != e.target)
    expected = sorted(((s, t, n) for (s, t), n in edges.items()), key=lambda e: (-e[2], e[0], e[1]))
    degrees: dict[str, int] = defaultdict(int)
    for s, t, n in expected:
        degrees[s] += n
        degrees[t] += n
    for limit, offset in ((3, 0), (3, 2), (None, 0)):
        network = actor_network(ctx, since=since, until=until, count=count, limit=limit, offset=offset)
        page = expected[offset:] if limit is None else expected[offset : offset + limit]
        assert [(e.source, e.target, e.count) for e in network.edges] == page
        assert network.window is not None and network.window.total == len(expected)
        assert {n.id: n.events for n in network.nodes} == {a: degrees[a] for s, t, _ in page for a in (s, t)}
        with summaries.bypassed():
            assert actor_network(ctx, since=since, until=until, count=count, limit=limit, offset=offset) == network
    assert len(expected) >= 3 or since == "2001-03"  # the hand-written corpus tells of 2021-2024 only


@pytest.mark.parametrize("count", ["events", "reports"])
def test_a_timeline_page_bounded_by_the_month_summary_is_the_page_of_every_event(ctx: AnalysisContext,
                                                                                count: str) -> None:
    bounded = 0
    for a, b in _busiest_dyads(ctx, 3):
        query = EventQuery(between=(a, b), document_dates=True, count=count, with_observations=True)
        everything = [s.event.id for s in ctx.store.shown_events(query, limit=None)]
        total = ctx.store.count_events(query)
        for limit, offset in ((2, 0), (3, 4), (5, max(0, len(everything) - 2)), (4, len(everything) + 3)):
            timeline = dyad_timeline(ctx, a, b, count=count, limit=limit, offset=offset)
            assert [row.id for row in timeline.events] == everything[offset : offset + limit], (a, b, offset)
            assert timeline.window is not None and timeline.window.total == total == len(everything)
            bounded += offset + limit < len(everything)
    assert bounded >= 1


def test_a_timeline_page_within_a_period_is_the_page_of_every_event(ctx: AnalysisContext) -> None:
    (a, b), *_ = _busiest_dyads(ctx, 1)
    query = EventQuery(between=(a, b), since="2001", until="2003-06", document_dates=True, count="events",
                       with_observations=True)
    everything = [s.event.id for s in ctx.store.shown_events(query, limit=None)]
    timeline = dyad_timeline(ctx, a, b, since="2001", until="2003-06", limit=3, offset=1)
    assert [row.id for row in timeline.events] == everything[1:4]
    assert timeline.window is not None and timeline.window.total == len(everything)


@pytest.mark.parametrize("code", ["18", "0", "04", "1", "99"])
def test_the_events_lists_total_off_the_summaries_is_the_counted_one(ctx: AnalysisContext, code: str) -> None:
    for count in ("events", "reports"):
        query = EventQuery(code=code, count=count)
        rows, window = list_events(ctx, query, limit=5)
        assert window.total == ctx.store.count_events(query), (code, count)
        assert [r.id for r in rows] == [s.event.id for s in ctx.store.shown_events(query, limit=5, order="ingest")]
        assert all(r.code.startswith(code) for r in rows)


def test_the_overviews_totals_are_the_counted_ones(ctx: AnalysisContext) -> None:
    overview = corpus_overview(ctx)
    d = schema.documents
    for name, table in (("quotes", schema.quotes), ("designations", schema.designations)):
        counted = select(func.count()).select_from(table.join(d, d.c.id == table.c.doc_id)).where(
            d.c.duplicate_of.is_(None))
        assert overview.totals[name] == ctx.store.read(counted)[0][0]
    with summaries.bypassed():
        assert corpus_overview(ctx) == overview
    assert overview.totals["events"] == ctx.store.count_events(EventQuery(count="events", standing=False)) > 0
