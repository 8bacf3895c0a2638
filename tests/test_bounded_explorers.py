"""The bounded totals and facets of search, the explorers and the map against the exact answers they
replace, on the hand-written corpus (SQLite and PostgreSQL): under the bound the same rows, totals and
facets; over a small bound, the bound with the flag set and the facets of the first rows in the order shown.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from analysis_corpus import build_store
from dyadlens.analysis.common import AnalysisContext
from dyadlens.analysis.explorer import ExplorerFilters, explore_events
from dyadlens.analysis.explorers.actors import explore_actors
from dyadlens.analysis.explorers.designations import explore_designations
from dyadlens.analysis.explorers.documents import explore_documents
from dyadlens.analysis.explorers.quotes import explore_quotes
from dyadlens.analysis.places_map import event_map
from dyadlens.analysis.search import search_sentences
from dyadlens.resources import Resources
from dyadlens.store import open_store
from dyadlens.web.app import WebApp
from test_web_app import get


@pytest.fixture()
def ctx(store_url: str, resources: Resources) -> Iterator[AnalysisContext]:
    store = open_store(build_store(store_url))
    yield AnalysisContext(store, resources.ontology, resources.kb)
    store.close()


EVENT_FILTERS = [
    ExplorerFilters(),
    ExplorerFilters(actor="russia"),
    ExplorerFilters(root="04", since="2020", until="2024-06"),
    ExplorerFilters(sort="-reports", count="reports"),
    ExplorerFilters(modalities=("asserted", "negated"), sort="-date"),
]

Explore = Callable[..., Any]
TABLES: list[tuple[Explore, dict[str, str | None], str]] = [
    (explore_documents, {}, "published"),
    (explore_documents, {}, "-events"),
    (explore_quotes, {}, "published"),
    (explore_quotes, {"actor": "russia", "q": "talk"}, "speaker"),
    (explore_designations, {}, "date"),
    (explore_designations, {"designator": "russia"}, "-status"),
    (explore_actors, {}, "name"),
    (explore_actors, {"type": "state"}, "-reports"),
]


def _facets(listing: Any) -> list[tuple[str, list[tuple[str, int, bool]]]]:
    return [(f.name, [(v.value, v.count, v.selected) for v in f.values]) for f in listing.facets]


@pytest.mark.parametrize("filters", EVENT_FILTERS)
def test_events_explorer_bounded_equals_exact_under_the_bound(ctx: AnalysisContext, filters: ExplorerFilters) -> None:
    exact = explore_events(ctx, filters, bound=None)
    bounded = explore_events(ctx, filters)
    assert exact.window.total > 0 or filters.root
    assert bounded.window == exact.window and not bounded.total_is_lower_bound
    assert [r.id for r in bounded.rows] == [r.id for r in exact.rows]
    assert _facets(bounded) == _facets(exact)


def test_events_explorer_over_the_bound_says_so_and_counts_the_first_rows(ctx: AnalysisContext) -> None:
    filters = ExplorerFilters(count="reports")
    everything = explore_events(ctx, filters, bound=None, limit=None)
    assert everything.window.total > 4
    bounded = explore_events(ctx, filters, bound=4)
    assert bounded.total_is_lower_bound and bounded.window.total == 4
    first = everything.rows[:4]
    modality = next(f for f in bounded.facets if f.name == "modality")
    assert {v.value: v.count for v in modality.values} == Counter(r.modality for r in first)
    actor = next(f for f in bounded.facets if f.name == "actor")
    sides = Counter(a for r in first for a in (r.source, r.target) if a)
    assert {v.value: v.count for v in actor.values} == dict(sides.most_common(12))


@pytest.mark.parametrize(("explore", "filters", "sort"), TABLES)
def test_table_explorers_bounded_equal_exact_under_the_bound(ctx: AnalysisContext, explore: Explore,
                                                             filters: dict[str, str | None], sort: str) -> None:
    exact = explore(ctx, dict(filters), sort=sort, bound=None)
    bounded = explore(ctx, dict(filters), sort=sort)
    assert exact.window.total > 0
    assert bounded.window == exact.window and not bounded.total_is_lower_bound
    assert bounded.rows == exact.rows
    assert _facets(bounded) == _facets(exact)


def test_documents_over_the_bound_count_the_first_rows_shown(ctx: AnalysisContext) -> None:
    everything = explore_documents(ctx, {}, sort="title", bound=None, limit=None)
    assert everything.window.total > 2
    bounded = explore_documents(ctx, {}, sort="title", bound=2)
    assert bounded.total_is_lower_bound and bounded.window.total == 2
    outlets = next(f for f in bounded.facets if f.name == "outlet")
    assert {v.value: v.count for v in outlets.values} == Counter(r.outlet for r in everything.rows[:2] if r.outlet)
    assert [r.id for r in bounded.rows] == [r.id for r in everything.rows[:25]]
    first = explore_documents(ctx, {}, sort="-title", bound=2, limit=1, offset=1)  # cut from the rows counted
    assert [r.id for r in first.rows] == [r.id for r in everything.rows[::-1][1:2]]


@pytest.mark.parametrize(("query", "options"), [
    ("talks", {}), ("Kabul", {"sort": "oldest"}), ("", {"actor": "taliban"}), ("security", {"since": "2024"}),
])
def test_search_bounded_equals_exact_under_the_bound(ctx: AnalysisContext, query: str,
                                                    options: dict[str, str]) -> None:
    exact = search_sentences(ctx, query, bound=None, **options)  # type: ignore[arg-type]
    bounded = search_sentences(ctx, query, **options)  # type: ignore[arg-type]
    assert exact.total > 0
    assert (bounded.total, bounded.total_is_lower_bound) == (exact.total, False)
    assert bounded.results == exact.results and bounded.facets == exact.facets
    every = search_sentences(ctx, query, limit=1000, **options)  # type: ignore[arg-type]
    assert bounded.facets is not None and len(every.results) == exact.total
    years = Counter((r.published or "")[:4] for r in every.results if r.published)
    assert {f.value: f.count for f in bounded.facets.year} == dict(years.most_common(10))
    actors = Counter(a for r in every.results for a in r.actors)
    expected = sorted(actors.items(), key=lambda item: (-item[1], item[0]))[:10]
    assert [(f.value, f.count) for f in bounded.facets.actor] == expected


def test_search_over_the_bound_reads_the_most_recently_stored_matches(ctx: AnalysisContext) -> None:
    every = search_sentences(ctx, "", actor="russia", bound=None, limit=1000)
    assert every.total > 3
    bounded = search_sentences(ctx, "", actor="russia", bound=3, limit=1000)
    assert bounded.total_is_lower_bound and bounded.total == 3 and len(bounded.results) == 3
    rows = _sentence_rows(ctx, [r.evidence for r in every.results])
    newest = sorted(rows, key=lambda key: rows[key], reverse=True)[:3]
    assert sorted(_key(r.evidence) for r in bounded.results) == sorted(newest)
    assert bounded.facets is not None and sum(v.count for v in bounded.facets.year) <= 3
    actors = Counter(a for r in bounded.results for a in r.actors)  # counted in SQL over the same 3 matches
    assert actors and [(f.value, f.count) for f in bounded.facets.actor] == sorted(
        actors.items(), key=lambda item: (-item[1], item[0]))[:10]


def _key(evidence: Any) -> tuple[str, int]:
    return evidence.doc_id, evidence.sentence_index


def _sentence_rows(ctx: AnalysisContext, evidences: list[Any]) -> dict[tuple[str, int], int]:
    """Each sentence's stored row (the order the index gives matches in)."""
    from dyadlens.store import schema

    s = schema.sentences
    found = ctx.store.read(s.select().with_only_columns(s.c.doc_id, s.c.index, s.c.row))
    rows = {(r.doc_id, r.index): r.row for r in found}
    return {_key(e): rows[_key(e)] for e in evidences}


