"""Clustering gold and event-identity scores in ``dyadlens eval --clusters``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from dyadlens.cli import main
from dyadlens.errors import InputError
from dyadlens.evaluation.clusters import ClusterGold, read_cluster_gold, score_assignments, score_clusters
from dyadlens.evaluation.gold import read_gold_lines
from dyadlens.evaluation.scorer import DocScore
from dyadlens.model import Document, DocumentRecords, Event

REPO = Path(__file__).resolve().parent.parent

# Four invented reports: a, b and c tell one real event, d another.
GOLD_OF = {"a": "G1", "b": "G1", "c": "G1", "d": "G2"}


def labels(system_of: dict[str, str]) -> list[tuple[str, str]]:
    return [(GOLD_OF[report], system_of[report]) for report in sorted(GOLD_OF)]


@pytest.mark.fast
def test_perfect_clustering_scores_one() -> None:
    pairwise, precision, recall = score_assignments(labels({"a": "x", "b": "x", "c": "x", "d": "y"}))
    assert (pairwise.tp, pairwise.system, pairwise.gold) == (3, 3, 3)
    assert (pairwise.precision, pairwise.recall, precision, recall) == (1.0, 1.0, 1.0, 1.0)


@pytest.mark.fast
def test_all_in_one_cluster_keeps_recall_and_halves_pairwise_precision() -> None:
    pairwise, precision, recall = score_assignments(labels({"a": "x", "b": "x", "c": "x", "d": "x"}))
    assert (pairwise.tp, pairwise.system, pairwise.gold) == (3, 6, 3)
    assert (pairwise.precision, pairwise.recall) == (0.5, 1.0)
    # B-cubed precision: a, b, c share 3 of their 4 cluster-mates (0.75 each), d 1 of 4
    assert precision == pytest.approx((3 * 0.75 + 0.25) / 4)
    assert recall == 1.0


@pytest.mark.fast
def test_all_apart_has_no_pairs_to_be_right_about() -> None:
    pairwise, precision, recall = score_assignments(labels({"a": "1", "b": "2", "c": "3", "d": "4"}))
    assert (pairwise.tp, pairwise.system, pairwise.gold) == (0, 0, 3)
    assert (pairwise.precision, pairwise.recall, pairwise.f1) == (0.0, 0.0, 0.0)
    # B-cubed recall: a, b, c each find 1 of their 3 gold mates, d its only one
    assert (precision, recall) == (1.0, pytest.approx((3 / 3 + 1) / 4))


@pytest.mark.fast
def test_one_wrong_merge() -> None:
    gold = {"a": "G1", "b": "G1", "c": "G2", "d": "G2", "e": "G3"}
    system = {"a": "x", "b": "x", "c": "y", "d": "y", "e": "y"}
    pairwise, precision, recall = score_assignments([(gold[r], system[r]) for r in sorted(gold)])
    assert (pairwise.tp, pairwise.system, pairwise.gold) == (2, 4, 2)
    assert (pairwise.precision, pairwise.recall) == (0.5, 1.0)
    assert pairwise.f1 == pytest.approx(2 / 3)
    assert (precision, recall) == (pytest.approx(11 / 15), 1.0)


@pytest.mark.fast
def test_nothing_aligned_scores_zero_without_dividing_by_zero() -> None:
    pairwise, precision, recall = score_assignments([])
    assert (pairwise.system, pairwise.gold, precision, recall) == (0, 0, 0.0, 0.0)


# --- the cluster gold file ---

SENTENCE = "Borduria banned the Zmyhk Front and later lifted the ban."
GOLD_LINES: list[dict[str, Any]] = [
    {"doc": "d1", "events": [
        {"sentence": SENTENCE, "source": "Borduria", "target": "Zmyhk Front", "cameo": "17", "code": "172"},
        {"sentence": SENTENCE, "source": "Borduria", "target": "Zmyhk Front", "cameo": "08", "code": "081"},
        {"sentence": "The ban was lifted.", "source": "Borduria", "target": "Zmyhk Front", "cameo": "08",
         "code": "081"},
        {"sentence": "The ban was lifted.", "source": "Borduria", "target": "Zmyhk Front", "cameo": "08",
         "code": "080"},
    ]},
    {"doc": "d2", "events": [
        {"sentence": "Borduria lifts ban", "source": "Borduria", "target": "Zmyhk Front", "cameo": "08", "code": "081"},
    ]},
]


def report(doc: str, sentence: str, cameo: str, **extra: str) -> dict[str, str]:
    return {"doc": doc, "sentence": sentence, "source": "Borduria", "target": "Zmyhk Front", "cameo": cameo, **extra}


#: The one gold event of d2, as a cluster-gold report
LIFTS = report("d2", "Borduria lifts ban", "08")


def write_clusters(tmp_path: Path, *lines: Any) -> Path:
    path = tmp_path / "clusters.jsonl"
    path.write_text("".join((ln if isinstance(ln, str) else json.dumps(ln)) + "\n" for ln in lines), "utf-8")
    return path


@pytest.mark.fast
def test_a_cluster_gold_names_gold_events_and_leaves_the_rest_singletons(tmp_path: Path) -> None:
    path = write_clusters(tmp_path, {"event": "lifted", "reports": [
        report("d1", SENTENCE, "08"), report("d1", "The ban was lifted.", "08", code="081"),
        LIFTS]})
    gold = read_cluster_gold(path, GOLD_LINES)
    assert gold.event_of == {("d1", 1): "lifted", ("d1", 2): "lifted", ("d2", 0): "lifted"}
    assert gold.clusters == 1
    assert gold.label(("d1", 0)) != gold.label(("d1", 3))


@pytest.mark.fast
@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "line 2: not JSON"),
        ({"reports": []}, "line 2: expected an object with an 'event' name"),
        ({"event": "alone", "reports": [LIFTS]}, "two or more reports"),
        ({"event": "x", "reports": [report("d9", SENTENCE, "08"), LIFTS]},
         "document 'd9' has no line in the gold file"),
        ({"event": "x", "reports": [report("d1", SENTENCE, "19"), LIFTS]},
         "line 2: no gold event in d1 matches Borduria -> Zmyhk Front 19"),
        ({"event": "x", "reports": [report("d1", "The ban was lifted.", "08"), LIFTS]},
         "2 gold events (give 'code')"),
        ({"event": "x", "reports": [{"doc": "d1", "sentence": SENTENCE}, LIFTS]},
         "a report must give doc, sentence, source, target, cameo"),
        ({"event": "again", "reports": [LIFTS, report("d1", SENTENCE, "08")]},
         "line 2: gold event 1 of d2 is already a report of 'first'"),
    ],
)
def test_a_bad_cluster_line_names_the_file_and_line(tmp_path: Path, line: Any, message: str) -> None:
    first = {"event": "first", "reports": [report("d2", "Borduria lifts ban", "08"),
                                           report("d1", "The ban was lifted.", "08", code="080")]}
    path = write_clusters(tmp_path, first, line)
    with pytest.raises(InputError) as raised:
        read_cluster_gold(path, GOLD_LINES)
    assert str(path) in str(raised.value) and message in str(raised.value)


@pytest.mark.fast
@pytest.mark.parametrize(
    ("clusters_file", "repo_gold"),
    [("examples/clusters.gold.jsonl", "examples/gold.jsonl"), ("examples/seeds.clusters.jsonl", None)],
)
def test_the_project_cluster_gold_files_name_their_gold_events(
    clusters_file: str, repo_gold: str | None, request: pytest.FixtureRequest
) -> None:
    """The sample corpus's against examples/gold.jsonl; the seeds' against the shared seeds gold."""
    gold_path = REPO / repo_gold if repo_gold else request.getfixturevalue("gold_file")
    lines = (REPO / clusters_file).read_text("utf-8").splitlines()
    gold = read_cluster_gold(REPO / clusters_file, read_gold_lines(gold_path))
    assert gold.clusters == len(lines)
    assert len(gold.event_of) == sum(len(json.loads(line)["reports"]) for line in lines)


# --- scoring system clusters over aligned reports ---

def event(doc: str, number: int) -> Event:
    return Event(id=f"{doc}-e{number}", doc_id=doc, start=0, end=5, sentence_index=0, trigger_start=0,
                 trigger_end=1, source="borduria", target="zmyhk-front", code="081", modality="asserted")


def records(doc: str, events: int, duplicate_of: str | None = None) -> DocumentRecords:
    document = Document(id=doc, path=f"{doc}.txt", format="txt", text="Text.", duplicate_of=duplicate_of)
    return DocumentRecords(document=document, events=[event(doc, n) for n in range(events)])


@pytest.mark.fast
def test_aligned_reports_are_scored_and_duplicate_documents_left_out() -> None:
    system = {"d1-e0": "c1", "d1-e1": "c1", "d2-e0": "c2", "d3-e0": "c1"}
    docs = [records("d1", 3), records("d2", 1), records("d3", 1, duplicate_of="d1")]
    scores = [DocScore("d1", event_matches={0: 0, 1: 1, 2: 2}), DocScore("d2", event_matches={0: 0}),
              DocScore("d3", event_matches={0: 0})]
    gold = ClusterGold({("d1", 0): "G", ("d1", 2): "G", ("d2", 0): "G", ("d3", 0): "G"})
    score = score_clusters(docs, scores, gold, system)
    # aligned: d1 e0 (G, c1), e1 (singleton, c1), e2 (G, none), d2 e0 (G, c2); d3 is a duplicate
    assert score.aligned_reports == 4
    assert (score.pairwise.tp, score.pairwise.system, score.pairwise.gold) == (0, 1, 3)
    assert score.duplicate_documents == ["d3"]
    assert (score.gold_clusters, score.system_clusters) == (1, 1)


@pytest.mark.slow
def test_eval_reports_clustering_on_the_sample_corpus() -> None:
    args = ["--json", "eval", "--gold", str(REPO / "examples/gold.jsonl"), "--docs", str(REPO / "examples/corpus"),
            "--clusters", str(REPO / "examples/clusters.gold.jsonl")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    clustering = json.loads(result.output)["clustering"]
    ratios = [clustering[kind][k] for kind in ("pairwise", "bcubed") for k in ("precision", "recall", "f1")]
    assert all(isinstance(value, float) and 0.0 <= value <= 1.0 for value in ratios)
    assert clustering["aligned_reports"] > 0 and clustering["pairwise"]["gold"] > 0
    assert clustering["gold_clusters"] == len((REPO / "examples/clusters.gold.jsonl").read_text("utf-8").splitlines())
    table = CliRunner().invoke(main, args[1:])
    assert "pairwise" in table.output and "b-cubed" in table.output


@pytest.mark.fast
def test_eval_refuses_a_cluster_gold_that_does_not_fit_the_gold(tmp_path: Path) -> None:
    path = write_clusters(tmp_path, {"event": "x", "reports": [report("nowhere", SENTENCE, "08"),
                                                               report("nowhere", SENTENCE, "17")]})
    args = ["eval", "--gold", str(REPO / "examples/gold.jsonl"), "--docs", str(REPO / "examples/corpus"),
            "--clusters", str(path)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code != 0
    assert "document 'nowhere' has no line in the gold file" in result.output
