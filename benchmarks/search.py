"""Time search with its true total, facets and page against the index lookup alone.

``python benchmarks/search.py STORE.db [--rounds 7]`` opens a (synthetic) store read-only
and, ``--rounds`` times over, runs per query the baseline (``Store.search``: the best 50
rows from the index, no count, no facets: what search did before #14) and then
``search_sentences`` (the same words: the first page, the true total and the actor, outlet
and year facets over every match), interleaved A B A B, timing wall and CPU time of each
call. The report gives per case the median wall and CPU time, the spread (min–max) and the
ratio of the medians. A case with no words has no baseline (the old search refused it).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from dyadlens.analysis.common import AnalysisContext
from dyadlens.analysis.search import search_sentences
from dyadlens.resources import Resources
from dyadlens.store import open_store

#: (name, words, filters)
CASES: tuple[tuple[str, str, dict[str, str]], ...] = (
    ("two common words", "border talks", {}),
    ("one word, stemmed", "agreements", {}),
    ("words and a period", "security", {"since": "2010", "until": "2012"}),
    ("filters alone", "", {"actor": "russia", "since": "2020-01", "until": "2020-03"}),
)


def timed(call: Callable[[], Any]) -> tuple[float, float, Any]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = call()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def summary(samples: list[tuple[float, float]]) -> dict[str, Any]:
    walls, cpus = [w for w, _ in samples], [c for _, c in samples]
    return {"wall_ms": round(statistics.median(walls) * 1000, 1), "cpu_ms": round(statistics.median(cpus) * 1000, 1),
            "spread_ms": [round(min(walls) * 1000, 1), round(max(walls) * 1000, 1)]}


def run(path: str, rounds: int) -> list[dict[str, Any]]:
    resources = Resources()
    report = []
    with open_store(path, read_only=True) as store:
        for name, words, filters in CASES:
            baseline: list[tuple[float, float]] = []
            searched: list[tuple[float, float]] = []
            total = 0
            for _ in range(rounds):
                if words:
                    wall, cpu, _ = timed(partial(store.search, words, limit=50))
                    baseline.append((wall, cpu))
                ctx = AnalysisContext(store, resources.ontology, resources.kb)
                wall, cpu, view = timed(partial(search_sentences, ctx, words, **filters))
                searched.append((wall, cpu))
                total = view.total
            row: dict[str, Any] = {"case": name, "total": total, "search": summary(searched)}
            if baseline:
                row["index only (baseline)"] = summary(baseline)
                row["ratio"] = round(row["search"]["wall_ms"] / max(row["index only (baseline)"]["wall_ms"], 0.1), 2)
            report.append(row)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    for row in run(args.store, args.rounds):
        print(json.dumps(row))


if __name__ == "__main__":
    main()
