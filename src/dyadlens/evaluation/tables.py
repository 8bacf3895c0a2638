"""Plain-text tables of scores (the CLI prints them; the library never prints)."""

from __future__ import annotations

from collections.abc import Sequence

from dyadlens.evaluation.clusters import ClusterScore
from dyadlens.evaluation.metrics import Accuracy, Counts
from dyadlens.evaluation.scorer import ACCURACY_LAYERS, COUNT_LAYERS, Report
from dyadlens.evaluation.suites import SuiteResult


def _counts_row(label: str, counts: Counts) -> str:
    return (
        f"{label:<16} {counts.precision:>6.3f} {counts.recall:>6.3f} {counts.f1:>6.3f}"
        f" {counts.tp:>6} {counts.system:>6} {counts.gold:>6}"
    )


def _accuracy_row(label: str, accuracy: Accuracy) -> str:
    return f"{label:<16} {accuracy.value:>6.3f} {accuracy.correct:>6} {accuracy.total:>6}"


def format_report(report: Report, with_errors: bool = False) -> str:
    lines = [f"{'layer':<16} {'P':>6} {'R':>6} {'F1':>6} {'tp':>6} {'system':>6} {'gold':>6}"]
    lines += [_counts_row(layer, report.counts(layer)) for layer in COUNT_LAYERS]
    lines += ["", f"{'accuracy':<16} {'value':>6} {'ok':>6} {'of':>6}"]
    lines += [_accuracy_row(name, report.accuracy(name)) for name in ACCURACY_LAYERS]
    if report.clustering is not None:
        lines += ["", *_clustering_rows(report.clustering)]
    lines += ["", "F1 per document: " + " / ".join(COUNT_LAYERS)]
    for doc in report.documents:
        lines.append(f"  {doc.doc:<28} " + " ".join(f"{doc.counts[layer].f1:.3f}" for layer in COUNT_LAYERS))
    lines += [f"warning: {w}" for w in report.warnings]
    if with_errors:
        lines += ["", "errors:"] + [_error_line(e.doc, e.layer, e.kind, e.item, e.sentence) for e in report.errors]
    return "\n".join(lines)


def _clustering_rows(clustering: ClusterScore) -> list[str]:
    return [
        f"{'clusters':<16} {'P':>6} {'R':>6} {'F1':>6} {'tp':>6} {'system':>6} {'gold':>6}",
        _counts_row("pairwise", clustering.pairwise),
        f"{'b-cubed':<16} {clustering.bcubed_precision:>6.3f} {clustering.bcubed_recall:>6.3f}"
        f" {clustering.bcubed_f1:>6.3f}",
        f"aligned reports {clustering.aligned_reports}, gold clusters {clustering.gold_clusters},"
        f" system clusters (2+ reports) {clustering.system_clusters}",
        *(f"left out as a duplicate document: {doc}" for doc in clustering.duplicate_documents),
    ]


def _error_line(doc: str, layer: str, kind: str, item: str, sentence: str | None) -> str:
    where = f"\n      in: {sentence}" if sentence else ""
    return f"  [{doc}] {layer} {kind}: {item}{where}"


def format_suites(results: Sequence[SuiteResult]) -> str:
    lines = [f"{'suite':<26} {'cases':>5}  {'measure':<9} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'sys':>5} {'gold':>5}"]
    for result in results:
        for label, counts in (
            ("exact", result.exact),
            ("root", result.root),
            ("country", result.country),
            ("no-event", result.no_event),
        ):
            lines.append(
                f"{result.suite:<26} {result.cases:>5}  {label:<9} {counts.precision:>6.3f} {counts.recall:>6.3f}"
                f" {counts.f1:>6.3f} {counts.tp:>5} {counts.system:>5} {counts.gold:>5}"
            )
        lines += [f"  note: {note}" for note in result.notes[:20]]
        if len(result.notes) > 20:
            lines.append(f"  note: ... and {len(result.notes) - 20} more")
    return "\n".join(lines)
