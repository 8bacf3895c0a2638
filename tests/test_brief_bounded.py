"""The brief's summary read bounded (analysis/brief.py) against the unbounded answers it replaces, on the
hand-written corpus and a small synthetic store, SQLite and PostgreSQL: the top events from the clusters told
most (and the proof that no event left unread could outrank the last shown), the new partners from each pair's
first month, the last month from the ends of the months summary, the top quotes as the old full sort had them."""

from __future__ import annotations

import dataclasses
import itertools
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from analysis_corpus import build_store
from dyadlens.analysis import brief
from dyadlens.analysis.brief import BriefSummary, Named, Period, brief_summary, top_events, top_quotes
from dyadlens.analysis.common import AnalysisContext
from dyadlens.analysis.dyad import dyad_quotes
from dyadlens.analysis.status import dyad_status
from dyadlens.model import Event
from dyadlens.partial_dates import overlaps
from dyadlens.resources import Resources
from dyadlens.store import EventQuery, open_store
from dyadlens.store.quote_words import quotation_words
from dyadlens.store.summaries import bypassed
from postgres_server import STORE_BACKENDS, new_store_target
from synthetic_store import synthetic_store

PERIODS = [(None, None), ("2021", "2024-06"), ("2000-06", "2002-12")]


def _synthetic(url: str) -> str:
    """The benchmarks' generator (many dyads, clusters told 1-5 times, ties) into a new store at ``url``."""
    return synthetic_store(url, 400, seed=5, actors=25)


@pytest.fixture(scope="module", params=STORE_BACKENDS)
def stores(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
           resources: Resources) -> Iterator[list[AnalysisContext]]:
    """The hand-written corpus and a small synthetic store, on one backend."""
    folder = tmp_path_factory.mktemp("brief")
    opened = [open_store(build_store(new_store_target(request, folder, "corpus.db"))),
              open_store(_synthetic(new_store_target(request, folder, "synthetic.db")))]
    yield [AnalysisContext(store, resources.ontology, resources.kb) for store in opened]
    for store in opened:
        store.close()


def _dyads(ctx: AnalysisContext) -> list[tuple[str, str]]:
    events = ctx.store.events(EventQuery(count="events", standing=False))
    pairs = Counter(tuple(sorted((e.source, e.target))) for e in events if e.source and e.target)
    return [(a, b) for (a, b), _ in pairs.most_common()]


def _full_ranking(ctx: AnalysisContext, a: str, b: str, since: str | None, until: str | None, top: int) -> list[str]:
    """The ranking over every event of the dyad in one statement (what top_events read before the bound)."""
    query = EventQuery(between=(a, b), since=since, until=until, document_dates=True, count="events", standing=False)
    return [row.id for row in ctx.store.read(brief._ranked_events(ctx, query, top))]


def _scored(ctx: AnalysisContext, a: str, b: str) -> list[tuple[Event, int, float]]:
    """Every event of the dyad with how often it was told and its score, computed here in Python."""
    events = ctx.store.events(EventQuery(between=(a, b), document_dates=True, count="events", standing=False))
    counts = ctx.store.cluster_counts(e.cluster for e in events if e.cluster)
    scored = []
    for event in events:
        found = counts.get(event.cluster or "")
        told = found.reports if found is not None else 1
        info = ctx.code(event.code)
        scored.append((event, told, abs(info.goldstein) * told if info is not None else 0.0))
    return scored


@pytest.mark.parametrize(("since", "until"), PERIODS)
def test_top_events_from_the_most_told_clusters_are_the_full_ranking(stores: list[AnalysisContext],
                                                                     since: str | None, until: str | None) -> None:
    compared = 0
    for context in stores:
        for a, b in _dyads(context)[:10]:
            for top in (1, 3, 5, 20):
                expected = _full_ranking(context, a, b, since, until, top)
                assert [r.row.id for r in top_events(context, a, b, since, until, top=top)] == expected, (a, b, top)
                compared += len(expected) > 1
    assert compared >= 20


def test_no_event_left_unread_can_outrank_the_last_shown(stores: list[AnalysisContext]) -> None:
    """The proof of the bound on every busy dyad: the events told fewer times than the bound reads score less
    than the last event shown, so the answer read from the candidates is the answer over every event."""
    ctx = stores[1]
    heaviest = max(abs(code.goldstein) for code in ctx.ontology)
    bounded = 0
    for (a, b), top in itertools.product(_dyads(ctx)[:12], (1, 2, 3, 5)):
        shown = top_events(ctx, a, b, None, None, top=top)
        needed = brief._told_needed([_Row(r.row.modality, r.score) for r in shown], top, heaviest)
        if needed is None or needed <= 1:
            continue  # the full read answered
        bounded += 1
        unread = [(event, score) for event, told, score in _scored(ctx, a, b) if told < needed]
        assert unread and all(score < shown[-1].score for _, score in unread), (a, b, top)
        assert not {e.id for e, _ in unread} & {r.row.id for r in shown}
    assert bounded >= 5


