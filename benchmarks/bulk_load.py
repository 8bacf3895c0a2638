"""The one writer against the bulk loader: documents/s the store takes with full records, no pipeline timed.

    .venv/bin/python benchmarks/bulk_load.py [--documents 600] [--rounds 3] [--backends sqlite,postgresql]
        [--pg postgresql://postgres@/postgres?host=/work/big/pgsock&port=5499]

The records: the full pipeline (rule coder) runs once, untimed, over
``examples/corpus`` and the seed articles; the documents are then copied
under new ids (``ID-cK``, every record id suffixed, other content hash and
fingerprint, dates moved by 3K years so that copies do not report the same
real events) up to ``--documents``. Every side gets exactly these records.

The sides, on a new empty store each run:

- ``writer``: ``Store.write_batch`` 50 documents per transaction: what the
  client of ``ingest --cluster`` does with the records workers send it;
- ``bulk``: the same documents as partitions of 50, written beforehand (the
  workers' part, timed apart as ``partition write``), each read back and
  loaded in one transaction (``read_partition`` + ``load_partition``:
  ``executemany`` on SQLite, ``COPY`` on PostgreSQL).

Sides and backends are interleaved (A B A B); each line gives the median
rate, the spread (min-max), and the client's CPU time beside the wall time
(a PostgreSQL server's own CPU is not in it). On PostgreSQL each run gets a
database of its own (``CREATE DATABASE ... LOCALE 'C.UTF-8'``), dropped after.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
PG_DEFAULT = "postgresql://postgres@/postgres?host=/work/big/pgsock&port=5499"
PER_TRANSACTION = 50


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=REPO.parent / "shared" / "corpus" / "seeds")
    parser.add_argument("--documents", type=int, default=600)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--pg", default=PG_DEFAULT, help="a PostgreSQL server's maintenance database URL")
    return parser.parse_args(argv)


def pipeline_records(sources: Sequence[Path]) -> list[Any]:
    from dyadlens.ingest.discover import discover
    from dyadlens.model import DocumentRecords, RawInput
    from dyadlens.pipeline import build_pipeline
    from dyadlens.resources import Resources
    from dyadlens.runner import process

    pipeline = build_pipeline(Resources())
    raws = [raw for raw in discover([s for s in sources if s.is_dir()]) if isinstance(raw, RawInput)]
    results = [process(pipeline, raw) for raw in raws]
    return [r for r in results if isinstance(r, DocumentRecords)]


def copies(originals: list[Any], documents: int) -> list[Any]:
    """``documents`` records: the originals, then copies of them under new ids (see the module's docstring)."""
    found = []
    for number in range(documents):
        copy, original = divmod(number, len(originals))
        found.append(originals[original] if copy == 0 else _copy(originals[original], copy))
    return found


def _copy(records: Any, k: int) -> Any:
    from dyadlens.model import RECORD_KINDS

    doc = records.document
    new_id = f"{doc.id}-c{k}"
    document = dataclasses.replace(
        doc, id=new_id, content_hash=_digest(doc.content_hash, k), fingerprint=_digest(doc.fingerprint, k),
        published=_moved(doc.published, k),
    )
    lists = {kind.name: [_renamed(r, kind.name, new_id, k) for r in getattr(records, kind.name)]
             for kind in RECORD_KINDS}
    return dataclasses.replace(records, document=document, **lists)


def _renamed(record: Any, kind: str, doc_id: str, k: int) -> Any:
    changes: dict[str, Any] = {}
    if hasattr(record, "doc_id"):
        changes["doc_id"] = doc_id
    if kind != "actors":  # an actor row's id is the actor's, keyed with its document
        changes["id"] = f"{record.id}~{k}"
    if kind == "events":
        changes["date"] = _moved(record.date, k)
    return dataclasses.replace(record, **changes)


def _moved(date: str | None, k: int) -> str | None:
    if not date or not date[:4].isdigit():
        return date
    return f"{int(date[:4]) - 3 * k:04d}{date[4:]}"


def _digest(text: str, k: int) -> str:
    return hashlib.sha1(f"{text}/{k}".encode()).hexdigest()


def write_partitions(batch: list[Any], folder: Path, pipeline: str) -> list[Any]:
    from dyadlens.store.partitions import write_partition

    folder.mkdir(parents=True)
    return [write_partition(folder, f"part-{n:05d}.parquet", batch[start : start + PER_TRANSACTION], pipeline)
            for n, start in enumerate(range(0, len(batch), PER_TRANSACTION))]


def run_writer(store: Any, batch: list[Any], pipeline: str, _folder: Path, _written: list[Any]) -> None:
    for start in range(0, len(batch), PER_TRANSACTION):
        results = store.write_batch(batch[start : start + PER_TRANSACTION], pipeline=pipeline)
        assert not any(isinstance(r, Exception) for r in results), results


def run_bulk(store: Any, _batch: list[Any], _pipeline: str, folder: Path, written: list[Any]) -> None:
    from dyadlens.store.bulk import load_partition
    from dyadlens.store.partitions import read_partition

    for part in written:
        loaded = load_partition(store, read_partition(folder / part.file, part.sha256))
        assert all(doc.result is not None and not isinstance(doc.result, Exception) for doc in loaded)


SIDES: dict[str, Callable[[Any, list[Any], str, Path, list[Any]], None]] = {"writer": run_writer, "bulk": run_bulk}


@contextmanager
def new_store(backend: str, tmp: Path, pg: str) -> Iterator[Any]:
    from sqlalchemy import create_engine, text

    from dyadlens.store import open_store

    if backend == "sqlite":
        path = tmp / f"{uuid.uuid4().hex}.db"
        with open_store(path) as store:
            yield store
        return
    name = f"bulk_{uuid.uuid4().hex[:10]}"
    admin = create_engine(pg.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C.UTF-8'"))
    try:
        with open_store(pg.replace("/postgres?", f"/{name}?", 1)) as store:
            yield store
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))
        admin.dispose()


