"""Sources side by side on a large store: a dyad's page of claims read claim by claim, against every report of
the dyad read in one statement and every claim weighed (the reference answer), interleaved, CPU beside wall.

    .venv/bin/python benchmarks/sources_claims.py /work/big/s10m.db --rounds 3

The store is opened read-only. Each round runs both cases once, in turn; the table gives the median and the
range of each, and whether the page equals the same slice of the reference.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any

from dyadlens.analysis import sources
from dyadlens.analysis.common import AnalysisContext, to_jsonable
from dyadlens.analysis.dyad import CLAIMS_LISTED, SHOWN_PER_CLAIM
from dyadlens.kb.knowledge_base import load_kb
from dyadlens.kb.ontology import load_ontology
from dyadlens.store import EventQuery, open_store


def page(ctx: AnalysisContext, a: str, b: str) -> Any:
    """The dyad page's claims, as the page reads them."""
    return to_jsonable(sources.sources_side_by_side(ctx, a, b, limit=CLAIMS_LISTED, shown=SHOWN_PER_CLAIM).claims)


def reference(ctx: AnalysisContext, a: str, b: str) -> Any:
    """Every report of the dyad read at once, every claim weighed, the page's slice of them."""
    weighed = sorted(sources._weigh_all(sources._told(ctx, EventQuery(between=(a, b))), SHOWN_PER_CLAIM),
                     key=sources._Weighed.order)[:CLAIMS_LISTED]
    rows = sources._rows(ctx, (t.id for claim in weighed for t in sources._shown_told(claim)))
    return to_jsonable([sources._claim(ctx, claim, rows, SHOWN_PER_CLAIM) for claim in weighed])


def timed(case: Callable[[], Any]) -> tuple[float, float, Any]:
    cpu, wall = time.process_time(), time.perf_counter()
    answer = case()
    return time.process_time() - cpu, time.perf_counter() - wall, answer


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pair", nargs=2, default=("russia", "taliban"), metavar=("A", "B"))
    args = parser.parse_args(argv)
    store = open_store(args.store, read_only=True)
    ctx = AnalysisContext(store, load_ontology(), load_kb())
    a, b = args.pair
    ctx.load_names([a, b])
    cases = {"claim by claim (the page)": lambda: page(ctx, a, b), "every report at once": lambda: reference(ctx, a, b)}
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in cases}
    answers: dict[str, Any] = {}
    for _ in range(args.rounds):
        for name, case in cases.items():
            cpu, wall, answers[name] = timed(case)
            times[name].append((cpu, wall))
    print("| case | CPU median (range) | wall median (range) |\n|---|---|---|")
    for name, found in times.items():
        cpu, wall = [c for c, _ in found], [w for _, w in found]
        print(f"| {name} | {statistics.median(cpu):.2f} s ({min(cpu):.2f}–{max(cpu):.2f}) | "
              f"{statistics.median(wall):.2f} s ({min(wall):.2f}–{max(wall):.2f}) |")
    print("same claims, rows and totals:", len(set(map(repr, answers.values()))) == 1)
    store.close()


if __name__ == "__main__":
    main()
