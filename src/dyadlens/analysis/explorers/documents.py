"""``/documents``: the stored documents with facets (outlet, year, month, whether they report events,
duplicates), sorted by publication date, title or events, one page at a time.

A document's counts of events, quotes and designations are ``GROUP BY`` statements over the page's
documents only; sorting by events orders by the same count, as a correlated subquery that the
``doc_id`` index answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, case, exists, func, select

from dyadlens.analysis.common import AnalysisContext
from dyadlens.analysis.explorers.base import (
    COUNT_BOUND,
    EXPLORER_PAGE,
    FacetColumn,
    Listing,
    TableExplorer,
    csv_text,
    explore_table,
)
from dyadlens.store import schema
from dyadlens.store.queries import not_rejected

D, E, Q, G = schema.documents, schema.events, schema.quotes, schema.designations

#: The columns of ``/documents.csv``, in order.
CSV_COLUMNS = ("id", "published", "title", "outlet", "url", "duplicate_of", "events", "quotes", "designations")


def _real_events(doc_id: ColumnElement[str]) -> ColumnElement[int]:
    """A document's real events (its reports of one event counted once), standing facts and rejected
    reports left out, as the overview and ``dyadlens docs`` count them."""
    counted = func.count(func.distinct(func.coalesce(E.c.cluster, E.c.id)))
    return (select(counted).where(E.c.doc_id == doc_id, E.c.standing.is_(False), not_rejected())
            .scalar_subquery())


def _explorer() -> TableExplorer:
    has_events = exists().where(E.c.doc_id == D.c.id)  # the doc_id index answers it alone
    return TableExplorer(
        key=D.c.id,
        source=D,
        facets=(
            FacetColumn("outlet", "Outlet", D.c.outlet),
            FacetColumn("year", "Published in", func.substr(D.c.published, 1, 4)),
            FacetColumn("month", "Month", func.substr(D.c.published, 1, 7)),
            FacetColumn("events", "Events or observations", case((has_events, "yes"), else_="no")),
            FacetColumn("copy", "Duplicate", case((D.c.duplicate_of.is_(None), "original"), else_="duplicate")),
        ),
        sorts={
            "published": [D.c.published, D.c.id],
            "title": [D.c.title, D.c.id],
            "events": [_real_events(D.c.id), D.c.published, D.c.id],
        },
        columns=[D.c.id, D.c.title, D.c.outlet, D.c.published, D.c.url, D.c.duplicate_of],
    )


#: The filters of ``/documents`` (its facets).
DOCUMENT_FILTERS = _explorer().parameters


@dataclass(frozen=True, slots=True)
class DocumentRow:
    id: str
    title: str | None
    outlet: str | None
    published: str | None
    url: str | None
    duplicate_of: str | None
    events: int
    quotes: int
    designations: int


def explore_documents(ctx: AnalysisContext, filters: dict[str, str | None], *, sort: str = "published",
                      limit: int | None = EXPLORER_PAGE, offset: int = 0,
                      with_facets: bool = True, bound: int | None = COUNT_BOUND) -> Listing[DocumentRow]:
    """One page of the documents matching ``filters`` (facet values by parameter), sorted by ``sort``."""
    explorer = _explorer()
    page = explore_table(ctx, explorer, filters, sort, limit=limit, offset=offset, with_facets=with_facets, bound=bound)
    ids = [row.id for row in page.rows]
    events = _per_document(ctx, select(E.c.doc_id, func.count(func.distinct(func.coalesce(E.c.cluster, E.c.id))))
                           .where(E.c.doc_id.in_(ids), E.c.standing.is_(False), not_rejected()))
    quotes = _per_document(ctx, select(Q.c.doc_id, func.count()).where(Q.c.doc_id.in_(ids)))
    designations = _per_document(ctx, select(G.c.doc_id, func.count()).where(G.c.doc_id.in_(ids)))
    rows = [DocumentRow(r.id, r.title, r.outlet, r.published, r.url, r.duplicate_of, events.get(r.id, 0),
                        quotes.get(r.id, 0), designations.get(r.id, 0)) for r in page.rows]
    return page.listing(rows)


def _per_document(ctx: AnalysisContext, statement: Any) -> dict[str, int]:
    """``{doc_id: n}`` of a ``(doc_id, count)`` statement, grouped by document."""
    return {str(doc_id): int(n) for doc_id, n in ctx.store.read(statement.group_by(statement.selected_columns[0]))}


def documents_csv(rows: list[DocumentRow]) -> str:
    """The rows shown, as CSV with a header line."""
    return csv_text(CSV_COLUMNS, ([r.id, r.published or "", r.title or "", r.outlet or "", r.url or "",
                                   r.duplicate_of or "", r.events, r.quotes, r.designations] for r in rows))
