"""The dyad page's bounded reads against the whole answers they replace (SQLite and PostgreSQL on the
hand-written corpus; SQLite on a small store of the benchmarks' generator): the sources side by side read
claim by claim until the page is settled, the series weighed in SQL, the brief's status taken from the page."""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Iterator
from fractions import Fraction

import pytest

from dyadlens.analysis.brief import RankedQuote, brief_summary, speaker_rank, top_quotes
from dyadlens.analysis.common import DEFAULT_MODALITIES, AnalysisContext, QuoteRow, weigh
from dyadlens.analysis.dyad import dyad_quotes
from dyadlens.analysis.series import dyad_series, period_of
from dyadlens.analysis.sources import sources_side_by_side
from dyadlens.analysis.status import dyad_status, status_entries
from dyadlens.partial_dates import overlaps
from dyadlens.resources import Resources
from dyadlens.store import EventQuery, open_store, summaries
from dyadlens.store.quote_words import quotation_words as _words
from test_bounded_reads import _dyads, _synthetic_store


@pytest.fixture()
def ctx(corpus_ctx: AnalysisContext) -> AnalysisContext:
    return corpus_ctx


@pytest.fixture(scope="module")
def synthetic_ctx(tmp_path_factory: pytest.TempPathFactory, resources: Resources) -> Iterator[AnalysisContext]:
    store = open_store(_synthetic_store(tmp_path_factory.mktemp("synthetic") / "s.db"))
    yield AnalysisContext(store, resources.ontology, resources.kb)
    store.close()


def _same_pages(ctx: AnalysisContext, a: str, b: str, shown: int | None) -> int:
    """Every page of the dyad's claims read claim by claim equals the same slice of every claim weighed at
    once; returns how many disputed claims the dyad has."""
    whole = sources_side_by_side(ctx, a, b, shown=shown)
    total = len(whole.claims)
    for limit in (1, 3, 20):
        for offset in sorted({0, 1, limit, max(total - 2, 0)}):
            page = sources_side_by_side(ctx, a, b, limit=limit, offset=offset, shown=shown)
            assert page.claims == whole.claims[offset : offset + limit], (a, b, limit, offset)
            assert page.window is not None and page.window.total == total
    return sum(claim.disputed for claim in whole.claims)


def test_sources_read_claim_by_claim_are_the_whole_answer(ctx: AnalysisContext) -> None:
    dyads = _dyads(ctx)
    assert len(dyads) >= 3
    assert sum(_same_pages(ctx, a, b, shown) for a, b in dyads[:6] for shown in (None, 2)) > 0


def test_sources_read_claim_by_claim_on_a_synthetic_store(synthetic_ctx: AnalysisContext) -> None:
    disputed = [_same_pages(synthetic_ctx, a, b, 5) for a, b in _dyads(synthetic_ctx)[:5]]
    assert sum(disputed) >= 5


def test_sources_without_the_summaries_are_the_same(synthetic_ctx: AnalysisContext) -> None:
    a, b = _dyads(synthetic_ctx)[0]
    expected = sources_side_by_side(synthetic_ctx, a, b, limit=20, shown=5)
    with summaries.bypassed():
        assert sources_side_by_side(synthetic_ctx, a, b, limit=20, shown=5) == expected
    assert len(expected.claims) == 20


def _series_in_python(ctx: AnalysisContext, a: str, b: str, by: str, since: str | None,
                      until: str | None) -> tuple[list[tuple[str, int, dict[int, int], float | None]], int]:
    """Every placed event read and weighed code by code (what the series did before weighing in SQL), the
    mean of the weights taken exactly: the former sum of floats could fall either side of a half (0.225 as
    0.22499999), so it is only held within 0.01 of the mean."""
    query = EventQuery(between=(a, b), modalities=DEFAULT_MODALITIES, count="events", standing=False, since=since,
                       until=until, document_dates=bool(since or until))
    codes: dict[str | None, list[tuple[str, int]]] = defaultdict(list)
    for event in ctx.store.placed_events(query):
        codes[period_of(event.date, by)].append((event.code, 1))
    unplaced = codes.pop(None, [])
    points = []
    for period, found in sorted(codes.items()):
        weighed = weigh(ctx.ontology, found)
        known = [ctx.ontology.get(code).goldstein for code, _ in found if ctx.ontology.is_valid(code)]
        mean = float(round(sum(Fraction(str(g)) for g in known) / len(known), 2)) if known else None
        assert (mean is None) == (weighed.mean_goldstein is None)
        assert mean is None or weighed.mean_goldstein is None or abs(mean - weighed.mean_goldstein) < 0.0101
        points.append((str(period), len(found), weighed.by_quad, mean))
    return points, len(unplaced)


