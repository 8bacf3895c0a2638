"""The events explorer's date cut (:func:`~dyadlens.analysis.explorer.placed_within`) with its candidates listed
by code (a rare CAMEO root or quad class: ``_rare_codes``) or bounded by the period asked, against the same page
read with the summaries bypassed (no cut: every matching event sorted), on the hand-written corpus and a small
synthetic store, SQLite and PostgreSQL: the same rows, total and facets, in both count modes and both date orders."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from analysis_corpus import build_store
from dyadlens.analysis import explorer
from dyadlens.analysis.common import AnalysisContext
from dyadlens.analysis.explorer import ExplorerFilters, date_cut, explore_events
from dyadlens.resources import Resources
from dyadlens.store import open_store, summaries
from postgres_server import STORE_BACKENDS, new_store_target


def _synthetic(url: str) -> str:
    """The benchmarks' generator (many dyads over 25 years, clusters, undated events) into a new store at ``url``."""
    spec = importlib.util.spec_from_file_location("synthetic", Path(__file__).parents[1] / "benchmarks/synthetic.py")
    assert spec is not None and spec.loader is not None
    synthetic = sys.modules.setdefault("synthetic", importlib.util.module_from_spec(spec))
    spec.loader.exec_module(synthetic)
    synthetic.generate(url, 400, seed=7, actors=25, chunk=200, progress=False)
    return url


@pytest.fixture(scope="module", params=STORE_BACKENDS)
def stores(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
           resources: Resources) -> Iterator[dict[str, AnalysisContext]]:
    """The hand-written corpus and a small synthetic store, on one backend."""
    folder = tmp_path_factory.mktemp("coded")
    opened = {"corpus": open_store(build_store(new_store_target(request, folder, "corpus.db"))),
              "synthetic": open_store(_synthetic(new_store_target(request, folder, "synthetic.db")))}
    yield {name: AnalysisContext(store, resources.ontology, resources.kb) for name, store in opened.items()}
    for store in opened.values():
        store.close()


#: Per store, filters whose codes are rare enough for the cut to list its candidates by code.
CODED = {
    "corpus": [ExplorerFilters(root="04"), ExplorerFilters(root="08", sort="-date", count="reports"),
               ExplorerFilters(quad=1, since="2023-02", until="2024-06")],
    "synthetic": [ExplorerFilters(root="18"), ExplorerFilters(root="18", sort="-date"),
                  ExplorerFilters(root="19", count="reports", since="2006-05"),
                  ExplorerFilters(root="17", modalities=("asserted",), since="2004", until="2019-10", sort="-date"),
                  ExplorerFilters(quad=4, modalities=("asserted",), since="2010", until="2014")],
}
#: Filters read by date, bounded below (or above, newest first) by the period asked.
DATED = [ExplorerFilters(since="2010-03", modalities=("asserted",)), ExplorerFilters(until="2012", sort="-date"),
         ExplorerFilters(since="2005", until="2016-06", count="reports")]


def _facets(found: Any) -> list[tuple[str, list[tuple[str, int, bool]]]]:
    return [(f.name, [(v.value, v.count, v.selected) for v in f.values]) for f in found.facets]


def _shown(found: Any) -> tuple[Any, ...]:
    return [r.id for r in found.rows], found.window, found.total_is_lower_bound, _facets(found)


def _assert_cut_changes_nothing(ctx: AnalysisContext, filters: ExplorerFilters, *, coded: bool) -> None:
    total = explore_events(ctx, filters, bound=None, limit=None).window.total
    assert total >= 2, "too few events match: the comparison would prove nothing"
    cuts = 0
    windows = {(1, 1, 0), (2, 2, 0), (5, 3, 2), (max(1, total // 3), 4, 1), (total // 2 + 1, 25, 0), (total + 1, 2, 0)}
    for bound, limit, offset in sorted(windows):
        rows = max(bound + 1, offset + limit)
        cut = date_cut(ctx, filters, rows)
        cuts += cut is not None
        assert (explorer._rare_codes(ctx, filters, bound + 1) is not None) == coded
        found = explore_events(ctx, filters, bound=bound, limit=limit, offset=offset)
        with summaries.bypassed():
            assert date_cut(ctx, filters, rows) is None
            whole = explore_events(ctx, filters, bound=bound, limit=limit, offset=offset)
        assert _shown(found) == _shown(whole), (bound, limit, offset, cut)
    assert cuts >= (3 if total > 50 else 1), "the cut was seldom taken"


@pytest.mark.parametrize("name", ["corpus", "synthetic"])
def test_the_cut_listed_by_code_changes_no_row_total_or_facet(stores: dict[str, AnalysisContext], name: str) -> None:
    for filters in CODED[name]:
        _assert_cut_changes_nothing(stores[name], filters, coded=True)


def test_the_cut_bounded_by_the_period_changes_no_row_total_or_facet(stores: dict[str, AnalysisContext]) -> None:
    for filters in DATED:
        _assert_cut_changes_nothing(stores["synthetic"], filters, coded=False)


def test_a_common_root_is_read_by_date(stores: dict[str, AnalysisContext]) -> None:
    """Where the root's events are many, listing them all costs more than the events placed up to the cut."""
    ctx = stores["synthetic"]
    assert explorer._rare_codes(ctx, ExplorerFilters(root="01"), 21) is None
    assert explorer._rare_codes(ctx, ExplorerFilters(root="18"), 201) is not None
    assert explorer._rare_codes(ctx, ExplorerFilters(root="18", actor="russia"), 201) is None
