"""Everything about one dyad in one object: the dyad page and the report both show it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, or_, select

from dyadlens.analysis.common import DEFAULT_MODALITIES, AnalysisContext, QuoteRow
from dyadlens.analysis.series import Series, dyad_series
from dyadlens.analysis.shown_rows import quote_rows
from dyadlens.analysis.sources import SourcesView, sources_side_by_side
from dyadlens.analysis.status import StatusEntry, dyad_status
from dyadlens.analysis.timeline import Timeline, dyad_timeline
from dyadlens.store import schema

#: Key quotes a dyad page lists: the first, by publication date.
QUOTES_LISTED = 50
#: Claims of the sources side by side a dyad page lists (disputed first), and the reports and
#: disagreements it shows of each; the totals come beside them.
CLAIMS_LISTED = 20
SHOWN_PER_CLAIM = 5


@dataclass(frozen=True, slots=True)
class DyadBrief:
    a: str
    a_name: str | None
    b: str
    b_name: str | None
    timeline: Timeline
    series: Series
    status: list[StatusEntry]
    quotes: list[QuoteRow]
    sources: SourcesView


def dyad_brief(
    ctx: AnalysisContext,
    a: str,
    b: str,
    by: str = "month",
    modalities: tuple[str, ...] | None = DEFAULT_MODALITIES,
    count: str = "events",
    limit: int | None = None,
    offset: int = 0,
    since: str | None = None,
    until: str | None = None,
    series_ids: bool = False,
) -> DyadBrief:
    """Timeline (all modalities; ``limit`` rows from ``offset``), series (``modalities``), status, key
    quotes and sources; the timeline and the series count real events (``count="events"``) or every
    report (``"reports"``); ``since``/``until`` narrow the timeline and the series to a period;
    ``series_ids``: each period's first event ids too (a static report links its bars to them)."""
    ctx.load_names([a, b])  # the KB's names: no look-up through every document naming a frequent actor
    return DyadBrief(
        a=a,
        a_name=ctx.actor_name(a),
        b=b,
        b_name=ctx.actor_name(b),
        timeline=dyad_timeline(ctx, a, b, since=since, until=until, count=count, limit=limit, offset=offset),
        series=dyad_series(ctx, a, b, by=by, modalities=modalities, count=count, since=since, until=until,
                           with_ids=series_ids),
        status=dyad_status(ctx, a, b),
        quotes=dyad_quotes(ctx, a, b),
        sources=sources_side_by_side(ctx, a, b, limit=CLAIMS_LISTED, shown=SHOWN_PER_CLAIM),
    )


def dyad_quotes(ctx: AnalysisContext, a: str, b: str, limit: int | None = QUOTES_LISTED) -> list[QuoteRow]:
    """Quotes by one side in a sentence that mentions the other side, by publication date: the first
    ``limit``, in one statement."""
    return quote_rows(ctx, _said(a, b), order=_quote_order(), limit=limit)


def dyad_quote_heads(ctx: AnalysisContext, a: str, b: str) -> list[Any]:
    """Every quote :func:`dyad_quotes` lists, in its order, as a light row: id, speaker, role, publication
    date and the quotation's words (no sentence, no names), for views that weigh them all and show a few."""
    q, d = schema.quotes, schema.documents
    words = func.substr(d.c.text, q.c.start + 1, q.c.end - q.c.start).label("text")
    found = (select(q.c.id, q.c.speaker_actor, q.c.speaker_role, d.c.published, words)
             .select_from(q.join(d, d.c.id == q.c.doc_id))
             .where(d.c.duplicate_of.is_(None), _said(a, b)).order_by(*_quote_order()))
    return list(ctx.store.read(found))


def _said(a: str, b: str) -> ColumnElement[bool]:
    """A quote by one side in a sentence that mentions the other side."""
    q, m = schema.quotes, schema.mentions

    def mentions(actor: str) -> ColumnElement[bool]:
        return exists().where(m.c.doc_id == q.c.doc_id, m.c.sentence_index == q.c.sentence_index,
                              m.c.actor_id == actor)

    return or_(and_(q.c.speaker_actor == a, mentions(b)), and_(q.c.speaker_actor == b, mentions(a)))


def _quote_order() -> list[Any]:
    """By publication date (undated last), document and offset."""
    q = schema.quotes
    return [schema.documents.c.published.is_(None), schema.documents.c.published, q.c.doc_id, q.c.start]
