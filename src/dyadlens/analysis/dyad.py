"""Everything about one dyad in one object: the dyad page and the report both show it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select

from dyadlens.analysis.common import DEFAULT_MODALITIES, AnalysisContext, QuoteRow, Window
from dyadlens.analysis.series import Series, dyad_series
from dyadlens.analysis.shown_rows import quote_rows
from dyadlens.analysis.sources import SourcesLink, SourcesView, sources_side_by_side
from dyadlens.analysis.status import StatusEntry, dyad_status, dyad_status_page
from dyadlens.analysis.timeline import Timeline, dyad_timeline
from dyadlens.store import schema

#: Key quotes a dyad page lists: the first, by publication date.
QUOTES_LISTED = 50
#: Claims of the sources side by side a dyad page lists (disputed first), and the reports and
#: disagreements it shows of each; the totals come beside them.
CLAIMS_LISTED = 20
SHOWN_PER_CLAIM = 5
#: Documents the first window of a dyad's quotes reads, in publication order (each next window reads four times
#: as many): about a month of a store of ten million events.
FIRST_WINDOW = 2000


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
    sources: SourcesView | SourcesLink  # the claims, or where they are read on their own
    status_window: Window | None = None  # which of the steps ``status`` holds (None: every one)


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
    status_limit: int | None = None,
    status_offset: int = 0,
    sources_at: SourcesLink | None = None,
) -> DyadBrief:
    """Timeline (all modalities; ``limit`` rows from ``offset``), series (``modalities``), status, key
    quotes and sources; the timeline and the series count real events (``count="events"``) or every
    report (``"reports"``); ``since``/``until`` narrow the timeline and the series to a period;
    ``series_ids``: each period's first event ids too (a static report links its bars to them);
    ``status_limit``: that many status steps from ``status_offset``, the current first, then the latest
    (:func:`~dyadlens.analysis.status.dyad_status_page`), else every step in track order; ``sources_at``: the
    sources side by side are not read but said to be there (:func:`dyad_sources`: their own page), else the
    first :data:`CLAIMS_LISTED` claims are read."""
    ctx.load_names([a, b])  # the KB's names: no look-up through every document naming a frequent actor
    if status_limit is None:
        status, status_window = dyad_status(ctx, a, b), None
    else:
        status, status_window = dyad_status_page(ctx, a, b, status_limit, status_offset)
    return DyadBrief(
        a=a,
        a_name=ctx.actor_name(a),
        b=b,
        b_name=ctx.actor_name(b),
        timeline=dyad_timeline(ctx, a, b, since=since, until=until, count=count, limit=limit, offset=offset),
        series=dyad_series(ctx, a, b, by=by, modalities=modalities, count=count, since=since, until=until,
                           with_ids=series_ids),
        status=status,
        quotes=dyad_quotes(ctx, a, b),
        sources=dyad_sources(ctx, a, b) if sources_at is None else sources_at,
        status_window=status_window,
    )


def dyad_sources(ctx: AnalysisContext, a: str, b: str, offset: int = 0) -> SourcesView:
    """The dyad's claims, disputed first: :data:`CLAIMS_LISTED` from ``offset``, each with its first
    :data:`SHOWN_PER_CLAIM` reports and disagreements and its totals."""
    return sources_side_by_side(ctx, a, b, limit=CLAIMS_LISTED, offset=offset, shown=SHOWN_PER_CLAIM)


def dyad_quotes(ctx: AnalysisContext, a: str, b: str, limit: int | None = QUOTES_LISTED) -> list[QuoteRow]:
    """Quotes by one side in a sentence that mentions the other side, by publication date: the first
    ``limit``, read among the first quotes of the pair in publication order (:func:`_first_quotes`)."""
    first = _first_quotes(ctx, a, b, limit) if limit is not None else None
    where = _said(a, b) if first is None else schema.quotes.c.id.in_(first)
    return quote_rows(ctx, where, order=_quote_order(), limit=limit)


def _first_quotes(ctx: AnalysisContext, a: str, b: str, limit: int) -> list[str] | None:
    """The ids of the pair's quotes in the documents published up to the date by which ``limit`` of them are
    found (every later quote comes after those), read window by window of documents in publication order, each
    window four times the last; None when that would read more documents than the two sides have quotes, or
    every dated document (the quotes of the speakers are then read, by their index)."""
    budget = _quotes_by(ctx, (a, b))
    found: list[str] = []
    after, size, read = None, FIRST_WINDOW, 0
    while read < budget:
        until = _published_at(ctx, after, size)
        if until is None:
            return None
        found += [row.id for row in ctx.store.read(_said_between(a, b, after, until))]
        if len(found) >= limit:
            return found
        after, read, size = until, read + size, size * 4
    return None


def _quotes_by(ctx: AnalysisContext, actors: tuple[str, ...]) -> int:
    """The quotes by speakers acting for ``actors``, as the per-actor summary counts them (0 when it has none)."""
    summary = schema.summary_actors
    found = select(func.coalesce(func.sum(summary.c.quotes), 0)).where(summary.c.actor.in_(actors))
    return int(ctx.store.read(found)[0][0])


def _published_at(ctx: AnalysisContext, after: str | None, size: int) -> str | None:
    """The publication date of the ``size``-th document published after ``after`` (from the first), through
    the index of the dates; None when fewer are."""
    d = schema.documents
    found = (select(d.c.published).where(d.c.published > after if after is not None else d.c.published.is_not(None))
             .order_by(d.c.published).limit(1).offset(size - 1))
    rows = ctx.store.read(found)
    return str(rows[0][0]) if rows else None


def _said_between(a: str, b: str, after: str | None, until: str) -> Select[Any]:
    """The ids of the pair's quotes in the documents published after ``after`` up to ``until``, read from those
    documents (the speaker written so that no index of the speakers drives the read)."""
    q, d = schema.quotes, schema.documents
    published = [d.c.published <= until, *([d.c.published > after] if after is not None else [])]
    return (select(q.c.id).select_from(d.join(q, q.c.doc_id == d.c.id))
            .where(*published, d.c.duplicate_of.is_(None), _said(a, b, q.c.speaker_actor.concat(""))))


def dyad_quote_heads(ctx: AnalysisContext, a: str, b: str) -> list[Any]:
    """Every quote :func:`dyad_quotes` lists, in its order, as a light row: id, speaker, role, publication
    date and the quotation's words (no sentence, no names), for views that weigh them all and show a few."""
    q, d = schema.quotes, schema.documents
    words = func.substr(d.c.text, q.c.start + 1, q.c.end - q.c.start).label("text")
    found = (select(q.c.id, q.c.speaker_actor, q.c.speaker_role, d.c.published, words)
             .select_from(q.join(d, d.c.id == q.c.doc_id))
             .where(d.c.duplicate_of.is_(None), _said(a, b)).order_by(*_quote_order()))
    return list(ctx.store.read(found))


def _said(a: str, b: str, speaker: ColumnElement[Any] = schema.quotes.c.speaker_actor) -> ColumnElement[bool]:
    """A quote by one side (``speaker``: the quote's speaker actor) in a sentence that mentions the other side."""
    q, m = schema.quotes, schema.mentions

    def mentions(actor: str) -> ColumnElement[bool]:
        return exists().where(m.c.doc_id == q.c.doc_id, m.c.sentence_index == q.c.sentence_index,
                              m.c.actor_id == actor)

    return or_(and_(speaker == a, mentions(b)), and_(speaker == b, mentions(a)))


def _quote_order() -> list[Any]:
    """By publication date (undated last), document and offset."""
    q = schema.quotes
    return [schema.documents.c.published.is_(None), schema.documents.c.published, q.c.doc_id, q.c.start]
