"""One document with everything extracted from it, as stand-off spans over its text."""

from __future__ import annotations

from dataclasses import dataclass

from dyadlens.analysis.common import AnalysisContext, DesignationRow, EventRow, QuoteRow
from dyadlens.store import EventQuery


@dataclass(frozen=True, slots=True)
class SentenceSpan:
    index: int
    start: int
    end: int
    kind: str
    analysed: bool


@dataclass(frozen=True, slots=True)
class MentionSpan:
    start: int
    end: int
    actor_id: str | None
    actor_name: str | None
    label: str
    rule: str


@dataclass(frozen=True, slots=True)
class DocumentView:
    id: str
    title: str | None
    author: str | None
    outlet: str | None
    url: str | None
    published: str | None
    kind: str | None
    duplicate_of: str | None
    text: str
    sentences: list[SentenceSpan]
    mentions: list[MentionSpan]
    events: list[EventRow]
    quotes: list[QuoteRow]
    designations: list[DesignationRow]


def _text_order(row: EventRow) -> tuple[int, int]:
    return (row.evidence.start, row.trigger_start)


def document_view(ctx: AnalysisContext, doc_id: str) -> DocumentView:
    document = ctx.require_document(doc_id)
    ctx.load_names(m.actor_id for m in ctx.mentions(doc_id))
    sentences = [SentenceSpan(s.index, s.start, s.end, s.kind, s.analysed) for s in ctx.sentences(doc_id)]
    mentions = [
        MentionSpan(m.start, m.end, m.actor_id, ctx.actor_name(m.actor_id), m.label, m.rule)
        for m in ctx.mentions(doc_id)
    ]
    events = sorted(ctx.event_rows(ctx.store.events(EventQuery(doc_id=doc_id))), key=_text_order)
    return DocumentView(
        id=document.id,
        title=document.title,
        author=document.author,
        outlet=document.outlet,
        url=document.url,
        published=document.published,
        kind=document.kind,
        duplicate_of=document.duplicate_of,
        text=document.text,
        sentences=sorted(sentences, key=lambda s: s.start),
        mentions=sorted(mentions, key=lambda m: (m.start, -m.end)),
        events=events,
        quotes=[ctx.quote_row(q) for q in ctx.store.quotes(doc_id=doc_id)],
        designations=[ctx.designation_row(d) for d in ctx.store.designations(doc_id=doc_id)],
    )
