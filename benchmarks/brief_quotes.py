"""The brief's top quotes by stored words key (migration 0015) against the former read of every quotation's text.

``python benchmarks/brief_quotes.py STORE --keys KEYS.db --build`` copies STORE's ``quotes`` into the new SQLite
file KEYS.db with today's columns and indexes (``words_key`` filled from each quotation, as 0015's backfill does),
reading STORE only. ``python benchmarks/brief_quotes.py STORE --keys KEYS.db --old OLD_BRIEF.py --rounds 2`` then
times, interleaved in one process, the old ``analysis/brief.py`` (a copy, e.g. ``git show HEAD:...``) on STORE's
own quotes and today's on the copy ATTACHed beside it: so a store written before 0015 that may not be migrated
(a shared one) shows the new read shape. CPU time first, wall time in brackets; the answers are compared.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, func, select

from dyadlens.analysis import brief
from dyadlens.analysis.common import AnalysisContext
from dyadlens.analysis.status import dyad_status
from dyadlens.resources import Resources
from dyadlens.store import Store, schema
from dyadlens.store.backend import connect
from dyadlens.store.quote_words import words_key

KEYS = "k"  # the schema name the copy is ATTACHed under


def build(store_path: str, keys_path: str, page: int = 20_000) -> None:
    """Every quote of ``store_path`` with its words key into a new store-shaped ``quotes`` table at ``keys_path``."""
    started, cpu = time.perf_counter(), time.process_time()
    engine = create_engine(f"sqlite:///{keys_path}")
    with engine.begin() as conn:
        schema.quotes.create(conn)
    q, d = schema.quotes, schema.documents
    quotation = func.substr(d.c.text, q.c.start + 1, q.c.end - q.c.start)
    columns = [c for c in q.c if c.name != "words_key"]
    read = select(*columns, quotation).join_from(q, d, d.c.id == q.c.doc_id).order_by(q.c.id).limit(page)
    source = create_engine(f"sqlite:///file:{store_path}?mode=ro&uri=true")
    written, after = 0, None
    with source.connect() as reader, engine.begin() as writer:
        while True:
            found = reader.execute(read if after is None else read.where(q.c.id > after)).all()
            if not found:
                break
            rows = [{**{c.name: row[n] for n, c in enumerate(columns)}, "words_key": words_key(row[-1] or "")}
                    for row in found]
            writer.execute(schema.quotes.insert(), rows)
            written, after = written + len(rows), found[-1][0]
        writer.exec_driver_sql("ANALYZE")
    print(f"{written} quotes keyed in {time.process_time() - cpu:.1f} s CPU ({time.perf_counter() - started:.1f} s)")


def open_beside(store_path: str, keys_path: str) -> Store:
    """``store_path`` read-only (not migrated), with ``keys_path`` ATTACHed on every connection."""
    backend = connect(store_path, True)

    @event.listens_for(backend.engine, "connect")
    def _attach(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute(f"ATTACH DATABASE '{keys_path}' AS {KEYS}")

    backend.engine.dispose()
    backend.engine.update_execution_options(compiled_cache=None)  # the same statements name two tables
    return Store(backend)


@contextmanager
def keyed() -> Iterator[None]:
    """Today's code reads the quotes from the ATTACHed copy."""
    schema.quotes.schema = KEYS
    try:
        yield
    finally:
        schema.quotes.schema = None


@contextmanager
def as_of_0014() -> Iterator[None]:
    """The old code reads the store's own quotes, which have no ``words_key`` (a benchmark's shortcut: the
    column leaves the table's definition for the while)."""
    column = schema.quotes.c.words_key
    schema.quotes._columns.remove(column)
    try:
        yield
    finally:
        schema.quotes._columns.add(column)


def _load(path: str) -> Any:
    spec = importlib.util.spec_from_file_location("brief_old", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["brief_old"] = module
    spec.loader.exec_module(module)
    return module


def _timed(call: Callable[[], Any]) -> tuple[Any, float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    found = call()
    return found, time.process_time() - cpu, time.perf_counter() - wall


def _plain(value: Any) -> Any:
    return dataclasses.asdict(value) if dataclasses.is_dataclass(value) and not isinstance(value, type) else \
        [_plain(v) for v in value]


def measure(store_path: str, keys_path: str, old_path: str, rounds: int, a: str, b: str,
            since: str | None, until: str | None, only: list[str]) -> None:
    old = _load(old_path)
    store = open_beside(store_path, keys_path)
    resources = Resources()
    ctx = AnalysisContext(store, resources.ontology, resources.kb)
    status = dyad_status(ctx, a, b) if "summary" in only else []
    every: dict[str, Callable[[Any], Any]] = {
        "events": lambda m: m.top_events(ctx, a, b, since, until),
        "quotes": lambda m: m.top_quotes(ctx, a, b, since, until),
        "summary": lambda m: m.brief_summary(ctx, a, b, since, until, status=status),
    }
    parts = [(name, every[name]) for name in only]
    for n in range(rounds):
        for name, call in parts:
            with as_of_0014():
                before, old_cpu, old_wall = _timed(lambda call=call: call(old))
            with keyed():
                after, new_cpu, new_wall = _timed(lambda call=call: call(brief))
            same = _plain(before) == _plain(after)
            print(f"round {n + 1} {name}: before {old_cpu:.3f} s ({old_wall:.2f} s), after {new_cpu:.3f} s "
                  f"({new_wall:.2f} s), same answer: {same}", flush=True)
    store.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", help="a SQLite store written before 0015 (read only)")
    parser.add_argument("--keys", required=True, help="the SQLite file of the keyed copy of its quotes")
    parser.add_argument("--build", action="store_true", help="write the keyed copy (a new file)")
    parser.add_argument("--old", help="a copy of the old analysis/brief.py")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--pair", nargs=2, default=("russia", "taliban"))
    parser.add_argument("--since")
    parser.add_argument("--until")
    parser.add_argument("--only", nargs="+", choices=("events", "quotes", "summary"),
                        default=["events", "quotes", "summary"], help="the parts to time (top events, top quotes, "
                        "the whole summary)")
    args = parser.parse_args(argv)
    if args.build:
        if Path(args.keys).exists():
            parser.error(f"{args.keys} exists")
        build(args.store, args.keys)
        return
    if not args.old:
        parser.error("--old: the old analysis/brief.py to compare with")
    measure(args.store, args.keys, args.old, args.rounds, *args.pair, args.since, args.until, args.only)


if __name__ == "__main__":
    main()
