"""The actor knowledge base: who the actors are and what names stand for them.

``load_kb()`` reads every shipped YAML file in ``kb/data/`` once, applies the
user's extra files (``--kb``: YAML in the same format, or PETRARCH/TABARI
``.actors``/``.agents`` dictionaries), validates the result and returns a
:class:`KnowledgeBase` that is passed to whoever needs it. Nothing is cached
in module globals. The file format and the validation rules are documented in
``docs/kb-format.md``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from dyadlens.errors import DataFileError
from dyadlens.kb.agents import AgentTerm, parse_agent_entries
from dyadlens.kb.aliases import case_compatible, is_strict, tokenize
from dyadlens.kb.entities import (
    KbEntity,
    ParsedEntry,
    build_entity,
    merge_values,
    parse_entry,
)
from dyadlens.kb.offices import Offices, parse_offices
from dyadlens.kb.periods import Period, latest_first
from dyadlens.model import ActorRef, shown_id
from dyadlens.partial_dates import PartialDate

DATA_DIR = Path(__file__).resolve().parent / "data"
#: libyaml's parser when PyYAML was built with it (several times faster), else the pure-Python one.
YAML_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
AGENT_FILE_STEMS = ("agents",)
#: Files of office and institution patterns (``offices.yaml``), shipped or given with ``--kb``.
OFFICE_FILE_STEMS = ("offices",)


@dataclass(frozen=True, slots=True)
class AliasEntry:
    """One way of writing an actor's name, as the alias matcher sees it."""

    entity_id: str
    text: str
    kind: str  # name | alias | demonym | capital | metonym | government (whoever governs the entity)
    strict: bool
    tokens: tuple[str, ...]
    #: 0 for the shipped KB, n for the n-th extra file that defined or extended the actor:
    #: for an alias several actors share, the latest layer decides
    layer: int = 0


@dataclass(frozen=True, slots=True)
class AliasCollision:
    """The same alias (case-folded) stands for several actors."""

    alias: str
    ids: tuple[str, ...]


