"""Event identity scored against a clustering gold: which reports tell the same real event.

A cluster gold file (``examples/clusters.gold.jsonl``) has one JSON line per real
event told by two or more gold events of one gold file::

    {"event": "slug", "note": "...", "reports": [{"doc": ..., "sentence": ..., "source": ...,
     "target": ..., "cameo": "17", "code": "172"}, ...]}

Each report names exactly one gold event of its gold file (``code`` is needed
only where two gold events share the rest); gold events not listed are
singletons. See docs/evaluation.md and examples/GOLD.md.

The system's clusters come from :func:`dyadlens.identity.cluster_reports` over
every system event of every document that is not a duplicate of another. Scoring is over the *aligned* reports:
system events strictly matched to a gold event by the scorer. Pairwise
precision is the share of aligned pairs the system puts together that the
gold puts together; recall the share of the gold's pairs the system puts
together. B-cubed precision and recall average the same question per report.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dyadlens.errors import InputError
from dyadlens.evaluation.metrics import Counts

if TYPE_CHECKING:
    from dyadlens.evaluation.scorer import DocScore
    from dyadlens.model import DocumentRecords

#: A gold event: its document and its index in that document's ``events``
GoldEvent = tuple[str, int]
#: The fields a cluster-gold report must give to name its gold event
REPORT_FIELDS = ("doc", "sentence", "source", "target", "cameo")


@dataclass(frozen=True)
class ClusterGold:
    """The gold clusters of one gold file: gold event -> the slug of its real event (listed events only)."""

    event_of: Mapping[GoldEvent, str]

    @property
    def clusters(self) -> int:
        return len(set(self.event_of.values()))

    def label(self, gold_event: GoldEvent) -> Hashable:
        """The gold cluster of a gold event; an unlisted one is a cluster of its own."""
        return self.event_of.get(gold_event, ("singleton", *gold_event))


@dataclass(frozen=True)
class ClusterScore:
    """Clustering quality over the aligned reports."""

    pairwise: Counts  # tp = pairs together in both, system / gold = pairs each puts together
    bcubed_precision: float
    bcubed_recall: float
    aligned_reports: int
    gold_clusters: int  # real events with two or more reports in the gold
    system_clusters: int  # system clusters with two or more reports (all system reports)
    duplicate_documents: list[str]  # documents left out as duplicates of another

    @property
    def bcubed_f1(self) -> float:
        both = self.bcubed_precision + self.bcubed_recall
        return 2 * self.bcubed_precision * self.bcubed_recall / both if both else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "pairwise": self.pairwise.as_dict(),
            "bcubed": {
                "precision": round(self.bcubed_precision, 4),
                "recall": round(self.bcubed_recall, 4),
                "f1": round(self.bcubed_f1, 4),
            },
            "aligned_reports": self.aligned_reports,
            "gold_clusters": self.gold_clusters,
            "system_clusters": self.system_clusters,
            "duplicate_documents": list(self.duplicate_documents),
        }


def read_cluster_gold(path: Path, gold_lines: Sequence[Mapping[str, Any]]) -> ClusterGold:
    """Read and validate a cluster gold file against the gold lines it annotates."""
    try:
        raw_lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror}") from exc
    events = {str(line["doc"]): list(line.get("events") or []) for line in gold_lines}
    event_of: dict[GoldEvent, str] = {}
    for number, text in enumerate(raw_lines, 1):
        if not text.strip():
            continue
        try:
            parsed = _parse_cluster(text, events)
        except _LineError as exc:
            raise InputError(str(path), f"line {number}: {exc}") from exc
        for gold_event, slug in parsed:
            _claim(event_of, gold_event, slug, path, number)
    return ClusterGold(event_of)


def _claim(event_of: dict[GoldEvent, str], gold_event: GoldEvent, slug: str, path: Path, number: int) -> None:
    if gold_event in event_of:
        raise InputError(str(path), f"line {number}: gold event {gold_event[1] + 1} of {gold_event[0]} "
                         f"is already a report of {event_of[gold_event]!r}")
    event_of[gold_event] = slug


def _parse_cluster(text: str, events: Mapping[str, list[dict[str, Any]]]) -> list[tuple[GoldEvent, str]]:
    """One line's (gold event, slug) pairs; a problem raises ``_LineError``."""
    try:
        line = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _LineError(f"not JSON ({exc.msg})") from exc
    if not isinstance(line, dict) or not isinstance(line.get("event"), str) or not line["event"]:
        raise _LineError("expected an object with an 'event' name")
    reports = line.get("reports")
    if not isinstance(reports, list) or len(reports) < 2:
        raise _LineError(f"{line['event']!r}: 'reports' must list two or more reports (others are singletons)")
    return [(_gold_event(report, events), line["event"]) for report in reports]


