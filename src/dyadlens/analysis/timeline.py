"""Dyad timeline: every event between two actors, both directions, in date order.

Order: by the event's date; an undated event takes its document's publication
date (``dated_by = "document"``); events with no date at all come last (see
:mod:`dyadlens.analysis.common`).
"""

from __future__ import annotations

from dataclasses import dataclass

from dyadlens.analysis.common import AnalysisContext, EventRow, check_modalities
from dyadlens.partial_dates import check_date
from dyadlens.store import EventQuery


@dataclass(frozen=True, slots=True)
class Timeline:
    a: str
    a_name: str | None
    b: str
    b_name: str | None
    modalities: tuple[str, ...] | None
    events: list[EventRow]


def dyad_timeline(
    ctx: AnalysisContext,
    a: str,
    b: str,
    modalities: tuple[str, ...] | None = None,
    since: str | None = None,
    until: str | None = None,
) -> Timeline:
    """Events between ``a`` and ``b`` (ids), any modality unless filtered, placed in [since, until]
    by their own date or else their document's."""
    chosen = check_modalities(modalities)
    since, until = check_date(since, "since"), check_date(until, "until")
    query = EventQuery(between=(a, b), modalities=chosen, since=since, until=until, document_dates=True)
    rows = ctx.event_rows(ctx.store.events(query))
    return Timeline(a=a, a_name=ctx.actor_name(a), b=b, b_name=ctx.actor_name(b), modalities=chosen, events=rows)
