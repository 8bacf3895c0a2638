"""Time every web page of ``serve`` on a (synthetic) store, and the memory ``serve`` holds after visiting them all.

``python benchmarks/pages.py STORE [--rounds 3]`` opens the store read-only (a
SQLite file or a ``postgresql://`` URL) with the shipped ontology and KB, as
``serve`` does, and requests every page kind through the WSGI app in-process:
the HTML page and, for the heavy ones, its JSON twin. The pages are
interleaved round after round (A B C ... A B C ...); each request's wall and
CPU time are taken, and the report gives per page the median, the spread
(min–max over the rounds) and the size of the answer. At the end it gives the
peak resident memory of the process: what ``serve`` would hold once every page
has been visited. Run it in a fresh process for that figure to mean anything.

The actors asked about are the synthetic generator's most frequent
(``russia``, ``taliban``: the heaviest dyad and actor pages); ``--person``
names a person page (a KB person; the synthetic store names nobody, so the
page reads its queries and finds nothing), ``--document`` a document page.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from server_cpu import ServerClock
from views import Timing, get, print_table, rss_mb, run  # the helpers of benchmarks/views.py

from dyadlens.kb.knowledge_base import load_kb
from dyadlens.kb.ontology import load_ontology
from dyadlens.store import open_store
from dyadlens.web.app import WebApp


def page_paths(a: str, b: str, person: str, document: str, year: str) -> dict[str, str]:
    """Every page kind of the web UI (``web/views.py`` ``ROUTES``), by name."""
    return {
        f"/dyad/{a}/{b}": f"/dyad/{a}/{b}",
        f"/api/dyad/{a}/{b}": f"/api/dyad/{a}/{b}",
        f"/dyad/{a}/{b}/sources": f"/dyad/{a}/{b}/sources",
        f"/api/dyad/{a}/{b}/sources": f"/api/dyad/{a}/{b}/sources",
        f"/dyad/{a}/{b}?since={year}&until={year}": f"/dyad/{a}/{b}?since={year}&until={year}",
        f"/actor/{a}": f"/actor/{a}",
        f"/api/actor/{a}": f"/api/actor/{a}",
        f"/actor/{b}": f"/actor/{b}",
        f"/actor/{person} (person)": f"/actor/{person}",
        "/": "/",
        f"/network?since={year}": f"/network?since={year}&until={year}",
        "/search?q=border+talks": "/search?q=border+talks",
        f"/doc/{document}": f"/doc/{document}",
        "/events": "/events",
        f"/events?actor={a}&root=04&since={year}": f"/events?actor={a}&root=04&since={year}&until={year}",
        "/documents": "/documents",
        f"/documents?year={year}&sort=-events": f"/documents?year={year}&sort=-events",
        "/quotes": "/quotes",
        f"/quotes?actor={a}&q=border": f"/quotes?actor={a}&q=border",
        "/designations": "/designations",
        f"/designations?designator={a}&designee={b}": f"/designations?designator={a}&designee={b}",
        "/actors": "/actors",
        "/actors?sort=-reports": "/actors?sort=-reports",
        f"/brief/{a}/{b}": f"/brief/{a}/{b}",
        "/map": "/map",
        f"/map?since={year}": f"/map?since={year}&until={year}",
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--actors", nargs=2, default=("russia", "taliban"))
    parser.add_argument("--person", default="sergey-lavrov")
    parser.add_argument("--document", default="syn-00000001")
    parser.add_argument("--year", default="2012")
    parser.add_argument("--only", action="append", default=[], help="only the pages whose path contains this")
    parser.add_argument("--exact", action="store_true", help="--only names whole page names (the root page: /)")
    args = parser.parse_args(argv)
    store = open_store(args.store, read_only=True)
    app = WebApp(store, load_ontology(), load_kb())
    paths = page_paths(*args.actors, args.person, args.document, args.year)
    if args.only:
        paths = {name: path for name, path in paths.items()
                 if any(part == name if args.exact else part in name for part in args.only)}
    before = rss_mb()
    timings: list[Timing] = run({name: (lambda path=path: get(app, path)) for name, path in paths.items()},
                                args.rounds, ServerClock.of(store))
    print(f"store {args.store}; {args.rounds} rounds, interleaved")
    print_table("page", timings)
    print(f"peak RSS of the process: {before:,.0f} MB before the pages, {rss_mb():,.0f} MB after visiting them all")
    store.close()


if __name__ == "__main__":
    main()
