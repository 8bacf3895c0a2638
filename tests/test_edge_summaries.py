"""The network's kept edges (migration 0013, dyadlens.store.edge_summaries): the network read from them (whole
years, partial years from the months, all time) is the network of every event, on both backends, for periods,
quad classes, modalities and pages; and the kept rows equal a rebuild after writes, deletions, re-ingest and
corrections."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import delete, func, select, update

from analysis_corpus import build_store
from dyadlens.analysis.common import DEFAULT_MODALITIES, AnalysisContext, Weighed, weigh
from dyadlens.analysis.network import actor_network
from dyadlens.cli import main
from dyadlens.resources import Resources
from dyadlens.store import EventQuery, edge_summaries, open_store, schema, summaries
from dyadlens.store.corrections import event_corrections, record_correction
from synthetic_store import synthetic_store

#: (since, until): whole years, partial years at one or both ends, a partial year alone, open ends, all time.
PERIODS = [("2012", "2012"), ("2011-03", "2013-05"), ("2012-02", "2012-11"), ("2003-01", "2004-12"),
           (None, "2010-06"), ("2015-07", None), ("2021", "2024"), ("2001-03", "2002"), (None, None)]
#: (quad classes, modalities, count)
FILTERS = [(None, DEFAULT_MODALITIES, "events"), ((1,), DEFAULT_MODALITIES, "reports"),
           ((3, 4), None, "events"), (None, ("asserted", "planned"), "reports")]


def _synthetic(target: str) -> str:
    """A small store from the benchmarks' generator: many dyads over many years, clusters, standing facts."""
    return synthetic_store(target, 300, seed=11, actors=20, chunk=150)


@pytest.fixture(params=["corpus", "synthetic"])
def ctx(request: pytest.FixtureRequest, store_url: str, resources: Resources) -> Iterator[AnalysisContext]:
    store = open_store(build_store(store_url) if request.param == "corpus" else _synthetic(store_url))
    yield AnalysisContext(store, resources.ontology, resources.kb)
    store.close()


def _expected(ctx: AnalysisContext, since: str | None, until: str | None, quads: tuple[int, ...] | None,
              modalities: tuple[str, ...] | None, count: str) -> list[tuple[str, str, int, Weighed]]:
    """The network's edges counted and weighed from every event, most first (ties by source, then target)."""
    events = ctx.store.events(EventQuery(modalities=modalities, since=since, until=until, document_dates=True,
                                         count=count, standing=False))
    if quads:
        events = [e for e in events if ctx.ontology.is_valid(e.code) and ctx.ontology.get(e.code).quad_class in quads]
    codes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for e in events:
        if e.source and e.target and e.source != e.target:
            codes[(e.source, e.target)][e.code] += 1
    edges = sorted(((s, t, c.total()) for (s, t), c in codes.items()), key=lambda e: (-e[2], e[0], e[1]))
    return [(s, t, n, weigh(ctx.ontology, sorted(codes[(s, t)].items()))) for s, t, n in edges]


def _assert_network_of_every_event(ctx: AnalysisContext, since: str | None, until: str | None,
                                   quads: tuple[int, ...] | None, modalities: tuple[str, ...] | None,
                                   count: str) -> int:
    expected = _expected(ctx, since, until, quads, modalities, count)
    degrees: dict[str, int] = defaultdict(int)
    for s, t, n, _ in expected:
        degrees[s] += n
        degrees[t] += n
    for limit, offset in ((4, 0), (3, 5), (None, 0), (2, len(expected) + 1)):
        network = actor_network(ctx, since=since, until=until, quad_classes=quads, modalities=modalities,
                                count=count, limit=limit, offset=offset)
        page = expected[offset:] if limit is None else expected[offset : offset + limit]
        assert [(e.source, e.target, e.count, Weighed(e.by_quad, e.mean_goldstein)) for e in network.edges] == page
        assert network.window is not None and network.window.total == len(expected)
        assert {n.id: n.events for n in network.nodes} == {a: degrees[a] for s, t, _, _ in page for a in (s, t)}
        with summaries.bypassed():
            assert actor_network(ctx, since=since, until=until, quad_classes=quads, modalities=modalities,
                                 count=count, limit=limit, offset=offset) == network
    return len(expected)


