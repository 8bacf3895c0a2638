"""Dyad timeline: every event between two actors, both directions, in date order.

Order: by the event's date; an undated event takes its document's publication
date (``dated_by = "document"``); events with no date at all come last (see
:mod:`dyadlens.analysis.common`). Counting real events (the default), each
row is one event (its lead report's evidence) with its counts and its reports;
counting reports, each report is a row. Standing facts ("still lists") are
rows of ``kind = "observation"`` in their place by date, never events.

A page is bounded before it is sorted: the month summary (``summary_months``,
in the order of its key) tells by which month the first ``offset + limit`` acts
are placed, and the page is read among the events placed up to that month
only (a busy dyad has a hundred thousand events; a page needs the first few
months). Those candidates are read as index ranges of the pair's sides and
dates (:func:`_candidates`); an undated event is placed at its document's
date, so the undated ones are found from the documents published by then when
those are few, else from the pair's undated events. The candidates' ids are
ordered and cut under the exact conditions, and only the page's rows are read
whole. The total is the summaries' count of the acts plus the standing facts
counted from the events (:func:`dyadlens.analysis.events.matching_total`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import ColumnElement, CompoundSelect, and_, func, select, union_all

from dyadlens.analysis.common import AnalysisContext, EventRow, Window, check_modalities, check_window
from dyadlens.analysis.events import matching_total
from dyadlens.partial_dates import check_date, parse_bound
from dyadlens.store import EventQuery, check_count, schema
from dyadlens.store.queries import ShownEvent, exact_conditions, joined, placed_order
from dyadlens.store.store import shown_event, with_evidence
from dyadlens.store.summaries import MONTHS, SummaryTally, serves, split_by_standing

E, D, C = schema.events, schema.documents, schema.clusters
#: Below this many documents published by a page's last month, its undated candidates are found from those
#: documents (a few events each); above it, from the pair's undated events (one document look-up each).
UNDATED_BY_DOCUMENTS = 1000


@dataclass(frozen=True, slots=True)
class Timeline:
    a: str
    a_name: str | None
    b: str
    b_name: str | None
    modalities: tuple[str, ...] | None
    events: list[EventRow]  # events (or reports) and observations, by date: one page of them
    count: str = "events"  # what a row is: events | reports
    window: Window | None = None  # which rows of how many ``events`` holds


def dyad_timeline(
    ctx: AnalysisContext,
    a: str,
    b: str,
    modalities: tuple[str, ...] | None = None,
    since: str | None = None,
    until: str | None = None,
    count: str = "events",
    limit: int | None = None,
    offset: int = 0,
) -> Timeline:
    """Events between ``a`` and ``b`` (ids), any modality unless filtered, placed in [since, until]
    by their own date or else their document's, with the observations of standing facts: ``limit``
    rows from ``offset`` (all when ``limit`` is None), ordered, sliced and counted in SQL."""
    chosen = check_modalities(modalities)
    since, until = check_date(since, "since"), check_date(until, "until")
    check_window(limit, offset)
    query = EventQuery(between=(a, b), modalities=chosen, since=since, until=until, document_dates=True,
                       count=check_count(count), with_observations=True)
    shown = _page(ctx, query, limit, offset)
    total = matching_total(ctx, query) if limit is not None or offset else len(shown)
    rows = ctx.shown_rows(shown, count, with_reports=True)
    ctx.load_names((a, b))
    return Timeline(a=a, a_name=ctx.actor_name(a), b=b, b_name=ctx.actor_name(b), modalities=chosen, events=rows,
                    count=count, window=Window(offset, limit, total))


def _page(ctx: AnalysisContext, query: EventQuery, limit: int | None, offset: int) -> list[ShownEvent]:
    """The rows ``limit`` from ``offset`` of ``query`` in the views' order: among the candidates placed by the
    month of its last row when the summary names it (the same rows, in the same order: observations only
    make them earlier), else among every match."""
    month = _month_of_row(ctx, query, offset + limit) if limit is not None else None
    if month is None or query.between is None:
        return ctx.store.shown_events(query, limit=limit, offset=offset)
    ids = (select(E.c.id).select_from(joined())
           .where(E.c.id.in_(_candidates(ctx, query, query.between, month)), *exact_conditions(query))
           .order_by(*placed_order(query)).limit(limit).offset(offset or None))
    return _shown(ctx, query, [row.id for row in ctx.store.read(ids)])


def _placed_by(date: ColumnElement[str], month: str) -> ColumnElement[bool]:
    """An ISO prefix date whose period (its first 7 characters) is ``month`` (``2012-03`` or ``2012``) or
    earlier, as a range of the date: in string order, what lies before a period sorts before it."""
    return date <= month if len(month) == 4 else date < month + "~"


def _candidates(ctx: AnalysisContext, query: EventQuery, pair: tuple[str, str], month: str) -> CompoundSelect[Any]:
    """The ids of every event of the pair placed by ``month`` and from the first year of the period (and some
    more), as index ranges: its own sides and date; its cluster's sides and date (a lead is placed by its
    cluster's date); undated, its document's publication date. A cluster's sides are its lead's, so no lead of
    the pair has other own sides."""
    a, b = pair
    pairs = sorted({(a, b), (b, a)})
    since = parse_bound(query.since)

    def placed(date: ColumnElement[str]) -> ColumnElement[bool]:
        """Placed by ``month``, and not before the first year of ``since`` (a coarser date sorts first)."""
        return and_(_placed_by(date, month), *([date >= f"{since.year:04d}"] if since is not None else []))

    found = [select(E.c.id).where(E.c.source == s, E.c.target == t, placed(E.c.date)) for s, t in pairs]
    if query.per_event:
        found += [select(C.c.lead).where(C.c.source == s, C.c.target == t, placed(C.c.date)) for s, t in pairs]
    published = select(D.c.id).where(placed(D.c.published))
    few = select(func.count()).select_from(published.limit(UNDATED_BY_DOCUMENTS).subquery())
    if int(ctx.store.read(few)[0][0]) < UNDATED_BY_DOCUMENTS:  # sides written so that no side index drives it
        found += [select(E.c.id).where(E.c.doc_id.in_(published), E.c.date.is_(None), E.c.source.concat("") == s,
                                       E.c.target.concat("") == t) for s, t in pairs]
    else:
        found += [select(E.c.id).select_from(E.join(D, D.c.id == E.c.doc_id))
                  .where(E.c.source == s, E.c.target == t, E.c.date.is_(None), placed(D.c.published))
                  for s, t in pairs]
    return union_all(*found)


def _shown(ctx: AnalysisContext, query: EventQuery, ids: list[str]) -> list[ShownEvent]:
    """The events ``ids`` (matches of ``query``) as rows show them, in the order of ``ids``."""
    if not ids:
        return []
    columns = [query.column(c.name).label(c.name) for c in E.c]
    rows = ctx.store.read(with_evidence(select(*columns).select_from(joined()).where(E.c.id.in_(ids))))
    by_id = {row.id: shown_event(row._mapping) for row in rows}
    return [by_id[i] for i in ids]


def _month_of_row(ctx: AnalysisContext, query: EventQuery, rows: int) -> str | None:
    """The period (``2012-03``, ``2012``) of the ``rows``-th act of ``query`` in date order, or None: the month
    rows of each direction read in the order of the summary's key, ``rows`` at most each (every row counts 1
    or more)."""
    acts, _ = split_by_standing(query)
    if acts is None or acts.between is None or not serves(acts):
        return None
    a, b = acts.between
    period, firsts = MONTHS.c.period, []
    for source, target in sorted({(a, b), (b, a)}):
        counted = SummaryTally(replace(acts, between=None, source=source, target=target), MONTHS)
        firsts.append(select(period, counted.weight).where(*counted.conditions(), period != "")
                      .order_by(period).limit(rows).subquery())
    both = union_all(*(select(first) for first in firsts)).subquery()
    months = [(str(month), int(n)) for month, n in ctx.store.read(select(both))]
    placed = 0
    for month, n in sorted(months):
        placed += n
        if placed >= rows:
            return month
    return None
