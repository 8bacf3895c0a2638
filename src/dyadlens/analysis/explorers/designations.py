"""``/designations``: who listed, delisted, recognised or accredited whom, when, in which document,
faceted by designator, designee, status, year and standing (an act, or a standing fact observed).

Each row is one report; the consolidated state of a pair is its status track on the dyad page
(:mod:`dyadlens.analysis.status`), which the web page links. Designations of documents that repeat an
earlier one are left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func

from dyadlens.analysis.common import AnalysisContext, DesignationRow, Evidence
from dyadlens.analysis.explorers.base import (
    COUNT_BOUND,
    EXPLORER_PAGE,
    FacetColumn,
    Listing,
    TableExplorer,
    csv_text,
    explore_table,
    in_originals,
    one_line,
    sentences_at,
)
from dyadlens.store import schema

G, D = schema.designations, schema.documents

#: The columns of ``/designations.csv``, in order.
CSV_COLUMNS = ("id", "date", "designator", "designator_name", "status", "designee", "designee_name", "standing",
               "claimant", "event_id", "outlet", "published", "doc_id", "sentence_index", "sentence")


def _explorer() -> TableExplorer:
    return TableExplorer(
        key=G.c.id,
        source=G.join(D, D.c.id == G.c.doc_id),
        base=[in_originals(G.c.doc_id)],
        facets=(
            FacetColumn("designator", "Designator", G.c.designator, actor=True),
            FacetColumn("designee", "Designee", G.c.designee, actor=True),
            FacetColumn("status", "Status", G.c.status),
            FacetColumn("year", "Dated in", func.substr(G.c.date, 1, 4)),
            FacetColumn("standing", "Act or observation", case((G.c.standing.is_(True), "standing"), else_="act")),
        ),
        sorts={
            "date": [G.c.date, D.c.published, G.c.id],
            "published": [D.c.published, G.c.doc_id, G.c.start],
            "status": [G.c.status, G.c.date, G.c.id],
        },
        columns=[*G.c, D.c.published, D.c.outlet, func.substr(D.c.text, G.c.start + 1, G.c.end - G.c.start)
                 .label("words")],
    )


#: The filters of ``/designations`` (its facets).
DESIGNATION_FILTERS = _explorer().parameters


@dataclass(frozen=True, slots=True)
class DesignationEntry:
    """A designation report as the explorer lists it: the row every view shows, and whether it is a
    standing fact (the state observed on the document's date) rather than an act."""

    designation: DesignationRow
    standing: bool


def explore_designations(ctx: AnalysisContext, filters: dict[str, str | None], *, sort: str = "date",
                         limit: int | None = EXPLORER_PAGE, offset: int = 0,
                         with_facets: bool = True, bound: int | None = COUNT_BOUND) -> Listing[DesignationEntry]:
    """One page of the designations matching ``filters`` (facet values by parameter), sorted by ``sort``."""
    page = explore_table(ctx, _explorer(), filters, sort, limit=limit, offset=offset, with_facets=with_facets,
                         bound=bound)
    ctx.load_names(a for r in page.rows for a in (r.designator, r.designee, r.claimant))
    sentences = sentences_at(ctx, "start", ((r.doc_id, r.start) for r in page.rows))
    return page.listing([DesignationEntry(_row(ctx, r, sentences), bool(r.standing)) for r in page.rows])


def _row(ctx: AnalysisContext, row: Any, sentences: dict[tuple[str, int], Evidence]) -> DesignationRow:
    """A designation row from a SQL row of the explorer's columns; its span is its sentence."""
    evidence = sentences.get((row.doc_id, row.start)) or Evidence(row.doc_id, row.start, row.end, row.words or "")
    return DesignationRow(
        id=row.id, doc_id=row.doc_id, designator=row.designator, designator_name=ctx.actor_name(row.designator),
        designee=row.designee, designee_name=ctx.actor_name(row.designee), status=row.status, date=row.date,
        claimant=row.claimant, event_id=row.event_id, published=row.published, outlet=row.outlet,
        evidence=evidence, claimant_name=ctx.actor_name(row.claimant),
    )


def designations_csv(entries: list[DesignationEntry]) -> str:
    """The rows shown, as CSV with a header line."""
    def line(entry: DesignationEntry) -> list[object]:
        d = entry.designation
        return [d.id, d.date or "", d.designator, d.designator_name or "", d.status, d.designee,
                d.designee_name or "", "yes" if entry.standing else "no", d.claimant or "", d.event_id or "",
                d.outlet or "", d.published or "", d.doc_id,
                "" if d.evidence.sentence_index is None else d.evidence.sentence_index, one_line(d.evidence.text)]

    return csv_text(CSV_COLUMNS, (line(e) for e in entries))
