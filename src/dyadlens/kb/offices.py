"""Offices and institutions: the generic titles and bodies of every state, as patterns.

A title ("deputy foreign minister", "a spokeswoman for ...") says whom a person the KB
does not know acts for; an institution named with its state ("the Supreme Court of X",
"X's parliament") stands for that state. Each office has its CAMEO sector codes and
whether it acts for the government of the day or for the state (see
``KnowledgeBase.government_of``). Read from ``data/offices.yaml``; the format is in
``docs/kb-format.md`` ("Offices and institutions").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from dyadlens.kb.agents import ACTS_AS

OFFICE_KINDS = ("person", "institution")


@dataclass(frozen=True, slots=True)
class Office:
    """One office pattern: its words (lower-cased tokens), kind, sectors and whom it acts for."""

    words: tuple[str, ...]
    kind: str  # one of OFFICE_KINDS
    sectors: str
    acts_as: str  # one of ACTS_AS

    @property
    def text(self) -> str:
        return " ".join(self.words)


@dataclass(frozen=True, slots=True)
class Offices:
    """The office patterns by their words, and the modifiers a title may start with ("deputy")."""

    by_words: dict[tuple[str, ...], Office] = field(default_factory=dict)
    modifiers: frozenset[str] = frozenset()
    #: the most words an office has (derived from ``by_words``; read for every word of the text)
    max_words: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "max_words", max((len(k) for k in self.by_words), default=0))

    def __len__(self) -> int:
        return len(self.by_words)

    def longest_at(self, words: Sequence[str], start: int, kind: str) -> Office | None:
        """The longest office of ``kind`` whose words begin at ``words[start]`` (lower-cased words)."""
        for n in range(min(self.max_words, len(words) - start), 0, -1):
            office = self.by_words.get(tuple(words[start : start + n]))
            if office is not None and office.kind == kind:
                return office
        return None

    def merged(self, other: Offices) -> Offices:
        """These offices with ``other``'s added (``other`` wins on the same words)."""
        return Offices({**self.by_words, **other.by_words}, self.modifiers | other.modifiers)


def office_words(term: str) -> tuple[str, ...]:
    """A term as the lower-cased words it is matched by ("secretary-general" is one word)."""
    return tuple(term.casefold().replace("'s", " 's").split())


def parse_offices(raw: Any) -> tuple[Offices, list[str]]:
    """Office entries from a YAML list; returns them and the problems found."""
    if raw is None:
        return Offices(), []
    if not isinstance(raw, list):
        return Offices(), ["an offices file must be a YAML list of entries"]
    by_words: dict[tuple[str, ...], Office] = {}
    modifiers: set[str] = set()
    problems: list[str] = []
    for index, item in enumerate(raw):
        label = f"office entry #{index + 1}"
        if isinstance(item, dict) and set(item) == {"modifiers"}:
            listed, problem = _strings(item["modifiers"], label, "modifiers")
            modifiers.update(w.casefold() for w in listed)
            problems.extend(problem)
            continue
        office_problems = _check_entry(item, label)
        if office_problems:
            problems.extend(office_problems)
            continue
        for term in item["terms"]:
            words = office_words(term)
            by_words[words] = Office(words, item["kind"], " ".join(str(item["sectors"]).split()), item["acts_as"])
    return Offices(by_words, frozenset(modifiers)), problems


def _check_entry(item: Any, label: str) -> list[str]:
    if not isinstance(item, dict):
        return [f"{label}: expected a mapping with kind, terms, sectors and acts_as"]
    problems = _strings(item.get("terms"), label, "terms")[1]
    if item.get("kind") not in OFFICE_KINDS:
        problems.append(f"{label}: 'kind' must be one of {', '.join(OFFICE_KINDS)}, got {item.get('kind')!r}")
    if item.get("acts_as") not in ACTS_AS:
        problems.append(f"{label}: 'acts_as' must be one of {', '.join(ACTS_AS)}, got {item.get('acts_as')!r}")
    sectors = item.get("sectors")
    codes = sectors.split() if isinstance(sectors, str) else []
    if not codes or not all(s.isalpha() and s.isupper() for s in codes):
        problems.append(f"{label}: 'sectors' must be upper-case CAMEO agent codes such as 'GOV' or 'OPP LEG'")
    unknown = set(item) - {"kind", "terms", "sectors", "acts_as"}
    if unknown:
        problems.append(f"{label}: unknown fields {', '.join(sorted(unknown))}")
    return problems


def _strings(value: Any, label: str, name: str) -> tuple[list[str], list[str]]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        return [], [f"{label}: '{name}' must be a non-empty list of strings"]
    return [v.strip() for v in value], []
