"""The status tracks and the sources side by side read only what a page shows (issue #13): bounded answers
are the first rows of the full ones, with the true totals, on both backends; the disagreements found over
arrays of day numbers are those of the pairwise rule, however the comparison is cut into blocks."""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from analysis_corpus import build_store
from dyadlens.analysis import sources
from dyadlens.analysis.common import AnalysisContext, to_jsonable
from dyadlens.analysis.sources import Told, sources_side_by_side
from dyadlens.analysis.status import SHOWN_BACKING, designation_status, dyad_status, status_entries
from dyadlens.partial_dates import PartialDate
from dyadlens.resources import Resources
from dyadlens.store import open_store
from postgres_server import STORE_BACKENDS, new_store_target


@pytest.fixture(scope="module", params=STORE_BACKENDS)
def store_path(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path | str:
    return build_store(new_store_target(request, tmp_path_factory.mktemp("bounded"), "corpus.db"))


@pytest.fixture()
def ctx(store_path: Path, resources: Resources) -> Iterator[AnalysisContext]:
    store = open_store(store_path)
    yield AnalysisContext(store, resources.ontology, resources.kb)
    store.close()


def test_a_bounded_sources_page_is_the_start_of_the_full_view_with_its_totals(ctx: AnalysisContext) -> None:
    full = sources_side_by_side(ctx, "russia", "taliban")
    page = sources_side_by_side(ctx, "russia", "taliban", limit=1, shown=1)
    assert page.window is not None and page.window.total == len(full.claims) > 1
    (claim,) = page.claims
    whole = full.claims[0]
    assert claim.disputed and (claim.base_code, claim.disagreement) == (whole.base_code, whole.disagreement)
    assert to_jsonable(claim.reports) == to_jsonable(whole.reports[:1])
    assert to_jsonable(claim.disagreements) == to_jsonable(whole.disagreements[:1])
    assert (claim.reports_total, claim.documents_total, claim.disagreements_total) == (
        len(whole.reports), len(whole.documents), len(whole.disagreements))
    second = sources_side_by_side(ctx, "russia", "taliban", limit=1, offset=1, shown=1).claims[0]
    assert (second.source, second.target, second.base_code) == (
        full.claims[1].source, full.claims[1].target, full.claims[1].base_code)


def test_status_entries_keep_their_counts_and_the_dyad_reads_both_directions_at_once(ctx: AnalysisContext) -> None:
    both = status_entries(ctx, "russia", "taliban") + status_entries(ctx, "taliban", "russia")
    assert to_jsonable(dyad_status(ctx, "taliban", "russia")) == to_jsonable(
        status_entries(ctx, "taliban", "russia") + status_entries(ctx, "russia", "taliban"))
    assert both and all(e.backing_total == len(e.backing) <= SHOWN_BACKING for e in both)
    assert all(e.first_seen and e.last_seen and e.first_seen <= e.last_seen for e in both)
    every = designation_status(ctx, "taliban", limit=None)
    assert to_jsonable(designation_status(ctx, "taliban", limit=1)) == to_jsonable(every[:1])


# --- the rule, pair by pair (the former implementation, kept here as the reference) -------------


def _days(text: str | None) -> tuple[datetime.date, datetime.date] | None:
    if not text:
        return None
    date = PartialDate.parse(text)
    return date.first_day, date.last_day


def _reference(told: list[Told]) -> list[tuple[int, int]]:
    found = []
    for j, denied in enumerate(told):
        if denied.modality not in sources.DENYING:
            continue
        for i, asserted in enumerate(told):
            if asserted.modality != "asserted":
                continue
            same_cluster = asserted.cluster is not None and asserted.cluster == denied.cluster
            own = _days(asserted.date), _days(denied.date)
            apart = (own[0] and own[1] and asserted.cluster and denied.cluster and not same_cluster
                     and own[0][0] <= own[1][1] and own[1][0] <= own[0][1])
            claimed, denial = _days(asserted.date or asserted.published), _days(denied.date or denied.published)
            if apart or claimed is None or denial is None:
                continue
            if denied.modality == "negated" and sources._denies_up_to(denied):
                denial = (datetime.date.min, denial[1])
            if claimed[0] <= denial[1] and denial[0] <= claimed[1]:
                found.append((i, j))
    return found


def _random_reports(seed: int, n: int) -> list[Told]:
    rnd = random.Random(seed)
    dates = [None, "2020", "2020-03", "2020-03-04", "2020-04", "2021", "2019-12-30", "2020-03-31"]
    published = [None, "2020-03-10", "2020-04-02", "2021-01-05"]
    reports = [
        Told(id=f"e{k}", source="norland", target="azure-front", code="081",
             modality=rnd.choice(("asserted", "asserted", "negated", "alleged", "possible")),
             date=rnd.choice(dates), published=rnd.choice(published), cluster=rnd.choice((None, "c1", "c2", "c3")),
             doc_id=f"d{k % 7}", start=k, outlet=rnd.choice((None, "Daily Ledger", "Harbour Review")))
        for k in range(n)
    ]
    return sorted(reports, key=sources._sort_key)


@pytest.mark.fast
@pytest.mark.parametrize("seed", range(6))
def test_disagreements_over_arrays_are_those_of_the_pairwise_rule(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    reports = _random_reports(seed, 60)
    expected = _reference(reports)
    days = sources._Days.of(reports)
    everything = sources.np.arange(len(reports))
    found = sources._disputes(days, everything, None)
    assert found.pairs == expected and found.total == len(expected) > 0
    assert found.taking_part == sorted({n for pair in expected for n in pair})
    monkeypatch.setattr(sources, "BLOCK_CELLS", 7)  # a few denials at a time
    blocked = sources._disputes(days, everything, 5)
    assert (blocked.pairs, blocked.total, blocked.taking_part) == (expected[:5], found.total, found.taking_part)
