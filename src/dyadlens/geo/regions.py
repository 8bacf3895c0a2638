"""World regions and continents (``geo/data/regions.yaml``): places of precision ``region``.

"Central Asia", "the Sahel", "Eurasia" are where things happen, never who acts.
They have no country and no coordinates; ``members`` keeps the member countries
(ISO3) where membership is a fact.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from importlib import resources as importlib_resources
from typing import Any

import yaml

from dyadlens.errors import DataFileError
from dyadlens.geo.gazetteer import GazetteerPlace

REGIONS_FILE = "regions.yaml"


def region_places() -> Iterator[tuple[list[str], GazetteerPlace]]:
    """Each world region with its name and variants."""
    path = importlib_resources.files("dyadlens.geo") / "data" / REGIONS_FILE
    raw = yaml.safe_load(path.read_text("utf-8"))
    entries = raw.get("regions") if isinstance(raw, dict) else None
    if not isinstance(entries, list) or not all(_valid(e) for e in entries):
        raise DataFileError(str(path), ["regions: expected a list of {name, variants, members}"])
    for entry in entries:
        place = GazetteerPlace(entry["name"], "region", "", None, None, None, 0, None, members=tuple(entry["members"]))
        yield [entry["name"], *entry["variants"]], place


def _valid(entry: Any) -> bool:
    if not isinstance(entry, Mapping) or not isinstance(entry.get("name"), str):
        return False
    return all(isinstance(entry.get(key), list) for key in ("variants", "members"))
