"""Ingest throughput: the pipeline against spaCy alone, and 1 against 2 workers (processes and Dask).

    .venv/bin/python benchmarks/throughput.py [--copies 16] [--rounds 3] [--sides spacy,pipeline,...]

The text set: every input of ``examples/corpus`` and of the seed articles
(``--seeds``, default ``../shared/corpus/seeds``), read and cleaned by
dyadlens, each written out as a ``.txt`` file ``--copies`` times under its
own id. Every side gets exactly these texts.

The sides, each run in a fresh process of its own (so its memory is its own):

- ``spacy``: ``nlp.pipe`` of the spaCy model alone, one process, model loaded before timing;
- ``pipeline``: ``runner.ingest`` with the full pipeline (rule coder) into a new store, one process,
  resources loaded before timing (the model, the KB and, since 2026-12-07 evening, the KB relations the
  store's identity step loads once a process): the two give the pipeline / spaCy ratio;
- ``workers1``, ``workers2``: ``ingest --workers N`` (N = 1 runs in the process itself);
- ``dask1``, ``dask2``: ``ingest --cluster local:N`` (a ``LocalCluster`` of N one-thread worker processes);
- ``dask1-parquet``, ``dask2-parquet``: the same cluster, each worker writing Parquet partitions of
  8 documents (several per worker even on a small text set) that the client bulk-loads
  (``ingest --partitions``, docs/distributed.md);
- ``writer1``, ``writer50``: the pipeline up to ``sentences`` only (no parse), so the store's writes are
  most of the time, with one document per transaction against 50 (the default batch).

The four worker sides count start-up the same way: the clock starts before
any model is loaded (and before the cluster starts) and stops when the last
document is stored, so each side pays its own loads once per process.
The sides are interleaved, ``--rounds`` rounds of all of them (A B A B), so a
load on the shared machine hits them alike; each line gives the median, the
spread (min-max), CPU time beside wall time (the side's process and all its
worker processes), and the peak RSS of the side's main process and of its
largest worker process. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

SIDES = ("spacy", "pipeline", "workers1", "workers2", "dask1", "dask2", "writer1", "writer50",
         "dask1-parquet", "dask2-parquet")
REPO = Path(__file__).resolve().parent.parent
#: Words of the article the projection is for (issue #13: 100k articles of 600 words).
PROJECTED_ARTICLES, PROJECTED_WORDS = 100_000, 600

CHILD = """
import json, logging, resource, sys, time
from pathlib import Path
side, folder, db = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
logging.getLogger("distributed").setLevel(logging.ERROR)
from dyadlens.runner import PipelineSpec, ingest
from dyadlens.store import open_store

done_at = []  # when each document was done (stored, or parsed by spaCy)

def stored(store, **how):
    report = ingest([folder], store, on_progress=lambda _p: done_at.append(time.perf_counter()), **how)
    assert not report.failed, report.failed[:1]

if side in ("spacy", "pipeline"):  # loaded before the clock starts: the steady state of one process
    from dyadlens.resources import Resources
    resources = Resources()
    resources.nlp("A first sentence warms the model up.")
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
if side == "pipeline":
    from dyadlens.identity.compatibility import kb_relations
    from dyadlens.pipeline import build_pipeline
    pipeline = build_pipeline(resources)
    kb_relations()  # the store's identity step loads the shipped KB's relations once a process: a resource too
started, cpu = time.perf_counter(), time.process_time()
if side == "spacy":
    for _ in resources.nlp.pipe(texts, batch_size=16):
        done_at.append(time.perf_counter())
elif side == "pipeline":
    with open_store(db) as store:
        stored(store, pipeline=pipeline)
elif side.startswith("writer"):  # the one writer's rate: a pipeline that stops before the parse
    with open_store(db) as store:
        stored(store, pipeline=PipelineSpec(upto="sentences"), batch_size=int(side[len("writer"):]))
elif side.startswith("workers"):
    with open_store(db) as store:
        stored(store, pipeline=PipelineSpec(), workers=int(side[-1]))
