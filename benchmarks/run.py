"""Throughput of the full dyadlens pipeline against spaCy alone, at growing corpus sizes.

    .venv/bin/python benchmarks/run.py [--seeds DIR] [--sizes 1,10,100] [--workers N]

For each size N the seed articles are copied N times (distinct file names and
ids, with a sidecar meta.jsonl) into a temporary folder. ``dyadlens.runner.ingest``
then runs the full pipeline over that corpus into a new store, in this
process and in ``--workers`` processes (default: every core; each worker
loads its own resources once, so its start-up is in the time). The baseline is
``nlp.pipe`` of the spaCy model alone over the same document texts, in one
process and with ``n_process=workers``. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from dyadlens.pipeline import STAGES, Pipeline, build_pipeline
from dyadlens.resources import Resources
from dyadlens.runner import PipelineSpec, ingest
from dyadlens.store import open_store


@dataclass(frozen=True)
class Timing:
    engine: str  # dyadlens | spaCy
    processes: int
    size: int
    docs: int
    words: int
    seconds: float

    @property
    def label(self) -> str:
        return f"{self.engine}, {self.processes} process{'es' if self.processes > 1 else ''}"

    @property
    def words_per_second(self) -> float:
        return self.words / self.seconds if self.seconds else 0.0

    @property
    def docs_per_second(self) -> float:
        return self.docs / self.seconds if self.seconds else 0.0

    @property
    def microseconds_per_word(self) -> float:
        return 1e6 * self.seconds / self.words if self.words else 0.0


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="dyadlens throughput benchmark")
    parser.add_argument("--seeds", type=Path, default=Path.cwd().parent / "shared" / "corpus" / "seeds",
                        help="folder of seed .txt files with a meta.jsonl (default: ../shared/corpus/seeds)")
    parser.add_argument("--sizes", default="1,10,100", help="comma-separated repetition factors (default 1,10,100)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="processes for the parallel run")
    parser.add_argument("--upto", default=STAGES[-1], choices=STAGES, help="last pipeline stage (default: all)")
    parser.add_argument("--json", dest="json_out", type=Path, help="also write the figures to this JSON file")
    return parser.parse_args(argv)


def build_corpus(seeds: Path, size: int, folder: Path) -> list[Path]:
    """``size`` copies of every seed, with distinct names and ids, plus their sidecar."""
    meta = _seed_meta(seeds)
    folder.mkdir(parents=True, exist_ok=True)
    rows: list[str] = []
    paths: list[Path] = []
    for copy in range(size):
        for seed in sorted(seeds.glob("*.txt")):
            name = f"{seed.stem}-r{copy:04d}"
            target = folder / f"{name}.txt"
            shutil.copyfile(seed, target)
            paths.append(target)
            rows.append(json.dumps({**meta.get(seed.stem, {}), "id": name, "file": target.name}))
    (folder / "meta.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return paths


def _seed_meta(seeds: Path) -> dict[str, dict[str, object]]:
    sidecar = seeds / "meta.jsonl"
    if not sidecar.is_file():
        return {}
    rows = [json.loads(line) for line in sidecar.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {Path(str(row.get("file") or row["id"])).stem: row for row in rows}


def count_words(folder: Path) -> tuple[int, int]:
    texts = [p.read_text(encoding="utf-8") for p in folder.glob("*.txt")]
    return len(texts), sum(len(t.split()) for t in texts)


def run_dyadlens(folder: Path, db_path: Path, resources: Resources, workers: int, upto: str) -> float:
    """Ingest the corpus into a new store with the runner; returns the wall-clock seconds."""
    pipeline: Pipeline | PipelineSpec = (
        build_pipeline(resources, upto=upto) if workers == 1 else PipelineSpec(upto=upto)
    )
    started = time.perf_counter()
    with open_store(db_path) as store:
        report = ingest([folder], store, pipeline, workers=workers)
    seconds = time.perf_counter() - started
    if report.failed:
        raise SystemExit(f"{len(report.failed)} inputs failed, first: {report.failed[0]}")
    return seconds


def run_baseline(folder: Path, resources: Resources, processes: int) -> float:
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
    started = time.perf_counter()
    for _ in resources.nlp.pipe(texts, batch_size=16, n_process=processes):
        pass
    return time.perf_counter() - started


def peak_rss_mib() -> tuple[float, float]:
    """Peak resident set size of this process and of its largest child, in MiB (Linux: kB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def warm_up(resources: Resources) -> float:
    """Load the model, KB, ontology and verbs before timing; returns the seconds it took."""
    started = time.perf_counter()
    _ = resources.nlp, resources.kb, resources.ontology, resources.verbs
    resources.nlp("A first sentence warms the model up.")
    return time.perf_counter() - started


def format_timing(timing: Timing) -> str:
    return (
        f"{timing.label:<22} x{timing.size:<4} {timing.docs:>6} docs {timing.words:>8} words "
        f"{timing.seconds:>8.1f} s {timing.words_per_second:>8.0f} w/s {timing.docs_per_second:>7.2f} docs/s "
        f"{timing.microseconds_per_word:>7.1f} us/word"
    )


def measure_size(args: argparse.Namespace, size: int, resources: Resources, tmp: Path) -> list[Timing]:
    seeds, workers, upto = args.seeds, args.workers, args.upto
    folder = tmp / f"x{size}"
    build_corpus(seeds, size, folder)
    docs, words = count_words(folder)
    timings = [
        Timing("dyadlens", 1, size, docs, words, run_dyadlens(folder, tmp / f"x{size}-1.db", resources, 1, upto)),
        Timing("spaCy", 1, size, docs, words, run_baseline(folder, resources, 1)),
    ]
    if workers > 1:
        parallel = run_dyadlens(folder, tmp / f"x{size}-{workers}.db", resources, workers, upto)
        timings.append(Timing("dyadlens", workers, size, docs, words, parallel))
        timings.append(Timing("spaCy", workers, size, docs, words, run_baseline(folder, resources, workers)))
    shutil.rmtree(folder)
    return timings


def ratio_lines(timings: Sequence[Timing]) -> list[str]:
    """dyadlens time / spaCy-alone time, per process count."""
    baseline = {(t.size, t.processes): t for t in timings if t.engine == "spaCy"}
    return [
        f"  dyadlens/baseline x{t.size}, {t.processes} process(es): {t.seconds / base.seconds:.2f}"
        for t in timings
        if t.engine == "dyadlens" and (base := baseline.get((t.size, t.processes))) and base.seconds
    ]


def growth_lines(timings: Sequence[Timing]) -> list[str]:
    """Time per word at each size, relative to the smallest size, per engine and process count."""
    lines = []
    for engine, processes in dict.fromkeys((t.engine, t.processes) for t in timings):
        runs = sorted((t for t in timings if (t.engine, t.processes) == (engine, processes)), key=lambda t: t.size)
        first = runs[0].microseconds_per_word
        steps = ", ".join(f"x{t.size}: {t.microseconds_per_word:.1f} us/word ({t.microseconds_per_word / first:.2f})"
                          for t in runs)
        lines.append(f"  {runs[0].label}: {steps}")
    return lines


def main(argv: Sequence[str]) -> int:
    args = parse_args(argv)
    if not (args.seeds / "meta.jsonl").is_file() and not any(args.seeds.glob("*.txt")):
        print(f"{args.seeds}: no seed articles found (pass --seeds DIR)", file=sys.stderr)
        return 2
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    resources = Resources()
    print(f"machine: {os.cpu_count()} cores, workers={args.workers}, stages up to {args.upto};"
          f" resources loaded in {warm_up(resources):.1f} s")
    results: list[Timing] = []
    with tempfile.TemporaryDirectory(prefix="dyadlens-bench-") as tmp:
        for size in sizes:
            timings = measure_size(args, size, resources, Path(tmp))
            results.extend(timings)
            print("\n".join(format_timing(t) for t in timings))
            print("\n".join(ratio_lines(timings)))
            own, children = peak_rss_mib()
            print(f"  peak RSS so far: {own:.0f} MiB this process, {children:.0f} MiB largest child")
    print("cost growth (time per word; in brackets relative to the smallest size):")
    print("\n".join(growth_lines(results)))
    own, children = peak_rss_mib()
    print(f"peak RSS: {own:.0f} MiB this process, {children:.0f} MiB largest child")
    if args.json_out:
        payload = [{**t.__dict__, "words_per_second": t.words_per_second} for t in results]
        args.json_out.write_text(json.dumps({"timings": payload, "peak_rss_mib": [own, children]}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
