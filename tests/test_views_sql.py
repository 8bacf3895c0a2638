"""The views answer in SQL: pages with true totals, a bounded number of statements, periods filtered in SQL.

The stores are invented here: one short document per event, each a sentence
between two of a few actors, one year apart, so the expected slices are known.
The event identity step makes one real event of the reports of a dyad that
repeat (same code, same month), so the exact counts are asked of the reports.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event

from analysis_corpus import ACTORS, DocBuilder
from dyadlens.analysis.common import AnalysisContext
from dyadlens.analysis.events import list_events
from dyadlens.analysis.network import actor_network
from dyadlens.analysis.overview import corpus_overview
from dyadlens.analysis.profile import actor_profile
from dyadlens.analysis.series import dyad_series
from dyadlens.analysis.timeline import dyad_timeline
from dyadlens.resources import Resources
from dyadlens.store import EventQuery, Store, open_store
from dyadlens.web.app import WebApp
from postgres_server import STORE_BACKENDS, new_store_target

PAIRS = (("russia", "taliban"), ("pakistan", "taliban"), ("russia", "kazakhstan"), ("taliban", "russia"))
CODES = ("036", "042", "112", "081")
NAMES = {actor_id: ref.name for actor_id, ref in ACTORS.items()}


def build(path: str, events: int) -> str:
    """``events`` documents, the n-th with one event of ``PAIRS[n % 4]`` dated ``2000 + n % 20``."""
    with open_store(path) as store:
        for n in range(events):
            source, target = PAIRS[n % len(PAIRS)]
            sentence = f"{NAMES[source]} talked to {NAMES[target]} on day {n}."
            doc = DocBuilder(f"doc-{n:04d}", [sentence], f"{2000 + n % 20}-06-01", "The Wire", f"Talk {n}")
            doc.mention(0, NAMES[source], source)
            doc.mention(0, NAMES[target], target)
            doc.quote(0, f"day {n}", f"{NAMES[source]} envoy", source)
            doc.event(0, "talked", source, target, CODES[n % len(CODES)], "asserted", date=f"{2000 + n % 20}-06")
            store.write(doc.records)
    return path


@pytest.fixture(scope="module", params=STORE_BACKENDS)
def stores(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """The two stores (10 and 200 events) on one backend: SQLite files or PostgreSQL databases."""
    folder = tmp_path_factory.mktemp("views-sql")
    small = build(new_store_target(request, folder, "small.db"), 10)
    return small, build(new_store_target(request, folder, "large.db"), 200)


@pytest.fixture()
def small(stores: tuple[str, str]) -> str:
    return stores[0]


@pytest.fixture()
def large(stores: tuple[str, str]) -> str:
    return stores[1]


@contextmanager
def context(path: str, resources: Resources) -> Iterator[AnalysisContext]:
    store = open_store(path, read_only=True)
    try:
        yield AnalysisContext(store, resources.ontology, resources.kb)
    finally:
        store.close()


@contextmanager
def recorded(store: Store) -> Iterator[list[tuple[str, Any]]]:
    """Every statement the store's engine sends to the database meanwhile, with its parameters."""
    statements: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        statements.append((statement, parameters))

    event.listen(store.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(store.engine, "before_cursor_execute", record)


def test_timeline_pages_are_slices_of_the_whole_with_the_true_total(large: str, resources: Resources) -> None:
    with context(large, resources) as ctx:
        whole = dyad_timeline(ctx, "russia", "taliban", count="reports")
        page = dyad_timeline(ctx, "russia", "taliban", count="reports", limit=20, offset=40)
        last = dyad_timeline(ctx, "russia", "taliban", count="reports", limit=20, offset=80)
    assert len(whole.events) == 100  # russia -> taliban and taliban -> russia, half of the 200
    assert [e.id for e in page.events] == [e.id for e in whole.events[40:60]]
    assert page.window is not None and (page.window.total, page.window.shown) == (100, "41–60 of 100")
    assert [e.id for e in last.events] == [e.id for e in whole.events[80:]]
    assert last.window is not None and not last.window.has_next
    assert all(e.evidence.text.startswith(("Russia talked", "Taliban talked")) for e in page.events)


def test_events_and_network_pages(large: str, resources: Resources) -> None:
    with context(large, resources) as ctx:
        query = EventQuery(source="russia", count="reports")
        whole, window = list_events(ctx, query)
        page, paged = list_events(ctx, query, limit=7, offset=14)
        network = actor_network(ctx, count="reports", limit=2, offset=1)
        every_edge = actor_network(ctx, count="reports", limit=None)
    assert window.total == 100 and paged.total == 100
    assert [r.id for r in page] == [r.id for r in whole[14:21]]
    assert [(e.source, e.target) for e in network.edges] == [(e.source, e.target) for e in every_edge.edges[1:3]]
    assert network.window is not None and network.window.total == len(every_edge.edges) == 4
    assert {e.count for e in every_edge.edges} == {50}


def test_profile_counts_are_aggregates_over_every_event_not_the_page(large: str, resources: Resources) -> None:
    with context(large, resources) as ctx:
        profile = actor_profile(ctx, "russia", count="reports", limit=5)
    assert len(profile.events) == 5 and profile.events_window is not None and profile.events_window.total == 150
    assert sum(r.count for r in profile.as_source) == 100 and sum(r.count for r in profile.as_target) == 50
    assert {p.id: (p.outgoing, p.incoming) for p in profile.partners} == {"taliban": (50, 50), "kazakhstan": (50, 0)}
    assert profile.documents_total == 150 and len(profile.documents) == 50


VIEWS: dict[str, Callable[[AnalysisContext], Any]] = {
    "timeline page": lambda ctx: dyad_timeline(ctx, "russia", "taliban", limit=50),
    "series": lambda ctx: dyad_series(ctx, "russia", "taliban", by="month"),
    "network": lambda ctx: actor_network(ctx),
    "overview": lambda ctx: corpus_overview(ctx),
    "events page": lambda ctx: list_events(ctx, EventQuery(actor="russia", count="events"), limit=50),
}


@pytest.mark.parametrize("view", sorted(VIEWS))
def test_a_view_issues_as_many_statements_over_200_events_as_over_10(
    view: str, small: str, large: str, resources: Resources
) -> None:
    counts = []
    for path in (small, large):
        with context(path, resources) as ctx, recorded(ctx.store) as statements:
            VIEWS[view](ctx)
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 12


def test_profile_parts_of_its_own_issue_a_fixed_number_of_statements(
    small: str, large: str, resources: Resources, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The profile's own queries (the status layer, another module, is left out here)."""
    monkeypatch.setattr("dyadlens.analysis.profile.designation_status", lambda _ctx, _actor: [])
    counts = []
    for path in (small, large):
        with context(path, resources) as ctx, recorded(ctx.store) as statements:
            actor_profile(ctx, "russia")
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


def test_web_pages_of_aggregates_issue_a_fixed_number_of_statements(
    small: str, large: str, resources: Resources
) -> None:
    counts = []
    for path in (small, large):
        store = open_store(path, read_only=True)
        app = WebApp(store, resources.ontology, resources.kb)
        with recorded(store) as statements:
            for url in ("/", "/network", "/api/network?since=2003"):
                get(app, url)
        store.close()
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


def test_network_leaves_other_years_out_in_sql(large: str, resources: Resources) -> None:
    with context(large, resources) as ctx, recorded(ctx.store) as statements:
        network = actor_network(ctx, since="2005", until="2005", count="reports")
    assert [(e.source, e.target, e.count) for e in network.edges] == [("pakistan", "taliban", 10)]  # n = 5, 25 ...
    edge_query, parameters = next((q, p) for q, p in statements if "GROUP BY" in q)
    values = list(parameters.values()) if isinstance(parameters, dict) else list(parameters)
    assert "2005" in values  # the period's bounds go to the database
    # a whole year: an index range on the kept edges per year (dyadlens.store.edge_summaries), not the events
    assert "summary_edge_years.year >=" in edge_query and "summary_edge_years.year <=" in edge_query


def test_web_pages_link_to_the_next_page_keeping_the_filters(large: str, resources: Resources) -> None:
    store = open_store(large, read_only=True)
    try:
        app = WebApp(store, resources.ontology, resources.kb)
        body = get(app, "/dyad/russia/taliban?count=reports").decode()
        events_page = get(app, "/actor/russia?count=reports&page=3").decode()
    finally:
        store.close()
    assert "1–50 of 100" in body
    assert 'href="?count=reports&amp;page=2"' in body
    assert "101–150 of 150" in events_page and 'href="?count=reports&amp;page=2"' in events_page


def get(app: WebApp, url: str) -> bytes:
    path, _, query = url.partition("?")
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "REQUEST_URI": url, "QUERY_STRING": query,
               "HTTP_HOST": "127.0.0.1", "SERVER_PORT": "8000"}
    status: list[str] = []
    body = b"".join(app(environ, lambda s, _headers: status.append(s)))
    assert status[0].startswith("200"), (url, status[0], body[:300])
    return body
