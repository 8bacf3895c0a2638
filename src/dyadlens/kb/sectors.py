"""CAMEO agent (sector) codes: what they are called, the words that signal them, how they compose.

The shipped list is ``data/sectors/cameo_sectors.yaml`` (one entry per code: its
name, whether PETRARCH writes it before the country code, and the general nouns,
titles and offices that signal it). :class:`SectorLexicon` joins it with the
KB's agent terms (``agents.yaml`` and any PETRARCH ``.agents`` dictionary),
which come first, the file loaded last first, so a dictionary loaded on top of
the shipped KB decides for the terms it defines.

A sector-coded actor code is composed the way PETRARCH composes it: the prefix
sectors, the actor's own code (``---`` when there is none), the other sectors,
each three-letter part written once: ``ARN`` + ``GOV`` -> ``ARNGOV``,
``ARN`` + ``NGO GOV`` -> ``NGOARNGOV``, ``USAGOV`` + ``GOV`` -> ``USAGOV``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from dyadlens.errors import DataFileError
from dyadlens.kb.agents import GOVERNMENT_AGENT_CODES, AgentTerm

SECTORS_FILE = Path(__file__).parent / "data" / "sectors" / "cameo_sectors.yaml"
NO_COUNTRY = "---"
CODE_WIDTH = 3
_CODE = re.compile(r"^[A-Z]{3}$")
GOV = "GOV"
#: Organs of a government other than the government itself (military, police, courts...).
STATE_ORGAN_CODES = frozenset(GOVERNMENT_AGENT_CODES) - {GOV}


@dataclass(frozen=True, slots=True)
class Sector:
    code: str
    name: str
    prefix: bool = False
    terms: tuple[str, ...] = ()


def load_sectors(path: Path = SECTORS_FILE) -> tuple[Sector, ...]:
    """The sector entries of a YAML file; raises DataFileError naming every bad entry."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataFileError(str(path), [f"cannot read the sector list: {exc}"]) from exc
    sectors, problems = parse_sectors(raw)
    if problems:
        raise DataFileError(str(path), problems)
    return sectors


def parse_sectors(raw: Any) -> tuple[tuple[Sector, ...], list[str]]:
    """Sector entries from a YAML list, and the problems found in it."""
    if not isinstance(raw, list):
        return (), ["the sector list must be a YAML list of entries"]
    sectors: list[Sector] = []
    problems: list[str] = []
    for index, item in enumerate(raw, start=1):
        sector, problem = _parse_sector(item)
        if problem:
            problems.append(f"sector entry #{index}: {problem}")
        elif sector is not None:
            sectors.append(sector)
    seen = [s.code for s in sectors]
    problems.extend(f"sector {code} is listed twice" for code in sorted({c for c in seen if seen.count(c) > 1}))
    return tuple(sectors), problems


def _parse_sector(item: Any) -> tuple[Sector | None, str]:
    if not isinstance(item, dict):
        return None, "not a mapping"
    code, name, terms = item.get("code"), item.get("name"), item.get("terms", [])
    if not isinstance(code, str) or not _CODE.match(code):
        return None, f"'code' must be three capital letters, got {code!r}"
    if not isinstance(name, str) or not name.strip():
        return None, "'name' must be a non-empty string"
    if not isinstance(terms, list) or not all(isinstance(t, str) and t.strip() for t in terms):
        return None, "'terms' must be a list of non-empty strings"
    return Sector(code, name.strip(), bool(item.get("prefix", False)), tuple(t.strip().lower() for t in terms)), ""


def code_parts(code: str) -> tuple[str, ...]:
    """A CAMEO code in its three-letter parts: ``GOVFRM`` -> ``("GOV", "FRM")``."""
    bare = code.strip().strip("~").upper()
    return tuple(bare[i : i + CODE_WIDTH] for i in range(0, len(bare), CODE_WIDTH) if bare[i : i + CODE_WIDTH])


def term_words(term: str) -> tuple[str, ...]:
    """A term as the lower-case words it is matched on ("state-owned" -> state - owned)."""
    return tuple(term.casefold().replace("-", " - ").split())