@pytest.mark.parametrize("by", ["month", "quarter", "year"])
def test_series_weighed_in_sql_is_the_series_weighed_in_python(synthetic_ctx: AnalysisContext, by: str) -> None:
    for a, b in _dyads(synthetic_ctx)[:4]:
        for since, until in ((None, None), ("2001", "2003-06")):
            expected, unplaced = _series_in_python(synthetic_ctx, a, b, by, since, until)
            for bypassed in (False, True):
                with summaries.bypassed() if bypassed else contextlib.nullcontext():
                    series = dyad_series(synthetic_ctx, a, b, by=by, since=since, until=until)
                found = [(p.period, p.count, p.by_quad, p.mean_goldstein) for p in series.points]
                assert found == expected, (a, b, since, bypassed)
                assert series.unplaced_count == unplaced
            assert expected, (a, b)


def test_series_on_the_corpus_is_the_series_weighed_in_python(ctx: AnalysisContext) -> None:
    for a, b in _dyads(ctx)[:6]:
        expected, unplaced = _series_in_python(ctx, a, b, "month", None, None)
        series = dyad_series(ctx, a, b)
        assert [(p.period, p.count, p.by_quad, p.mean_goldstein) for p in series.points] == expected, (a, b)
        assert series.unplaced_count == unplaced


def test_the_brief_takes_the_dyad_pages_status(ctx: AnalysisContext) -> None:
    checked = 0
    for a, b in _dyads(ctx):
        given = dyad_status(ctx, a, b)
        assert given == status_entries(ctx, a, b) + status_entries(ctx, b, a)
        assert brief_summary(ctx, a, b, status=given) == brief_summary(ctx, a, b)
        checked += len(given)
    assert checked > 0



def _top_quotes_of_every_row(ctx: AnalysisContext, a: str, b: str, since: str | None,
                             until: str | None) -> list[RankedQuote]:
    """Every quote read as a row with its evidence, then ranked (what the brief did before its light rows)."""
    quotes = [q for q in dyad_quotes(ctx, a, b, limit=None) if overlaps(q.published, since, until)]
    repeated: dict[str, list[QuoteRow]] = {}
    for quote in quotes:
        repeated.setdefault(_words(quote.text), []).append(quote)
    ranked = [RankedQuote(same[0], speaker_rank(same[0]), len(same)) for same in repeated.values()]
    ranked.sort(key=lambda r: (-r.speaker_rank, -r.repeated, r.row.published or "\x7f"))
    return ranked


def _same_top_quotes(ctx: AnalysisContext, dyads: list[tuple[str, str]], since: str | None,
                     until: str | None) -> tuple[int, int]:
    """The brief's top quotes from light rows equal the ranking of every row; returns the quotes compared and
    how many of them were repeated."""
    compared, repeated = 0, 0
    for a, b in dyads:
        expected = _top_quotes_of_every_row(ctx, a, b, since, until)
        assert top_quotes(ctx, a, b, since, until, top=1000) == expected, (a, b)
        assert top_quotes(ctx, a, b, since, until, top=2) == expected[:2]
        compared += len(expected)
        repeated += sum(r.repeated > 1 for r in expected)
    return compared, repeated


@pytest.mark.parametrize(("since", "until"), [(None, None), ("2021", "2024-06")])
def test_top_quotes_from_light_rows_are_the_ranking_of_every_row(ctx: AnalysisContext, since: str | None,
                                                                 until: str | None) -> None:
    _same_top_quotes(ctx, _dyads(ctx), since, until)
    assert _same_top_quotes(ctx, _dyads(ctx), None, None)[0] >= 1


def test_top_quotes_from_light_rows_on_a_synthetic_store(synthetic_ctx: AnalysisContext) -> None:
    compared, repeated = _same_top_quotes(synthetic_ctx, _dyads(synthetic_ctx)[:6], None, None)
    assert compared >= 10 and repeated >= 1
    assert _same_top_quotes(synthetic_ctx, _dyads(synthetic_ctx)[:3], "2001", "2002-06")[0] >= 1
