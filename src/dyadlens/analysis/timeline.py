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
months). The total is the summaries' count of the acts plus the standing facts
counted from the events (:func:`dyadlens.analysis.events.matching_total`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import select, union_all

from dyadlens.analysis.common import AnalysisContext, EventRow, Window, check_modalities, check_window
from dyadlens.analysis.events import matching_total
from dyadlens.partial_dates import check_date, parse_bound
from dyadlens.store import EventQuery, check_count
from dyadlens.store.summaries import MONTHS, SummaryTally, serves, split_by_standing


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
    bounded = _bounded(ctx, query, offset + limit) if limit is not None else query
    shown = ctx.store.shown_events(bounded, limit=limit, offset=offset)
    total = matching_total(ctx, query) if limit is not None or offset else len(shown)
    rows = ctx.shown_rows(shown, count, with_reports=True)
    ctx.load_names((a, b))
    return Timeline(a=a, a_name=ctx.actor_name(a), b=b, b_name=ctx.actor_name(b), modalities=chosen, events=rows,
                    count=count, window=Window(offset, limit, total))


def _bounded(ctx: AnalysisContext, query: EventQuery, rows: int) -> EventQuery:
    """``query`` ending with the month by which its first ``rows`` rows are placed, when the summary says so
    and that ends it earlier: the same first rows in the same order (observations only make them earlier)."""
    month = _month_of_row(ctx, query, rows)
    bound = parse_bound(month)
    until = parse_bound(query.until)
    if bound is None or (until is not None and until.last_day <= bound.last_day):
        return query
    return replace(query, until=month)


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
