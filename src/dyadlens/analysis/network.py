"""The actor network of a period: weighted directed edges between actors.

An edge ``source -> target`` carries the number of events and their mean
Goldstein weight. Events without a target, and (by default) events whose
modality is not ``asserted``, are left out. Events are placed in the period by
their own date, else by their document's publication date. A real event counts
once (``count="events"``, the default) or every report counts (``"reports"``);
standing facts are never counted. The edges come from one aggregate query
(``GROUP BY`` source, target, with the period and the quad classes filtered in
SQL), ordered by count and read once: a page of them is shown (``limit``, ``offset``),
their number is the total of ``window``, and the nodes are the actors of the edges
shown, each with its events over every edge. The edges shown are weighed from their
counts by code (one more ``GROUP BY``, over those pairs only).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, or_, select, tuple_

from dyadlens.analysis.common import (
    DEFAULT_MODALITIES,
    AnalysisContext,
    Window,
    check_modalities,
    check_window,
    weigh,
)
from dyadlens.errors import DyadlensError
from dyadlens.model import shown_id
from dyadlens.partial_dates import check_date
from dyadlens.store import EventQuery
from dyadlens.store.summaries import SummaryTally, Tally, tally

#: Edges a network page shows unless asked for another page size.
EDGES_SHOWN = 200


@dataclass(frozen=True, slots=True)
class Node:
    id: str
    name: str | None
    type: str | None
    events: int  # events the actor takes part in (either side)


@dataclass(frozen=True, slots=True)
class Edge:
    source: str
    target: str
    count: int
    mean_goldstein: float | None
    by_quad: dict[int, int]


@dataclass(frozen=True, slots=True)
class Network:
    since: str | None
    until: str | None
    quad_classes: tuple[int, ...] | None
    modalities: tuple[str, ...] | None
    nodes: list[Node]
    edges: list[Edge]  # one page of them, most events first
    count: str = "events"  # what an edge counts: events | reports
    window: Window | None = None  # which edges of how many ``edges`` holds


def actor_network(
    ctx: AnalysisContext,
    since: str | None = None,
    until: str | None = None,
    quad_classes: tuple[int, ...] | None = None,
    modalities: tuple[str, ...] | None = DEFAULT_MODALITIES,
    count: str = "events",
    limit: int | None = EDGES_SHOWN,
    offset: int = 0,
) -> Network:
    """Nodes and weighted directed edges of the events in [since, until]: ``limit`` edges from ``offset``."""
    if quad_classes is not None and any(q not in (1, 2, 3, 4) for q in quad_classes):
        raise DyadlensError("quad classes are 1 (verbal cooperation) to 4 (material conflict)")
    chosen = check_modalities(modalities)
    since, until = check_date(since, "since"), check_date(until, "until")
    check_window(limit, offset)
    counted = tally(EventQuery(modalities=chosen, since=since, until=until, document_dates=True, count=count,
                               standing=False))
    source, target = counted.column("source"), counted.column("target")
    where = [*counted.conditions(), source.is_not(None), target.is_not(None), source != target]
    if quad_classes:
        where.append(counted.column("code").in_(sorted(c.code for c in ctx.ontology if c.quad_class in quad_classes)))
    every = _every_edge(ctx, counted, where)
    pairs = every[offset:] if limit is None else every[offset : offset + limit]
    edges = _weighed_edges(ctx, counted, where, pairs)
    return Network(
        since=since, until=until, quad_classes=tuple(quad_classes) if quad_classes else None,
        modalities=chosen, count=count, nodes=_nodes(ctx, every, edges), edges=edges,
        window=Window(offset, limit, len(every)),
    )


def _every_edge(ctx: AnalysisContext, counted: Tally, where: list[Any]) -> list[tuple[str, str, int]]:
    """Every edge of the selection with its events, most first (ties by source, then target, as SQL orders
    them): one grouped read gives the page, the number of edges and the nodes' events (a few thousand pairs
    of actors, where reading the rows again for each would cost seconds)."""
    source, target = counted.column("source"), counted.column("target")
    edges = (select(source.label("source"), target.label("target"), counted.count().label("events"))
             .select_from(counted.source).where(*where).group_by(source, target)
             .order_by(counted.count().desc(), source, target))
    return [(row.source, row.target, int(row.events)) for row in ctx.store.read(edges)]


def _weighed_edges(ctx: AnalysisContext, counted: Tally, where: list[Any],
                   pairs: list[tuple[str, str, int]]) -> list[Edge]:
    """The edges shown, each weighed from its events counted by code (one ``GROUP BY`` over those pairs; on
    a summary, read by its key: a range per pair)."""
    if not pairs:
        return []
    source, target, code = counted.column("source"), counted.column("target"), counted.column("code")
    by_code = (select(source.label("source"), target.label("target"), code.label("code"), counted.count().label("n"))
               .select_from(counted.source)
               .where(*where, *_keyed_pairs(counted, pairs), tuple_(source, target).in_([(s, t) for s, t, _ in pairs]))
               .group_by(source, target, code))
    codes: dict[tuple[str, str], list[tuple[str, int]]] = defaultdict(list)
    for row in ctx.store.read(by_code):
        codes[(row.source, row.target)].append((row.code, int(row.n)))
    edges = []
    for s, t, n in pairs:
        weighed = weigh(ctx.ontology, sorted(codes[(s, t)]))  # summed in one order: the same rounding on any plan
        edges.append(Edge(source=s, target=t, count=n, mean_goldstein=weighed.mean_goldstein,
                          by_quad=weighed.by_quad))
    return edges


def _keyed_pairs(counted: Tally, pairs: list[tuple[str, str, int]]) -> list[Any]:
    """On a summary, the pairs again as ranges of its primary key (mode, source, target, ...)."""
    if not isinstance(counted, SummaryTally):
        return []
    t = counted.table.c
    return [or_(*(and_(t.mode == counted.query.count, t.source == s, t.target == x) for s, x, _ in pairs))]


def _nodes(ctx: AnalysisContext, every: list[tuple[str, str, int]], edges: list[Edge]) -> list[Node]:
    """The actors of the edges shown, each with its events over every edge of the selection."""
    shown = {actor for edge in edges for actor in (edge.source, edge.target)}
    if not shown:
        return []
    degrees: dict[str, int] = defaultdict(int)
    for s, t, n in every:
        for actor in (s, t):
            if actor in shown:
                degrees[actor] += n
    found = ctx.actor_refs(shown)
    nodes = [Node(id=a, name=found[a].name if a in found else shown_id(a), type=found[a].type if a in found else None,
                  events=degrees.get(a, 0)) for a in shown]
    return sorted(nodes, key=lambda n: (-n.events, n.id))
