"""The dyad, brief and actor pages before and after their sources side by side became a page of their own.

``python benchmarks/dyad_pages.py STORE [--rounds 2] [--base HEAD]`` opens the store read-only as ``serve`` does
and requests each page in-process twice a round, interleaved: through the web views and templates of ``--base``
(``git show BASE:src/dyadlens/web/...``, loaded beside the working tree's; their dyad page reads the sources with
the page) and through the working tree's (the dyad page links to ``/dyad/A/B/sources``, which is timed as a page
of its own). Per page: the CPU time's spread (min-max over the rounds), wall's beside it, and the size of the
answer.
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from views import Timing, get, run  # the helpers of benchmarks/views.py

from dyadlens.kb.knowledge_base import load_kb
from dyadlens.kb.ontology import load_ontology
from dyadlens.store import open_store
from dyadlens.web import app as app_module
from dyadlens.web.app import WebApp

REPO = Path(__file__).resolve().parents[1]
WEB = "src/dyadlens/web"


def _git(*args: str) -> bytes:
    return subprocess.run(["git", *args], cwd=REPO, check=True, capture_output=True).stdout


def old_views(base: str, folder: Path) -> ModuleType:
    """``web/views.py`` of ``base`` as a module of its own, its templates written under ``folder``."""
    for name in _git("ls-tree", "--name-only", f"{base}:{WEB}/templates").decode().split():
        (folder / name).write_bytes(_git("show", f"{base}:{WEB}/templates/{name}"))
    source = folder / "old_views.py"
    source.write_bytes(_git("show", f"{base}:{WEB}/views.py"))
    spec = importlib.util.spec_from_file_location("old_views", source)
    assert spec is not None and spec.loader is not None
    module = sys.modules.setdefault("old_views", importlib.util.module_from_spec(spec))
    spec.loader.exec_module(module)
    return module


@contextmanager
def routes(table: Any) -> Any:
    """The app's routes replaced by ``table`` while a request runs."""
    kept = app_module.ROUTES
    app_module.ROUTES = table
    try:
        yield
    finally:
        app_module.ROUTES = kept


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--base", default="HEAD")
    parser.add_argument("--actors", nargs=2, default=("russia", "taliban"))
    parser.add_argument("--year", default="2012")
    parser.add_argument("--person", default="sergey-lavrov", help="a KB person, for the person page")
    parser.add_argument("--only", action="append", default=[], help="only the pages whose path contains this")
    args = parser.parse_args(argv)
    a, b = args.actors
    store = open_store(args.store, read_only=True)
    ontology, kb = load_ontology(), load_kb()
    new = WebApp(store, ontology, kb)
    old = WebApp(store, ontology, kb)
    with tempfile.TemporaryDirectory() as folder:
        before = old_views(args.base, Path(folder))
        from jinja2 import FileSystemLoader

        old.env.loader = FileSystemLoader(folder)

        def old_get(path: str) -> bytes:
            with routes(before.ROUTES):
                return get(old, path)

        paths = [f"/dyad/{a}/{b}", f"/api/dyad/{a}/{b}", f"/dyad/{a}/{b}?since={args.year}&until={args.year}",
                 f"/brief/{a}/{b}", f"/actor/{a}", f"/api/actor/{a}", f"/actor/{b}", f"/actor/{args.person}"]
        paths = [p for p in paths if not args.only or any(part in p for part in args.only)]
        cases = {}
        for path in paths:
            cases[f"before {path}"] = lambda path=path: old_get(path)
            cases[f"after {path}"] = lambda path=path: get(new, path)
        for path in (f"/dyad/{a}/{b}/sources", f"/api/dyad/{a}/{b}/sources", f"/dyad/{a}/{b}/sources?page=2"):
            if not args.only or any(part in path for part in args.only):
                cases[f"after {path}"] = lambda path=path: get(new, path)
        timings = run(cases, args.rounds)
    print(f"store {args.store}; {args.rounds} rounds, interleaved; before = {args.base}")
    print("| page | CPU (min-max) | wall (min-max) | bytes |")
    print("|---|---|---|---|")
    for timing in timings:
        print(_row(timing))
    store.close()


def _row(timing: Timing) -> str:
    def spread(values: list[float]) -> str:
        return f"{min(values):.2f}-{max(values):.2f} s"

    return f"| {timing.name} | {spread(timing.cpu)} | {spread(timing.wall)} | {timing.size:,} |"


if __name__ == "__main__":
    main()
