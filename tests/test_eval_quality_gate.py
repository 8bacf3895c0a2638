"""The quality gate: the seeds and the examples gold must reach the floors of ``quality_floors.json``
(and their event-identity clustering the floors of their cluster gold)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dyadlens.evaluation.clusters import ClusterScore
from dyadlens.evaluation.gate import (
    CLUSTER_METRICS,
    EXAMPLES,
    FLOOR_SETS,
    GATE_METRICS,
    IN_REPO_SETS,
    SEEDS,
    Floors,
    check_gold,
    cluster_gold_path,
    evaluate_in_repo,
    gate_failures,
    gate_values,
    gold_digest,
    kb_actor_names,
    load_floors,
    raised_floors,
    round_down,
    write_floors,
)
from dyadlens.evaluation.gold import read_gold_lines
from dyadlens.evaluation.harness import evaluate, load_document_texts
from dyadlens.evaluation.metrics import Counts
from dyadlens.evaluation.scorer import Report
from dyadlens.resources import Resources

REPO = Path(__file__).resolve().parent.parent
FLOORS_FILE = Path(__file__).resolve().parent / "quality_floors.json"
#: The gold sets whose event-identity clustering is gated, and their cluster gold
CLUSTERED_SETS = {SEEDS: "examples/seeds.clusters.jsonl", EXAMPLES: "examples/clusters.gold.jsonl"}

INVENTED_ACTORS = {"Ruritania", "Freedonia"}
INVENTED_TEXT = "Ruritania recalled its envoy from Freedonia. Freedonia said it regretted the step."
VALID_EVENT: dict[str, Any] = {
    "sentence": "Ruritania recalled its envoy from Freedonia.",
    "source": "Ruritania",
    "target": "Freedonia",
    "cameo": "16",
    "code": "161",
    "modality": "asserted",
    "date": "2030-01",
}
VALID_QUOTE: dict[str, Any] = {
    "speaker": "Freedonia",
    "speaker_actor": "Freedonia",
    "kind": "indirect",
    "text": "it regretted the step",
}
VALID_LINE: dict[str, Any] = {
    "doc": "invented",
    "published": "2030-01-02",
    "actors": ["Ruritania", "Freedonia"],
    "events": [VALID_EVENT],
    "quotes": [VALID_QUOTE],
    "designations": [],
}


@pytest.mark.parametrize("floor_set", FLOOR_SETS)
def test_every_floor_set_names_every_metric_with_a_reason(floor_set: str) -> None:
    floors = load_floors(FLOORS_FILE, floor_set)
    assert set(floors.floors) == set(floors.metrics) >= set(GATE_METRICS)
    assert all(0.0 <= value <= 1.0 for value in floors.floors.values())
    assert len(floors.gold_sha256) == 64
    assert floors.why.strip()


@pytest.mark.parametrize("floor_set", IN_REPO_SETS)
def test_each_set_in_the_repository_lives_inside_it(floor_set: str) -> None:
    floors = load_floors(FLOORS_FILE, floor_set)
    assert floors.gold is not None and (REPO / floors.gold).is_file()
    assert floors.docs is not None and (REPO / floors.docs).is_dir()


@pytest.mark.parametrize("floor_set", IN_REPO_SETS)
def test_each_gold_in_the_repository_is_the_one_its_floors_were_measured_on(floor_set: str) -> None:
    floors = load_floors(FLOORS_FILE, floor_set)
    digest = gold_digest(REPO / str(floors.gold))
    assert digest == floors.gold_sha256, (
        f"the {floor_set} gold changed (sha256 {digest}, floors measured on {floors.gold_sha256}): "
        f"the floors must be re-baselined with scripts/raise_floors.py --set {floor_set} --allow-lower"
    )


@pytest.mark.parametrize("floor_set", IN_REPO_SETS)
def test_each_gold_in_the_repository_is_valid_against_its_documents(floor_set: str, resources: Resources) -> None:
    floors = load_floors(FLOORS_FILE, floor_set)
    lines = read_gold_lines(REPO / str(floors.gold))
    texts = load_document_texts(REPO / str(floors.docs))
    known = kb_actor_names(resources.kb).canonical_names
    assert {line["doc"] for line in lines} <= set(texts)
    assert check_gold(lines, texts, resources.ontology, known) == []


@pytest.mark.fast
@pytest.mark.parametrize("floor_set", FLOOR_SETS)
def test_the_seeds_and_examples_gate_their_clustering_on_the_cluster_gold_they_were_measured_on(
    floor_set: str,
) -> None:
    floors = load_floors(FLOORS_FILE, floor_set)
    assert floors.clusters == CLUSTERED_SETS.get(floor_set)
    clusters = cluster_gold_path(REPO, floors)
    if clusters is None:
        assert not set(CLUSTER_METRICS) & set(floors.floors)
        return
    assert set(CLUSTER_METRICS) <= set(floors.floors)
    assert all(floors.floors[name] > 0.0 for name in CLUSTER_METRICS)
    digest = gold_digest(clusters)
    assert digest == floors.clusters_sha256, (
        f"the {floor_set} cluster gold changed (sha256 {digest}, floors measured on {floors.clusters_sha256}): "
        f"the floors must be re-baselined with scripts/raise_floors.py --set {floor_set} --allow-lower"
    )


def clustering(tp: int, system: int, gold: int) -> ClusterScore:
    return ClusterScore(Counts(tp, system, gold), 1.0, 1.0, aligned_reports=6, gold_clusters=2, system_clusters=2,
                        duplicate_documents=[])


@pytest.mark.fast
def test_the_clustering_figures_are_gated_only_when_the_report_scored_clustering() -> None:
    assert not set(CLUSTER_METRICS) & set(gate_values(Report()))
    values = gate_values(Report(clustering=clustering(tp=3, system=4, gold=6)))
    assert values["clusters_pairwise_precision"] == 0.75
    assert values["clusters_pairwise_f1"] == pytest.approx(2 * 0.75 * 0.5 / 1.25)
    failures = gate_failures(values, {"clusters_pairwise_precision": 0.8, "clusters_pairwise_f1": 0.6})
    assert failures == ["clusters_pairwise_precision: 0.750 is below its floor 0.800"]


@pytest.mark.fast
def test_a_set_naming_a_cluster_gold_not_yet_measured_has_no_clustering_floors(tmp_path: Path) -> None:
    path = tmp_path / "floors.json"
    path.write_text(FLOORS_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    examples = load_floors(path, EXAMPLES)
    unmeasured = Floors(floors={name: examples.floors[name] for name in GATE_METRICS}, gold_sha256=examples.gold_sha256,
                        why=examples.why, gold=examples.gold, docs=examples.docs, clusters="examples/other.jsonl")
    write_floors(path, unmeasured, EXAMPLES)
    reloaded = load_floors(path, EXAMPLES)
    assert reloaded == unmeasured
    assert reloaded.metrics == GATE_METRICS
    raised = raised_floors(reloaded.floors, {"clusters_pairwise_f1": 0.777, "clusters_pairwise_precision": 0.5},
                           allow_lower=False, metrics=(*GATE_METRICS, *CLUSTER_METRICS))
    assert (raised["clusters_pairwise_f1"], raised["clusters_pairwise_precision"]) == (0.77, 0.5)
    assert raised["quotes_f1"] == examples.floors["quotes_f1"]


def test_gold_checks_name_each_problem(resources: Resources) -> None:
    event = VALID_EVENT | {
        "sentence": "Ruritania recalled its envoy.",
        "cameo": "21",
        "code": "999",
        "modality": "likely",
        "date": "2030-13",
        "source": "Atlantis",
    }
    line = VALID_LINE | {
        "events": [event],
        "quotes": [VALID_QUOTE | {"text": "it regretted nothing", "kind": "paraphrase"}],
        "designations": [{"designator": "Ruritania", "designee": "Freedonia", "status": "banned", "date": "soon",
                          "sentence": "Ruritania recalled its envoy from Freedonia."}],
    }
    texts = {"invented": INVENTED_TEXT}
    problems = check_gold([line, VALID_LINE | {"doc": "missing"}], texts, resources.ontology, INVENTED_ACTORS)
    expected_fragments = [
        "event 1: sentence 'Ruritania recalled its envoy.' is not an exact substring",
        "event 1: cameo root '21' is not 01-20",
        "event 1: code '999' is not a CAMEO code",
        "event 1: modality 'likely'",
        "event 1: date '2030-13'",
        "event 1: actor 'Atlantis' is not in the document's actors",
        "quote 1: text 'it regretted nothing' is not an exact substring",
        "quote 1: kind 'paraphrase'",
        "designation 1: status 'banned'",
        "designation 1: date 'soon'",
        "missing: no such document",
    ]
    for fragment in expected_fragments:
        assert any(fragment in problem for problem in problems), fragment
    assert check_gold([VALID_LINE], texts, resources.ontology, INVENTED_ACTORS) == []


def test_writing_one_set_keeps_the_other(tmp_path: Path) -> None:
    path = tmp_path / "floors.json"
    path.write_text(FLOORS_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    seeds_before = load_floors(path, SEEDS)
    examples = load_floors(path, EXAMPLES)
    raised = Floors(floors={name: 0.99 for name in examples.metrics}, gold_sha256="f" * 64, why=examples.why,
                    gold=examples.gold, docs=examples.docs, clusters=examples.clusters, clusters_sha256="e" * 64)
    write_floors(path, raised, EXAMPLES)
    assert load_floors(path, SEEDS) == seeds_before
    assert load_floors(path, EXAMPLES) == raised
    write_floors(path, seeds_before, SEEDS)
    assert load_floors(path, EXAMPLES) == raised
    assert json.loads(path.read_text(encoding="utf-8"))["gold_sha256"] == seeds_before.gold_sha256


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
    report = evaluate(gold_file, seeds_dir, resources, shared_dir / "eval" / "actors.tsv",
                      clusters_path=cluster_gold_path(REPO, floors))
    assert report.clustering is not None
    failures = gate_failures(gate_values(report), floors.floors)
    assert not failures, "quality gate: " + "; ".join(failures)


@pytest.mark.slow
@pytest.mark.parametrize("floor_set", IN_REPO_SETS)
def test_each_set_in_the_repository_reaches_its_quality_floors(floor_set: str, resources: Resources) -> None:
    floors = load_floors(FLOORS_FILE, floor_set)
    report = evaluate_in_repo(REPO, floors, resources)
    assert not [w for w in report.warnings if "not ingested" in w]
    assert (report.clustering is not None) == (floors.clusters is not None)
    failures = gate_failures(gate_values(report), floors.floors)
    assert not failures, f"quality gate ({floor_set} gold): " + "; ".join(failures)