@pytest.mark.parametrize(("since", "until"), PERIODS)
def test_the_network_from_the_kept_edges_is_the_network_of_every_event(request: pytest.FixtureRequest,
                                                                        ctx: AnalysisContext, since: str | None,
                                                                        until: str | None) -> None:
    edges = [_assert_network_of_every_event(ctx, since, until, *chosen) for chosen in FILTERS]
    if request.node.callspec.params["ctx"] == "synthetic":  # the generated store spans 2000-2024
        assert min(edges) >= 3


def test_a_code_outside_the_ontology_keeps_the_quad_filter_exact(ctx: AnalysisContext) -> None:
    """A quad class is read off the code's root in the kept edges: a stored code the ontology lacks (its root in
    1-20) must not be counted under a quad filter, so the network reads the month summary instead."""
    with ctx.store.transaction() as conn:
        first = conn.execute(select(schema.events.c.id).where(schema.events.c.code.like("04%"))
                             .order_by(schema.events.c.id).limit(40)).scalars().all()
        conn.execute(update(schema.events).where(schema.events.c.id.in_(first)).values(code="0499"))
        clustered = select(schema.events.c.cluster).where(schema.events.c.id.in_(first))
        conn.execute(update(schema.clusters).where(schema.clusters.c.id.in_(clustered)).values(code="0499"))
    assert not ctx.ontology.is_valid("0499")
    with ctx.store.reader() as conn:
        assert all("0499" in edge_summaries.stored_codes(conn, mode) for mode in ("events", "reports"))
        assert summaries.stale_rows(conn) == []
    for since, until in (("2021", "2024"), ("2012", "2012"), (None, None)):
        for count in ("events", "reports"):
            _assert_network_of_every_event(ctx, since, until, (1,), DEFAULT_MODALITIES, count)


