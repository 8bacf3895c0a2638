"""Country shapes for the map, read from the ``countryinfo`` package and projected to SVG paths.

``countryinfo`` (MIT) ships one JSON file per country with its outline as GeoJSON, taken from
world.geo.json, which is Natural Earth's 1:110m countries (public domain). The shapes are read
from the installed package when the map is first drawn (nothing is downloaded, no data file is
copied into dyadlens), projected with a plain equirectangular projection (:func:`project`: longitude
and latitude scaled alike) and simplified by dropping points less than :data:`MIN_STEP` pixels
from the last point kept; the result is cached for the life of the process.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

#: The map's width in SVG units; the height follows from the latitudes shown.
WIDTH = 960.0
#: The latitudes shown: the inhabited world (Antarctica is left out).
LAT_TOP, LAT_BOTTOM = 84.0, -58.0
SCALE = WIDTH / 360.0
HEIGHT = (LAT_TOP - LAT_BOTTOM) * SCALE
#: Points of an outline nearer than this (in SVG units) to the last one kept are dropped.
MIN_STEP = 0.8
#: Rings whose projected box is smaller than this on both sides are too small to draw.
MIN_RING = 0.6
#: Left out: no event happens in Antarctica that a country shape could show.
LEFT_OUT = frozenset({"ATA"})

Ring = list[tuple[float, float]]


@dataclass(frozen=True, slots=True)
class CountryShape:
    """One country: its ISO 3166 alpha-3 code, its name and its outline as an SVG path."""

    iso3: str
    name: str
    path: str


def project(lon: float, lat: float) -> tuple[float, float]:
    """Equirectangular: x from longitude, y from latitude, in SVG units (y grows southwards)."""
    return (lon + 180.0) * SCALE, (LAT_TOP - lat) * SCALE


@cache
def world_shapes() -> dict[str, CountryShape]:
    """Every country the package has an outline for, by ISO alpha-3 code (read once per process)."""
    shapes: dict[str, CountryShape] = {}
    for country in _country_files():
        iso3 = str((country.get("ISO") or {}).get("alpha3") or "")
        features = (country.get("geoJSON") or {}).get("features") or []
        if len(iso3) != 3 or iso3 in LEFT_OUT or not features:
            continue
        path = "".join(_ring_path(ring) for ring in _rings(features))
        if path:
            shapes[iso3] = CountryShape(iso3, str(country.get("name") or iso3), path)
    return shapes


def _country_files() -> Iterator[dict[str, Any]]:
    folder = resources.files("countryinfo") / "data"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".json"):
            yield json.loads(entry.read_text(encoding="utf-8"))


def _rings(features: Iterable[dict[str, Any]]) -> Iterator[Ring]:
    """The outer and inner rings of every polygon of the features, projected."""
    for feature in features:
        geometry = feature.get("geometry") or {}
        polygons = geometry.get("coordinates") or []
        if geometry.get("type") == "Polygon":
            polygons = [polygons]
        for polygon in polygons:
            for ring in polygon:
                yield [project(float(lon), float(lat)) for lon, lat, *_ in ring]


def simplified(ring: Ring) -> Ring:
    """The ring without the points nearer than :data:`MIN_STEP` to the last point kept."""
    kept = ring[:1]
    for x, y in ring[1:]:
        last_x, last_y = kept[-1]
        if abs(x - last_x) + abs(y - last_y) >= MIN_STEP:
            kept.append((x, y))
    return kept


def _ring_path(ring: Ring) -> str:
    xs, ys = [x for x, _ in ring], [y for _, y in ring]
    if not ring or (max(xs) - min(xs) < MIN_RING and max(ys) - min(ys) < MIN_RING):
        return ""
    points = simplified(ring)
    if len(points) < 3:
        return ""
    return "M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in points) + "Z"