@pytest.mark.parametrize("filters", EVENT_FILTERS[:3])
def test_map_bounded_equals_exact_under_the_bound(ctx: AnalysisContext, filters: ExplorerFilters) -> None:
    exact, bounded = event_map(ctx, filters, bound=None), event_map(ctx, filters)
    assert (bounded.total, bounded.located, bounded.countries, bounded.points) == (
        exact.total, exact.located, exact.countries, exact.points)
    assert not bounded.total_is_lower_bound
    small = event_map(ctx, filters, bound=1)
    assert small.total_is_lower_bound == (exact.total > max(1, exact.located))
    assert small.countries == exact.countries


def test_pages_and_json_say_more_than_when_bounded(ctx: AnalysisContext, resources: Resources,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Through the web app with a bound of 2: the HTML says "more than", the JSON twin carries the flag."""
    monkeypatch.setitem(explore_documents.__kwdefaults__, "bound", 2)  # type: ignore[arg-type]
    defaults = search_sentences.__defaults__ or ()
    monkeypatch.setattr(search_sentences, "__defaults__", (*defaults[:-1], 2))  # its last parameter: bound
    app = WebApp(ctx.store, resources.ontology, resources.kb)
    status, _, html = get(app, "/documents")
    assert status.startswith("200") and "more than" in html and "Counts over the first 2 rows" in html
    _, _, body = get(app, "/api/documents")
    assert json.loads(body)["total_is_lower_bound"] is True
    status, _, html = get(app, "/search?actor=russia")
    assert status.startswith("200") and "More than 2 sentences found" in html
    _, _, body = get(app, "/api/search?actor=russia")
    assert json.loads(body)["total_is_lower_bound"] is True


def test_the_cli_search_text_says_more_than_when_bounded(ctx: AnalysisContext) -> None:
    from dyadlens.cli.text_views import search_text

    bounded = search_sentences(ctx, "", actor="russia", bound=3, limit=10)
    assert "more than 3 match" in search_text(bounded)
    exact = search_sentences(ctx, "", actor="russia", bound=None, limit=10)
    assert "more than" not in search_text(exact)


CUT_FILTERS = [
    ExplorerFilters(),
    ExplorerFilters(sort="-date"),
    ExplorerFilters(actor="russia", count="reports"),
    ExplorerFilters(actor="russia", sort="-date", modalities=("asserted", "negated")),
    ExplorerFilters(root="04", since="2020", until="2024-06"),
    ExplorerFilters(quad=1, sort="-date", count="reports"),
    ExplorerFilters(quad=3, modalities=("asserted",), since="2021", until="2024-06"),  # years outside not read
    ExplorerFilters(root="04", since="2020-03", until="2024", sort="-date"),
]


@pytest.mark.parametrize("filters", CUT_FILTERS)
def test_the_date_cut_from_the_month_summary_changes_no_row(ctx: AnalysisContext, filters: ExplorerFilters) -> None:
    """A bounded page read from the events placed up to the cut month equals the page read from every event."""
    from dyadlens.analysis.explorer import date_cut
    from dyadlens.store import summaries

    total = explore_events(ctx, filters, bound=None, limit=None).window.total
    cuts = 0
    for bound, offset in ((1, 0), (3, 0), (5, 2), (total // 2 + 1, 1), (total + 3, 0)):
        cuts += date_cut(ctx, filters, max(bound + 1, offset + 2)) is not None
        cut = explore_events(ctx, filters, bound=bound, limit=2, offset=offset)
        with summaries.bypassed():
            assert date_cut(ctx, filters, bound + 1) is None
            whole = explore_events(ctx, filters, bound=bound, limit=2, offset=offset)
        assert [r.id for r in cut.rows] == [r.id for r in whole.rows], (bound, offset)
        assert (cut.window, cut.total_is_lower_bound, _facets(cut)) == (
            whole.window, whole.total_is_lower_bound, _facets(whole)), (bound, offset)
    assert cuts > 0 or total < 3, "the cut was never taken"
