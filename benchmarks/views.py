"""Time every analysis view and web page on a (synthetic) store, with its peak memory.

``python benchmarks/views.py STORE.db [--rounds 5]`` opens the store read-only
and, ``--rounds`` times over, calls each case once in turn (the cases
interleaved: A B C ... A B C ...), timing wall and CPU time of every call. The
CLI views are called through their library functions (what the command
prints is a rendering of that object); the web pages go through the WSGI app
in-process (``/`` ... ``/api/...``), body included. After the timed rounds,
each case runs once more under ``tracemalloc`` for its peak of Python
allocations (timing and tracing are kept apart: tracing slows the call). The
report gives per case the median wall and CPU time, the spread (min–max of the
rounds), the peak memory and the size of the answer, and the resident memory
of the process before and after: the memory ``serve`` would hold. The context
and the app get the shipped ontology and KB, as the CLI and ``serve`` do.

``benchmarks/synthetic.py`` writes the store. The actors asked about are the
generator's most frequent ones (``russia``, ``taliban``), so the figures are
those of the heaviest dyad and profile. ``--compare`` times each view that reads
the event summaries (``dyadlens.store.summaries``) a second time reading the
events themselves (``summaries.bypassed()``, the state before them), in the same
rounds, right after it.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import resource
import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from server_cpu import ServerClock

from dyadlens.analysis import profile
from dyadlens.analysis.common import AnalysisContext, to_jsonable
from dyadlens.analysis.events import list_events
from dyadlens.analysis.network import actor_network
from dyadlens.analysis.overview import corpus_overview
from dyadlens.analysis.profile import actor_profile
from dyadlens.analysis.quotes import list_quotes
from dyadlens.analysis.search import search_sentences
from dyadlens.analysis.series import dyad_series
from dyadlens.analysis.timeline import dyad_timeline
from dyadlens.kb.knowledge_base import load_kb
from dyadlens.kb.ontology import load_ontology
from dyadlens.store import EventQuery, open_store, summaries
from dyadlens.store.summaries import tally
from dyadlens.web.app import WebApp

Case = Callable[[], Any]


@dataclass
class Timing:
    name: str
    wall: list[float]
    cpu: list[float]
    peak_mb: float = 0.0
    size: int = 0
    server: list[float] = dataclasses.field(default_factory=list)  # a local PostgreSQL's CPU (server_cpu.py)

    def row(self) -> str:
        median, low, high = statistics.median(self.wall), min(self.wall), max(self.wall)
        cpu = statistics.median(self.cpu)
        server = f" + server {statistics.median(self.server) * 1000:,.0f} ms" if self.server else ""
        return (f"| {self.name} | {median * 1000:,.0f} ms | {low * 1000:,.0f}–{high * 1000:,.0f} ms | "
                f"{cpu * 1000:,.0f} ms{server} | {self.peak_mb:,.1f} MB | {self.size:,} |")


def library_cases(ctx: AnalysisContext, a: str, b: str, year: str) -> dict[str, Case]:
    """The views of the CLI, as their library functions (each answer sized as its JSON)."""
    return {
        "timeline (page 1 of 50)": lambda: dyad_timeline(ctx, a, b, limit=50),
        "timeline (page 100 of 50)": lambda: dyad_timeline(ctx, a, b, limit=50, offset=99 * 50),
        "series by month": lambda: dyad_series(ctx, a, b, by="month"),
        "series by month, count reports": lambda: dyad_series(ctx, a, b, by="month", count="reports"),
        "series by year, 2010-2014": lambda: dyad_series(ctx, a, b, by="year", since="2010", until="2014"),
        f"network {year}": lambda: actor_network(ctx, since=year, until=year),
        f"network {year}, count reports": lambda: actor_network(ctx, since=year, until=year, count="reports"),
        "network, whole store": lambda: actor_network(ctx),
        "overview": lambda: corpus_overview(ctx),
        f"profile {a}": lambda: actor_profile(ctx, a),
        f"profile {a}, counts only": lambda: profile_counts(ctx, a),
        "events (code 18, first 50)": lambda: list_events(ctx, EventQuery(code="18", count="events"), limit=50),
        f"quotes by {a} (50)": lambda: list_quotes(ctx, actor_id=a, limit=50),
        "search": lambda: search_sentences(ctx, "border talks", limit=50),
    }


def profile_counts(ctx: AnalysisContext, actor: str) -> Any:
    """What the profile counts (root counts both ways, partners, totals): the part the summaries serve."""
    acts = EventQuery(actor=actor, count="events", standing=False)
    return (profile._root_counts(ctx, dataclasses.replace(acts, actor=None, source=actor)),
            profile._root_counts(ctx, dataclasses.replace(acts, actor=None, target=actor)),
            profile._partners(ctx, actor, acts), profile._partner_total(ctx, actor, acts),
            profile._event_total(ctx, tally(acts)))


#: The views that read the summary tables (dyadlens.store.summaries).
SUMMARISED = ("series", "network", "overview", "profile")


def with_baselines(cases: dict[str, Case]) -> dict[str, Case]:
    """Each view that reads the summaries followed by the same call reading the events (the state before the
    summaries), so both sides are timed in the same rounds, interleaved."""
    found: dict[str, Case] = {}
    for name, case in cases.items():
        found[name] = case
        if name.startswith(SUMMARISED):
            found[f"{name} [from the events]"] = lambda case=case: bypassing(case)
    return found


def bypassing(case: Case) -> Any:
    with summaries.bypassed():
        return case()


def web_cases(app: WebApp, a: str, b: str, year: str) -> dict[str, Case]:
    """The pages of ``serve``, through the WSGI app in-process."""
    paths = {
        "web /": "/",
        f"web /dyad/{a}/{b}": f"/dyad/{a}/{b}",
        f"web /network?since={year}": f"/network?since={year}&until={year}",
        f"web /actor/{a}": f"/actor/{a}",
        "web /search": "/search?q=border+talks",
        "web /doc/syn-00000001": "/doc/syn-00000001",
        f"web /api/dyad/{a}/{b}": f"/api/dyad/{a}/{b}",
        "web /events": "/events",
        f"web /events?actor={a}&root=04&since={year}": f"/events?actor={a}&root=04&since={year}&until={year}",
        f"web /events.csv?actor={a}&root=04&since={year}": f"/events.csv?actor={a}&root=04&since={year}&until={year}",
    }
    return {name: (lambda path=path: get(app, path)) for name, path in paths.items()}


def get(app: WebApp, url: str) -> bytes:
    path, _, query = url.partition("?")
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "REQUEST_URI": url, "QUERY_STRING": query,
               "HTTP_HOST": "127.0.0.1", "SERVER_PORT": "8000", "wsgi.input": BytesIO()}
    status: list[str] = []
    body = b"".join(app(environ, lambda s, _headers: status.append(s)))
    if not status[0].startswith("200"):
        raise RuntimeError(f"{url}: {status[0]}: {body[:200]!r}")
    return body


def size_of(answer: Any) -> int:
    """Bytes of the answer: a page's body, or a view's JSON."""
    if isinstance(answer, bytes):
        return len(answer)
    return len(json.dumps(to_jsonable(answer), default=str))


def run(cases: dict[str, Case], rounds: int, server: ServerClock | None = None) -> list[Timing]:
    """Time every case ``rounds`` times, interleaved; with ``server``, a local PostgreSQL's CPU beside the client's."""
    timings = {name: Timing(name, [], []) for name in cases}
    for _ in range(rounds):
        for name, case in cases.items():
            served = server.seconds() if server else 0.0
            wall, cpu = time.perf_counter(), time.process_time()
            answer = case()
            timings[name].wall.append(time.perf_counter() - wall)
            timings[name].cpu.append(time.process_time() - cpu)
            if server:
                timings[name].server.append(server.seconds() - served)
            timings[name].size = size_of(answer)
    for name, case in cases.items():
        tracemalloc.start()
        case()
        timings[name].peak_mb = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return list(timings.values())


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--actors", nargs=2, default=("russia", "taliban"))
    parser.add_argument("--year", default="2012")
    parser.add_argument("--only", default=None, help="only the cases whose name contains this")
    parser.add_argument("--skip", action="append", default=[], help="leave out the cases whose name contains this")
    parser.add_argument("--compare", action="store_true",
                        help="also time each summarised view reading the events, interleaved")
    args = parser.parse_args(argv)
    store = open_store(args.store, read_only=True)
    ontology, kb = load_ontology(), load_kb()
    ctx = AnalysisContext(store, ontology, kb)
    a, b = args.actors
    cases = {**library_cases(ctx, a, b, args.year), **web_cases(WebApp(store, ontology, kb), a, b, args.year)}
    if args.compare:
        cases = with_baselines(cases)
    cases = {name: case for name, case in cases.items()
             if (not args.only or args.only in name) and not any(skipped in name for skipped in args.skip)}
    before = rss_mb()
    timings = run(cases, args.rounds, ServerClock.of(store))
    print(f"store {args.store}: {store.stats(count='reports')['events']:,} reports; {args.rounds} rounds, interleaved")
    print_table("view", timings)
    print(f"peak RSS of the process: {before:,.0f} MB before the cases, {rss_mb():,.0f} MB after")
    store.close()


def print_table(kind: str, timings: list[Timing]) -> None:
    """The timings as a Markdown table, one row per view or page (``kind`` heads the first column)."""
    print(f"| {kind} | median wall | spread (min–max) | median CPU | peak Python memory | answer bytes |")
    print("|---|---|---|---|---|---|")
    for timing in timings:
        print(timing.row())


if __name__ == "__main__":
    main()