class KnowledgeBase:
    """Actors, their names and offices, with date-aware look-ups."""

    def __init__(
        self,
        entities: Mapping[str, KbEntity],
        agents: Sequence[AgentTerm] = (),
        warnings: Sequence[str] = (),
        files: Sequence[str] = (),
        offices: Offices | None = None,
        layers: Mapping[str, int] | None = None,
    ) -> None:
        self._entities = dict(entities)
        self.agents = tuple(agents)
        #: generic offices and institutions of every state (``offices.yaml``)
        self.offices = offices or Offices()
        self.warnings = list(warnings)
        self.files = tuple(files)
        self.alias_index = _build_alias_index(self._entities.values(), layers or {})
        self.max_alias_tokens = max((len(k) for k in self.alias_index), default=1)
        self.alias_lengths = _lengths_by_first_token(self.alias_index)
        self.collisions = _find_collisions(self.alias_index)
        self._governments = _governments_by_country(self._entities.values())

    def __len__(self) -> int:
        return len(self._entities)

    def __contains__(self, actor_id: object) -> bool:
        return actor_id in self._entities

    def get(self, actor_id: str) -> KbEntity | None:
        return self._entities.get(actor_id)

    def ref(self, actor_id: str) -> ActorRef:
        """The stored form of a KB actor; raises KeyError for an unknown id."""
        entity = self._entities[actor_id]
        return ActorRef(
            id=entity.id,
            name=entity.name,
            type=entity.type,
            resolved=True,
            cameo=entity.cameo,
            iso3=entity.iso3,
            qid=entity.qid,
        )

    def cameo_on(self, actor_id: str, when: str | None) -> str | None:
        """A KB actor's CAMEO code valid on a date (its date-restricted codes, PETRARCH's
        ``[HOBGOV 19950601-19990815]``); None for an id the KB does not hold."""
        entity = self._entities.get(actor_id)
        return entity.cameo_on(when) if entity is not None else None

    def display_name(self, actor_id: str) -> str:
        """The name of a KB actor; any other id as readers know it (an unresolved name without its prefix)."""
        entity = self._entities.get(actor_id)
        return entity.name if entity is not None else shown_id(actor_id)

    def entities(self) -> list[KbEntity]:
        return list(self._entities.values())

    def canonical_names(self) -> dict[str, str]:
        """Actor id -> canonical name."""
        return {e.id: e.name for e in self._entities.values()}

    def alias_entries(self, text: str) -> list[AliasEntry]:
        """Every alias entry ``text`` may be read as, under the case rules."""
        written = tuple(t.text for t in tokenize(text))
        key = tuple(t.casefold() for t in written)
        return [a for a in self.alias_index.get(key, ()) if case_compatible(a.tokens, written, a.strict)]

    def lookup(self, alias_text: str) -> list[KbEntity]:
        """The entities an exact alias (name, alias, demonym, capital, metonym) stands for."""
        ids = dict.fromkeys(a.entity_id for a in self.alias_entries(alias_text))
        return [self._entities[i] for i in ids]

    def acting_for(self, person_id: str, date: str | None) -> str | None:
        """The actor a person acts for on a date (the most recent office that overlaps it).

        With no date, the office still open (or the last one held) counts.
        """
        person = self._entities.get(person_id)
        if person is None or not person.roles:
            return None
        periods = [(role.period, role.actor) for role in person.roles]
        matching = [pair for pair in periods if pair[0].overlaps(date)]
        if not matching and date is None:
            matching = periods
        ordered = latest_first(matching)
        return ordered[0][1] if ordered else None

    def former_actor(self, person_id: str, date: str | None) -> str | None:
        """The actor of the last office a person left before a date (for "former president X")."""
        person = self._entities.get(person_id)
        when = PartialDate.parse_or_none(date)
        if person is None or when is None:
            return None
        ended = [(r.period, r.actor) for r in person.roles if r.period.last_day() < when.first_day]
        ordered = sorted(ended, key=lambda pair: pair[0].last_day(), reverse=True)
        return ordered[0][1] if ordered else None

    def government_of(self, country_id: str, date: str | None) -> str | None:
        """Who governs a country on a date: a KB government whose term overlaps it, else the state."""
        if country_id not in self._entities:
            return None
        terms = self._governments.get(country_id, [])
        ordered = latest_first([pair for pair in terms if pair[0].overlaps(date)])
        return ordered[0][1] if ordered else country_id

    def is_valid_on(self, actor_id: str, date: str | None) -> bool:
        """False when the actor's validity periods exclude the date (no periods: always valid)."""
        entity = self._entities.get(actor_id)
        if entity is None or not entity.valid or date is None:
            return entity is not None
        return any(p.overlaps(date) for p in entity.valid)


def _alias_entries_of(entity: KbEntity) -> Iterable[tuple[str, str]]:
    yield entity.name, "name"
    for alias in entity.aliases:
        yield alias, "alias"
    if entity.type == "person":
        return
    for demonym in entity.demonyms:
        yield demonym, "demonym"
    if entity.capital:
        yield entity.capital, "capital"
    for metonym in entity.metonyms:
        yield metonym, "metonym"
    for phrase in entity.government_aliases:
        yield phrase, "government"


def _build_alias_index(
    entities: Iterable[KbEntity], layers: Mapping[str, int]
) -> dict[tuple[str, ...], tuple[AliasEntry, ...]]:
    index: dict[tuple[str, ...], list[AliasEntry]] = defaultdict(list)
    for entity in entities:
        seen: set[tuple[tuple[str, ...], str]] = set()
        for text, kind in _alias_entries_of(entity):
            tokens = tuple(t.text for t in tokenize(text))
            if not tokens or (tokens, entity.id) in seen:
                continue
            seen.add((tokens, entity.id))
            entry = AliasEntry(entity.id, text, kind, is_strict(text), tokens, layers.get(entity.id, 0))
            index[tuple(t.casefold() for t in tokens)].append(entry)
    return {key: tuple(entries) for key, entries in index.items()}


