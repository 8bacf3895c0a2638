"""The word lists of the places and locations stages (``geo/data/places.yaml``)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import cache
from importlib import resources as importlib_resources

import yaml

from dyadlens.errors import DataFileError

WORDS_FILE = "places.yaml"


@dataclass(frozen=True, slots=True)
class PlaceWords:
    locative_prepositions: frozenset[str]
    region_nouns: frozenset[str]
    gathering_nouns: frozenset[str]
    hosting_words: frozenset[str]
    contact_verbs: frozenset[str]
    subdivision_generic_words: frozenset[str]
    venue_nouns: frozenset[str]


@cache
def load_place_words() -> PlaceWords:
    """Read the lists once per process; a missing or malformed list is a :class:`DataFileError`."""
    path = importlib_resources.files("dyadlens.geo") / "data" / WORDS_FILE
    raw = yaml.safe_load(path.read_text("utf-8"))
    problems = []
    lists: dict[str, frozenset[str]] = {}
    for name in (f.name for f in fields(PlaceWords)):
        value = raw.get(name) if isinstance(raw, dict) else None
        if not isinstance(value, list) or not all(isinstance(w, str) and w == w.lower() for w in value):
            problems.append(f"{name}: expected a list of lower-case words")
            continue
        lists[name] = frozenset(value)
    if problems:
        raise DataFileError(str(path), problems)
    return PlaceWords(**lists)
