"""The map of ``/map`` as inline SVG (readable without JavaScript): countries shaded by their events,
points for located places, a legend.

Each country is a link to the events explorer filtered to it (every other filter kept); so is each
point, to its country (the explorer filters by country, not by place). Points whose circles would
overlap are drawn as one mark with their summed count (:func:`merged_marks`). All text is escaped.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from dyadlens.analysis.places_map import CountryCount, EventMap, PlacePoint
from dyadlens.web.worldshapes import HEIGHT, WIDTH, project, world_shapes

#: Light to dark: one colour per class of :func:`class_bounds`.
SHADES = ("#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#084594")
NO_EVENTS = "#e8e8e8"
POINT_COLOUR = "#d94801"
_MIN_R, _MAX_R = 3.0, 11.0
_LEGEND_H = 34.0

CountryLink = Callable[[str], str]


def class_bounds(highest: int) -> list[int]:
    """The upper bound of each shading class: powers of the highest count, so a country with 3
    events and one with 300 both stand out."""
    if highest <= 0:
        return []
    return sorted({max(1, math.floor(highest ** (k / len(SHADES)))) for k in range(1, len(SHADES))} | {highest})


def shade_of(count: int, bounds: list[int]) -> str:
    for index, bound in enumerate(bounds):
        if count <= bound:
            return SHADES[len(SHADES) - len(bounds) + index]
    return NO_EVENTS


@dataclass(slots=True)
class Mark:
    """One drawn point: the places of one or more overlapping cells."""

    x: float
    y: float
    count: int
    country: str | None
    places: list[str] = field(default_factory=list)
    more_places: int = 0

    def radius(self, highest: int) -> float:
        return _MIN_R + (_MAX_R - _MIN_R) * math.sqrt(self.count / max(highest, 1))


def merged_marks(points: list[PlacePoint]) -> list[Mark]:
    """Points as marks, busiest first; a point whose circle would touch a mark's joins it (its count
    added; the mark keeps the busier point's position and country)."""
    highest = max((p.count for p in points), default=1)
    marks: list[Mark] = []
    for point in sorted(points, key=lambda p: -p.count):
        x, y = project(point.lon, point.lat)
        radius = _MIN_R + (_MAX_R - _MIN_R) * math.sqrt(point.count / highest)
        near = next((m for m in marks if math.dist((m.x, m.y), (x, y)) < m.radius(highest) + radius), None)
        if near is None:
            near = Mark(x, y, 0, point.country)
            marks.append(near)
        near.count += point.count
        near.places.append(point.place)
        near.more_places += point.places - 1
    return marks


def map_svg(view: EventMap, country_link: CountryLink) -> Markup:
    """The world with ``view``'s countries shaded and its points drawn, and the legend under it."""
    counts = {c.country: c for c in view.countries}
    bounds = class_bounds(max((c.count for c in view.countries), default=0))
    unit = "event" if view.filters.count == "events" else "report"
    parts = [f'<svg class="map-chart" viewBox="0 0 {WIDTH:g} {HEIGHT + _LEGEND_H:g}" role="img"'
             f' aria-label="Map of {unit}s by country" xmlns="http://www.w3.org/2000/svg">',
             f'<rect class="sea" width="{WIDTH:g}" height="{HEIGHT:g}" fill="#f4f8fb"/><g class="countries">']
    for shape in world_shapes().values():
        counted = counts.get(shape.iso3)
        parts.append(_country(shape.iso3, shape.name, shape.path, counted, bounds, unit, country_link))
    parts.append('</g><g class="points">')
    marks = merged_marks(view.points)
    highest = max((m.count for m in marks), default=1)
    parts.extend(_point(mark, highest, unit, country_link) for mark in marks)
    parts.append("</g>")
    parts.append(_legend(bounds, unit))
    return Markup("".join(parts) + "</svg>")


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}{'' if count == 1 else 's'}"


def _country(iso3: str, name: str, path: str, counted: CountryCount | None, bounds: list[int], unit: str,
             country_link: CountryLink) -> str:
    title = f"<title>{escape(name)}: {_plural(counted.count if counted else 0, unit)}</title>"
    if counted is None:
        return f'<path class="country" data-country="{escape(iso3)}" d="{path}" fill="{NO_EVENTS}">{title}</path>'
    fill = shade_of(counted.count, bounds)
    return (f'<a class="country-link" href="{escape(country_link(iso3))}"><path class="country counted"'
            f' data-country="{escape(iso3)}" data-count="{counted.count}" d="{path}" fill="{fill}">{title}</path></a>')


def _point(mark: Mark, highest: int, unit: str, country_link: CountryLink) -> str:
    named = ", ".join(mark.places[:4])
    more = len(mark.places[4:]) + mark.more_places
    title = f"{named}{f' and {more} more places' if more else ''}: {_plural(mark.count, unit)}"
    radius = mark.radius(highest)
    label = (f'<text x="{mark.x:.1f}" y="{mark.y + 3.5:.1f}" text-anchor="middle">{mark.count}</text>'
             if mark.count > 1 and radius >= 6 else "")
    circle = (f'<circle class="place-point" cx="{mark.x:.1f}" cy="{mark.y:.1f}" r="{radius:.1f}"'
              f' fill="{POINT_COLOUR}" data-count="{mark.count}"><title>{escape(title)}</title></circle>{label}')
    if not mark.country:
        return f"<g>{circle}</g>"
    return f'<a class="point-link" href="{escape(country_link(mark.country))}">{circle}</a>'


def _legend(bounds: list[int], unit: str) -> str:
    """One swatch per class (``1–3``, ``4–9``...), one for none, one for a point."""
    top = HEIGHT + 10
    parts = [f'<g class="legend" transform="translate(8,{top:g})">']
    lower, x = 1, 0.0
    for index, bound in enumerate(bounds):
        shade = SHADES[len(SHADES) - len(bounds) + index]
        label = f"{lower}–{bound}" if bound > lower else f"{bound}"
        parts.append(f'<rect x="{x:g}" width="14" height="14" fill="{shade}"/>'
                     f'<text x="{x + 18:g}" y="11">{label}</text>')
        lower, x = bound + 1, x + 30 + 8 * len(label)
    parts.append(f'<rect x="{x:g}" width="14" height="14" fill="{NO_EVENTS}"/><text x="{x + 18:g}" y="11">'
                 f'no {unit}s</text>')
    x += 90
    parts.append(f'<circle cx="{x + 7:g}" cy="7" r="5" fill="{POINT_COLOUR}"/>'
                 f'<text x="{x + 18:g}" y="11">{unit}s at a city (merged where they overlap)</text></g>')
    return "".join(parts)
