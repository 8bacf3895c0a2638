"""Throughput and memory of each event coder (rules, model, hybrid) against spaCy alone.

    .venv/bin/python benchmarks/coders.py [--seeds DIR] [--size 10] [--repeats 3]

The seed articles are copied ``--size`` times into a corpus. Each run is a fresh process (so
its peak memory is its own) that loads everything, warms up, then times one thing over the
whole corpus, wall-clock and CPU: spaCy's ``nlp.pipe`` alone, or the dyadlens pipeline in one
process with ``--coder`` rules, model or hybrid. The runs are interleaved, ``--repeats``
rounds of all four, so a load on the shared machine hits them alike; each line gives the
median and the spread. The ratio is spaCy's time over the coder's: 0.5 means half spaCy's
throughput. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from run import build_corpus, count_words

ENGINES = ("spacy", "rules", "model", "hybrid")
REPO = Path(__file__).resolve().parent.parent

CHILD = """
import json, resource, sys, time
from pathlib import Path
engine, folder, db = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
from dyadlens.resources import Resources
resources = Resources()
resources.nlp("A first sentence warms the model up.")
texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
if engine == "spacy":
    run = lambda: [None for _ in resources.nlp.pipe(texts, batch_size=16)]
else:
    from dyadlens.pipeline import PipelineConfig, build_pipeline
    from dyadlens.runner import ingest
    from dyadlens.store import open_store
    config = PipelineConfig.default().with_option("learned", "mode", engine)
    pipeline = build_pipeline(resources, config=config)
    if engine != "rules":
        from dyadlens.learned.coder import shared_classifier
        shared_classifier(None)
    def run():
        with open_store(db) as store:
            ingest([folder], store, pipeline)
wall, cpu = time.perf_counter(), time.process_time()
run()
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
print(json.dumps({"wall": wall, "cpu": cpu, "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run_once(engine: str, folder: Path, db: Path) -> dict[str, float]:
    db.unlink(missing_ok=True)
    done = subprocess.run([sys.executable, "-c", CHILD, engine, str(folder), str(db)], capture_output=True,
                          text=True, check=True)
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=REPO.parent / "shared" / "corpus" / "seeds")
    parser.add_argument("--size", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", dest="json_out", type=Path, default=None)
    parser.add_argument("--engines", default=",".join(ENGINES), help=f"comma-separated, of {', '.join(ENGINES)}")
    args = parser.parse_args()
    engines = [e for e in args.engines.split(",") if e]
    unknown = sorted(set(engines) - set(ENGINES))
    if unknown or "spacy" not in engines:
        parser.error(f"--engines: unknown {', '.join(unknown)}" if unknown else "--engines must include spacy")
    runs: dict[str, list[dict[str, float]]] = {engine: [] for engine in engines}
    with tempfile.TemporaryDirectory(prefix="dyadlens-coders-") as tmp:
        folder = Path(tmp) / "corpus"
        build_corpus(args.seeds, args.size, folder)
        docs, words = count_words(folder)
        print(f"corpus: seeds x{args.size}, {docs} documents, {words} words; {args.repeats} interleaved rounds")
        for round_number in range(args.repeats):
            for engine in engines:
                runs[engine].append(run_once(engine, folder, Path(tmp) / f"{engine}.db"))
            print(f"round {round_number + 1}: " + ", ".join(f"{e} {runs[e][-1]['wall']:.1f} s" for e in engines),
                  flush=True)
    spacy = statistics.median(r["wall"] for r in runs["spacy"])
    spacy_cpu = statistics.median(r["cpu"] for r in runs["spacy"])
    for engine in engines:
        walls, cpus = [r["wall"] for r in runs[engine]], [r["cpu"] for r in runs[engine]]
        wall, cpu, rss = statistics.median(walls), statistics.median(cpus), max(r["rss_mib"] for r in runs[engine])
        print(f"{engine:<7} wall {wall:6.1f} s (spread {min(walls):.1f}-{max(walls):.1f})  cpu {cpu:6.1f} s"
              f"  ratio to spaCy alone: wall {spacy / wall:.2f}, cpu {spacy_cpu / cpu:.2f}"
              f"  peak RSS {rss:.0f} MiB  {words / wall:.0f} w/s")
    if args.json_out:
        args.json_out.write_text(json.dumps({"docs": docs, "words": words, "runs": runs}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