def _lengths_by_first_token(index: Mapping[tuple[str, ...], object]) -> dict[str, tuple[int, ...]]:
    """For each case-folded first token, the token counts of the aliases starting with it, longest first."""
    lengths: dict[str, set[int]] = defaultdict(set)
    for key in index:
        lengths[key[0]].add(len(key))
    return {first: tuple(sorted(counts, reverse=True)) for first, counts in lengths.items()}


def _find_collisions(index: Mapping[tuple[str, ...], Sequence[AliasEntry]]) -> list[AliasCollision]:
    collisions = []
    for entries in index.values():
        ids = tuple(sorted({e.entity_id for e in entries}))
        if len(ids) > 1:
            collisions.append(AliasCollision(entries[0].text, ids))
    return sorted(collisions, key=lambda c: c.alias.casefold())


def _governments_by_country(entities: Iterable[KbEntity]) -> dict[str, list[tuple[Period, str]]]:
    terms: dict[str, list[tuple[Period, str]]] = defaultdict(list)
    for entity in entities:
        if entity.country and entity.governs:
            terms[entity.country].extend((period, entity.id) for period in entity.governs)
    return dict(terms)


# --- loading -------------------------------------------------------------------


@dataclass(slots=True)
class _Loader:
    """Accumulates entities, agents and problems while files are read in order."""

    values: dict[str, dict[str, Any]]
    sources: dict[str, str]
    agents: list[AgentTerm]
    offices: Offices
    problems: dict[str, list[str]]
    warnings: list[str]
    #: the file being read: 0 for the shipped KB, n for the n-th extra file
    layer: int = 0
    #: actor id -> the latest extra file that defined or extended it (shipped actors: absent)
    layers: dict[str, int] = field(default_factory=dict)

    def problem(self, path: str, text: str) -> None:
        self.problems.setdefault(path, []).append(text)


def shipped_files(data_dir: Path = DATA_DIR) -> list[Path]:
    """The YAML files of the shipped KB, in name order."""
    return sorted(p for p in data_dir.glob("*.yaml") if p.is_file())


def load_kb(extra_files: Sequence[str | Path] = (), data_dir: Path | None = None) -> KnowledgeBase:
    """Load, merge and validate the shipped KB plus the user's extra files.

    Raises :class:`DataFileError` (naming the file and the entry) for
    malformed files, duplicate ids, unknown types, bad dates and references
    to ids that do not exist. Aliases shared by several actors are not an
    error: they are listed in ``kb.collisions``.
    """
    loader = _Loader({}, {}, [], Offices(), {}, [])
    files = shipped_files(data_dir or DATA_DIR)
    _load_shipped(loader, files)
    for layer, path in enumerate(extra_files, start=1):
        loader.layer = layer
        _load_extra(loader, Path(path))
    _check_references(loader)
    _raise_problems(loader.problems)
    entities = {i: build_entity(v, loader.sources[i]) for i, v in loader.values.items()}
    files_read = [str(p) for p in (*files, *extra_files)]
    return KnowledgeBase(entities, loader.agents, loader.warnings, files_read, loader.offices, loader.layers)


def _load_shipped(loader: _Loader, files: Sequence[Path]) -> None:
    """Shipped files: new entries first (ids must be unique), then ``extend: true`` entries."""
    extensions: list[tuple[str, ParsedEntry]] = []
    for path in files:
        raw = _read_yaml(path)
        if path.stem in AGENT_FILE_STEMS:
            _add_agents(loader, str(path), raw)
            continue
        if path.stem in OFFICE_FILE_STEMS:
            _add_offices(loader, str(path), raw)
            continue
        for entry in _parse_file(loader, str(path), raw):
            if entry.extend:
                extensions.append((str(path), entry))
            else:
                _add_new(loader, str(path), entry)
    for source, entry in extensions:
        _apply_extension(loader, source, entry)