def _invoke(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def _assert_kept_equal_a_rebuild(db: str) -> None:
    with open_store(db) as store, store.reader() as conn:
        assert edge_summaries.stale_rows(conn) == []
        assert summaries.stale_rows(conn) == []
        years = conn.scalar(select(func.sum(schema.summary_edge_years.c.n)))
        assert years and years == conn.scalar(select(func.sum(schema.summary_edges.c.n)))


@pytest.mark.slow
def test_the_kept_edges_equal_a_rebuild_after_every_write(store_url: str, tmp_path: Path, examples_dir: Path,
                                                          seeds_dir: Path) -> None:
    db = store_url
    _invoke("--db", db, "ingest", str(examples_dir))
    _assert_kept_equal_a_rebuild(db)  # ingest
    _invoke("--db", db, "ingest", str(seeds_dir))
    _assert_kept_equal_a_rebuild(db)  # more documents: new clusters, duplicates
    extra = tmp_path / "visit.txt"
    extra.write_text("Visit\n\nIn May 2012, Russia praised the Taliban. Russia condemned Pakistan in 2013.\n",
                     encoding="utf-8")
    _invoke("--db", db, "ingest", str(extra))
    extra.write_text("Visit\n\nIn June 2012, Russia condemned the Taliban.\n", encoding="utf-8")
    _invoke("--db", db, "ingest", "--replace", str(extra))
    _assert_kept_equal_a_rebuild(db)  # re-ingest with --replace
    with open_store(db) as store:
        with store.reader() as conn:
            event_id = conn.scalar(select(schema.events.c.id).where(schema.events.c.source == "russia",
                                                                    schema.events.c.standing.is_(False))
                                   .order_by(schema.events.c.id).limit(1))
        event = store.event(str(event_id))
        assert event is not None
        for correction in event_corrections(event, code="190"):
            record_correction(store, correction)
    _assert_kept_equal_a_rebuild(db)  # a recode: another quad class
    with open_store(db) as store, store.transaction() as conn:
        doc_id = conn.scalar(select(schema.events.c.doc_id).order_by(schema.events.c.doc_id).limit(1))
        for table in reversed(schema.RECORD_TABLES):
            conn.execute(delete(table).where(table.c.doc_id == doc_id))
        conn.execute(delete(schema.documents).where(schema.documents.c.id == doc_id))
    _assert_kept_equal_a_rebuild(db)  # a document deleted through SQL
    _invoke("--db", db, "ingest", str(examples_dir))
    _assert_kept_equal_a_rebuild(db)  # and ingested again
    _invoke("--db", db, "summaries", "--rebuild", "--check")
    _assert_kept_equal_a_rebuild(db)


def test_whole_years_of_a_period() -> None:
    from dyadlens.partial_dates import parse_bound

    def years(since: str | None, until: str | None) -> tuple[int | None, int | None]:
        return edge_summaries.whole_years(parse_bound(since), parse_bound(until))

    assert years("2012", "2012") == (2012, 2012)
    assert years("2012-01", "2013-12") == (2012, 2013)
    assert years("2012-02", "2013-11") == (2013, 2012)
    assert years(None, "2010-06") == (None, 2009)
    assert years("2015-07", None) == (2016, None)


def test_the_months_of_a_partial_year_outside_the_period() -> None:
    from dyadlens.partial_dates import parse_bound

    def outside(year: int, since: str | None, until: str | None) -> list[str]:
        return edge_summaries.months_outside(year, parse_bound(since), parse_bound(until))

    assert outside(2012, "2012-03", "2013-05") == ["2012-01", "2012-02"]
    assert outside(2013, "2012-03", "2013-05") == [f"2013-{m:02d}" for m in range(6, 13)]
    assert outside(2012, "2012-02", "2012-11") == ["2012-01", "2012-12"]
    assert outside(2012, "2012", "2012-12") == [] and outside(2015, "2015-07", None)[-1] == "2015-06"


def test_a_pair_whose_acts_of_the_year_all_lie_in_the_months_taken_away_is_no_edge(request: pytest.FixtureRequest,
                                                                               ctx: AnalysisContext) -> None:
    """A partial year read as its kept edges less its months outside the period: a pair whose acts of that year
    all lie in those months sums to nothing and is left out, as the network of every event leaves it out."""
    if request.node.callspec.params["ctx"] != "synthetic":
        pytest.skip("only the synthetic store holds such pairs")
    t = schema.summary_months.c
    months: dict[tuple[str, str, int], set[str]] = defaultdict(set)
    for source, target, period in ctx.store.read(select(t.source, t.target, t.period).where(
            t.mode == "events", t.modality == "asserted", t.n > 0, t.period != "", t.source != "", t.target != "")):
        months[(source, target, int(period[:4]))].add(period)
    early = sorted(year for (_, _, year), found in months.items() if found <= {f"{year}-01", f"{year}-02"})
    assert early, "no pair with acts in January and February of a year only"
    year = early[len(early) // 2]
    _assert_network_of_every_event(ctx, f"{year}-03", f"{year}-12", None, DEFAULT_MODALITIES, "events")


def test_the_mean_in_hundredths_rounds_as_the_float_sum_does_except_on_a_tie() -> None:
    """The SQL sums Goldstein weights in whole hundredths; away from an exact tie its nearest hundredth is what
    ``weigh`` rounds its float sum to, and a tie is recognised (those pairs are weighed by code)."""
    from dyadlens.analysis.network import _mean, _tie

    for events in range(1, 60):
        for weight in range(-1000 * events, 1000 * events + 1, 7):
            if _tie(events, weight):
                assert (2 * weight) == (2 * (weight // events) + 1) * events
            else:
                assert _mean(events, weight) == round((weight / 100) / events, 2), (events, weight)
    assert _tie(2, 1) and _tie(4, -2) and not _tie(4, 1)
