"""What keeping the event summaries costs a write: the same documents stored with and without the triggers.

``python benchmarks/summaries_cost.py SOURCE.db [--rounds 5]`` loads every document's records from an
ingested store (``dyadlens ingest examples/corpus ../shared/corpus/seeds``), then, round after round,
writes them all into a new SQLite store with the summary triggers (as every store has them) and into
one with the triggers dropped, alternating which goes first (A B, B A, ...). Each write is
``Store.write``, one transaction per document, with the identity step, duplicate marks and corrections,
as ``ingest`` does after the pipeline; the pipeline itself is left out, so the ratio is that of the
store's part of an ingest. Wall and CPU time per side, median and spread.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from dyadlens.model import DocumentRecords
from dyadlens.store import open_store, summaries


def write_all(records: list[DocumentRecords], folder: Path, name: str, triggers: bool) -> tuple[float, float]:
    """Wall and CPU seconds to write ``records`` into a new store, one document per transaction."""
    target = folder / f"{name}.db"
    with open_store(target) as store:
        if not triggers:
            with store.transaction() as conn:
                summaries.drop_triggers(conn)
        wall, cpu = time.perf_counter(), time.process_time()
        for document in records:
            store.write(document, pipeline="bench")
        spent = time.perf_counter() - wall, time.process_time() - cpu
        if triggers:
            with store.reader() as conn:
                assert summaries.stale_rows(conn) == []
    for path in folder.glob(f"{name}.db*"):
        path.unlink()
    return spent


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", help="an ingested store whose documents are written again")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    with open_store(args.source, read_only=True) as store:
        records = list(store.iter_records())
    events = sum(len(r.events) for r in records)
    sides: dict[bool, list[tuple[float, float]]] = {True: [], False: []}
    with tempfile.TemporaryDirectory() as folder:
        for round_ in range(args.rounds):
            order = (True, False) if round_ % 2 == 0 else (False, True)
            for triggers in order:
                sides[triggers].append(write_all(records, Path(folder), f"r{round_}-{triggers}", triggers))
    print(f"{len(records)} documents, {events} events, {args.rounds} rounds, alternating")
    print("| store | median wall | spread | median CPU |")
    print("|---|---|---|---|")
    for triggers, label in ((False, "without the summary triggers"), (True, "with them")):
        walls, cpus = [w for w, _ in sides[triggers]], [c for _, c in sides[triggers]]
        print(f"| {label} | {statistics.median(walls) * 1000:,.0f} ms | "
              f"{min(walls) * 1000:,.0f}–{max(walls) * 1000:,.0f} ms | {statistics.median(cpus) * 1000:,.0f} ms |")
    ratio = statistics.median(w for w, _ in sides[True]) / statistics.median(w for w, _ in sides[False])
    cpu_ratio = statistics.median(c for _, c in sides[True]) / statistics.median(c for _, c in sides[False])
    print(f"with / without: {ratio:.2f}x wall, {cpu_ratio:.2f}x CPU")


if __name__ == "__main__":
    main()
