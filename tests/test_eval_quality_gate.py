"""The quality gate: the seeds evaluation must reach the floors of ``quality_floors.json``."""

from __future__ import annotations

from pathlib import Path

import pytest

from dyadlens.evaluation.gate import (
    GATE_METRICS,
    gate_failures,
    gate_values,
    gold_digest,
    load_floors,
    raised_floors,
    round_down,
)
from dyadlens.evaluation.harness import evaluate
from dyadlens.resources import Resources

FLOORS_FILE = Path(__file__).resolve().parent / "quality_floors.json"


def test_the_floors_file_names_every_metric_with_a_reason() -> None:
    floors = load_floors(FLOORS_FILE)
    assert set(floors.floors) == set(GATE_METRICS)
    assert all(0.0 <= value <= 1.0 for value in floors.floors.values())
    assert len(floors.gold_sha256) == 64
    assert floors.why.strip()


def test_a_failure_message_names_the_layer_its_value_and_its_floor() -> None:
    failures = gate_failures({"events_strict_f1": 0.4, "quotes_f1": 0.9}, {"events_strict_f1": 0.5, "quotes_f1": 0.9})
    assert failures == ["events_strict_f1: 0.400 is below its floor 0.500"]


def test_floors_only_go_up_unless_lowering_is_allowed() -> None:
    old = {name: 0.5 for name in GATE_METRICS}
    values = {name: 0.4 for name in GATE_METRICS} | {"quotes_f1": 0.678}
    assert raised_floors(old, values, allow_lower=False)["events_strict_f1"] == 0.5
    assert raised_floors(old, values, allow_lower=False)["quotes_f1"] == 0.67
    assert raised_floors(old, values, allow_lower=True)["events_strict_f1"] == 0.4
    assert round_down(0.58) == 0.58


@pytest.mark.slow
def test_the_seeds_reach_the_quality_floors(
    gold_file: Path, seeds_dir: Path, shared_dir: Path, resources: Resources
) -> None:
    floors = load_floors(FLOORS_FILE)
    digest = gold_digest(gold_file)
    assert digest == floors.gold_sha256, (
        f"the seeds gold changed (sha256 {digest}, floors measured on {floors.gold_sha256}): "
        "the floors must be re-baselined with scripts/raise_floors.py --allow-lower"
    )
    report = evaluate(gold_file, seeds_dir, resources, shared_dir / "eval" / "actors.tsv")
    failures = gate_failures(gate_values(report), floors.floors)
    assert not failures, "quality gate: " + "; ".join(failures)
