"""What identity knows of a report, and the analyst's merge/split links between reports."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from dyadlens.model import Event

#: A report named by its evidence, as corrections name it: doc_id, start, end, source, target, code
EvidenceKey = tuple[str, int, int, str | None, str | None, str]


@dataclass(frozen=True, slots=True)
class Report:
    """One event report with what identity needs."""

    event: Event
    published: str | None  # the document's publication date
    outlet: str | None
    sentence: str  # the evidence sentence's text
    headline: bool = False  # the sentence is the document's title/heading

    @property
    def key(self) -> EvidenceKey:
        return evidence_key(self.event)

    @property
    def counted(self) -> bool:
        """Whether the report tells an event (not a standing fact, not rejected by the analyst)."""
        return not self.event.standing and self.event.correction != "rejected"


def evidence_key(event: Event) -> EvidenceKey:
    return (event.doc_id, event.start, event.end, event.source, event.target, event.code)


def key_from_json(text: str) -> EvidenceKey:
    """The evidence key a correction's ``other`` column holds (a JSON object)."""
    found = json.loads(text)
    return (str(found["doc_id"]), int(found["start"]), int(found["end"]), found.get("source"),
            found.get("target"), str(found["code"]))


def key_to_json(key: EvidenceKey) -> str:
    doc_id, start, end, source, target, code = key
    return json.dumps({"doc_id": doc_id, "start": start, "end": end, "source": source, "target": target,
                       "code": code}, sort_keys=True)


@dataclass(frozen=True, slots=True)
class Links:
    """The analyst's judgements: pairs of reports that tell one event (merge, must-link) or two
    (split, cannot-link). A must-link overrides every compatibility test; a cannot-link keeps
    the two reports in different clusters whatever their score."""

    must: frozenset[frozenset[EvidenceKey]] = field(default_factory=frozenset)
    cannot: frozenset[frozenset[EvidenceKey]] = field(default_factory=frozenset)

    @classmethod
    def of(cls, must: Iterable[tuple[EvidenceKey, EvidenceKey]] = (),
           cannot: Iterable[tuple[EvidenceKey, EvidenceKey]] = ()) -> Links:
        return cls(frozenset(frozenset(pair) for pair in must), frozenset(frozenset(pair) for pair in cannot))

    def must_link(self, a: EvidenceKey, b: EvidenceKey) -> bool:
        return frozenset((a, b)) in self.must

    def cannot_link(self, a: EvidenceKey, b: EvidenceKey) -> bool:
        return frozenset((a, b)) in self.cannot

    def partners(self, key: EvidenceKey) -> set[EvidenceKey]:
        """The reports a merge or a split names together with ``key``."""
        return {other for pair in self.must | self.cannot if key in pair for other in pair if other != key}
