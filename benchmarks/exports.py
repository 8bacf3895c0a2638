"""What the context columns cost the events table export, on a synthetic store.

``python benchmarks/exports.py STORE [--rounds 5] [--format parquet]`` times, interleaved
(A B A B ...), the export of the ``events`` table as it was (A: the stored rows, ids only) and
as it is (B: the same rows joined to the actors' names, the evidence sentence and the
publication date, with the day columns), both written to memory in the same format. It prints
wall and CPU time per round (median, min-max spread) and the B/A ratio of the medians.
Build the store first with ``benchmarks/synthetic.py STORE --documents N``. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable, Iterable, Mapping
from io import BytesIO
from typing import Any

from dyadlens.store import open_store
from dyadlens.store.export import table_rows, write_rows
from dyadlens.store.store import Store

Export = Callable[[], int]


def exports(store: Store, fmt: str) -> dict[str, Export]:
    def written(rows: Iterable[Mapping[str, Any]], table: str | None) -> int:
        return write_rows(rows, fmt, BytesIO(), table=table)

    return {
        "A ids only (stored rows)": lambda: written(store.rows("events"), None),
        "B with names, evidence, dates": lambda: written(table_rows(store, "events"), "events"),
    }


def timed(export: Export) -> tuple[float, float, int]:
    wall, cpu = time.perf_counter(), time.process_time()
    rows = export()
    return time.perf_counter() - wall, time.process_time() - cpu, rows


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):7.3f}s ({min(values):.3f}-{max(values):.3f})"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--format", dest="fmt", default="parquet", choices=("parquet", "csv", "jsonl"))
    args = parser.parse_args(argv)
    store = open_store(args.store)
    cases = exports(store, args.fmt)
    walls: dict[str, list[float]] = {name: [] for name in cases}
    cpus: dict[str, list[float]] = {name: [] for name in cases}
    rows = 0
    for _ in range(args.rounds):
        for name, export in cases.items():  # interleaved: A B A B ...
            wall, cpu, rows = timed(export)
            walls[name].append(wall)
            cpus[name].append(cpu)
    store.close()
    print(f"events export, {rows} rows, {args.fmt}, {args.rounds} rounds: median (min-max)")
    for name in cases:
        print(f"  {name:32} wall {spread(walls[name])}  cpu {spread(cpus[name])}")
    a, b = (statistics.median(walls[name]) for name in cases)
    ca, cb = (statistics.median(cpus[name]) for name in cases)
    print(f"  B/A: wall {b / a:.2f}x, cpu {cb / ca:.2f}x")


if __name__ == "__main__":
    main()
