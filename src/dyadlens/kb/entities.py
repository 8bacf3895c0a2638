"""KB entries: the dataclasses and their parsing from one YAML mapping.

Parsing collects problems instead of stopping at the first one, so a broken
file is reported in full; :mod:`dyadlens.kb.knowledge_base` turns them into a
:class:`~dyadlens.errors.DataFileError` naming the file and the entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from dyadlens.kb.periods import Period
from dyadlens.partial_dates import PartialDate

ENTITY_TYPES = frozenset(
    {
        "state",
        "government",
        "igo",
        "igo_body",
        "armed_group",
        "movement",
        "party",
        "media",
        "think_tank",
        "person",
        "region_group",
        "company",
        "ngo",
        "organization",
    }
)
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_.-]*(?::[a-z0-9][a-z0-9_.-]*)?$")
LIST_FIELDS = ("aliases", "demonyms", "metonyms", "government_aliases", "part_of", "not_same_as", "members")
SCALAR_FIELDS = ("name", "type", "iso3", "cameo", "qid", "capital", "country", "note")
PERIOD_FIELDS = ("valid", "governs")
CONTROL_FIELDS = ("id", "roles", "codes", "extend")
KNOWN_FIELDS = frozenset(LIST_FIELDS + SCALAR_FIELDS + PERIOD_FIELDS + CONTROL_FIELDS)


@dataclass(frozen=True, slots=True)
class Role:
    """An office a person held for an actor ("Special Presidential Envoy ...")."""

    actor: str
    role: str = ""
    period: Period = Period()


@dataclass(frozen=True, slots=True)
class DatedCode:
    """A CAMEO actor code valid over a period (PETRARCH date restrictions)."""

    code: str
    period: Period = Period()


@dataclass(frozen=True, slots=True)
class KbEntity:
    id: str
    name: str
    type: str
    iso3: str | None = None
    cameo: str | None = None
    qid: str | None = None
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    capital: str | None = None
    metonyms: tuple[str, ...] = ()
    government_aliases: tuple[str, ...] = ()
    part_of: tuple[str, ...] = ()
    not_same_as: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    valid: tuple[Period, ...] = ()
    country: str | None = None
    governs: tuple[Period, ...] = ()
    roles: tuple[Role, ...] = ()
    codes: tuple[DatedCode, ...] = ()
    note: str | None = None
    source: str = field(default="", compare=False)

    def cameo_on(self, when: str | None) -> str | None:
        """The CAMEO code valid on a date: the date-restricted code that started last, else ``cameo``."""
        valid = [c for c in self.codes if c.period != Period() and c.period.overlaps(when)]
        return max(valid, key=lambda c: c.period.first_day()).code if valid else self.cameo


@dataclass(slots=True)
class ParsedEntry:
    """One YAML mapping after parsing: the fields it gave, and what was wrong."""

    label: str
    values: dict[str, Any]
    problems: list[str]
    warnings: list[str] = field(default_factory=list)
    extend: bool = False


def parse_entry(raw: Any, index: int) -> ParsedEntry:
    """Check the shape of one entry and convert its values (references are checked later)."""
    if not isinstance(raw, dict):
        return ParsedEntry(
            f"entry #{index + 1}", {}, [f"entry #{index + 1}: expected a mapping, got {type(raw).__name__}"]
        )
    entity_id = raw.get("id")
    label = f"entry {entity_id!r}" if isinstance(entity_id, str) else f"entry #{index + 1}"
    parsed = ParsedEntry(label, {}, [], extend=raw.get("extend") is True)
    if not isinstance(entity_id, str) or not ID_PATTERN.match(entity_id):
        parsed.problems.append(f"{label}: 'id' must be a lower-case slug, got {entity_id!r}")
    parsed.values["id"] = entity_id
    for key in raw:
        if key not in KNOWN_FIELDS:
            parsed.warnings.append(f"{label}: unknown field {key!r} ignored")
    _parse_scalars(raw, parsed)
    _parse_lists(raw, parsed)
    _parse_periods(raw, parsed)
    _parse_roles(raw, parsed)
    _parse_codes(raw, parsed)
    if not parsed.extend:
        _require_core(parsed)
    return parsed


def _problem(parsed: ParsedEntry, text: str) -> None:
    parsed.problems.append(f"{parsed.label}: {text}")


def _parse_scalars(raw: dict[str, Any], parsed: ParsedEntry) -> None:
    for key in SCALAR_FIELDS:
        if key not in raw or raw[key] is None:
            continue
        value = raw[key]
        if not isinstance(value, (str, int)) or isinstance(value, bool):
            _problem(parsed, f"{key!r} must be a string")
            continue
        parsed.values[key] = str(value).strip()
    entity_type = parsed.values.get("type")
    if entity_type is not None and entity_type not in ENTITY_TYPES:
        _problem(parsed, f"unknown type {entity_type!r} (known: {', '.join(sorted(ENTITY_TYPES))})")


def _parse_lists(raw: dict[str, Any], parsed: ParsedEntry) -> None:
    for key in LIST_FIELDS:
        if key not in raw or raw[key] is None:
            continue
        value = raw[key]
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            _problem(parsed, f"{key!r} must be a list of non-empty strings")
            continue
        parsed.values[key] = tuple(dict.fromkeys(v.strip() for v in value))


def _parse_period(raw: Any, parsed: ParsedEntry, where: str) -> Period | None:
    if not isinstance(raw, dict):
        _problem(parsed, f"{where} must be a mapping with 'from' and/or 'until'")
        return None
    bounds: dict[str, str | None] = {}
    for key in ("from", "until"):
        value = raw.get(key)
        if value is None:
            bounds[key] = None
            continue
        found = PartialDate.parse_or_none(value)
        if found is None:
            _problem(parsed, f"{where}: {key!r} is not an ISO date prefix (YYYY, YYYY-MM or YYYY-MM-DD): {value!r}")
            return None
        bounds[key] = str(found)
    period = Period(bounds["from"], bounds["until"])
    if period.first_day() > period.last_day():
        _problem(parsed, f"{where}: 'from' {period.start} is after 'until' {period.until}")
        return None
    return period


def _parse_periods(raw: dict[str, Any], parsed: ParsedEntry) -> None:
    for key in PERIOD_FIELDS:
        if key not in raw or raw[key] is None:
            continue
        items = raw[key] if isinstance(raw[key], list) else [raw[key]]
        periods = [_parse_period(item, parsed, f"{key}[{i}]") for i, item in enumerate(items)]
        parsed.values[key] = tuple(p for p in periods if p is not None)


def _parse_roles(raw: dict[str, Any], parsed: ParsedEntry) -> None:
    if raw.get("roles") is None:
        return
    if not isinstance(raw["roles"], list):
        _problem(parsed, "'roles' must be a list")
        return
    roles = []
    for i, item in enumerate(raw["roles"]):
        period = _parse_period(item, parsed, f"roles[{i}]")
        actor = item.get("actor") if isinstance(item, dict) else None
        if not isinstance(actor, str):
            _problem(parsed, f"roles[{i}]: 'actor' (an id) is required")
            continue
        if period is not None:
            roles.append(Role(actor=actor, role=str(item.get("role") or ""), period=period))
    parsed.values["roles"] = tuple(roles)


def _parse_codes(raw: dict[str, Any], parsed: ParsedEntry) -> None:
    if raw.get("codes") is None:
        return
    codes = []
    for i, item in enumerate(raw["codes"] if isinstance(raw["codes"], list) else []):
        period = _parse_period(item, parsed, f"codes[{i}]")
        code = item.get("code") if isinstance(item, dict) else None
        if not isinstance(code, str):
            _problem(parsed, f"codes[{i}]: 'code' is required")
        elif period is not None:
            codes.append(DatedCode(code, period))
    parsed.values["codes"] = tuple(codes)


def _require_core(parsed: ParsedEntry) -> None:
    for key in ("name", "type"):
        if not parsed.values.get(key):
            _problem(parsed, f"'{key}' is required")


def build_entity(values: dict[str, Any], source: str) -> KbEntity:
    """A KbEntity from parsed values (only the known fields, defaults for the rest)."""
    fields = {k: v for k, v in values.items() if k in KbEntity.__dataclass_fields__ and k != "source"}
    return KbEntity(source=source, **fields)


def merge_values(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """``extend: true`` semantics: given scalars replace, given lists are appended."""
    merged = dict(base)
    for key, value in extra.items():
        if key == "id":
            continue
        if isinstance(value, tuple) and isinstance(merged.get(key), tuple):
            merged[key] = tuple(dict.fromkeys((*merged[key], *value)))
        else:
            merged[key] = value
    return merged
