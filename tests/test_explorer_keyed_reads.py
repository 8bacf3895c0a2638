"""The events explorer's small matches read through the summary's (code, source, target) keys
(:func:`~dyadlens.analysis.explorer.keyed_within`) against the same page read with the summaries bypassed
(every matching event, found through the actor's and the period's indexes), on the hand-written corpus,
SQLite and PostgreSQL: the same rows, total and facets, in both count modes and both date orders."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from analysis_corpus import build_store
from dyadlens.analysis.common import AnalysisContext
from dyadlens.analysis.explorer import ExplorerFilters, explore_events, keyed_within
from dyadlens.resources import Resources
from dyadlens.store import open_store, summaries


@pytest.fixture()
def ctx(store_url: str, resources: Resources) -> Iterator[AnalysisContext]:
    store = open_store(build_store(store_url))
    yield AnalysisContext(store, resources.ontology, resources.kb)
    store.close()


KEYED_FILTERS = [
    ExplorerFilters(actor="russia"),
    ExplorerFilters(actor="taliban", since="2023", until="2024"),
    ExplorerFilters(actor="taliban", root="04"),
    ExplorerFilters(actor="taliban", sort="-date", count="reports"),
    ExplorerFilters(actor="taliban", modalities=("asserted",), since="2023-03"),
    ExplorerFilters(root="08"),
    ExplorerFilters(since="2024", until="2024"),
]


def _facets(explorer: Any) -> list[tuple[str, list[tuple[str, int, bool]]]]:
    return [(f.name, [(v.value, v.count, v.selected) for v in f.values]) for f in explorer.facets]


def _shown(explorer: Any) -> tuple[Any, ...]:
    return [r.id for r in explorer.rows], explorer.window, explorer.total_is_lower_bound, _facets(explorer)


@pytest.mark.parametrize("filters", KEYED_FILTERS)
def test_the_keyed_read_changes_no_row_total_or_facet(ctx: AnalysisContext, filters: ExplorerFilters) -> None:
    assert keyed_within(ctx, filters), "the keyed read was not taken"
    exact = explore_events(ctx, filters, bound=None, limit=None)
    assert exact.window.total > 0, "no event matches: the comparison would prove nothing"
    for limit, offset in ((3, 0), (2, 1), (None, 0)):
        keyed = explore_events(ctx, filters, limit=limit, offset=offset)
        with summaries.bypassed():
            assert keyed_within(ctx, filters) == []
            whole = explore_events(ctx, filters, limit=limit, offset=offset)
        assert _shown(keyed) == _shown(whole), (limit, offset)
    assert [r.id for r in explore_events(ctx, filters, limit=None).rows] == [r.id for r in exact.rows]


def test_the_keyed_read_lists_only_the_keys_events(ctx: AnalysisContext) -> None:
    """Listed alone (without the exact conditions), the keys of one actor's period hold its events but not
    every event: the list narrows the read."""
    from sqlalchemy import func, select

    from dyadlens.store import schema
    from dyadlens.store.queries import joined

    filters = ExplorerFilters(actor="taliban", since="2023", until="2024")
    listed = ctx.store.read(select(func.count()).select_from(joined()).where(*keyed_within(ctx, filters)))[0][0]
    every = ctx.store.read(select(func.count()).select_from(schema.events))[0][0]
    matching = explore_events(ctx, filters, bound=None).window.total
    assert matching <= listed < every


@pytest.mark.parametrize(("asked", "sort"), [({"actor": "russia", "q": "talk"}, "published"),
                                             ({"actor": "russia", "q": "a"}, "outlet"),
                                             ({"actor": "russia", "q": "e"}, "-published")])
def test_the_quotes_read_in_date_order_changes_no_row(ctx: AnalysisContext, asked: dict[str, str],
                                                      sort: str) -> None:
    """The quotes of a speaker's side containing words, read in date order (the side matched through an
    expression no index serves), equal the read through the speaker index: rows, total, facets, any bound."""
    from dyadlens.analysis.explorers import quotes
    from dyadlens.analysis.explorers.base import explore_table

    words = [quotes.func.lower(quotes.WORDS).contains(asked["q"])]
    exact = explore_table(ctx, quotes._explorer(), asked, sort, extra=words, limit=None, bound=None)
    assert exact.window.total > 0, "no quote matches: the comparison would prove nothing"
    for bound, limit in ((1, 1), (2, 3), (100, None)):
        shown = [explore_table(ctx, quotes._explorer(), asked, sort, extra=words, limit=limit, bound=bound,
                               unindexed=unindexed) for unindexed in ((), ("actor",))]
        by_index, by_date = ((p.rows, p.window, p.total_is_lower_bound, _facets(p)) for p in shown)
        assert by_index == by_date, bound
    assert explore_table(ctx, quotes._explorer(), asked, sort, extra=words, limit=None,
                         unindexed=("actor",)).rows == exact.rows


def test_the_date_order_is_chosen_only_when_the_words_are_common(ctx: AnalysisContext) -> None:
    from dyadlens.analysis.explorers import quotes

    def chosen(q: str) -> bool:
        return quotes._met_sooner_by_date(ctx, "russia", [quotes.func.lower(quotes.WORDS).contains(q)], 1)

    assert chosen("")  # every quote "contains" the empty text: the date order meets the first at once
    assert not chosen("no quote says this")
