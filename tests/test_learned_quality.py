"""The learned coder's quality gate: the floors of ``learned`` in quality_floors.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dyadlens.evaluation.gate import LEARNED, gate_failures
from dyadlens.learned.quality import PLOVER_METRICS, TEAM_TEST_METRICS, plover_values, team_test_values
from dyadlens.resources import Resources

REPO = Path(__file__).resolve().parent.parent
FLOORS = json.loads((Path(__file__).resolve().parent / "quality_floors.json").read_text(encoding="utf-8"))[LEARNED]


@pytest.fixture(scope="module")
def classifier():  # type: ignore[no-untyped-def]
    from dyadlens.learned.classifier import PairClassifier

    return PairClassifier.from_file()


def test_the_learned_floors_name_every_metric_with_a_reason() -> None:
    assert set(FLOORS["floors"]) == {*TEAM_TEST_METRICS, *PLOVER_METRICS}
    assert FLOORS["why"].strip()


def test_the_team_test_split_reaches_its_floors(classifier) -> None:  # type: ignore[no-untyped-def]
    values = team_test_values(classifier, REPO / "training" / "test.jsonl")
    floors = {name: FLOORS["floors"][name] for name in TEAM_TEST_METRICS}
    assert gate_failures(values, floors) == []


@pytest.mark.slow
def test_the_plover_records_with_the_dyad_given_reach_their_floors(
    classifier, shared_dir: Path, resources: Resources  # type: ignore[no-untyped-def]
) -> None:
    values = plover_values(classifier, shared_dir / "eval" / "plover_gsr" / "cases.jsonl", resources)
    floors = {name: FLOORS["floors"][name] for name in PLOVER_METRICS}
    assert gate_failures(values, floors) == []
