"""Raise the quality floors in tests/quality_floors.json to the current evaluation of both gold sets.

    .venv/bin/python scripts/raise_floors.py [--set seeds|examples|discourse|learned|all] [--gold PATH] [--docs PATH]
                                             [--actors PATH] [--floors PATH] [--allow-lower] [--dry-run]

Runs the full pipeline over each gold set's documents (as ``dyadlens eval``
does), rounds each gated figure down to two decimals and writes it as the new
floor of that set. The sets:

- ``seeds``: the development gold in ``../shared`` (``--gold``, ``--docs`` and
  ``--actors`` override its paths). With ``--set all`` it is skipped, with a
  note, when the shared folder is missing.
- ``learned``: the learned coder's own figures (the team's test split and the PLOVER
  records, the dyad given: ``dyadlens.learned.quality``).
- ``examples`` and ``discourse``: the gold sets in the repository
  (``examples/gold.jsonl`` over ``examples/corpus``, ``examples/discourse.gold.jsonl``
  over ``examples/discourse``), paths as recorded in the floors file, actor names
  from the knowledge base (nothing outside the repository).

A set that names a cluster gold in the floors file (``clusters``: ``examples/clusters.gold.jsonl``
for examples, ``examples/seeds.clusters.jsonl`` for the seeds) is also scored for event identity,
and its ``clusters_pairwise_f1`` and ``clusters_pairwise_precision`` floors are raised the same way;
the first measure on a newly named cluster gold (no ``clusters_sha256`` yet) sets them and its digest.

Floors only go up: a figure below its floor keeps the old floor, unless
``--allow-lower`` is given (say why in the commit). When a gold or cluster gold file's digest
differs from the one recorded, that set's floors were measured on another gold
and the script stops for it; ``--allow-lower`` re-baselines them on the new gold.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from dyadlens.evaluation.gate import (
    FLOOR_SETS,
    LEARNED,
    SEEDS,
    Floors,
    cluster_gold_path,
    evaluate_in_repo,
    gate_values,
    gated_metrics,
    gold_digest,
    load_floors,
    raised_floors,
    round_down,
    write_floors,
)
from dyadlens.evaluation.harness import evaluate
from dyadlens.evaluation.scorer import Report
from dyadlens.resources import Resources

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=(*FLOOR_SETS, LEARNED, "all"), default="all",
                        help="which gold set, or the learned coder's figures (default: all)")
    parser.add_argument("--gold", type=Path, default=SHARED / "eval" / "seeds.gold.jsonl", help="seeds gold")
    parser.add_argument("--docs", type=Path, default=SHARED / "corpus" / "seeds", help="seeds documents")
    parser.add_argument("--actors", type=Path, default=SHARED / "eval" / "actors.tsv", help="seeds actor table")
    parser.add_argument("--floors", type=Path, default=REPO / "tests" / "quality_floors.json")
    parser.add_argument("--allow-lower", action="store_true", help="let floors go down (and re-baseline a new gold)")
    parser.add_argument("--dry-run", action="store_true", help="print the new floors without writing them")
    return parser.parse_args(argv)


def gold_path(args: argparse.Namespace, floor_set: str, current: Floors) -> Path:
    return args.gold if floor_set == SEEDS else REPO / str(current.gold)


def measure(args: argparse.Namespace, floor_set: str, current: Floors, resources: Resources) -> Report:
    if floor_set != SEEDS:
        return evaluate_in_repo(REPO, current, resources)
    return evaluate(args.gold, args.docs, resources, args.actors, clusters_path=cluster_gold_path(REPO, current))


def changed_gold(floor_set: str, path: Path, recorded: str | None) -> str | None:
    """A message when ``path``'s digest differs from the one its floors were measured on (None: first measure)."""
    digest = gold_digest(path)
    if recorded is None or digest == recorded:
        return None
    return f"{floor_set}: {path}: digest {digest} differs from the floors' {recorded}; re-baseline with --allow-lower"


def raise_set(args: argparse.Namespace, floor_set: str, resources: Resources) -> int:
    """Measure one gold set (and its clustering, when it names a cluster gold) and write its raised floors;
    1 when its gold or cluster gold changed without --allow-lower."""
    current = load_floors(args.floors, floor_set)
    gold = gold_path(args, floor_set, current)
    if floor_set == SEEDS and args.set == "all" and not gold.is_file():
        print(f"{floor_set}: skipped ({gold} not found)", file=sys.stderr)
        return 0
    clusters = cluster_gold_path(REPO, current)
    changed = [changed_gold(floor_set, gold, current.gold_sha256)]
    if clusters is not None:
        changed.append(changed_gold(floor_set, clusters, current.clusters_sha256))
    if any(changed) and not args.allow_lower:
        print("\n".join(message for message in changed if message), file=sys.stderr)
        return 1
    values = gate_values(measure(args, floor_set, current, resources))
    new = raised_floors(current.floors, values, args.allow_lower, gated_metrics(clusters is not None))
    for name, floor in new.items():
        old = current.floors.get(name, 0.0)
        print(f"{floor_set:<9} {name:<27} measured {values[name]:.4f}  floor {old:.2f} -> {floor:.2f}")
    if not args.dry_run:
        clusters_sha256 = gold_digest(clusters) if clusters is not None else None
        measured = replace(current, floors=new, gold_sha256=gold_digest(gold), clusters_sha256=clusters_sha256)
        write_floors(args.floors, measured, floor_set)
    return 0


LEARNED_WHY = (
    "Lowest figures the shipped learned coder (src/dyadlens/learned/data/coder.safetensors) must reach: on the team's "
    "test split training/test.jsonl, pair level with the dyad given (event detection F1 at threshold 0.5, the root's "
    "accuracy and macro-F1, the modality's accuracy), and on the PLOVER gold-standard records with the dyad given "
    "(the category's accuracy and macro-F1, model and hybrid; dyadlens eval-suite --dyad-given). See "
    "docs/learned-coder.md. Floors only go up: scripts/raise_floors.py --set learned."
)


def raise_learned(args: argparse.Namespace, resources: Resources) -> int:
    """Measure the learned coder's figures and raise their floors."""
    import json

    from dyadlens.learned.classifier import PairClassifier
    from dyadlens.learned.quality import plover_values, team_test_values

    classifier = PairClassifier.from_file()
    values = team_test_values(classifier, REPO / "training" / "test.jsonl")
    cases = SHARED / "eval" / "plover_gsr" / "cases.jsonl"
    if not cases.is_file():
        print(f"{LEARNED}: {cases} not found; the PLOVER floors stay as they are", file=sys.stderr)
    else:
        values |= plover_values(classifier, cases, resources)
    data = json.loads(args.floors.read_text(encoding="utf-8"))
    current = data.get(LEARNED, {}).get("floors", {})
    new = dict(current)
    for name, value in values.items():
        new[name] = round_down(value) if args.allow_lower else max(round_down(value), current.get(name, 0.0))
        print(f"{LEARNED:<9} {name:<34} measured {value:.4f}  floor {current.get(name, 0.0):.2f} -> {new[name]:.2f}")
    if not args.dry_run:
        data[LEARNED] = {"why": LEARNED_WHY, "floors": new}
        args.floors.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    resources = Resources()
    if args.set == LEARNED:
        return raise_learned(args, resources)
    sets = FLOOR_SETS if args.set == "all" else (args.set,)
    status = max(raise_set(args, floor_set, resources) for floor_set in sets)
    return max(status, raise_learned(args, resources)) if args.set == "all" else status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
