"""Pair-level scores of the learned coder on labelled sentences (the dyad given): event
detection over every ordered pair, the root of each gold event, modality, and calibration."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from dyadlens.learned.pairs import NONE, Example, LabelledPair

if TYPE_CHECKING:
    from dyadlens.learned.classifier import PairClassifier, PairPrediction


@dataclass(frozen=True)
class Scored:
    """One gold pair and what the classifier said of it."""

    gold: LabelledPair
    score: float  # P(event)
    root: str  # the likeliest root
    modality: str

    def label(self, threshold: float) -> str:
        return self.root if self.score >= threshold else NONE


def scored_pairs(classifier: PairClassifier, found: Sequence[Example]) -> list[Scored]:
    predictions = classifier.predict([(example.text, example.mentions) for example in found])
    rows = []
    for example, predicted in zip(found, predictions, strict=True):
        by_pair: dict[tuple[str, str], PairPrediction] = {(p.source, p.target): p for p in predicted}
        for pair in example.pairs:
            p = by_pair[(pair.source, pair.target)]
            rows.append(Scored(pair, p.score, p.root, p.modality))
    return rows


def score_classifier(classifier: PairClassifier, found: Sequence[Example], threshold: float = 0.5) -> dict[str, Any]:
    rows = scored_pairs(classifier, found)
    return {**score(rows, threshold), "calibration": calibration(rows)}


def score(rows: Sequence[Scored], threshold: float = 0.5) -> dict[str, Any]:
    """Detection P/R/F1 (a true positive is an event pair given its gold root), root accuracy and
    macro-F1 over the gold events (dyad given), modality accuracy over the gold events."""
    labels = [row.label(threshold) for row in rows]
    tp = sum(r.gold.label != NONE and label == r.gold.label for r, label in zip(rows, labels, strict=True))
    system = sum(label != NONE for label in labels)
    positives = [r for r in rows if r.gold.label != NONE]
    precision, recall = tp / max(system, 1), tp / max(len(positives), 1)
    roots = sorted({r.gold.label for r in positives})
    per_root = {root: _f1([(r.gold.label == root, r.root == root) for r in positives]) for root in roots}
    with_modality = [r for r in positives if r.gold.modality]
    return {
        "threshold": threshold,
        "detection": {"precision": precision, "recall": recall,
                      "f1": 2 * precision * recall / max(precision + recall, 1e-9)},
        "root_dyad_given": {"accuracy": sum(r.gold.label == r.root for r in positives) / max(len(positives), 1),
                            "macro_f1": sum(per_root.values()) / max(len(per_root), 1), "per_root": per_root},
        "modality_accuracy": sum(r.gold.modality == r.modality for r in with_modality) / max(len(with_modality), 1),
        "counts": {"pairs": len(rows), "gold_events": len(positives), "system_events": system,
                   "true_positives": tp, "gold_roots": dict(sorted(Counter(r.gold.label for r in positives).items()))},
    }


@dataclass(frozen=True)
class Bin:
    low: float
    high: float
    pairs: int
    mean_score: float
    event_share: float  # how many of them are gold events


def calibration(rows: Sequence[Scored], bins: int = 10) -> dict[str, Any]:
    """Reliability of the event score: per score bin, the mean score and the share of gold
    events; the expected calibration error is their weighted gap."""
    table = []
    for index in range(bins):
        low, high = index / bins, (index + 1) / bins
        inside = [r for r in rows if low <= r.score < high or (index == bins - 1 and r.score == 1.0)]
        if inside:
            table.append(Bin(low, high, len(inside), sum(r.score for r in inside) / len(inside),
                             sum(r.gold.label != NONE for r in inside) / len(inside)))
    error = sum(b.pairs * abs(b.mean_score - b.event_share) for b in table) / max(len(rows), 1)
    return {"expected_calibration_error": error, "bins": [asdict(b) for b in table]}


def _f1(rows: Sequence[tuple[bool, bool]]) -> float:
    tp = sum(g and p for g, p in rows)
    return 2 * tp / max(sum(g for g, _ in rows) + sum(p for _, p in rows), 1)
