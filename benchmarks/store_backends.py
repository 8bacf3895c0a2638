"""The store's write cost on SQLite and on PostgreSQL (docs/team-store.md), in one run.

Two measurements, each interleaved (SQLite, PostgreSQL, SQLite, PostgreSQL, ...) and repeated:

- **ingest**: ``dyadlens.runner.ingest`` of the sample corpus and the seeds (``examples/corpus``,
  ``../shared/corpus/seeds``) into a new store, one process, the pipeline built before timing;
- **writes**: only ``Store.write`` of the same documents' records (made once beforehand), into a
  new store: the backend's own share, without the parse that dominates the ingest.

CPU time is this process's (``time.process_time``: pipeline, SQLAlchemy, the driver; SQLite's
engine runs in it) and, for PostgreSQL, the server's: the CPU time of the postmaster's children
(the connection's backend, the WAL writer ...) read with psutil before the store is closed.
The PostgreSQL server is a throwaway cluster (tests/postgres_server.py: ``fsync=off``,
``synchronous_commit=off``, Unix socket), so these are the costs of the engines, not of a disk.

    .venv/bin/python benchmarks/store_backends.py --repeat 3
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from dyadlens.model import DocumentRecords  # noqa: E402
from dyadlens.pipeline import build_pipeline  # noqa: E402
from dyadlens.resources import Resources  # noqa: E402
from dyadlens.runner import ingest  # noqa: E402
from dyadlens.store import Store, open_store  # noqa: E402
from postgres_server import PostgresServer, find_bin_dir  # noqa: E402

INPUTS = [REPO / "examples" / "corpus", REPO.parent / "shared" / "corpus" / "seeds"]

#: (wall seconds, client CPU seconds, server CPU seconds) of one timed run.
Timing = tuple[float, float, float]


def server_cpu(server: PostgresServer | None) -> float:
    if server is None:
        return 0.0
    postmaster = int((server.data / "postmaster.pid").read_text().split()[0])
    total = 0.0
    for child in psutil.Process(postmaster).children():
        try:
            times = child.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def timed(target: str, server: PostgresServer | None, work: Callable[[Store], None]) -> Timing:
    started, cpu, served = time.perf_counter(), time.process_time(), server_cpu(server)
    with open_store(target) as store:
        work(store)
        served = server_cpu(server) - served
    return time.perf_counter() - started, time.process_time() - cpu, served


def summary(name: str, runs: list[Timing]) -> str:
    walls, cpus, servers = zip(*runs, strict=True)
    return (f"{name:<11} wall {statistics.median(walls):6.2f} s (min {min(walls):.2f}, max {max(walls):.2f})  "
            f"client CPU {statistics.median(cpus):6.2f} s  server CPU {statistics.median(servers):5.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--writes-only", action="store_true", help="skip the full ingest runs")
    args = parser.parse_args()
    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise SystemExit("no PostgreSQL binaries (initdb) found")
    server = PostgresServer(bin_dir).start()
    folder = Path(tempfile.mkdtemp(prefix="dyadlens-bench-"))
    try:
        run(server, folder, args.repeat, not args.writes_only)
    finally:
        server.stop()


def run(server: PostgresServer, folder: Path, repeat: int, full_ingest: bool) -> None:
    resources = Resources()
    pipeline = build_pipeline(resources)
    with open_store(folder / "source.db") as source:
        ingest(INPUTS, source, pipeline)
        records: list[DocumentRecords] = list(source.iter_records())
    print(f"{len(records)} documents, {sum(len(r.events) for r in records)} events; {psutil.cpu_count()} CPUs")

    def write_all(store: Store) -> None:
        for document in records:
            store.write(document)

    def ingest_all(store: Store) -> None:
        ingest(INPUTS, store, pipeline)

    kinds = [("writes", write_all)] + ([("ingest", ingest_all)] if full_ingest else [])
    for kind, work in kinds:
        results: dict[str, list[Timing]] = {"sqlite": [], "postgresql": []}
        for round_ in range(repeat):
            results["sqlite"].append(timed(str(folder / f"{kind}-{round_}.db"), None, work))
            results["postgresql"].append(timed(server.fresh_database(), server, work))
        print(f"-- {kind} ({repeat} rounds, interleaved)")
        for name, runs in results.items():
            print(summary(name, runs))
        ratio = statistics.median(r[0] for r in results["postgresql"]) / statistics.median(
            r[0] for r in results["sqlite"])
        print(f"postgresql / sqlite wall: {ratio:.2f}")


if __name__ == "__main__":
    main()
