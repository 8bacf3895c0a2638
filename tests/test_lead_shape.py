"""One row per real event (``store/leads.py``) in PostgreSQL's shape, ``coalesce(events.id = clusters.lead,
true)``, selects the same rows as SQLite's ``clusters.id IS NULL OR events.id = clusters.lead``, on the
hand-written corpus and a small synthetic store, on both backends; SQLite keeps its SQL; and PostgreSQL no
longer estimates the leads at one row."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite

from analysis_corpus import build_store
from dyadlens.store import EventQuery, Store, open_store, schema
from dyadlens.store import queries as queries_module
from dyadlens.store.leads import lead_or_alone
from dyadlens.store.queries import joined
from postgres_server import STORE_BACKENDS, new_store_target

E, C = schema.events, schema.clusters


def _synthetic(url: str) -> str:
    """The benchmarks' generator (clusters told 1-5 times, unclustered standing facts) into a new store."""
    spec = importlib.util.spec_from_file_location("synthetic", Path(__file__).parents[1] / "benchmarks/synthetic.py")
    assert spec is not None and spec.loader is not None
    synthetic = sys.modules.setdefault("synthetic", importlib.util.module_from_spec(spec))
    spec.loader.exec_module(synthetic)
    synthetic.generate(url, 300, seed=11, actors=20, chunk=150, progress=False)
    return url


@pytest.fixture(scope="module", params=STORE_BACKENDS)
def stores(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Store]]:
    """The hand-written corpus and a small synthetic store, on one backend."""
    folder = tmp_path_factory.mktemp("leads")
    opened = [open_store(build_store(new_store_target(request, folder, "corpus.db"))),
              open_store(_synthetic(new_store_target(request, folder, "synthetic.db")))]
    yield opened
    for store in opened:
        store.close()


def _plain() -> ColumnElement[bool]:
    return or_(C.c.id.is_(None), E.c.id == C.c.lead)


def _ids(store: Store, *where: ColumnElement[bool]) -> list[str]:
    return [row.id for row in store.read(select(E.c.id).select_from(joined()).where(*where).order_by(E.c.id))]


def test_the_same_rows_as_the_plain_condition(stores: list[Store]) -> None:
    left_out = 0
    for store in stores:
        leads = _ids(store, lead_or_alone())
        assert leads == _ids(store, _plain())
        clustered = {row.cluster for row in store.read(select(E.c.cluster).where(E.c.cluster.is_not(None)))}
        unclustered = _ids(store, E.c.cluster.is_(None))
        assert clustered and len(leads) == len(clustered) + len(unclustered)  # a row per cluster, and each alone
        left_out += len(_ids(store)) - len(leads)
    assert left_out > 100  # the synthetic store's clusters of several reports: their other reports are left out


def test_every_event_query_reads_the_same_rows(stores: list[Store], monkeypatch: pytest.MonkeyPatch) -> None:
    """The page of events in store order that the events list reads, counting events, with and without the
    standing facts: the same ids in the same order as with the plain condition."""
    ordered = select(E.c.id).select_from(joined()).order_by(schema.documents.c.seq, E.c.seq)
    queries = (EventQuery(count="events"), EventQuery(count="events", with_observations=True),
               EventQuery(count="events", code="0"), EventQuery(count="events", since="2001", until="2003"))
    for store in stores:
        found = [[row.id for row in store.read(ordered.where(*query.conditions()))] for query in queries]
        with monkeypatch.context() as patched:
            patched.setattr(queries_module, "lead_or_alone", _plain)
            plain = [[row.id for row in store.read(ordered.where(*query.conditions()))] for query in queries]
        assert found == plain and all(found[:3])


def test_sqlite_keeps_its_sql_and_postgresql_gets_the_coalesce() -> None:
    query = EventQuery(count="events", code="18")
    on_sqlite = str(query.select_events().compile(dialect=sqlite.dialect()))
    on_postgresql = str(query.select_events().compile(dialect=postgresql.dialect()))
    assert "(clusters.id IS NULL OR events.id = clusters.lead)" in on_sqlite and "coalesce(events.id" not in on_sqlite
    assert "coalesce(events.id = clusters.lead, true)" in on_postgresql and "clusters.id IS NULL" not in on_postgresql


def _estimated_rows(store: Store, condition: ColumnElement[bool]) -> float:
    """PostgreSQL's estimate of the rows of the join under ``condition`` (the node below the count)."""
    statement = select(func.count()).select_from(joined()).where(condition)
    sql = statement.compile(dialect=store.engine.dialect, compile_kwargs={"literal_binds": True})
    with store.engine.connect() as conn:
        plan = conn.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {sql}").scalar()
    node = (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]
    while node["Node Type"] == "Aggregate":
        node = node["Plans"][0]
    return float(node["Plan Rows"])


def test_postgresql_estimates_the_leads_as_many(stores: list[Store]) -> None:
    """The plain ``OR`` is estimated at a row or two whatever the store holds; the coalesce at half the events."""
    if stores[0].engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's estimate")
    store = stores[1]
    with store.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    events = len(_ids(store))
    assert _estimated_rows(store, _plain()) < 0.01 * events
    assert _estimated_rows(store, lead_or_alone()) > 0.2 * events
