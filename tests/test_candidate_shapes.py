"""The candidates of :class:`EventQuery` in PostgreSQL's shapes (``= ANY(ARRAY(…))``, correlated ``EXISTS``;
``dyadlens.store.listed_in``) select the same events as the exact conditions alone, on both backends; SQLite's
SQL keeps its ``IN (subquery)``; and PostgreSQL can read the shapes by index."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import ColumnElement, select
from sqlalchemy.dialects import postgresql, sqlite

from analysis_corpus import build_store
from dyadlens.store import EventQuery, Store, open_store, schema
from dyadlens.store.queries import joined

E = schema.events

SIDES: dict[str, dict[str, Any]] = {
    "none": {},
    "source and target": {"source": "russia", "target": "taliban"},
    "source": {"source": "russia"},
    "actor": {"actor": "taliban"},
    "between": {"between": ("russia", "taliban")},
}
PERIODS = [(None, None), ("2024", None), (None, "2024-05"), ("2023-06", "2024-05-10")]


def queries() -> Iterator[EventQuery]:
    """Every way the prefilter's alternatives combine: sides, the code range, the period, counts, standing."""
    grid = itertools.product(SIDES.values(), (None, "0", "04"), PERIODS, ("events", "reports"), (False, True),
                             (None, False))
    for sides, code, (since, until), count, document_dates, standing in grid:
        query = EventQuery(**sides, code=code, since=since, until=until, count=count,
                           document_dates=document_dates, standing=standing)
        yield replace(query, code_by_index=code is not None)
        if "actor" in sides or "source" in sides:
            yield replace(query, code_by_index=code is not None, sides_by_index=True)


@pytest.fixture()
def store(store_url: str) -> Iterator[Store]:
    opened = open_store(build_store(store_url))
    yield opened
    opened.close()


def exact(query: EventQuery) -> list[ColumnElement[bool]]:
    """The query's conditions without the candidates (the prefilter only adds conditions that every match meets)."""
    conditions = query.conditions()
    return conditions[: len(conditions) - len(query._prefilter())]


def ids(store: Store, conditions: list[ColumnElement[bool]]) -> list[str]:
    return [row.id for row in store.read(select(E.c.id).select_from(joined()).where(*conditions).order_by(E.c.id))]


def test_the_candidates_keep_every_match(store: Store) -> None:
    matched = 0
    for query in queries():
        found = ids(store, query.conditions())
        assert found == ids(store, exact(query)), query
        matched += bool(found)
    assert matched > 50  # the grid is not a list of empty answers


def compiled(query: EventQuery, dialect: Any) -> str:
    return str(query.select_events().compile(dialect=dialect))


def test_sqlite_keeps_its_in_subqueries_and_postgresql_gets_its_shapes() -> None:
    query = EventQuery(between=("russia", "taliban"), count="events", since="2012", until="2012-05",
                       document_dates=True, code="04", code_by_index=True)
    on_sqlite, on_postgresql = compiled(query, sqlite.dialect()), compiled(query, postgresql.dialect())
    assert on_sqlite.count("events.id IN (SELECT clusters.lead") == 4
    assert on_sqlite.count("events.doc_id IN (SELECT documents.id") == 1
    assert "ANY(ARRAY" not in on_sqlite and "EXISTS" not in on_sqlite
    assert " IN (SELECT" not in on_postgresql
    assert on_postgresql.count("events.id = ANY(ARRAY(SELECT clusters.lead") == 3  # sides, code, the dyad's dates
    assert on_postgresql.count("EXISTS (SELECT") == 2  # the period's clusters and documents
    assert "clusters.lead = events.id" in on_postgresql and "documents.id = events.doc_id" in on_postgresql


def test_postgresql_reads_the_candidates_by_index(store: Store) -> None:
    """With sequential scans made dearest, the candidates are read by index, the clusters' leads through the
    primary key: with an ``IN (subquery)`` in their ``OR``, PostgreSQL has no plan but a scan of every event."""
    if store.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's plan")
    query = EventQuery(between=("russia", "taliban"), count="events", until="2024-05", document_dates=True)
    candidates = select(E.c.id).where(*query._prefilter())
    statement = candidates.compile(dialect=store.engine.dialect, compile_kwargs={"literal_binds": True})
    with store.engine.connect() as conn:
        conn.exec_driver_sql("SET enable_seqscan = off")
        plan = "\n".join(row[0] for row in conn.exec_driver_sql(f"EXPLAIN {statement}"))
    assert "Seq Scan on events" not in plan
    assert "BitmapOr" in plan and "Bitmap Index Scan on events_pkey" in plan


@pytest.mark.parametrize("sides", [{"actor": "russia"}, {"source": "russia"}, {"target": "russia"},
                                   {"actor": "russia", "between": ("russia", "taliban")}])
def test_one_actor_s_clusters_are_probed_not_listed(sides: dict[str, Any]) -> None:
    """One actor's clusters are a third of a store's: never an array."""
    on_postgresql = compiled(EventQuery(**sides, count="events"), postgresql.dialect())
    assert "ANY(ARRAY" not in on_postgresql and "EXISTS (SELECT clusters.lead" in on_postgresql


def test_an_actor_known_to_be_sparse_has_its_clusters_listed() -> None:
    """``sides_by_index``: the caller knows (from the summaries) that the actor has few events, so its clusters
    are listed for PostgreSQL as a pair's are, which a person's page reads through the indexes."""
    on_postgresql = compiled(EventQuery(actor="russia", count="events", sides_by_index=True), postgresql.dialect())
    assert "events.id = ANY(ARRAY(SELECT clusters.lead" in on_postgresql and "EXISTS" not in on_postgresql
    on_sqlite = compiled(EventQuery(actor="russia", count="events", sides_by_index=True), sqlite.dialect())
    assert on_sqlite == compiled(EventQuery(actor="russia", count="events"), sqlite.dialect())
