"""The actor network of a period: weighted directed edges between actors.

An edge ``source -> target`` carries the number of events and their mean
Goldstein weight. Events without a target, and (by default) events whose
modality is not ``asserted``, are left out. Events are placed in the period by
their own date, else by their document's publication date. A real event counts
once (``count="events"``, the default) or every report counts (``"reports"``);
standing facts are never counted.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from dyadlens.analysis.common import DEFAULT_MODALITIES, AnalysisContext, EventRow, check_modalities, sort_rows
from dyadlens.errors import DyadlensError
from dyadlens.partial_dates import check_date
from dyadlens.store import EventQuery


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
    event_ids: list[str]


@dataclass(frozen=True, slots=True)
class Network:
    since: str | None
    until: str | None
    quad_classes: tuple[int, ...] | None
    modalities: tuple[str, ...] | None
    nodes: list[Node]
    edges: list[Edge]
    count: str = "events"  # what an edge counts: events | reports


def actor_network(
    ctx: AnalysisContext,
    since: str | None = None,
    until: str | None = None,
    quad_classes: tuple[int, ...] | None = None,
    modalities: tuple[str, ...] | None = DEFAULT_MODALITIES,
    count: str = "events",
) -> Network:
    """Nodes and weighted directed edges of the events in [since, until]."""
    if quad_classes is not None and any(q not in (1, 2, 3, 4) for q in quad_classes):
        raise DyadlensError("quad classes are 1 (verbal cooperation) to 4 (material conflict)")
    chosen = check_modalities(modalities)
    since, until = check_date(since, "since"), check_date(until, "until")
    query = EventQuery(modalities=chosen, since=since, until=until, document_dates=True, count=count,
                       standing=False)
    events = [e for e in ctx.store.events(query) if e.source and e.target and e.source != e.target]
    rows = sort_rows(ctx.counted_rows(events, count))
    if quad_classes:
        rows = [r for r in rows if r.quad_class in quad_classes]
    edges = _edges(rows)
    return Network(
        since=since, until=until, quad_classes=tuple(quad_classes) if quad_classes else None,
        modalities=chosen, count=count, nodes=_nodes(ctx, edges), edges=edges,
    )


def _edges(rows: list[EventRow]) -> list[Edge]:
    grouped: dict[tuple[str, str], list[EventRow]] = defaultdict(list)
    for row in rows:
        assert row.source is not None and row.target is not None
        grouped[(row.source, row.target)].append(row)
    edges = [_edge(pair, members) for pair, members in grouped.items()]
    return sorted(edges, key=lambda e: (-e.count, e.source, e.target))


def _edge(pair: tuple[str, str], rows: list[EventRow]) -> Edge:
    weights = [r.goldstein for r in rows if r.goldstein is not None]
    return Edge(
        source=pair[0],
        target=pair[1],
        count=len(rows),
        mean_goldstein=round(sum(weights) / len(weights), 2) if weights else None,
        by_quad={q: sum(1 for r in rows if r.quad_class == q) for q in (1, 2, 3, 4)},
        event_ids=[r.id for r in rows],
    )


def _nodes(ctx: AnalysisContext, edges: list[Edge]) -> list[Node]:
    degree: dict[str, int] = defaultdict(int)
    for edge in edges:
        degree[edge.source] += edge.count
        degree[edge.target] += edge.count
    nodes = []
    for actor_id, count in degree.items():
        actor = ctx.store.actor(actor_id)
        nodes.append(Node(id=actor_id, name=ctx.actor_name(actor_id), type=actor.type if actor else None, events=count))
    return sorted(nodes, key=lambda n: (-n.events, n.id))
