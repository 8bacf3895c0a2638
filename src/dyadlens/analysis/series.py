"""Cooperation–conflict series of a dyad: counts by quad class and mean Goldstein per period.

Only asserted events count by default (a denied attack is not an attack).
An event is placed by its own date, else by its document's publication date;
an event with neither, or whose date is less precise than the period (a
year-only date in a monthly series), is counted in ``unplaced`` rather than
pinned to an invented month. ``points`` lists only periods with events; the
renderings show the empty stretches between them (:func:`empty_periods_between`).
The series is one aggregate query (``GROUP BY`` period and code, read off the
month summary; the ontology weighs the codes returned: quad class, Goldstein);
no event row and no evidence is read, since a series shows none. The chart links
a period to the dyad's page for that period, not to an event, so the event ids
of each period (``event_ids``: the first few; ``unplaced`` likewise,
``unplaced_count`` all) are read only when asked (``with_ids``, CLI ``--ids``):
ranking a large dyad's events by period costs far more than counting them. A real event counts once, at its consolidated
date and code (``count="events"``, the default), or every report counts
(``count="reports"``); a standing fact ("still lists") is never counted as an act.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from dyadlens.analysis.common import DEFAULT_MODALITIES, AnalysisContext, check_modalities, weigh
from dyadlens.errors import DyadlensError
from dyadlens.partial_dates import PartialDate
from dyadlens.store import EventQuery, check_count
from dyadlens.store.queries import joined, period_sql, placed_order
from dyadlens.store.summaries import Tally, tally

PERIODS = ("month", "quarter", "year")
QUAD_CLASSES = (1, 2, 3, 4)
#: Event ids listed per period (and unplaced): enough to link the chart to the events, never all of them.
SAMPLE_IDS = 20


@dataclass(frozen=True, slots=True)
class SeriesPoint:
    period: str  # "2024", "2024-Q3" or "2024-07"
    count: int
    by_quad: dict[int, int]
    mean_goldstein: float | None
    event_ids: list[str] = field(default_factory=list)  # the first SAMPLE_IDS, in the views' order; when asked


@dataclass(frozen=True, slots=True)
class Series:
    a: str
    a_name: str | None
    b: str
    b_name: str | None
    by: str
    modalities: tuple[str, ...] | None
    points: list[SeriesPoint]
    unplaced: list[str]  # ids of (the first SAMPLE_IDS) events that fit no period at this resolution; when asked
    count: str = "events"  # what a point counts: events | reports
    unplaced_count: int = 0  # how many events fit no period


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


def period_bounds(period: str, by: str) -> tuple[str, str]:
    """The first and last month (or the year) of a period label, as ``since``/``until`` bounds."""
    if by != "quarter":
        return period, period
    first = (int(period[-1]) - 1) * 3 + 1
    return f"{period[:4]}-{first:02d}", f"{period[:4]}-{first + 2:02d}"


def dyad_series(
    ctx: AnalysisContext,
    a: str,
    b: str,
    by: str = "month",
    modalities: tuple[str, ...] | None = DEFAULT_MODALITIES,
    directed: bool = False,
    count: str = "events",
    since: str | None = None,
    until: str | None = None,
    with_ids: bool = False,
) -> Series:
    """Counts by quad class and mean Goldstein of the dyad's events (or reports: ``count``) per period,
    of the events placed in [``since``, ``until``] (an undated one at its document's date) when given;
    with the first event ids of each period when ``with_ids``."""
    if by not in PERIODS:
        raise DyadlensError(f"unknown period {by!r}; use one of {', '.join(PERIODS)}")
    chosen = check_modalities(modalities)
    dyad = EventQuery(source=a, target=b) if directed else EventQuery(between=(a, b))
    acts = dataclasses.replace(dyad, modalities=chosen, count=check_count(count), standing=False, since=since,
                               until=until, document_dates=bool(since or until))
    codes: dict[str | None, list[tuple[str, int]]] = defaultdict(list)
    for row in ctx.store.read(_by_period_and_code(tally(acts, by_period=True), by)):
        codes[row.period].append((row.code, int(row.events)))
    samples = _sample_ids(ctx, acts, period_sql(acts.placed_date(), by).label("period")) if with_ids else {}
    unplaced = codes.pop(None, [])
    points = [_point(ctx, str(label), found, samples.get(label, [])) for label, found in sorted(codes.items())]
    ctx.load_names((a, b))
    return Series(
        a=a, a_name=ctx.actor_name(a), b=b, b_name=ctx.actor_name(b),
        by=by, modalities=chosen, count=count, points=points, unplaced=samples.get(None, []),
        unplaced_count=sum(n for _, n in unplaced),
    )


def _by_period_and_code(counted: Tally, by: str) -> Any:
    """Counts by period and code, read off the month summary when it serves the query."""
    period, code = period_sql(counted.column("placed"), by).label("period"), counted.column("code")
    return (select(period, code.label("code"), counted.count().label("events")).select_from(counted.source)
            .where(*counted.conditions()).group_by(period, code))


def _sample_ids(ctx: AnalysisContext, acts: EventQuery, period: Any) -> dict[str | None, list[str]]:
    """The first SAMPLE_IDS event ids of each period (and of the unplaced), in the views' order."""
    rank = func.row_number().over(partition_by=period, order_by=placed_order(acts)).label("rank")
    ranked = select(period, acts.column("id").label("id"), rank).select_from(joined()).where(*acts.conditions())
    inner = ranked.subquery()
    found = select(inner.c.period, inner.c.id).where(inner.c.rank <= SAMPLE_IDS).order_by(inner.c.period, inner.c.rank)
    ids: dict[str | None, list[str]] = defaultdict(list)
    for row in ctx.store.read(found):
        ids[row.period].append(row.id)
    return ids


def _point(ctx: AnalysisContext, period: str, codes: list[tuple[str, int]], event_ids: list[str]) -> SeriesPoint:
    weighed = weigh(ctx.ontology, codes)
    return SeriesPoint(period=period, count=sum(n for _, n in codes), by_quad=weighed.by_quad,
                       mean_goldstein=weighed.mean_goldstein, event_ids=event_ids)
