"""What each discourse mechanism adds: ``dyadlens eval`` on the three development sets with the
full pipeline and with each mechanism turned off, as one Markdown table.

    .venv/bin/python scripts/ablation.py [--only NAME ...] [--sets seeds,examples]

A mechanism is turned off the way an analyst would (``eval --without STAGE`` or
``eval --set STAGE.OPTION=false``), so the numbers are the ones ``dyadlens eval``
prints. Each row shows the full pipeline's figure and the change when the
mechanism is off (a positive delta: the mechanism helps). The seeds set needs
``../shared``; it is skipped with a note when that folder is missing.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"

#: Each mechanism and the ``eval`` arguments that turn it off.
MECHANISMS: dict[str, list[str]] = {
    "nominal coreference": ["--set", "actors.nominal_coref=false"],
    "plural sets": ["--set", "actors.plural_sets=false"],
    "sets from the previous sentences": ["--set", "actors.set_context=false"],
    "persons through titles": ["--set", "actors.titled_persons=false"],
    "institutions by full name": ["--set", "actors.institutions=false"],
    "places and locations": ["--without", "locations", "--without", "places"],
    "sectors": ["--without", "event_sectors", "--without", "sectors"],
    "gatherings": ["--without", "gatherings"],
    "event anaphora and implied arguments": ["--without", "event_context"],
    "we/our in quotes: the speaker's side": ["--set", "event_context.speaker_side=false"],
    "dates: references back into the text": ["--set", "timeline.discourse_anchors=false"],
    "dates: lead events take the story's date": ["--set", "timeline.lead_events_published=false"],
    "dates: the current episode": ["--set", "timeline.current_episode=false"],
    "dates: the reporting clause's date": ["--set", "timeline.reporting_clause_dates=false"],
    "dates: headlines take the lead's date": ["--set", "timeline.headline_dates=false"],
    "dates: datelines": ["--set", "timeline.datelines=false"],
    "dates: plans take their statement's date": ["--set", "timeline.plan_statement_dates=false"],
}

SETS: dict[str, list[str]] = {
    "seeds": ["--gold", str(SHARED / "eval" / "seeds.gold.jsonl"), "--docs", str(SHARED / "corpus" / "seeds"),
              "--actors", str(SHARED / "eval" / "actors.tsv")],
    "examples": ["--gold", str(REPO / "examples" / "gold.jsonl"), "--docs", str(REPO / "examples" / "corpus")],
    "discourse": ["--gold", str(REPO / "examples" / "discourse.gold.jsonl"),
                  "--docs", str(REPO / "examples" / "discourse")],
}

#: The figures of the table: a name and where it is in ``eval --json``.
FIGURES: dict[str, tuple[str, str, str]] = {
    "strict P": ("layers", "events_strict", "precision"),
    "strict R": ("layers", "events_strict", "recall"),
    "strict F1": ("layers", "events_strict", "f1"),
    "lenient F1": ("layers", "events_lenient", "f1"),
    "date acc.": ("accuracy", "date", "accuracy"),
    "quotes F1": ("layers", "quotes", "f1"),
    "designations F1": ("layers", "designations", "f1"),
}


def evaluate(set_args: list[str], variant: list[str]) -> dict[str, float]:
    command = [str(REPO / ".venv" / "bin" / "dyadlens"), "--json", "eval", *set_args, *variant]
    done = subprocess.run(command, capture_output=True, text=True, cwd=REPO, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(variant) or 'full pipeline'}: {done.stderr.strip()}")
    report = json.loads(done.stdout)
    return {name: float(report[a][b][c]) for name, (a, b, c) in FIGURES.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", default=[], help="a mechanism (repeatable); default: all")
    parser.add_argument("--sets", default="seeds,examples,discourse")
    parser.add_argument("--jobs", type=int, default=2, help="evaluations run at once (default 2)")
    args = parser.parse_args()
    chosen = {name: off for name, off in MECHANISMS.items() if not args.only or name in args.only}
    sets = [s for s in args.sets.split(",") if s != "seeds" or SHARED.is_dir()]
    if len(sets) < len(args.sets.split(",")):
        print(f"note: {SHARED} is missing; seeds skipped", file=sys.stderr)
    runs = [(set_name, name) for set_name in sets for name in ("", *chosen)]
    with ThreadPoolExecutor(args.jobs) as pool:
        futures = {run: pool.submit(evaluate, SETS[run[0]], chosen.get(run[1], [])) for run in runs}
        results = {run: future.result() for run, future in futures.items()}
    print("| set | mechanism | " + " | ".join(FIGURES) + " |")
    print("|" + "---|" * (len(FIGURES) + 2))
    for set_name in sets:
        full = results[(set_name, "")]
        print(f"| {set_name} | **full pipeline** | " + " | ".join(f"{v:.3f}" for v in full.values()) + " |")
        for name in chosen:
            without = results[(set_name, name)]
            print(f"| {set_name} | {name} | " + " | ".join(f"{full[k] - without[k]:+.3f}" for k in FIGURES) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
