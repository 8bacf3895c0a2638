"""Rules, model and hybrid coders side by side on the development sets, over thresholds.

Each set is ingested twice (the rule coders alone; the learned coder alone with every pair
kept, its score in ``confidence``), then every variant is scored from those two runs without
running the pipeline again: ``model@T`` keeps the pairs scored T or more; ``hybrid@T/V`` keeps
the rules' events but those the model scores under V, and adds the model's pairs scored T or
more where the rules coded nothing (the pair in either direction, or the whole sentence:
``learned.fill``), as ``learned.mode = "hybrid"`` does.

    .venv/bin/python scripts/coder_sweep.py [--weights FILE] [--sets seeds,examples,discourse,test]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from dyadlens.evaluation.gold import read_gold_lines, records_to_gold
from dyadlens.evaluation.harness import resolve_actor_names
from dyadlens.evaluation.scorer import score
from dyadlens.learned.coder import combine
from dyadlens.model import DocumentRecords, Event
from dyadlens.pipeline import PipelineConfig, build_pipeline
from dyadlens.resources import Resources
from dyadlens.runner import ingest
from dyadlens.store import open_store

ROOT = Path(__file__).resolve().parent.parent
SETS = {
    "seeds": (ROOT.parent / "shared/eval/seeds.gold.jsonl", ROOT.parent / "shared/corpus/seeds",
              ROOT.parent / "shared/eval/actors.tsv"),
    "examples": (ROOT / "examples/gold.jsonl", ROOT / "examples/corpus", None),
    "discourse": (ROOT / "examples/discourse.gold.jsonl", ROOT / "examples/discourse", None),
    "test": (ROOT / "training/test.jsonl", ROOT / "training/texts/test", None),
}
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
VETOES = (0.0, 0.05, 0.1, 0.2)


def run(docs: Path, config: PipelineConfig, resources: Resources) -> list[DocumentRecords]:
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder) / "sweep.db")
        try:
            ingest([docs], store, build_pipeline(resources, config=config))
            return list(store.iter_records())
        finally:
            store.close()


def hybrid(rules: list[Event], model: list[Event], threshold: float, veto: float, fill: str) -> list[Event]:
    """What the learned stage's hybrid keeps, from the model run's every pair (its score in ``confidence``)."""
    scores = {(e.sentence_index, e.source, e.target): e.confidence for e in model}
    return combine(rules, scores, [e for e in model if e.confidence >= threshold], veto, fill)


def variant_scores(
    rules: list[DocumentRecords], model: list[DocumentRecords], gold_path: Path, names: Any
) -> dict[str, dict[str, float]]:
    gold = read_gold_lines(gold_path)
    texts = {r.document.id: r.document.text for r in rules}
    by_doc = {r.document.id: r.events for r in model}

    def scored(choose: Callable[[DocumentRecords], list[Event]]) -> dict[str, float]:
        system = [records_to_gold(dataclasses.replace(r, events=choose(r))) for r in rules]
        report = score(system, gold, texts, names).as_dict()
        strict = report["layers"]["events_strict"]
        return {"P": strict["precision"], "R": strict["recall"], "F1": strict["f1"],
                "lenient": report["layers"]["events_lenient"]["f1"],
                "modality": report["accuracy"]["modality"]["accuracy"], "date": report["accuracy"]["date"]["accuracy"]}

    table = {"rules": scored(lambda r: r.events)}
    for t in THRESHOLDS:
        table[f"model@{t}"] = scored(lambda r, t=t: [e for e in by_doc.get(r.document.id, []) if e.confidence >= t])
    for t in THRESHOLDS:
        for v in VETOES:
            for fill in ("pair", "sentence"):
                table[f"hybrid-{fill}@{t}/{v}"] = scored(
                    lambda r, t=t, v=v, f=fill: hybrid(r.events, by_doc.get(r.document.id, []), t, v, f))
    return table


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weights", default=None, help="a coder file (default: the shipped one)")
    parser.add_argument("--sets", default="seeds,examples,discourse,test")
    parser.add_argument("--out", type=Path, default=None, help="write the full table as JSON")
    args = parser.parse_args(argv)
    resources = Resources()
    base = PipelineConfig.default()
    model_config = base.with_option("learned", "mode", "model").with_option("learned", "threshold", 0.0)
    if args.weights:
        model_config = model_config.with_option("learned", "weights", args.weights)
    results = {}
    for name in args.sets.split(","):
        gold, docs, actors = SETS[name]
        rules = run(docs, base.with_option("learned", "mode", "rules"), resources)
        model = run(docs, model_config, resources)
        results[name] = variant_scores(rules, model, gold, resolve_actor_names(actors))
        best = sorted(results[name].items(), key=lambda item: -item[1]["F1"])[:5]
        print(name, "rules", _fmt(results[name]["rules"]), flush=True)
        for label, row in best:
            print(f"  {label:18} {_fmt(row)}", flush=True)
    if args.out:
        args.out.write_text(json.dumps(results, indent=1))


def _fmt(row: dict[str, float]) -> str:
    return " ".join(f"{k} {v:.3f}" for k, v in row.items())


if __name__ == "__main__":
    main()