def timed(side: str, backend: str, tmp: Path, pg: str, batch: list[Any], pipeline: str, folder: Path,
          written: list[Any]) -> tuple[float, float, int]:
    """Wall and CPU seconds of one run (the store's creation and migrations left out), and its clusters."""
    from sqlalchemy import func, select

    from dyadlens.store import schema

    with new_store(backend, tmp, pg) as store:
        started, cpu = time.perf_counter(), time.process_time()
        SIDES[side](store, batch, pipeline, folder, written)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        assert store.stats()["documents"] == len(batch)
        with store.reader() as conn:
            clusters = int(conn.scalar(select(func.count()).select_from(schema.clusters)) or 0)
    return wall, cpu, clusters


def main(argv: Sequence[str]) -> int:
    args = parse_args(argv)
    backends = [b for b in args.backends.split(",") if b]
    started = time.perf_counter()
    originals = pipeline_records([REPO / "examples" / "corpus", args.seeds])
    batch = copies(originals, args.documents)
    pipeline = "benchmark"
    events = sum(len(r.events) for r in batch)
    print(f"{len(batch)} documents ({len(originals)} distinct), {events} events, "
          f"{sum(len(r.sentences) for r in batch)} sentences; records made in {time.perf_counter() - started:.0f} s; "
          f"{os.cpu_count()} cores; load {os.getloadavg()[0]:.2f}", flush=True)
    results: dict[tuple[str, str], list[tuple[float, float, int]]] = {}
    with tempfile.TemporaryDirectory(prefix="dyadlens-bulk-") as tmp_name:
        tmp = Path(tmp_name)
        began = time.perf_counter()
        written = write_partitions(batch, tmp / "partitions", pipeline)
        print(f"partition write (the workers' part, one process): {len(batch) / (time.perf_counter() - began):.0f} "
              f"documents/s, {sum(p.stat().st_size for p in (tmp / 'partitions').iterdir()) / 2**20:.1f} MiB")
        for number in range(args.rounds):
            for backend in backends:
                for side in SIDES:
                    run = timed(side, backend, tmp, args.pg, batch, pipeline, tmp / "partitions", written)
                    results.setdefault((backend, side), []).append(run)
            print(f"round {number + 1}: " + ", ".join(f"{b}/{s} {r[-1][0]:.1f} s" for (b, s), r in results.items())
                  + f"; load {os.getloadavg()[0]:.2f}", flush=True)
    for (backend, side), runs in results.items():
        rates = [len(batch) / wall for wall, _cpu, _c in runs]
        cpus = [cpu for _wall, cpu, _c in runs]
        print(f"{backend:<10} {side:<6} {statistics.median(rates):6.1f} documents/s ({min(rates):.1f}-{max(rates):.1f})"
              f"  wall {statistics.median(w for w, _c, _n in runs):5.1f} s  client cpu {statistics.median(cpus):5.1f} s"
              f"  clusters {runs[0][2]}")
    for backend in backends:
        pairs = zip(results[(backend, "writer")], results[(backend, "bulk")], strict=True)
        ratios = [writer[0] / bulk[0] for writer, bulk in pairs]
        print(f"{backend}: bulk / writer rate {statistics.median(ratios):.2f} (rounds "
              + ", ".join(f"{r:.2f}" for r in ratios) + ")")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
