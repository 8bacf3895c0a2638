"""A dyad's sources side by side read one claim at a time through the (code, source, target) index (issue #13)
give the answer of the former read, every report of the dyad in one statement, weighed and ordered: the same
claims in the same order, the same rows and totals, for every window, on both backends; with a rejected report
and a duplicate document in the store, which neither read may count."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select

from analysis_corpus import build_store
from dyadlens.analysis import sources
from dyadlens.analysis.common import AnalysisContext, to_jsonable
from dyadlens.resources import Resources
from dyadlens.store import EventQuery, open_store, schema
from postgres_server import STORE_BACKENDS, new_store_target
from test_bounded_reads import _dyads, _synthetic_store

E, D = schema.events, schema.documents
WINDOWS = ((None, 0, None), (1, 0, 1), (2, 1, 2), (3, 0, 5), (20, 0, 5), (1, 2, None))


@pytest.fixture(scope="module", params=STORE_BACKENDS)
def store_path(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The hand-written corpus and, beside it, the benchmarks' generator's small store (many disputed claims)."""
    folder = tmp_path_factory.mktemp("claims")
    paths = (build_store(new_store_target(request, folder, "corpus.db")),
             _synthetic_store(new_store_target(request, folder, "synthetic.db")))
    for path in paths:
        store = open_store(path)
        try:
            _reject_one_report_and_duplicate_one_document(store)
        finally:
            store.close()
    return paths


def _reject_one_report_and_duplicate_one_document(store: Any) -> None:
    """A report of the busiest dyad is rejected by the analyst; the document of another one becomes a duplicate
    of a document without events of the dyad (the summaries follow through their triggers)."""
    with store.reader() as conn:
        busiest = (select(E.c.source, E.c.target).where(E.c.source.is_not(None), E.c.target.is_not(None))
                   .group_by(E.c.source, E.c.target).order_by(func.count().desc(), E.c.source, E.c.target).limit(1))
        source, target = conn.execute(busiest).one()
        dyad = EventQuery(between=(source, target))._sides(E.c)
        ids, docs = zip(*conn.execute(select(E.c.id, E.c.doc_id).where(dyad).order_by(E.c.id)).all(), strict=True)
        other = conn.execute(select(D.c.id).where(D.c.id.not_in(set(docs))).order_by(D.c.id).limit(1)).scalar_one()
    with store.transaction() as conn:
        conn.execute(E.update().where(E.c.id == ids[len(ids) // 2]).values(correction="rejected"))
        conn.execute(D.update().where(D.c.id == docs[-1]).values(duplicate_of=other))


@pytest.fixture(params=("corpus", "synthetic"))
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture()
def ctx(kind: str, store_path: Any, resources: Resources) -> Iterator[AnalysisContext]:
    store = open_store(store_path[("corpus", "synthetic").index(kind)])
    yield AnalysisContext(store, resources.ontology, resources.kb)
    store.close()


def _former(ctx: AnalysisContext, a: str, b: str, limit: int | None, offset: int,
            shown: int | None) -> tuple[list[Any], int]:
    """Every report of the dyad read in one statement, every claim weighed and ordered, then the window."""
    weighed = sorted(sources._weigh_all(sources._told(ctx, EventQuery(between=(a, b))), shown),
                     key=sources._Weighed.order)
    page = weighed[offset:] if limit is None else weighed[offset : offset + limit]
    ctx.load_names(side for claim in page for side in claim.key[:2])
    rows = sources._rows(ctx, (t.id for claim in page for t in sources._shown_told(claim)))
    return [sources._claim(ctx, claim, rows, shown) for claim in page], len(weighed)


def test_claims_read_one_at_a_time_are_those_of_every_report_read_at_once(ctx: AnalysisContext, kind: str) -> None:
    dyads = _dyads(ctx)[:6]
    assert len(dyads) >= 3
    compared, disputed = 0, 0
    for a, b in dyads:
        for limit, offset, shown in WINDOWS:
            view = sources.sources_side_by_side(ctx, a, b, limit=limit, offset=offset, shown=shown)
            claims, total = _former(ctx, a, b, limit, offset, shown)
            assert view.window is not None and view.window.total == total, (a, b)
            assert to_jsonable(view.claims) == to_jsonable(claims), (a, b, limit, offset, shown)
            compared += len(claims)
            disputed += sum(claim.disputed for claim in claims)
    assert compared > 10 and disputed >= (10 if kind == "synthetic" else 0)  # the corpus's one dispute is rejected


def test_the_rejected_report_and_the_duplicate_document_are_left_out(ctx: AnalysisContext) -> None:
    with ctx.store.reader() as conn:
        rejected = conn.execute(select(E.c.id).where(E.c.correction == "rejected")).scalars().all()
        duplicated = conn.execute(select(E.c.id).join(D, D.c.id == E.c.doc_id)
                                  .where(D.c.duplicate_of.is_not(None))).scalars().all()
    a, b = _dyads(ctx)[0]
    view = sources.sources_side_by_side(ctx, a, b)
    listed = {report.id for claim in view.claims for report in claim.reports}
    assert rejected and duplicated and listed
    assert not listed & {*rejected, *duplicated}
    assert sum(claim.reports_total for claim in view.claims) == len(listed)
