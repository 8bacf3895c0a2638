"""Quote and designation rows of one page, read with their evidence in one statement each.

The words a row shows (the quotation, its sentence, the designation's
sentence) are cut from the document's text in SQL (``substr``), so a page
never loads a whole document; the sentence is joined by its index (quotes) or
as the one holding the record's start (designations), else the record's own
span is the evidence, as :meth:`AnalysisContext.sentence_evidence` gives it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, func, select

from dyadlens.analysis.common import AnalysisContext, DesignationRow, Evidence, QuoteRow
from dyadlens.store import schema

D, Q, G, S = schema.documents, schema.quotes, schema.designations, schema.sentences


def _cut(start: Any, end: Any) -> ColumnElement[str]:
    return func.substr(D.c.text, start + 1, end - start)


def _evidence(row: Any, start: int, end: int, sentence_index: int | None) -> Evidence:
    """The sentence read beside the record, else the record's own span."""
    if row.sentence_start is None:
        return Evidence(row.doc_id, start, end, row.span_text or "", sentence_index)
    return Evidence(row.doc_id, row.sentence_start, row.sentence_end, row.sentence_text or "", row.sentence_row_index)


def _sentence_columns() -> list[ColumnElement[Any]]:
    return [S.c.start.label("sentence_start"), S.c.end.label("sentence_end"),
            S.c.index.label("sentence_row_index"), _cut(S.c.start, S.c.end).label("sentence_text")]


def quote_rows(ctx: AnalysisContext, *where: ColumnElement[bool], order: list[Any], limit: int | None,
               offset: int = 0) -> list[QuoteRow]:
    """The quotes of non-duplicate documents matching ``where``, in ``order``, ``limit`` from ``offset``."""
    in_sentence = and_(S.c.doc_id == Q.c.doc_id, S.c.index == Q.c.sentence_index)
    found = (
        select(Q, D.c.published, D.c.outlet, _cut(Q.c.start, Q.c.end).label("span_text"), *_sentence_columns())
        .select_from(Q.join(D, D.c.id == Q.c.doc_id).outerjoin(S, in_sentence))
        .where(D.c.duplicate_of.is_(None), *where).order_by(*order).limit(limit).offset(offset or None)
    )
    rows = ctx.store.read(found)
    ctx.load_names(row.speaker_actor for row in rows)
    return [
        QuoteRow(id=row.id, doc_id=row.doc_id, kind=row.kind, speaker=row.speaker, speaker_actor=row.speaker_actor,
                 speaker_name=ctx.actor_name(row.speaker_actor), speaker_role=row.speaker_role, cue=row.cue,
                 text=row.span_text or "", start=row.start, end=row.end, published=row.published, outlet=row.outlet,
                 evidence=_evidence(row, row.start, row.end, row.sentence_index))
        for row in rows
    ]


def designation_rows(ctx: AnalysisContext, *where: ColumnElement[bool], limit: int | None) -> list[DesignationRow]:
    """The designations of non-duplicate documents matching ``where``, by date (undated last), document
    and offset, at most ``limit``."""
    holding = and_(S.c.doc_id == G.c.doc_id, S.c.start <= G.c.start, G.c.start < S.c.end)
    found = (
        select(G, D.c.published, D.c.outlet, _cut(G.c.start, G.c.end).label("span_text"), *_sentence_columns())
        .select_from(G.join(D, D.c.id == G.c.doc_id).outerjoin(S, holding))
        .where(D.c.duplicate_of.is_(None), *where)
        .order_by(G.c.date.is_(None), G.c.date, G.c.doc_id, G.c.start).limit(limit)
    )
    rows = ctx.store.read(found)
    ctx.load_names(actor for row in rows for actor in (row.designator, row.designee, row.claimant))
    return [
        DesignationRow(id=row.id, doc_id=row.doc_id, designator=row.designator,
                       designator_name=ctx.actor_name(row.designator), designee=row.designee,
                       designee_name=ctx.actor_name(row.designee), status=row.status, date=row.date,
                       claimant=row.claimant, event_id=row.event_id, published=row.published, outlet=row.outlet,
                       evidence=_evidence(row, row.start, row.end, None), claimant_name=ctx.actor_name(row.claimant))
        for row in rows
    ]