def test_the_events_told_once_are_read_by_the_weight_of_their_code(stores: list[AnalysisContext],
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """In a period whose top holds events told once, the bound by code weight answers (no read of every event)
    and its answer is the full ranking."""
    last_resorts: list[int] = []
    ranked = brief._ranked_events

    def counting(ctx: AnalysisContext, query: EventQuery, top: int, candidates: list[Any] | None = None) -> Any:
        last_resorts.append(candidates is None)
        return ranked(ctx, query, top, candidates)

    monkeypatch.setattr(brief, "_ranked_events", counting)
    bounded = 0
    for context in stores:
        for (a, b), (since, until), top in itertools.product(_dyads(context)[:10], PERIODS[1:], (1, 5)):
            query = EventQuery(between=(a, b), since=since, until=until, document_dates=True, count="events",
                               standing=False)
            last_resorts.clear()
            found = [event.id for event in brief._weighed_candidates(context, query, (a, b), top)]
            bounded += len(found) == top and not any(last_resorts)
            assert found == _full_ranking(context, a, b, since, until, top), (a, b, since, until, top)
    assert bounded >= 10


class _Row:
    def __init__(self, modality: str | None, score: float) -> None:
        self.modality, self.score = modality, score


def test_the_bound_reads_the_full_ranking_when_it_cannot_hold() -> None:
    rows = [_Row("asserted", 30.0)] * 4
    assert brief._told_needed(rows, 5, 10.0) is None  # fewer than the top
    assert brief._told_needed([*rows, _Row("planned", 30.0)], 5, 10.0) is None  # one not asserted
    assert brief._told_needed([*rows, _Row("asserted", 0.0)], 5, 10.0) is None  # nothing weighs
    assert brief._told_needed([*rows, _Row("asserted", 30.0)], 5, 10.0) == 3  # 10 × 2 < 30 ≤ 10 × 3
    assert brief._told_needed([*rows, _Row("asserted", 30.5)], 5, 10.0) == 4
    assert brief._told_needed([*rows, _Row("asserted", 7.4 * 3)], 5, 7.4) == 3  # a product's rounding


def _partners_both_ways(ctx: AnalysisContext, a: str, b: str, period: Period) -> tuple[list[Any], list[Any]]:
    found = brief._new_partners(ctx, a, b, period)
    return found, brief._new_partners_in_period(ctx, a, b, period)


def test_new_partners_from_first_months_are_the_periods_partners_never_met_before(
        stores: list[AnalysisContext]) -> None:
    checked = 0
    periods = [Period("2000-06", "2000-12"), Period("2001-01", "2002-06"), Period("2003-02", "2004-12"),
               Period("2024-03", "2024-12"), Period("2023-01", "2024-12"), Period("2024-01", "2024-01")]
    for context in stores:
        for a, b in _dyads(context)[:6]:
            for period in periods:
                found, scanned = _partners_both_ways(context, a, b, period)
                assert found == scanned, (a, b, period)
                checked += len(found)
    assert checked > 5


def _months_of_firsts(summary: BriefSummary) -> BriefSummary:
    """The summary with its new partners' and event types' first dates as months, in their order: read from
    the events, a first date is the event's own day; from the summaries, its month."""
    changes = summary.changes
    if changes is None:
        return summary

    def months(found: list[Named]) -> list[Named]:
        return sorted((dataclasses.replace(n, first=(n.first or "")[:7]) for n in found), key=lambda n: (n.first, n.id))

    return dataclasses.replace(summary, changes=dataclasses.replace(
        changes, new_partners=months(changes.new_partners), new_event_types=months(changes.new_event_types)))


def test_the_summary_is_the_same_with_the_summaries_bypassed(stores: list[AnalysisContext]) -> None:
    """The last month and the new partners read off the summaries against the events read one by one."""
    checked = 0
    for context in stores:
        for a, b in _dyads(context)[:5]:
            for since, until in [(None, None), ("2024-03", "2024-12"), ("2001-01", "2002-06")]:
                fast = _months_of_firsts(brief_summary(context, a, b, since, until))
                with bypassed():
                    slow = _months_of_firsts(brief_summary(context, a, b, since, until))
                assert fast == slow, (a, b, since, until)
                checked += fast.changes is not None and bool(fast.changes.new_partners)
    assert checked >= 2


def _quotes_sorted_whole(ctx: AnalysisContext, a: str, b: str, since: str | None, until: str | None,
                         top: int) -> list[tuple[str, int, int]]:
    """The old ranking: every quote read whole, in publication order (then document, offset and id), grouped by
    its words (the quotations' text, not the stored key), the groups sorted by speaker rank, repetition and
    first publication."""
    quotes = [q for q in dyad_quotes(ctx, a, b, limit=None) if overlaps(q.published, since, until)]
    quotes.sort(key=lambda q: (q.published is None, q.published or "", q.doc_id, q.start, q.id))
    groups: dict[str, list[Any]] = {}
    for quote in quotes:
        groups.setdefault(quotation_words(quote.text), []).append(quote)
    ranked = [(brief._rank(g[0].speaker_role, g[0].speaker_actor), len(g), g[0]) for g in groups.values()]
    ranked.sort(key=lambda r: (-r[0], -r[1], r[2].published or "\x7f"))
    return [(quote.id, rank, n) for rank, n, quote in ranked[:top]]


def test_top_quotes_are_the_whole_sort(stores: list[AnalysisContext]) -> None:
    compared = 0
    for context in stores:
        for a, b in _dyads(context)[:8]:
            for since, until in PERIODS:
                for top in (1, 5, 50):
                    found = [(q.row.id, q.speaker_rank, q.repeated) for q in top_quotes(context, a, b, since, until,
                                                                                          top=top)]
                    assert found == _quotes_sorted_whole(context, a, b, since, until, top), (a, b, top)
                    compared += len(found) > 1
    assert compared >= 3


def test_the_summary_reads_only_the_status_steps_it_shows_and_they_are_the_whole_tracks(
        stores: list[AnalysisContext]) -> None:
    checked = 0
    for context in stores:
        for a, b in [("russia", "taliban"), *_dyads(context)[:3]]:
            for since, until in [(None, None), ("2024-03", "2024-12"), ("2001-01", "2002-06")]:
                read_here = brief_summary(context, a, b, since, until)
                assert read_here == brief_summary(context, a, b, since, until, status=dyad_status(context, a, b))
                checked += len(read_here.state_track) + len(read_here.changes.status if read_here.changes else [])
    assert checked >= 2
