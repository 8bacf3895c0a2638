"""Whether two reports can tell one event: each test a small function of its own.

The clusterer (:mod:`dyadlens.identity.core`) asks the hard tests (dyad, code,
date) first and scores the pairs that pass; docs/event-identity.md explains the
weights.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from dyadlens.partial_dates import InvalidDateError, PartialDate

if TYPE_CHECKING:
    from dyadlens.identity.reports import Report
    from dyadlens.kb.knowledge_base import KnowledgeBase

DATA_FILE = Path(__file__).parent / "data" / "identity.yaml"

#: Wording at least this similar (Jaccard of content stems) lets siblings of one root, and an
#: undated report from another document, join.
VERY_SIMILAR = 0.5
_STEM_LENGTH = 6
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class IdentityData:
    """The identity data file (``identity/data/identity.yaml``)."""

    symmetric_codes: tuple[str, ...]
    converse_codes: frozenset[tuple[str, str]]
    weak_date_rules: frozenset[str]
    stop_words: frozenset[str]


@cache
def identity_data() -> IdentityData:
    raw = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    pairs = {(str(a), str(b)) for a, b in raw["converse_codes"]}
    return IdentityData(
        symmetric_codes=tuple(str(code) for code in raw["symmetric_codes"]),
        converse_codes=frozenset(pairs | {(b, a) for a, b in pairs}),
        weak_date_rules=frozenset(str(rule) for rule in raw["weak_date_rules"]),
        stop_words=frozenset(str(word) for word in raw["stop_words"]),
    )


class ActorRelations:
    """Which actors may stand for each other in a dyad: an actor and its government, a group and
    the organisation it is part of (the KB's ``country`` of a governing entity, ``part_of``)."""

    def __init__(self, pairs: Iterable[tuple[str, str]] = ()) -> None:
        self._related: dict[str, set[str]] = defaultdict(set)
        for a, b in pairs:
            self._related[a].add(b)
            self._related[b].add(a)

    @classmethod
    def from_kb(cls, kb: KnowledgeBase) -> ActorRelations:
        pairs: list[tuple[str, str]] = []
        for entity in kb.entities():
            if entity.country and (entity.type == "government" or entity.governs):
                pairs.append((entity.id, entity.country))
            pairs.extend((entity.id, whole) for whole in entity.part_of)
        return cls(pairs)

    def alike(self, actor_id: str | None) -> set[str | None]:
        """The actor and every actor that may stand for it."""
        if actor_id is None:
            return {None}
        return {actor_id, *self._related.get(actor_id, ())}

    def related(self, a: str | None, b: str | None) -> bool:
        return a == b or b in self.alike(a)


@cache
def kb_relations() -> ActorRelations:
    """The relations of the shipped KB, loaded once per process."""
    from dyadlens.kb.knowledge_base import load_kb

    return ActorRelations.from_kb(load_kb())


# --- codes -------------------------------------------------------------------


def code_family(code: str) -> str:
    """The code as a path in the CAMEO tree: a root's "not specified" code (``050``) is the root."""
    return code[:2] if len(code) == 3 and code.endswith("0") else code


def is_generic(code: str) -> bool:
    """A root's own code (``05``, ``050``): many distinct events share it."""
    return len(code_family(code)) <= 2


def code_relation(a: str, b: str) -> str | None:
    """``equal``, ``parent`` (one is an ancestor of the other), ``sibling`` (same root) or None."""
    if a == b:
        return "equal"
    fa, fb = code_family(a), code_family(b)
    if fa.startswith(fb) or fb.startswith(fa):
        return "parent"
    return "sibling" if a[:2] == b[:2] else None


@cache
def symmetric(code: str) -> bool:
    return code.startswith(identity_data().symmetric_codes)


@cache
def undirected(code: str) -> bool:
    """A report with this code may tell its event from the other side (symmetric or converse codes)."""
    return symmetric(code) or any(code == a for a, _ in identity_data().converse_codes)


# --- dyads -------------------------------------------------------------------


def dyad_relation(a: Report, b: Report, relations: ActorRelations) -> str | None:
    """``same``, ``related`` (sides the KB relates), ``reversed`` (a symmetric or converse code
    told from the other side) or None."""
    ea, eb = a.event, b.event
    if (ea.source, ea.target) == (eb.source, eb.target):
        return "same"
    if relations.related(ea.source, eb.source) and relations.related(ea.target, eb.target):
        return "related"
    if not (relations.related(ea.source, eb.target) and relations.related(ea.target, eb.source)):
        return None
    both_symmetric = symmetric(ea.code) and symmetric(eb.code)
    converse = (ea.code, eb.code) in identity_data().converse_codes
    return "reversed" if both_symmetric or converse else None


# --- dates -------------------------------------------------------------------


def parsed_date(value: str | None) -> PartialDate | None:
    try:
        return PartialDate.parse(value) if value else None
    except InvalidDateError:
        return None


def dates_overlap(a: str | None, b: str | None) -> bool:
    """Both dated and sharing a day at their precision ("2025-07" overlaps "2025-07-03")."""
    da, db = parsed_date(a), parsed_date(b)
    return da is not None and db is not None and da.overlaps(db, db)


def coarser_precision(a: str, b: str) -> str:
    """The precision of the coarser of two dates: ``year``, ``month`` or ``day``."""
    return "year" if min(len(a), len(b)) == 4 else "month" if min(len(a), len(b)) == 7 else "day"


def weak_date(report: Report) -> bool:
    """The event's date came from the document or the speech, not from the text's own date."""
    rule = report.event.date_rule or ""
    return rule.split(":")[0] in identity_data().weak_date_rules


# --- wording -----------------------------------------------------------------


def content_stems(sentence: str, actor_ids: Iterable[str | None] = ()) -> frozenset[str]:
    """The sentence's content words, lower-cased and cut to a crude stem, without stop words
    and without the words of the actors' ids (the dyad is compared on its own)."""
    data = identity_data()
    actor_words = {word for actor in actor_ids if actor for word in actor.split("-")}
    words = (word.casefold() for word in _WORD.findall(sentence))
    return frozenset(
        word[:_STEM_LENGTH] for word in words
        if word not in data.stop_words and word not in actor_words and len(word) > 1
    )


def wording_similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Jaccard similarity of two sets of content stems."""
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def headline_pair(a: Report, b: Report) -> bool:
    """The headline of a document and a body report of the same document."""
    return a.event.doc_id == b.event.doc_id and a.headline != b.headline