else:
    from dyadlens.distributed import dask_client
    with open_store(db) as store, dask_client(cluster=f"local:{side[4]}") as client:
        if side.endswith("-parquet"):
            from dyadlens.ingest.discover import discover
            from dyadlens.partitioned import ingest_partitioned
            report = ingest_partitioned(discover([folder]), store, PipelineSpec(), client, db.with_suffix(".parts"),
                                        size=8, on_progress=lambda _p: done_at.append(time.perf_counter()))
            assert not report.failed, report.failed[:1]
        else:
            stored(store, pipeline=PipelineSpec(), client=client)
        wall = time.perf_counter() - started  # the cluster's shutdown is left out
if not side.startswith("dask"):
    wall = time.perf_counter() - started
children = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({
    "wall": wall, "quarter": done_at[len(done_at) // 4] - started, "cpu": time.process_time() - cpu,
    "workers_cpu": children.ru_utime + children.ru_stime,
    "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "worker_rss_mib": children.ru_maxrss / 1024,
}))
"""


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=REPO.parent / "shared" / "corpus" / "seeds")
    parser.add_argument("--copies", type=int, default=16, help="copies of each text (default 16)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds of every side (default 3)")
    parser.add_argument("--sides", default=",".join(SIDES), help=f"comma-separated, of {', '.join(SIDES)}")
    parser.add_argument("--json", dest="json_out", type=Path, default=None, help="also write every run here")
    return parser.parse_args(argv)


def build_text_set(sources: Sequence[Path], copies: int, folder: Path) -> tuple[int, int]:
    """Every input of ``sources``, read and cleaned, written ``copies`` times as .txt; (documents, words)."""
    from dyadlens.ingest.discover import discover
    from dyadlens.model import RawInput
    from dyadlens.pipeline import build_pipeline
    from dyadlens.resources import Resources

    clean = build_pipeline(Resources(), upto="clean")
    raws = [raw for raw in discover([s for s in sources if s.is_dir()]) if isinstance(raw, RawInput)]
    texts = [clean(raw).document.text for raw in raws]
    folder.mkdir(parents=True)
    for copy in range(copies):
        for number, text in enumerate(texts):
            (folder / f"t{number:02d}-c{copy:03d}.txt").write_text(text, encoding="utf-8")
    return len(texts) * copies, sum(len(t.split()) for t in texts) * copies


def run_side(side: str, folder: Path, db: Path) -> dict[str, float]:
    db.unlink(missing_ok=True)
    shutil.rmtree(db.with_suffix(".parts"), ignore_errors=True)
    done = subprocess.run(
        [sys.executable, "-c", CHILD, side, str(folder), str(db)], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"side {side} failed:\n{done.stderr[-3000:]}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def summary_line(side: str, runs: list[dict[str, float]], docs: int, words: int) -> str:
    """Medians and spreads of one side, its start-up and steady rate, and the projection they give."""
    walls = [r["wall"] for r in runs]
    cpus = [_cpu(r) for r in runs]
    wall, startup, steady = statistics.median(walls), *_startup_and_rate(runs, docs, words)
    projected = startup + PROJECTED_ARTICLES * PROJECTED_WORDS / steady
    return (
        f"{side:<13} wall {wall:6.1f} s ({min(walls):.1f}-{max(walls):.1f})  "
        f"cpu {statistics.median(cpus):6.1f} s ({min(cpus):.1f}-{max(cpus):.1f})  {words / wall:5.0f} w/s  "
        f"start-up {startup:4.1f} s, then {steady:5.0f} w/s  "
        f"peak RSS main {max(r['rss_mib'] for r in runs):4.0f} MiB, largest worker "
        f"{max(r['worker_rss_mib'] for r in runs):4.0f} MiB  "
        f"{PROJECTED_ARTICLES // 1000}k x {PROJECTED_WORDS} words: {projected / 3600:.1f} h"
    )


#: (label, baseline side, measured side, ideal speed-up): the ratios the issue's targets are about.
RATIOS = (
    ("pipeline / spaCy alone (target >= 0.8)", "spacy", "pipeline", 1.0),
    ("workers 1 -> 2 efficiency (target >= 0.85)", "workers1", "workers2", 2.0),
    ("dask 1 -> 2 efficiency (target >= 0.85)", "dask1", "dask2", 2.0),
    ("dask + parquet 1 -> 2 efficiency (target >= 0.85)", "dask1-parquet", "dask2-parquet", 2.0),
    ("dask 2 workers, parquet partitions against the one writer", "dask2", "dask2-parquet", 1.0),
    ("batched commits, 50 against 1 per transaction", "writer1", "writer50", 1.0),
)


def ratio_lines(runs: dict[str, list[dict[str, float]]]) -> list[str]:
    """Per round and median: the baseline's wall time over the measured side's, divided by the ideal
    speed-up (throughput ratio; scaling efficiency), and the same for the CPU time of all processes
    (for 1 -> 2 workers: 1.0 means the second worker added no work)."""
    lines = []
    for label, base, other, ideal in RATIOS:
        if not (runs.get(base) and runs.get(other)):
            continue
        pairs = list(zip(runs[base], runs[other], strict=False))
        walls = [b["wall"] / o["wall"] / ideal for b, o in pairs]
        cpus = [_cpu(b) / _cpu(o) for b, o in pairs]
        lines.append(f"{label}: wall {statistics.median(walls):.2f} (rounds {_listed(walls)}), "
                     f"cpu {statistics.median(cpus):.2f} (rounds {_listed(cpus)})")
    return lines


def _startup_and_rate(runs: list[dict[str, float]], docs: int, words: int) -> tuple[float, float]:
    """The steady rate (words/s) from the time the first quarter of the documents was done to the end,
    and the start-up: the time to that quarter less what those documents took at the steady rate."""
    quarter_docs = docs // 4 + 1
    quarter = statistics.median(r["quarter"] for r in runs)
    wall = statistics.median(r["wall"] for r in runs)
    docs_per_second = (docs - quarter_docs) / (wall - quarter)
    return max(0.0, quarter - quarter_docs / docs_per_second), docs_per_second * words / docs


def _cpu(run: dict[str, float]) -> float:
    return run["cpu"] + run["workers_cpu"]


def _listed(values: list[float]) -> str:
    return ", ".join(f"{v:.2f}" for v in values)


def main(argv: Sequence[str]) -> int:
    args = parse_args(argv)
    sides = [s for s in args.sides.split(",") if s]
    unknown = sorted(set(sides) - set(SIDES))
    if unknown:
        print(f"unknown sides: {', '.join(unknown)}", file=sys.stderr)
        return 2
    runs: dict[str, list[dict[str, float]]] = {side: [] for side in sides}
    with tempfile.TemporaryDirectory(prefix="dyadlens-throughput-") as tmp:
        folder = Path(tmp) / "texts"
        docs, words = build_text_set([REPO / "examples" / "corpus", args.seeds], args.copies, folder)
        print(f"text set: {docs} documents, {words} words (examples/corpus + seeds, x{args.copies}); "
              f"{args.rounds} interleaved rounds; {os.cpu_count()} cores; load {os.getloadavg()[0]:.2f}", flush=True)
        for number in range(args.rounds):
            for side in sides:
                runs[side].append(run_side(side, folder, Path(tmp) / f"{side}.db"))
            print(f"round {number + 1}: " + ", ".join(f"{s} {runs[s][-1]['wall']:.1f} s" for s in sides)
                  + f"; load {os.getloadavg()[0]:.2f}", flush=True)
    for side in sides:
        print(summary_line(side, runs[side], docs, words))
    print("\n".join(ratio_lines(runs)))
    if args.json_out:
        args.json_out.write_text(json.dumps({"documents": docs, "words": words, "runs": runs}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
