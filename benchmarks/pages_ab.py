"""Pages of ``serve`` before and after a change of the store's SQL, interleaved in one process.

``python benchmarks/pages_ab.py STORE --rounds 2 --only /map`` opens the store read-only as
``benchmarks/pages.py`` does and requests each page with the old SQL and the new, alternately (the order
swapped every round), giving for each the client's CPU, a local PostgreSQL server's CPU
(``server_cpu.py``) and the wall time, min–max over the rounds, and whether the two answers are the same
bytes. "Before" is the working tree with the changes listed in :data:`BEFORE` undone (each a module
attribute put back as the commit had it).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pages import page_paths
from server_cpu import ServerClock
from sqlalchemy import ColumnElement, or_
from views import get

from dyadlens.kb.knowledge_base import load_kb
from dyadlens.kb.ontology import load_ontology
from dyadlens.store import open_store, queries, schema
from dyadlens.web.app import WebApp


def _plain_leads() -> ColumnElement[bool]:
    """The lead condition as the commit wrote it on both backends (before store/leads.py)."""
    return or_(schema.clusters.c.id.is_(None), schema.events.c.id == schema.clusters.c.lead)


#: The attributes the change replaced, with what they were before it.
BEFORE: list[tuple[Any, str, Any]] = [(queries, "lead_or_alone", _plain_leads)]


@contextlib.contextmanager
def before_the_change() -> Iterator[None]:
    saved = [(module, name, getattr(module, name)) for module, name, _ in BEFORE]
    for module, name, value in BEFORE:
        setattr(module, name, value)
    try:
        yield
    finally:
        for module, name, value in saved:
            setattr(module, name, value)


def timed(request: Callable[[], Any], clock: ServerClock | None) -> tuple[float, float, float, Any]:
    server, cpu, wall = clock.seconds() if clock else 0.0, time.process_time(), time.perf_counter()
    answer = request()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return wall, cpu, (clock.seconds() - server) if clock else 0.0, answer


def spread(values: list[float]) -> str:
    return f"{min(values):.2f}-{max(values):.2f} s"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--only", action="append", default=[], help="only the pages whose name contains this")
    parser.add_argument("--path", action="append", default=[], help="a page of its own (path and query) to time too")
    args = parser.parse_args(argv)
    store = open_store(args.store, read_only=True)
    app, clock = WebApp(store, load_ontology(), load_kb()), ServerClock.of(store)
    paths = page_paths("russia", "taliban", "sergey-lavrov", "syn-00000001", "2012")
    chosen = {name: path for name, path in paths.items() if not args.only or any(p in name for p in args.only)}
    chosen |= {path: path for path in args.path}
    print("| page | before: CPU + server CPU (wall) | after: CPU + server CPU (wall) | same answer |")
    print("|---|---|---|---|")
    for name, path in chosen.items():
        found: dict[str, list[tuple[float, float, float, Any]]] = {"before": [], "after": []}
        for round_ in range(args.rounds):
            for variant in (("before", "after") if round_ % 2 == 0 else ("after", "before")):
                context = before_the_change() if variant == "before" else contextlib.nullcontext()
                with context:
                    found[variant].append(timed(lambda path=path: get(app, path), clock))
        cells = [f"{spread([t[1] for t in runs])} + {spread([t[2] for t in runs])} ({spread([t[0] for t in runs])})"
                 for runs in found.values()]
        same = len({str(t[3]) for runs in found.values() for t in runs}) == 1
        print(f"| {name} | {cells[0]} | {cells[1]} | {same} |", flush=True)
    store.close()


if __name__ == "__main__":
    main()
