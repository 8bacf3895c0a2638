"""Cooperation–conflict series of a dyad: counts by quad class and mean Goldstein per period.

Only asserted events count by default (a denied attack is not an attack).
An event is placed by its own date, else by its document's publication date;
an event with neither, or whose date is less precise than the period (a
year-only date in a monthly series), is counted in ``unplaced`` rather than
pinned to an invented month. ``points`` lists only periods with events; the
renderings show the empty stretches between them (:func:`empty_periods_between`).
The series is one aggregate query (``GROUP BY`` period and quad class, read off
the month summary, the ontology's quad class and Goldstein weight of each code
looked up in SQL: a few rows per period, however many codes and summary rows the
dyad spreads over); no event row and no evidence is read, since a series shows none. The chart links
a period to the dyad's page for that period, not to an event, so the event ids
of each period (``event_ids``: the first few; ``unplaced`` likewise,
``unplaced_count`` all) are read only when asked (``with_ids``, CLI ``--ids``):
ranking a large dyad's events by period costs far more than counting them. A real event counts once, at its consolidated
date and code (``count="events"``, the default), or every report counts
(``count="reports"``); a standing fact ("still lists") is never counted as an act.
"""

from __future__ import annotations

import dataclasses
import functools
from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from sqlalchemy import ColumnElement, func, literal_column, select

from dyadlens.analysis.common import DEFAULT_MODALITIES, AnalysisContext, check_modalities
from dyadlens.errors import DyadlensError
from dyadlens.kb.ontology import Ontology
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
    quads: dict[str | None, list[_Weighed]] = defaultdict(list)
    for row in ctx.store.read(_by_period_and_quad(tally(acts, by_period=True), by, ctx.ontology)):
        quads[row.period].append(_Weighed(row.quad, int(row.events), int(row.weight or 0)))
    samples = _sample_ids(ctx, acts, period_sql(acts.placed_date(), by).label("period")) if with_ids else {}
    unplaced = quads.pop(None, [])
    points = [_point(str(label), found, samples.get(label, [])) for label, found in sorted(quads.items())]
    ctx.load_names((a, b))
    return Series(
        a=a, a_name=ctx.actor_name(a), b=b, b_name=ctx.actor_name(b),
        by=by, modalities=chosen, count=count, points=points, unplaced=samples.get(None, []),
        unplaced_count=sum(w.events for w in unplaced),
    )


#: Goldstein weights are summed in SQL as whole hundredths: exact integer sums on every backend, and the mean
#: rounded exactly (half to even), where a sum of floats could land either side of a half.
HUNDREDTHS = 100
#: Codes compared one by one at the bottom of the code look-up (:func:`code_lookup`).
LOOKUP_LEAF = 4


@dataclass(frozen=True, slots=True)
class _Weighed:
    """The events of one period and quad class (None: a code the ontology does not know)."""

    quad: int | None
    events: int
    weight: int  # the sum of their Goldstein weights, in hundredths


def _by_period_and_quad(counted: Tally, by: str, ontology: Ontology) -> Any:
    """Counts by period and quad class, with the sum of their Goldstein weights, read off the month summary
    when it serves the query; each code's quad class and weight come from the ontology (:func:`code_lookup`), an
    unknown code is counted with no quad class."""
    rows = (select(period_sql(counted.column("placed"), by).label("period"), counted.column("code").label("code"),
                   counted.weight.label("n"))
            .select_from(counted.source).where(*counted.conditions()).subquery("counted"))
    codes = sorted(ontology, key=lambda c: c.code)
    quads = tuple((c.code, c.quad_class) for c in codes)
    weights = tuple((c.code, round(c.goldstein * HUNDREDTHS)) for c in codes)
    quad: ColumnElement[Any] = literal_column(code_lookup("counted.code", quads))
    weight: ColumnElement[Any] = literal_column(code_lookup("counted.code", weights))
    return (select(rows.c.period, quad.label("quad"), func.sum(rows.c.n).label("events"),
                   func.sum(rows.c.n * weight).label("weight"))
            .group_by(rows.c.period, quad))


@functools.lru_cache(maxsize=8)
def code_lookup(code: str, table: tuple[tuple[str, int], ...]) -> str:
    """:func:`_cases`, written once per process and table."""
    return _cases(code, table)


def _cases(code: str, table: tuple[tuple[str, int], ...]) -> str:
    """SQL for the value ``table`` (sorted by code) gives the column ``code``, NULL for a code it lacks: ``CASE``
    expressions nested so that each level halves the codes, about log2(n) comparisons a row rather than one
    per code (a join on a ``VALUES`` list scanned the list for every row in SQLite). Written once per
    process as text: building and compiling the same expression as SQLAlchemy nodes cost 80 ms a series.
    CAMEO codes are digits, which every collation orders as Python does."""
    if len(table) <= LOOKUP_LEAF:
        found = " ".join(f"WHEN {_quoted(key)} THEN {int(value)}" for key, value in table)
        return f"CASE {code} {found} ELSE NULL END"
    middle = len(table) // 2
    return (f"CASE WHEN {code} < {_quoted(table[middle][0])} THEN {_cases(code, table[:middle])} "
            f"ELSE {_cases(code, table[middle:])} END")


def _quoted(code: str) -> str:
    return "'" + code.replace("'", "''") + "'"


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


def _point(period: str, quads: list[_Weighed], event_ids: list[str]) -> SeriesPoint:
    by_quad = dict.fromkeys(QUAD_CLASSES, 0)
    weight, weighed = 0, 0
    for found in quads:
        if found.quad is not None:
            by_quad[found.quad] = by_quad.get(found.quad, 0) + found.events
            weight, weighed = weight + found.weight, weighed + found.events
    mean = float(round(Fraction(weight, HUNDREDTHS * weighed), 2)) if weighed else None
    return SeriesPoint(period=period, count=sum(found.events for found in quads), by_quad=by_quad,
                       mean_goldstein=mean, event_ids=event_ids)
