"""Time the map (``/map``, its JSON twin) against the events explorer on the same filters.

``python benchmarks/map_page.py STORE [--rounds 3] [--year 2012]`` opens the store
read-only with the shipped ontology and KB, as ``serve`` does, and requests the
pages through the WSGI app in-process, interleaved round after round, with wall
and CPU time, the spread over the rounds and the size of the answer (the helpers
of ``benchmarks/views.py``). The explorer (``/events``: a page of rows, its total
and seven facets) is the baseline: the map reads the same condition, with one
``GROUP BY`` for the countries and one for the point cells.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from views import Timing, get, run  # the helpers of benchmarks/views.py

from dyadlens.kb.knowledge_base import load_kb
from dyadlens.kb.ontology import load_ontology
from dyadlens.store import open_store
from dyadlens.web.app import WebApp


def paths(year: str, actor: str) -> dict[str, str]:
    period = f"since={year}&until={year}"
    return {
        "/events (baseline)": "/events",
        "/map": "/map",
        "/api/map": "/api/map",
        f"/events?{period} (baseline)": f"/events?{period}",
        f"/map?{period}": f"/map?{period}",
        f"/events?actor={actor}&{period} (baseline)": f"/events?actor={actor}&{period}",
        f"/map?actor={actor}&{period}": f"/map?actor={actor}&{period}",
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--year", default="2012")
    parser.add_argument("--actor", default="russia")
    args = parser.parse_args(argv)
    store = open_store(args.store, read_only=True)
    app = WebApp(store, load_ontology(), load_kb())
    get(app, "/map?since=1900&until=1900")  # the country shapes, read once per process, out of the timings
    cases = {name: (lambda path=path: get(app, path)) for name, path in paths(args.year, args.actor).items()}
    timings: list[Timing] = run(cases, args.rounds)
    print(f"store {args.store}; {args.rounds} rounds, interleaved")
    print("| page | median wall | spread (min–max) | median CPU | peak Python memory | answer bytes |")
    print("|---|---|---|---|---|---|")
    for timing in timings:
        print(timing.row())
    store.close()


if __name__ == "__main__":
    main()
