"""Dyad timeline: every event between two actors, both directions, in date order.

Order: by the event's date; an undated event takes its document's publication
date (``dated_by = "document"``); events with no date at all come last (see
:mod:`dyadlens.analysis.common`). Counting real events (the default), each
row is one event (its lead report's evidence) with its counts and its reports;
counting reports, each report is a row. Standing facts ("still lists") are
rows of ``kind = "observation"`` in their place by date, never events.
"""

from __future__ import annotations

from dataclasses import dataclass

from dyadlens.analysis.common import AnalysisContext, EventRow, Window, check_modalities, check_window
from dyadlens.partial_dates import check_date
from dyadlens.store import EventQuery, check_count


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
    shown = ctx.store.shown_events(query, limit=limit, offset=offset)
    total = ctx.store.count_events(query) if limit is not None or offset else len(shown)
    rows = ctx.shown_rows(shown, count, with_reports=True)
    ctx.load_names((a, b))
    return Timeline(a=a, a_name=ctx.actor_name(a), b=b, b_name=ctx.actor_name(b), modalities=chosen, events=rows,
                    count=count, window=Window(offset, limit, total))