def _load_extra(loader: _Loader, path: Path) -> None:
    """A user file: entries with a known id replace it (or extend it with ``extend: true``)."""
    from dyadlens.kb.petrarch import detect_dictionary_kind, import_actors, import_agents

    kind = detect_dictionary_kind(path)
    if kind == "actors":
        for values in import_actors(path):
            _override(loader, str(path), ParsedEntry(f"entry {values['id']!r}", values, []))
        return
    if kind == "agents":
        loader.agents.extend(import_agents(path))
        return
    raw = _read_yaml(path)
    if path.stem in AGENT_FILE_STEMS:
        _add_agents(loader, str(path), raw)
        return
    if path.stem in OFFICE_FILE_STEMS:
        _add_offices(loader, str(path), raw)
        return
    seen: set[str] = set()
    for entry in _parse_file(loader, str(path), raw):
        entity_id = entry.values["id"]
        if entity_id in seen:
            loader.problem(str(path), f"{entry.label}: duplicate id in this file")
            continue
        seen.add(entity_id)
        if entry.extend:
            _apply_extension(loader, str(path), entry)
        else:
            _override(loader, str(path), entry)


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(str(path), [f"cannot read KB file: {exc}"]) from exc
    try:
        return yaml.load(text, Loader=YAML_LOADER)
    except yaml.YAMLError as exc:
        raise DataFileError(str(path), [f"not valid YAML: {exc}"]) from exc


def _parse_file(loader: _Loader, path: str, raw: Any) -> list[ParsedEntry]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        loader.problem(path, "a KB file must be a YAML list of entries")
        return []
    entries = []
    for index, item in enumerate(raw):
        entry = parse_entry(item, index)
        loader.warnings.extend(f"{path}: {w}" for w in entry.warnings)
        if entry.problems:
            for problem in entry.problems:
                loader.problem(path, problem)
            continue
        entries.append(entry)
    return entries


def _add_agents(loader: _Loader, path: str, raw: Any) -> None:
    agents, problems = parse_agent_entries(raw)
    loader.agents.extend(agents)
    for problem in problems:
        loader.problem(path, problem)


def _add_offices(loader: _Loader, path: str, raw: Any) -> None:
    offices, problems = parse_offices(raw)
    loader.offices = loader.offices.merged(offices)
    for problem in problems:
        loader.problem(path, problem)


def _add_new(loader: _Loader, path: str, entry: ParsedEntry) -> None:
    entity_id = entry.values["id"]
    if entity_id in loader.values:
        loader.problem(path, f"{entry.label}: duplicate id (also in {loader.sources[entity_id]})")
        return
    loader.values[entity_id] = entry.values
    loader.sources[entity_id] = path


def _override(loader: _Loader, path: str, entry: ParsedEntry) -> None:
    entity_id = entry.values["id"]
    loader.values[entity_id] = entry.values
    loader.sources[entity_id] = path
    loader.layers[entity_id] = loader.layer


def _apply_extension(loader: _Loader, path: str, entry: ParsedEntry) -> None:
    entity_id = entry.values["id"]
    if entity_id not in loader.values:
        loader.problem(path, f"{entry.label}: 'extend: true' but no entry has this id")
        return
    loader.values[entity_id] = merge_values(loader.values[entity_id], entry.values)
    if loader.layer:
        loader.layers[entity_id] = loader.layer


def _check_references(loader: _Loader) -> None:
    known = loader.values.keys()
    for entity_id, values in loader.values.items():
        path = loader.sources[entity_id]
        for field_name, target in _references(values):
            if target not in known:
                loader.problem(path, f"entry {entity_id!r}: {field_name} refers to unknown id {target!r}")


def _references(values: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    for key in ("part_of", "not_same_as", "members"):
        for target in values.get(key, ()):
            yield key, target
    if values.get("country"):
        yield "country", values["country"]
    for role in values.get("roles", ()):
        yield "roles.actor", role.actor


def _raise_problems(problems: Mapping[str, list[str]]) -> None:
    if not problems:
        return
    paths = list(problems)
    first = paths[0]
    listed = list(problems[first])
    for other in paths[1:]:
        listed.extend(f"{other}: {p}" for p in problems[other])
    raise DataFileError(first, listed)

