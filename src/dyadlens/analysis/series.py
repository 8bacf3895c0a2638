"""Cooperation–conflict series of a dyad: counts by quad class and mean Goldstein per period.

Only asserted events count by default (a denied attack is not an attack).
An event is placed by its own date, else by its document's publication date;
an event with neither, or whose date is less precise than the period (a
year-only date in a monthly series), is counted in ``unplaced`` rather than
pinned to an invented month. ``points`` lists only periods with events; the
renderings show the empty stretches between them (:func:`empty_periods_between`).
The store selects the dyad's events and their dates in SQL; no evidence is
read, since a series shows none. A real event counts once, at its consolidated
date and code (``count="events"``, the default), or every report counts
(``count="reports"``); a standing fact ("still lists") is never counted as an act.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass, field

from dyadlens.analysis.common import DEFAULT_MODALITIES, AnalysisContext, check_modalities
from dyadlens.errors import DyadlensError
from dyadlens.partial_dates import PartialDate
from dyadlens.store import EventQuery, PlacedEvent, check_count

PERIODS = ("month", "quarter", "year")
QUAD_CLASSES = (1, 2, 3, 4)


@dataclass(frozen=True, slots=True)
class SeriesPoint:
    period: str  # "2024", "2024-Q3" or "2024-07"
    count: int
    by_quad: dict[int, int]
    mean_goldstein: float | None
    event_ids: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Series:
    a: str
    a_name: str | None
    b: str
    b_name: str | None
    by: str
    modalities: tuple[str, ...] | None
    points: list[SeriesPoint]
    unplaced: list[str]  # ids of events that fit no period at this resolution
    count: str = "events"  # what a point counts: events | reports


def period_of(date: str | None, by: str) -> str | None:
    """The period label of an ISO prefix date, or None if the date is too coarse."""
    if not date:
        return None
    when = PartialDate.parse(date)
    if by == "year":
        return f"{when.year:04d}"
    if when.month is None:
        return None
    if by == "month":
        return f"{when.year:04d}-{when.month:02d}"
    return f"{when.year:04d}-Q{(when.month - 1) // 3 + 1}"


def period_number(period: str, by: str) -> int:
    """A period label as a running number, so that consecutive periods differ by one."""
    year = int(period[:4])
    if by == "year":
        return year
    if by == "quarter":
        return year * 4 + int(period[-1]) - 1
    return year * 12 + int(period[5:7]) - 1


def empty_periods_between(earlier: str, later: str, by: str) -> int:
    """How many periods without events lie between two listed periods (points list only busy ones)."""
    return period_number(later, by) - period_number(earlier, by) - 1


def period_label(number: int, by: str) -> str:
    if by == "year":
        return str(number)
    if by == "quarter":
        return f"{number // 4}-Q{number % 4 + 1}"
    return f"{number // 12}-{number % 12 + 1:02d}"


def dyad_series(
    ctx: AnalysisContext,
    a: str,
    b: str,
    by: str = "month",
    modalities: tuple[str, ...] | None = DEFAULT_MODALITIES,
    directed: bool = False,
    count: str = "events",
) -> Series:
    """Counts by quad class and mean Goldstein of the dyad's events (or reports: ``count``) per period."""
    if by not in PERIODS:
        raise DyadlensError(f"unknown period {by!r}; use one of {', '.join(PERIODS)}")
    chosen = check_modalities(modalities)
    dyad = EventQuery(source=a, target=b) if directed else EventQuery(between=(a, b))
    acts = dataclasses.replace(dyad, modalities=chosen, count=check_count(count), standing=False)
    events = ctx.store.placed_events(acts)
    buckets: dict[str, list[PlacedEvent]] = defaultdict(list)
    unplaced: list[str] = []
    for event in events:
        period = period_of(event.date, by)
        if period is None:
            unplaced.append(event.id)
        else:
            buckets[period].append(event)
    points = [_point(ctx, period, buckets[period]) for period in sorted(buckets)]
    return Series(
        a=a, a_name=ctx.actor_name(a), b=b, b_name=ctx.actor_name(b),
        by=by, modalities=chosen, count=count, points=points, unplaced=unplaced,
    )


def _point(ctx: AnalysisContext, period: str, events: list[PlacedEvent]) -> SeriesPoint:
    codes = [ctx.code(e.code) for e in events]
    by_quad = {q: sum(1 for c in codes if c is not None and c.quad_class == q) for q in QUAD_CLASSES}
    weights = [c.goldstein for c in codes if c is not None]
    mean = round(sum(weights) / len(weights), 2) if weights else None
    return SeriesPoint(
        period=period, count=len(events), by_quad=by_quad, mean_goldstein=mean, event_ids=[e.id for e in events]
    )
