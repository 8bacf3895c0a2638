"""The dyad page's first rows read as bounded candidates against the whole answers they replace: the timeline's
page, the key quotes and a page of the status steps (SQLite and PostgreSQL on the hand-written corpus; SQLite on
a small store of the benchmarks' generator), and the status pages of the web page and its JSON twin."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from dyadlens.analysis import dyad, timeline
from dyadlens.analysis.common import AnalysisContext
from dyadlens.analysis.shown_rows import quote_rows
from dyadlens.analysis.status import StatusEntry, dyad_status, dyad_status_page, dyad_status_steps
from dyadlens.partial_dates import PartialDate
from dyadlens.resources import Resources
from dyadlens.store import EventQuery, open_store
from dyadlens.web import views
from dyadlens.web.app import WebApp
from test_bounded_reads import _dyads, _synthetic_store
from test_web_app import get


@pytest.fixture()
def ctx(corpus_ctx: AnalysisContext) -> AnalysisContext:
    return corpus_ctx


@pytest.fixture(scope="module")
def synthetic_ctx(tmp_path_factory: pytest.TempPathFactory, resources: Resources) -> Iterator[AnalysisContext]:
    store = open_store(_synthetic_store(tmp_path_factory.mktemp("synthetic") / "s.db"))
    yield AnalysisContext(store, resources.ontology, resources.kb)
    store.close()


#: (modalities, since, until, count) of the timelines compared.
FILTERS = [
    (None, None, None, "events"),
    (None, None, None, "reports"),
    (("asserted",), None, None, "events"),
    (None, "2001", "2003-06", "events"),
    (None, None, "2021-03", "events"),
]


def _whole_page(ctx: AnalysisContext, query: EventQuery, limit: int, offset: int) -> list[str]:
    """The page read among every match of the query (what the timeline read before its candidates)."""
    return [s.event.id for s in ctx.store.shown_events(query, limit=limit, offset=offset)]


def _same_timelines(ctx: AnalysisContext, dyads: list[tuple[str, str]]) -> int:
    """Every page compared equals the page read among every match; returns how many pages were bounded."""
    bounded = 0
    for a, b in dyads:
        for modalities, since, until, count in FILTERS:
            query = EventQuery(between=(a, b), modalities=modalities, since=since, until=until, document_dates=True,
                               count=count, with_observations=True)
            whole = timeline.dyad_timeline(ctx, a, b, modalities, since, until, count)
            for limit, offset in ((1, 0), (3, 0), (3, 2), (10, 5), (50, 0)):
                page = timeline.dyad_timeline(ctx, a, b, modalities, since, until, count, limit=limit, offset=offset)
                expected = _whole_page(ctx, query, limit, offset)
                assert [row.id for row in page.events] == expected, (a, b, modalities, since, until, limit)
                assert page.events == whole.events[offset : offset + limit]
                assert page.window is not None and page.window.total == len(whole.events)
                bounded += timeline._month_of_row(ctx, query, offset + limit) is not None
    return bounded


@pytest.mark.parametrize("by_documents", [0, 10**9])
def test_timeline_pages_from_candidates_are_the_pages_of_every_match(
    ctx: AnalysisContext, by_documents: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timeline, "UNDATED_BY_DOCUMENTS", by_documents)
    assert _same_timelines(ctx, _dyads(ctx)[:5]) > 0


@pytest.mark.parametrize("by_documents", [0, 10**9])
def test_timeline_pages_from_candidates_on_a_synthetic_store(
    synthetic_ctx: AnalysisContext, by_documents: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timeline, "UNDATED_BY_DOCUMENTS", by_documents)
    assert _same_timelines(synthetic_ctx, _dyads(synthetic_ctx)[:4]) >= 20


def _same_quotes(ctx: AnalysisContext, dyads: list[tuple[str, str]]) -> int:
    """The key quotes read window by window equal the first of every quote of the pair sorted; returns how many
    lists the windows answered."""
    windowed = 0
    for a, b in dyads:
        for limit in (1, 2, 5, 50):
            expected = quote_rows(ctx, dyad._said(a, b), order=dyad._quote_order(), limit=limit)
            assert dyad.dyad_quotes(ctx, a, b, limit=limit) == expected, (a, b, limit)
            windowed += dyad._first_quotes(ctx, a, b, limit) is not None
        assert dyad.dyad_quotes(ctx, a, b, limit=None) == quote_rows(ctx, dyad._said(a, b), order=dyad._quote_order(),
                                                                     limit=None)
    return windowed


@pytest.mark.parametrize("window", [1, 3])
def test_key_quotes_read_by_windows_are_the_first_of_every_quote(
    ctx: AnalysisContext, window: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dyad, "FIRST_WINDOW", window)
    assert _same_quotes(ctx, _dyads(ctx)) > 0


def test_key_quotes_read_by_windows_on_a_synthetic_store(
    synthetic_ctx: AnalysisContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dyad, "FIRST_WINDOW", 5)
    assert _same_quotes(synthetic_ctx, _dyads(synthetic_ctx)[:8]) >= 4


def _current_then_latest(entries: list[StatusEntry]) -> list[StatusEntry]:
    """Every step in force or open (in track order), then the others from the latest to begin, undated last."""
    def begun(entry: StatusEntry) -> str:
        return PartialDate.parse(str(entry.since)).first_day.isoformat()

    ended = [e for e in entries if not e.current]
    latest = sorted((e for e in ended if e.since), key=begun, reverse=True)
    return [e for e in entries if e.current] + latest + [e for e in ended if not e.since]


def _same_status_pages(ctx: AnalysisContext, dyads: list[tuple[str, str]]) -> int:
    """Every page of steps equals the same slice of every step reordered; returns the steps compared."""
    compared = 0
    for a, b in dyads:
        every = _current_then_latest(dyad_status(ctx, a, b))
        for limit in (1, 2, 10):
            for offset in sorted({0, 1, limit, max(len(every) - 1, 0)}):
                page, window = dyad_status_page(ctx, a, b, limit, offset)
                assert page == every[offset : offset + limit], (a, b, limit, offset)
                assert (window.offset, window.limit, window.total) == (offset, limit, len(every))
        compared += len(every)
    return compared


def test_status_pages_are_slices_of_every_step(ctx: AnalysisContext) -> None:
    assert _same_status_pages(ctx, _dyads(ctx)) >= 2


def test_status_steps_kept_are_those_of_every_step(synthetic_ctx: AnalysisContext) -> None:
    kept = 0
    for a, b in _dyads(synthetic_ctx)[:4]:
        every = dyad_status(synthetic_ctx, a, b)
        assert dyad_status_steps(synthetic_ctx, a, b, lambda step: True) == every
        current = dyad_status_steps(synthetic_ctx, a, b, lambda step: step.current)
        assert current == [e for e in every if e.current]
        kept += len(current)
    assert kept >= 2


def test_status_pages_on_a_synthetic_store(synthetic_ctx: AnalysisContext) -> None:
    assert _same_status_pages(synthetic_ctx, _dyads(synthetic_ctx)[:4]) >= 10


def test_the_dyad_page_pages_its_status(ctx: AnalysisContext, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(views, "STATUS_SHOWN", 1)
    app = WebApp(ctx.store, ctx.ontology, ctx.kb)
    every = _current_then_latest(dyad_status(ctx, "russia", "taliban"))
    assert len(every) >= 2
    seen = []
    for offset in range(len(every)):
        status, _, body = get(app, f"/api/dyad/russia/taliban?status_offset={offset}")
        assert status == "200 OK"
        payload = json.loads(body)
        assert payload["status_window"] == {"offset": offset, "limit": 1, "total": len(every)}
        seen += [(step["designator"], step["track"], step["status"], step["since"]) for step in payload["status"]]
    assert seen == [(e.designator, e.track, e.status, e.since) for e in every]
    _, _, html = get(app, "/dyad/russia/taliban")
    assert f"Steps 1–1 of {len(every)}" in html and "status_offset=1#status" in html
    _, _, html = get(app, "/dyad/russia/taliban?status_offset=1")
    assert "status_offset=0#status" in html
    assert get(app, "/dyad/russia/taliban?status_offset=x")[0].startswith("400")
