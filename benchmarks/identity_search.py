"""The identity step's candidate search on a large store, bounded by date against unbounded (read-only).

    .venv/bin/python benchmarks/identity_search.py /work/big/s10m.db [--documents 20] [--rounds 2]

For sampled stored documents (every N-th by ``seq``), replays what a write of that document does to find
and load the clusters its reports may join (``store_sync._candidates`` and ``_load``, the part that grows
with the store) with the date bound and without it, interleaved, on a read-only connection: CPU and
wall time per document, and how many clusters and member reports were loaded. Nothing is written.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Sequence

from sqlalchemy import Connection, create_engine, true

from dyadlens.store import schema  # first: the store imports the identity step


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", help="a SQLite store (opened read-only)")
    parser.add_argument("--documents", type=int, default=20, help="documents sampled (default 20)")
    parser.add_argument("--rounds", type=int, default=2, help="interleaved rounds (default 2)")
    return parser.parse_args(argv)


def sampled_documents(conn: Connection, count: int) -> list[str]:
    """Documents of reports spread over the events table (by rowid: no scan of the documents)."""
    last = int(conn.exec_driver_sql("SELECT max(rowid) FROM events").scalar() or 0)
    rowids = ",".join(str(last * (n + 1) // (count + 1)) for n in range(count))
    found = conn.exec_driver_sql(f"SELECT doc_id FROM events WHERE rowid IN ({rowids})")
    return sorted({str(doc_id) for (doc_id,) in found})


def search(conn: Connection, doc_id: str, bounded: bool) -> tuple[float, float, int, int]:
    """CPU and wall seconds to find and load the document's candidates; clusters and reports loaded."""
    from dyadlens.identity import store_sync
    from dyadlens.identity.compatibility import kb_relations
    from dyadlens.identity.core import Clusterer

    original = store_sync._dates_met
    if not bounded:
        store_sync._dates_met = lambda _dates: true()  # type: ignore[assignment]
    try:
        cpu, wall = time.process_time(), time.perf_counter()
        sync = store_sync._Sync(conn, Clusterer(relations=kb_relations()))
        reports = [r for r, _ in store_sync.stored_reports(conn, schema.events.c.doc_id == doc_id) if r.counted]
        loaded = store_sync._load(sync, store_sync._candidates(sync, reports))
        spent = time.process_time() - cpu, time.perf_counter() - wall
    finally:
        store_sync._dates_met = original
    return (*spent, len(loaded), sum(len(c.reports) for c in loaded))


def main(argv: Sequence[str]) -> int:
    args = parse_args(argv)
    from dyadlens.identity.compatibility import kb_relations

    engine = create_engine(f"sqlite:///file:{args.store}?mode=ro&uri=true")
    kb_relations()
    with engine.connect() as conn:
        docs = sampled_documents(conn, args.documents)
        runs: dict[bool, list[tuple[float, float, int, int]]] = {True: [], False: []}
        for _ in range(args.rounds):
            for doc_id in docs:
                for bounded in (True, False):
                    runs[bounded].append(search(conn, doc_id, bounded))
                    cpu, wall, clusters, reports = runs[bounded][-1]
                    print(f"{doc_id} {'bounded' if bounded else 'unbounded'}: cpu {cpu * 1000:.1f} ms, "
                          f"wall {wall * 1000:.1f} ms, {clusters} clusters, {reports} reports", flush=True)
    for bounded in (False, True):
        found = runs[bounded]
        cpus, walls = [r[0] * 1000 for r in found], [r[1] * 1000 for r in found]
        print(f"{'bounded' if bounded else 'unbounded':9}  per document: cpu median {statistics.median(cpus):7.1f} ms "
              f"(max {max(cpus):7.1f}), wall median {statistics.median(walls):7.1f} ms (max {max(walls):7.1f}); "
              f"clusters loaded {statistics.mean(r[2] for r in found):7.1f}, "
              f"reports {statistics.mean(r[3] for r in found):7.1f} on average")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
