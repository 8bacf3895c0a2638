"""Raise the quality floors in tests/quality_floors.json to the current seeds evaluation.

    .venv/bin/python scripts/raise_floors.py [--gold PATH] [--docs PATH] [--actors PATH]
                                             [--floors PATH] [--allow-lower] [--dry-run]

Runs the full pipeline over the seeds (as ``dyadlens eval`` does), rounds each
gated figure down to two decimals and writes it as the new floor. Floors only
go up: a figure below its floor keeps the old floor, unless ``--allow-lower``
is given (say why in the commit). When the gold file's digest differs from the
one recorded, the floors were measured on another gold and the script stops;
``--allow-lower`` re-baselines them on the new gold.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dyadlens.evaluation.gate import Floors, gate_values, gold_digest, load_floors, raised_floors, write_floors
from dyadlens.evaluation.harness import evaluate
from dyadlens.resources import Resources

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=SHARED / "eval" / "seeds.gold.jsonl")
    parser.add_argument("--docs", type=Path, default=SHARED / "corpus" / "seeds")
    parser.add_argument("--actors", type=Path, default=SHARED / "eval" / "actors.tsv")
    parser.add_argument("--floors", type=Path, default=REPO / "tests" / "quality_floors.json")
    parser.add_argument("--allow-lower", action="store_true", help="let floors go down (and re-baseline a new gold)")
    parser.add_argument("--dry-run", action="store_true", help="print the new floors without writing them")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    current = load_floors(args.floors)
    digest = gold_digest(args.gold)
    if digest != current.gold_sha256 and not args.allow_lower:
        print(f"{args.gold}: digest {digest} differs from the floors' {current.gold_sha256};"
              " re-baseline with --allow-lower", file=sys.stderr)
        return 1
    values = gate_values(evaluate(args.gold, args.docs, Resources(), args.actors))
    new = raised_floors(current.floors, values, args.allow_lower)
    for name, floor in new.items():
        print(f"{name:<20} measured {values[name]:.4f}  floor {current.floors[name]:.2f} -> {floor:.2f}")
    if not args.dry_run:
        write_floors(args.floors, Floors(floors=new, gold_sha256=digest, why=current.why))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
