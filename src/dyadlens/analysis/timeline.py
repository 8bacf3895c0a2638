"""Dyad timeline: every event between two actors, both directions, in date order.

Order: by the event's date; an undated event takes its document's publication
date (``dated_by = "document"``); events with no date at all come last (see
:mod:`dyadlens.analysis.common`).
"""

from __future__ import annotations

from dataclasses import dataclass

from dyadlens.analysis.common import (
    AnalysisContext,
    EventRow,
    check_date,
    check_modalities,
    dyad_events,
    in_period,
)


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
    """Events between ``a`` and ``b`` (ids), any modality unless filtered."""
    chosen = check_modalities(modalities)
    since, until = check_date(since, "since"), check_date(until, "until")
    rows = ctx.event_rows(dyad_events(ctx, a, b, chosen))
    if since or until:
        rows = [r for r in rows if in_period(r.sort_date, since, until)]
    return Timeline(a=a, a_name=ctx.actor_name(a), b=b, b_name=ctx.actor_name(b), modalities=chosen, events=rows)