class SectorLexicon:
    """Sector terms by their words, longest match first; agent terms of the KB win over the shipped list."""

    def __init__(self, sectors: Sequence[Sector], agents: Sequence[AgentTerm] = ()) -> None:
        self.codes = frozenset(s.code for s in sectors)
        self.prefix_codes = frozenset(
            {s.code for s in sectors if s.prefix} | {p for a in agents if a.prefix for p in code_parts(a.code)}
        )
        self.terms: dict[tuple[str, ...], tuple[str, ...]] = {}
        for agent in reversed(agents):  # files loaded later (a PETRARCH dictionary) override the shipped ones
            for term in agent.terms:
                self.terms.setdefault(term_words(term), code_parts(agent.code))
        for sector in sectors:
            for term in sector.terms:
                self.terms.setdefault(term_words(term), (sector.code,))
        self.max_words = max((len(k) for k in self.terms), default=0)

    def codes_in(self, words: Sequence[str], lemmas: Sequence[str] | None = None) -> list[str]:
        """The sector codes the word sequence names, in text order, each once.

        Terms are matched left to right, longest first, on the words or (for a
        plural the list does not spell out) on their lemmas.
        """
        found: list[str] = []
        i = 0
        while i < len(words):
            codes, width = self._match_at(words, lemmas, i)
            found.extend(c for c in codes if c not in found)
            i += max(width, 1)
        return found

    def _match_at(self, words: Sequence[str], lemmas: Sequence[str] | None, i: int) -> tuple[tuple[str, ...], int]:
        for n in range(min(self.max_words, len(words) - i), 0, -1):
            for sequence in (words, lemmas):
                if sequence is not None:
                    codes = self.terms.get(tuple(w.casefold() for w in sequence[i : i + n]))
                    if codes:
                        return codes, n
        return (), 0

    def own_sectors(self, actor_code: str | None) -> list[str]:
        """The sector parts an actor's own CAMEO code carries (``USAGOV`` -> GOV, ``IGOUNO`` -> IGO)."""
        if not actor_code:
            return []
        parts = code_parts(actor_code)
        own = parts if parts and parts[0] in self.prefix_codes else parts[1:]
        return [p for p in own if p in self.codes]

    def compose(self, actor_code: str | None, sectors: str | None) -> str:
        """The full actor code PETRARCH would write for an actor with these sectors."""
        return compose_code(actor_code, (sectors or "").split(), self.prefix_codes)


def compose_code(actor_code: str | None, sectors: Iterable[str], prefix_codes: frozenset[str]) -> str:
    """Prefix sectors, the actor's code (``---`` when none), the other sectors; each part once.

    An organ of government the text names replaces a government's own ``GOV``: the
    government of the day read from "Russian troops" is ``RUS`` + MIL, not ``RUSGOVMIL``.
    """
    base = actor_code or NO_COUNTRY
    added = list(dict.fromkeys(sectors))
    if base.endswith(GOV) and len(base) > CODE_WIDTH and any(s in STATE_ORGAN_CODES for s in added):
        base = base[: -len(GOV)]
    present = set(code_parts(base))
    added = [s for s in added if s not in present]
    before = "".join(s for s in added if s in prefix_codes)
    after = "".join(s for s in added if s not in prefix_codes)
    if before and base == NO_COUNTRY:
        return before + after
    return before + base + after


def known_group_code(actor_code: str | None, sector_codes: frozenset[str]) -> str | None:
    """The part of an actor code that names a known group (``IGOUNO`` -> UNO, ``PSEREBHMS`` -> HMS).

    A CAMEO actor code starts with its country (``---`` for none) unless it starts with a
    prefix sector (``IGO``, ``NGO``, ``IMG``...); the known group is the first part after
    that which is no sector code.
    """
    parts = code_parts(actor_code or "")
    if parts and parts[0] not in sector_codes:
        parts = parts[1:]
    return next((p for p in parts if p not in sector_codes), None)


@cache
def shipped_sectors() -> tuple[Sector, ...]:
    return load_sectors()


@cache
def shipped_sector_codes() -> frozenset[str]:
    return frozenset(s.code for s in shipped_sectors())
