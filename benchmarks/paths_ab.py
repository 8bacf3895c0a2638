"""Time web paths in-process on two versions of the code, interleaved, and compare their answers.

``python benchmarks/paths_ab.py STORE --baseline OLD_SRC [--rounds 2] PATH ...`` starts two workers,
each a process that opens the store read-only with the shipped ontology and KB as ``serve`` does (see
``pages.py``): one imports ``dyadlens`` from ``OLD_SRC`` (``git archive HEAD src | tar -x -C DIR``
gives ``DIR/src``), the other from this tree. Round after round each path is requested from the old
worker, then from the new one, so that both meet the same load. The report gives per path and version
the CPU time (min-max over the rounds; on a local PostgreSQL, the server's beside it, as ``pages.py``
reads it) and the wall time, and whether the two answers were the
same bytes (a JSON twin, ``/api/...`` or ``?format=json``, compares the data; an HTML page may differ in
wording only). Without ``--baseline`` only this tree is timed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import IO, Any

HERE = Path(__file__).resolve().parent


def serve_requests(store_path: str) -> None:
    """The worker: one path per line of stdin, one JSON line of timings per path on stdout."""
    sys.path.insert(0, str(HERE))
    from server_cpu import ServerClock
    from views import get  # the helper of benchmarks/views.py

    from dyadlens.kb.knowledge_base import load_kb
    from dyadlens.kb.ontology import load_ontology
    from dyadlens.store import open_store
    from dyadlens.web.app import WebApp

    store = open_store(store_path, read_only=True)
    app, server = WebApp(store, load_ontology(), load_kb()), ServerClock.of(store)
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        served, wall, cpu = server.seconds() if server else 0.0, time.perf_counter(), time.process_time()
        body = get(app, line.strip())
        timing = {"cpu": time.process_time() - cpu, "wall": time.perf_counter() - wall, "size": len(body),
                  "digest": hashlib.sha256(body).hexdigest(), "server": server.seconds() - served if server else 0.0}
        print(json.dumps(timing), flush=True)


class Worker:
    """A worker process importing ``dyadlens`` from ``source`` (a ``src`` folder)."""

    def __init__(self, store: str, source: Path) -> None:
        environment = {**os.environ, "PYTHONPATH": str(source)}
        self.process = subprocess.Popen([sys.executable, __file__, store, "--worker"], env=environment, text=True,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self._answer()

    def _answer(self) -> dict[str, Any]:
        out: IO[str] | None = self.process.stdout
        assert out is not None
        line = out.readline()
        if not line:
            raise RuntimeError("the worker stopped (its error is above)")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def time(self, path: str) -> dict[str, Any]:
        given: IO[str] | None = self.process.stdin
        assert given is not None
        given.write(path + "\n")
        given.flush()
        return self._answer()

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait()


def spread(values: list[float]) -> str:
    return f"{min(values):.2f}-{max(values):.2f}" if len(values) > 1 else f"{values[0]:.2f}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store")
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--baseline", type=Path, help="a src folder holding the old dyadlens")
    parser.add_argument("--new", type=Path, default=HERE.parent / "src", help="the src folder of the new one")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_intermixed_args(argv)
    if args.worker:
        serve_requests(args.store)
        return
    workers = {"new": Worker(args.store, args.new.resolve())}
    if args.baseline:
        workers = {"old": Worker(args.store, args.baseline.resolve()), **workers}
    timings: dict[tuple[str, str], list[dict[str, Any]]] = {(p, v): [] for p in args.paths for v in workers}
    for _ in range(args.rounds):
        for path in args.paths:
            for version, worker in workers.items():
                timings[(path, version)].append(worker.time(path))
    for worker in workers.values():
        worker.close()
    print(f"store {args.store}; {args.rounds} rounds, old and new interleaved; load {os.getloadavg()[0]:.1f}")
    print("| path | version | CPU s (min-max) | server CPU s | wall s (min-max) | bytes | same answer |")
    print("|---|---|---|---|---|---|---|")
    for path in args.paths:
        digests = {t["digest"] for v in workers for t in timings[(path, v)]}
        for version in workers:
            found = timings[(path, version)]
            print(f"| `{path}` | {version} | {spread([t['cpu'] for t in found])} | "
                  f"{spread([t['server'] for t in found])} | {spread([t['wall'] for t in found])} | "
                  f"{found[-1]['size']:,} | {len(digests) == 1} |")


if __name__ == "__main__":
    main()
