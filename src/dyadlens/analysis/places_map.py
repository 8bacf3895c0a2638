"""The map of event locations: events per country and per place, under the events explorer's filters.

The map reads the same condition as ``/events`` (:func:`~dyadlens.analysis.explorer.conditions` of
:class:`~dyadlens.analysis.explorer.ExplorerFilters`), so a country's count on the map is the count
the explorer shows for that country. Everything is counted in SQL: one ``GROUP BY place_country``
over the located events (``place_country >= ''``: a range the place index reads, so that unlocated
events are never read), one ``GROUP BY`` of coordinates rounded to a grid cell (:data:`CELL_DEGREES`)
for the points, cut to the :data:`POINTS_SHOWN` busiest cells. How many events match in all is
counted up to a bound (:data:`~dyadlens.analysis.explorers.base.COUNT_BOUND`, or the located events
when more): past it the map says "more than" (``total_is_lower_bound``); the per-country counts and
the points are always exact. Only places the gazetteer gave
coordinates (cities) are points; a country, a region or a site without coordinates counts for its
country only (see docs/map.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select

from dyadlens.analysis.actors import seldom
from dyadlens.analysis.common import AnalysisContext
from dyadlens.analysis.explorer import ExplorerFilters, conditions
from dyadlens.analysis.explorers.base import COUNT_BOUND
from dyadlens.geo.gazetteer import load_countries
from dyadlens.store import schema
from dyadlens.store.queries import joined

E = schema.events

#: Points are aggregated in SQL over cells of this many degrees of latitude and longitude.
CELL_DEGREES = 1.0
#: At most this many points (the busiest cells) are loaded and drawn.
POINTS_SHOWN = 400


@dataclass(frozen=True, slots=True)
class CountryCount:
    """Events located in one country (ISO 3166 alpha-3)."""

    country: str
    name: str
    count: int


@dataclass(frozen=True, slots=True)
class PlacePoint:
    """Events at the places of one grid cell and country: their mean position, the first of their
    place names (alphabetically) and how many distinct names the cell holds."""

    lat: float
    lon: float
    country: str | None
    place: str
    places: int
    count: int


@dataclass(slots=True)
class EventMap:
    """What ``/map`` shows: ``total`` events match the filters, ``located`` of them in a country."""

    filters: ExplorerFilters
    total: int
    located: int
    countries: list[CountryCount]
    points: list[PlacePoint]
    points_total: int
    total_is_lower_bound: bool = False  # more than ``total`` events match (and more than ``unlocated`` lack a place)

    @property
    def unlocated(self) -> int:
        return self.total - self.located


def event_map(ctx: AnalysisContext, filters: ExplorerFilters, *, points_shown: int = POINTS_SHOWN,
              bound: int | None = COUNT_BOUND) -> EventMap:
    """Counts per country and per place cell of the events matching ``filters``, and how many match in
    all: exact up to ``bound`` (or the located events, when more), past it a lower bound (``None``: exact)."""
    where = conditions(ctx, filters)
    per_country = _per_country(ctx, where)
    countries = [CountryCount(code, country_name(code), n) for code, n in per_country.items()]
    located = sum(c.count for c in countries)
    total, beyond = _matching(ctx, where, None if bound is None else max(bound, located))
    points, points_total = place_points(ctx, where, points_shown)
    return EventMap(filters, total, located, countries, points, points_total, beyond)


def _per_country(ctx: AnalysisContext, where: Sequence[ColumnElement[bool]]) -> dict[str, int]:
    """Events per country of their place, most first (then by code), events in no country left out."""
    counted = func.count().label("n")
    statement = (select(E.c.place_country.label("country"), counted).select_from(joined())
                 .where(*where, seldom(ctx.store, E.c.place_country >= "")).group_by(E.c.place_country))
    found = {str(row.country): int(row.n) for row in ctx.store.read(statement)}
    return dict(sorted(found.items(), key=lambda item: (-item[1], item[0])))


def _matching(ctx: AnalysisContext, where: Sequence[ColumnElement[bool]], bound: int | None) -> tuple[int, bool]:
    """How many events match, counting at most ``bound + 1``: ``(bound, True)`` when more do."""
    found = select(E.c.id).select_from(joined()).where(*where)
    limited = found if bound is None else found.limit(bound + 1)
    total = int(ctx.store.read(select(func.count()).select_from(limited.subquery()))[0][0] or 0)
    return (bound, True) if bound is not None and total > bound else (total, False)


def place_points(ctx: AnalysisContext, where: Sequence[ColumnElement[bool]],
                 limit: int) -> tuple[list[PlacePoint], int]:
    """The ``limit`` busiest cells of located events with coordinates, and how many cells there are
    (a window count over the groups, taken before the limit: one pass). A latitude is asked for as the
    range ``>= -90`` (every latitude), which the place index reads without visiting unlocated events
    (told to SQLite's planner as true of few rows: without histograms it guesses a quarter of the events)."""
    cell_lat = func.round(E.c.place_lat / CELL_DEGREES).label("cell_lat")
    cell_lon = func.round(E.c.place_lon / CELL_DEGREES).label("cell_lon")
    counted = func.count().label("n")
    cells = (
        select(cell_lat, cell_lon, E.c.place_country.label("country"), counted,
               func.avg(E.c.place_lat).label("lat"), func.avg(E.c.place_lon).label("lon"),
               func.min(E.c.place_name).label("place"), func.count(E.c.place_name.distinct()).label("places"),
               func.count().over().label("cells"))
        .select_from(joined()).where(*where, seldom(ctx.store, E.c.place_lat >= -90.0), E.c.place_lon.is_not(None))
        .group_by(cell_lat, cell_lon, E.c.place_country)
        .order_by(counted.desc(), cell_lat, cell_lon).limit(limit)
    )
    shown = ctx.store.read(cells)
    points = [PlacePoint(float(r.lat), float(r.lon), r.country, str(r.place or ""), int(r.places), int(r.n))
              for r in shown]
    return points, int(shown[0].cells) if shown else 0


def country_name(iso3: str) -> str:
    """The country's name in the gazetteer (the code itself when the gazetteer does not know it)."""
    country = load_countries().get(iso3)
    return country.name if country is not None else iso3
