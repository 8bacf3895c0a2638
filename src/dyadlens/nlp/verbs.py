"""The verb and phrase dictionary: predicate patterns mapped to CAMEO codes.

The packaged dictionary is ``nlp/data/verbs.yaml``; analysts add their own
files through ``Resources(verb_files=...)`` (YAML in the same format, or a
PETRARCH ``.verbs`` dictionary, see :mod:`dyadlens.nlp.petrarch_verbs`).
Entries of extra files are added to the packaged ones and take precedence
over them for the lemmas they define: candidates are ranked by file (the
latest given first), then by how specific the pattern is. A suite that
brings its own dictionary may leave the packaged entries out altogether
(``packaged_entries=False``), keeping only the packaged word lists. Every
entry is validated on load: unknown keys, a missing or unknown CAMEO code or
an entry with neither ``verb`` nor ``noun`` raise
:class:`~dyadlens.errors.DataFileError` naming the file and the entry.
The format is documented in ``docs/verb-dictionary.md``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources as importlib_resources
from pathlib import Path
from typing import Any

import yaml

from dyadlens.errors import DataFileError
from dyadlens.kb.ontology import Ontology
from dyadlens.nlp.petrarch_verbs import read_petrarch_verbs
from dyadlens.nlp.verb_entry import VerbEntry

LIST_KEYS = ("verb", "noun", "particle", "preps", "object", "modifiers", "needs")
FLAG_KEYS = ("symmetric", "reverse", "complement", "answers", "home")
ENTRY_KEYS = frozenset((*LIST_KEYS, *FLAG_KEYS, "code", "owner", "note"))
OWNERS = ("source", "target")
#: libyaml's safe loader when PyYAML was built with it (several times faster), else the pure one.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
WORD_LISTS = ("agent_heads", "helper_verbs", "people_heads")


@dataclass(slots=True)
class VerbDictionary:
    entries: list[VerbEntry] = field(default_factory=list)
    agent_heads: frozenset[str] = frozenset()
    helper_verbs: frozenset[str] = frozenset()
    #: nouns for a country's people ("Liberian refugees"): the country, as the target of an event
    people_heads: frozenset[str] = frozenset()
    skipped: dict[str, int] = field(default_factory=dict)  # per file: patterns an importer could not use
    #: per file: the patterns an importer could not use, by reason ("^ (skip a phrase)": 12)
    skip_reasons: dict[str, dict[str, int]] = field(default_factory=dict)
    _index: dict[tuple[str, str], list[VerbEntry]] = field(default_factory=dict, repr=False)

    def build_index(self) -> None:
        """Index the entries by (kind, lemma), each list latest file first, then most specific."""
        self._index = {}
        for entry in self.entries:
            for lemma in entry.lemmas:
                self._index.setdefault((entry.kind, lemma), []).append(entry)
        for found in self._index.values():
            found.sort(key=lambda e: (-e.order, -e.specificity))

    def candidates(self, lemma: str, kind: str) -> list[VerbEntry]:
        """Entries for a trigger lemma, latest file first, then most specific."""
        return list(self._index.get((kind, lemma), ()))

    def has_lemma(self, lemma: str, kind: str) -> bool:
        return (kind, lemma) in self._index

    def by_id(self, entry_id: str) -> VerbEntry | None:
        return next((e for e in self.entries if e.id == entry_id), None)


def default_verbs_path() -> Path:
    return Path(str(importlib_resources.files("dyadlens.nlp") / "data" / "verbs.yaml"))


def load_verb_dictionary(
    ontology: Ontology, extra_files: Sequence[Path] = (), packaged_entries: bool = True
) -> VerbDictionary:
    """The packaged dictionary plus the analyst's files, every code checked against ``ontology``.

    With ``packaged_entries=False`` only the word lists of the packaged file are kept
    and the extra files alone say which predicates are events (PETRARCH reads a
    single verbs dictionary).
    """
    dictionary = VerbDictionary()
    for order, path in enumerate((default_verbs_path(), *extra_files)):
        _load_file(Path(path), ontology, order, dictionary)
    if not packaged_entries:
        dictionary.entries = [e for e in dictionary.entries if e.order > 0]
    dictionary.build_index()
    return dictionary


def _load_file(path: Path, ontology: Ontology, order: int, dictionary: VerbDictionary) -> None:
    if path.suffix.lower() in {".txt", ".verbs"} or path.name.lower().endswith(".verbs.txt"):
        entries, skipped = read_petrarch_verbs(path, ontology, order)
        dictionary.entries.extend(entries)
        dictionary.skipped[str(path)] = sum(skipped.values())
        dictionary.skip_reasons[str(path)] = dict(skipped.most_common())
        return
    data = _read_yaml(path)
    entries, words = parse_verb_yaml(data, path, ontology, order)
    dictionary.entries.extend(entries)
    dictionary.agent_heads = dictionary.agent_heads | words["agent_heads"]
    dictionary.helper_verbs = dictionary.helper_verbs | words["helper_verbs"]
    dictionary.people_heads = dictionary.people_heads | words["people_heads"]


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)
    except OSError as exc:
        raise DataFileError(str(path), [f"cannot read: {exc.strerror}"]) from exc
    except yaml.YAMLError as exc:
        raise DataFileError(str(path), [f"not valid YAML: {exc}"]) from exc
    if not isinstance(data, dict) or not isinstance(data.get("entries", []), list):
        raise DataFileError(str(path), ["expected a mapping with a list under 'entries'"])
    return data


def parse_verb_yaml(
    data: dict[str, Any], path: Path, ontology: Ontology, order: int = 0
) -> tuple[list[VerbEntry], dict[str, frozenset[str]]]:
    """Validate and build the entries and word lists of one YAML dictionary."""
    problems: list[str] = []
    entries: list[VerbEntry] = []
    unknown_top = set(data) - {"entries", *WORD_LISTS}
    if unknown_top:
        problems.append(f"unknown top-level keys: {', '.join(sorted(unknown_top))}")
    for number, raw in enumerate(data.get("entries") or [], start=1):
        try:
            entries.append(_entry(raw, f"{path.stem}:{number}", ontology, order))
        except ValueError as exc:
            problems.append(f"entry {number}: {exc}")
    words: dict[str, frozenset[str]] = {}
    for key in WORD_LISTS:
        value = data.get(key) or []
        if not isinstance(value, list) or not all(isinstance(w, str) for w in value):
            problems.append(f"{key} must be a list of words")
            value = []
        words[key] = frozenset(w.lower() for w in value)
    if problems:
        raise DataFileError(str(path), problems)
    return entries, words


def _entry(raw: Any, entry_id: str, ontology: Ontology, order: int) -> VerbEntry:
    if not isinstance(raw, dict):
        raise ValueError("an entry must be a mapping")
    unknown = set(raw) - ENTRY_KEYS
    if unknown:
        raise ValueError(f"unknown keys {', '.join(sorted(unknown))}")
    code = str(raw.get("code", "")).strip()
    if not ontology.is_valid(code):
        raise ValueError(f"unknown CAMEO code {code!r}")
    kinds = [k for k in ("verb", "noun") if k in raw]
    if len(kinds) != 1:
        raise ValueError("needs exactly one of 'verb' or 'noun'")
    owner = raw.get("owner", "source")
    if owner not in OWNERS:
        raise ValueError(f"owner must be one of {', '.join(OWNERS)}")
    lists = {key: _lemmas(raw.get(key), key) for key in LIST_KEYS}
    if not lists[kinds[0]]:
        raise ValueError(f"empty '{kinds[0]}'")
    return VerbEntry(
        id=entry_id,
        code=code,
        kind=kinds[0],
        lemmas=frozenset(lists[kinds[0]]),
        particles=frozenset(lists["particle"]),
        preps=frozenset(lists["preps"]),
        objects=frozenset(lists["object"]),
        modifiers=frozenset(lists["modifiers"]),
        needs=tuple(_need(n) for n in lists["needs"]),
        symmetric=_flag(raw, "symmetric"),
        reverse=_flag(raw, "reverse"),
        complement=_flag(raw, "complement"),
        answers=_flag(raw, "answers"),
        home=_flag(raw, "home"),
        owner=owner,
        note=str(raw.get("note", "")),
        order=order,
    )


def _lemmas(value: Any, key: str) -> list[str]:
    if value is None:
        return []
    items: Iterable[Any] = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(v, str) and v.strip() for v in items):
        raise ValueError(
            f"'{key}' must be a word or a list of words (quote on/off/yes/no: YAML reads them as true/false)"
        )
    return [v.strip().lower() for v in items]


def _need(phrase: str) -> tuple[str, str]:
    words = phrase.split()
    if len(words) != 2:
        raise ValueError(f"'needs' phrase {phrase!r} must be 'preposition noun'")
    return words[0], words[1]


def _flag(raw: dict[str, Any], key: str) -> bool:
    value = raw.get(key, False)
    if not isinstance(value, bool):
        raise ValueError(f"'{key}' must be true or false")
    return value