def _gold_event(report: Any, events: Mapping[str, list[dict[str, Any]]]) -> GoldEvent:
    if not isinstance(report, dict) or any(not isinstance(report.get(f), str) for f in REPORT_FIELDS):
        raise _LineError(f"a report must give {', '.join(REPORT_FIELDS)} as strings: {report!r}")
    doc = report["doc"]
    if doc not in events:
        raise _LineError(f"document {doc!r} has no line in the gold file")
    found = [i for i, event in enumerate(events[doc]) if _names(report, event)]
    if len(found) != 1:
        problem = "no gold event" if not found else f"{len(found)} gold events (give 'code')"
        raise _LineError(f"{problem} in {doc} matches {report['source']} -> {report['target']} "
                         f"{report['cameo']} in {report['sentence'][:60]!r}")
    return (doc, found[0])


def _names(report: Mapping[str, Any], event: Mapping[str, Any]) -> bool:
    """Whether a cluster-gold report names this gold event."""
    root = str(event.get("cameo") or event.get("code") or "")[:2]
    same_code = "code" not in report or report["code"] == event.get("code")
    return same_code and report["cameo"] == root and all(
        report[field] == event.get(field) for field in ("sentence", "source", "target")
    )


class _LineError(ValueError):
    """A problem with one line of a cluster gold file (the reader adds the file and line)."""


def score_assignments(assignments: Iterable[tuple[Hashable, Hashable]]) -> tuple[Counts, float, float]:
    """Pairwise counts and B-cubed precision/recall of (gold cluster, system cluster) labels, one per report."""
    pairs = list(assignments)
    gold_sizes = Counter(gold for gold, _ in pairs)
    system_sizes = Counter(system for _, system in pairs)
    both_sizes = Counter(pairs)
    pairwise = Counts(_pairs(both_sizes), _pairs(system_sizes), _pairs(gold_sizes))
    if not pairs:
        return pairwise, 0.0, 0.0
    precision = sum(both_sizes[pair] / system_sizes[pair[1]] for pair in pairs) / len(pairs)
    recall = sum(both_sizes[pair] / gold_sizes[pair[0]] for pair in pairs) / len(pairs)
    return pairwise, precision, recall


def _pairs(sizes: Counter[Any]) -> int:
    return sum(n * (n - 1) // 2 for n in sizes.values())


def score_clusters(
    records: Sequence[DocumentRecords], documents: Sequence[DocScore], gold: ClusterGold,
    system_cluster: Mapping[str, str],
) -> ClusterScore:
    """Score the system's clusters (event id -> cluster id: :func:`system_clusters`) of the
    reports aligned to gold events against ``gold``.

    The reports of a document the store marks as a duplicate of another are left out: the store
    counts such a document as its original, and the engine never sees its reports.
    """
    events = {r.document.id: r.events for r in records}
    duplicates = {r.document.id for r in records if r.document.duplicate_of is not None}

    def system_label(doc: str, s: int) -> Hashable:
        """The system cluster of an aligned report; a report the engine left out is a cluster of its own."""
        event_id = events[doc][s].id
        return system_cluster.get(event_id, ("singleton", event_id))

    assignments = [
        (gold.label((doc.doc, g)), system_label(doc.doc, s))
        for doc in documents
        if doc.doc not in duplicates
        for g, s in sorted(doc.event_matches.items())
    ]
    pairwise, precision, recall = score_assignments(assignments)
    sizes = Counter(system_cluster.values())
    return ClusterScore(
        pairwise, precision, recall, len(assignments), gold.clusters, sum(1 for n in sizes.values() if n >= 2),
        sorted(duplicates),
    )


def system_clusters(records: Sequence[DocumentRecords]) -> dict[str, str]:
    """event id -> cluster id, from the identity engine over the reports of every non-duplicate document."""
    from dyadlens.identity import Report, cluster_reports

    reports = [
        Report(event, r.document.published, r.document.outlet, r.document.text[event.start : event.end],
               headline=_is_heading(r, event.sentence_index))
        for r in records
        if r.document.duplicate_of is None
        for event in r.events
    ]
    return cluster_reports(reports)


def _is_heading(records: DocumentRecords, sentence_index: int) -> bool:
    return any(s.index == sentence_index and s.kind == "heading" for s in records.sentences)
