"""The quality gate: per-layer floors the seeds evaluation must reach.

``tests/quality_floors.json`` holds ``floors`` (metric name -> lowest
acceptable value), ``gold_sha256`` (the digest of the gold file the floors were
measured on) and ``why`` (what the floors protect). Floors only go up:
``scripts/raise_floors.py`` rewrites them from a fresh evaluation.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from dyadlens.errors import InputError
from dyadlens.evaluation.scorer import Report

GATE_METRICS = (
    "actors_f1",
    "actors_precision",
    "events_strict_f1",
    "events_lenient_f1",
    "modality_accuracy",
    "date_accuracy",
    "quotes_f1",
    "designations_f1",
)


@dataclass(frozen=True)
class Floors:
    floors: dict[str, float]
    gold_sha256: str
    why: str


def gold_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def gate_values(report: Report) -> dict[str, float]:
    """The gated figures of an evaluation report."""
    return {
        "actors_f1": report.counts("actors").f1,
        "actors_precision": report.counts("actors").precision,
        "events_strict_f1": report.counts("events_strict").f1,
        "events_lenient_f1": report.counts("events_lenient").f1,
        "modality_accuracy": report.accuracy("modality").value,
        "date_accuracy": report.accuracy("date").value,
        "quotes_f1": report.counts("quotes").f1,
        "designations_f1": report.counts("designations").f1,
    }


def gate_failures(values: Mapping[str, float], floors: Mapping[str, float]) -> list[str]:
    """One message per metric below its floor, naming the metric, its value and the floor."""
    return [
        f"{name}: {values.get(name, 0.0):.3f} is below its floor {floor:.3f}"
        for name, floor in floors.items()
        if values.get(name, 0.0) < floor
    ]


def round_down(value: float, places: int = 2) -> float:
    """``value`` rounded down to ``places`` decimals (0.5799999 from float noise counts as 0.58)."""
    scale = 10**places
    return math.floor(round(value * scale, 6)) / scale


def raised_floors(current: Mapping[str, float], values: Mapping[str, float], allow_lower: bool) -> dict[str, float]:
    """New floors: the measured values rounded down, never below the old floors unless allowed."""
    new = {name: round_down(values.get(name, 0.0)) for name in GATE_METRICS}
    if allow_lower:
        return new
    return {name: max(new[name], current.get(name, 0.0)) for name in GATE_METRICS}


def load_floors(path: Path) -> Floors:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        floors = {name: float(data["floors"][name]) for name in GATE_METRICS}
        return Floors(floors=floors, gold_sha256=str(data["gold_sha256"]), why=str(data["why"]))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError(str(path), f"not a quality-floors file ({type(exc).__name__}: {exc})") from exc


def write_floors(path: Path, floors: Floors) -> None:
    payload = {"why": floors.why, "gold_sha256": floors.gold_sha256, "floors": floors.floors}
    path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
