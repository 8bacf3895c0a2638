"""The actor network as GraphML for Gephi (written with the standard library's ElementTree).

Nodes are actors: ``label`` (the name, which Gephi shows), ``name`` (the same, kept for
older readers), ``type``, ``events``. Directed edges carry ``weight`` (the events
between the two, which Gephi takes as the edge weight), ``count`` (the same),
``mean_goldstein`` and the counts per quad class (``quad1``..``quad4``). For Gephi's
timeline, nodes and edges carry ``start`` and ``end``: the first day of the earliest
and the last day of the latest dated event of the edge (of any edge of the node), as
ISO dates; an edge without any dated event has neither. The network is
:func:`dyadlens.analysis.network.actor_network` with the same filters (asserted events by default).
"""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import select

from dyadlens.analysis.common import AnalysisContext
from dyadlens.analysis.network import Edge, Network
from dyadlens.partial_dates import PartialDate
from dyadlens.store import EventQuery
from dyadlens.store.queries import joined

NAMESPACE = "http://graphml.graphdrawing.org/xmlns"
_TIME_KEYS = (("start", "string"), ("end", "string"))
_NODE_KEYS = (("label", "string"), ("name", "string"), ("type", "string"), ("events", "int"), *_TIME_KEYS)
_EDGE_KEYS = (
    ("weight", "double"),
    ("count", "int"),
    ("mean_goldstein", "double"),
    ("quad1", "int"),
    ("quad2", "int"),
    ("quad3", "int"),
    ("quad4", "int"),
    *_TIME_KEYS,
)

Span = tuple[datetime.date, datetime.date]
Pair = tuple[str, str]


def edge_spans(ctx: AnalysisContext, network: Network) -> dict[Pair, Span]:
    """For each edge of the network, the first and last day of its dated events (same filters as the network)."""
    query = EventQuery(modalities=network.modalities, since=network.since, until=network.until,
                       document_dates=True, count=network.count, standing=False)
    source, target, date = query.column("source"), query.column("target"), query.column("date")
    wanted = {(edge.source, edge.target) for edge in network.edges}
    where = [*query.conditions(), source.is_not(None), target.is_not(None), date.is_not(None)]
    if network.quad_classes:
        codes = sorted(c.code for c in ctx.ontology if c.quad_class in network.quad_classes)
        where.append(query.column("code").in_(codes))
    dated = select(source, target, date).distinct().select_from(joined()).where(*where)
    spans: dict[Pair, Span] = {}
    for row in ctx.store.read(dated):
        pair, when = (row[0], row[1]), PartialDate.parse_or_none(row[2])
        if pair in wanted and when is not None:
            spans[pair] = _widened(spans.get(pair), (when.first_day, when.last_day))
    return spans


def _widened(span: Span | None, other: Span) -> Span:
    return other if span is None else (min(span[0], other[0]), max(span[1], other[1]))


def _node_spans(edges: Iterable[Edge], spans: dict[Pair, Span]) -> dict[str, Span]:
    nodes: dict[str, Span] = {}
    for edge in edges:
        span = spans.get((edge.source, edge.target))
        if span is not None:
            for actor in (edge.source, edge.target):
                nodes[actor] = _widened(nodes.get(actor), span)
    return nodes


def network_graphml(network: Network, spans: dict[Pair, Span] | None = None) -> ET.ElementTree:
    spans = spans or {}
    root = ET.Element("graphml", {"xmlns": NAMESPACE})
    for domain, keys in (("node", _NODE_KEYS), ("edge", _EDGE_KEYS)):
        for name, kind in keys:
            ET.SubElement(
                root, "key", {"id": f"{domain[0]}_{name}", "for": domain, "attr.name": name, "attr.type": kind}
            )
    graph = ET.SubElement(root, "graph", {"id": "dyadlens", "edgedefault": "directed"})
    node_spans = _node_spans(network.edges, spans)
    for node in network.nodes:
        element = ET.SubElement(graph, "node", {"id": node.id})
        _data(element, "n_label", node.name or node.id)
        _data(element, "n_name", node.name or node.id)
        _data(element, "n_type", node.type or "")
        _data(element, "n_events", node.events)
        _span_data(element, "n", node_spans.get(node.id))
    for index, edge in enumerate(network.edges):
        element = ET.SubElement(graph, "edge", {"id": f"e{index}", "source": edge.source, "target": edge.target})
        _data(element, "e_weight", float(edge.count))
        _data(element, "e_count", edge.count)
        if edge.mean_goldstein is not None:
            _data(element, "e_mean_goldstein", edge.mean_goldstein)
        for quad in (1, 2, 3, 4):
            _data(element, f"e_quad{quad}", edge.by_quad.get(quad, 0))
        _span_data(element, "e", spans.get((edge.source, edge.target)))
    ET.indent(root)
    return ET.ElementTree(root)


def _span_data(element: ET.Element, domain: str, span: Span | None) -> None:
    if span is not None:
        _data(element, f"{domain}_start", span[0].isoformat())
        _data(element, f"{domain}_end", span[1].isoformat())


def _data(parent: ET.Element, key: str, value: object) -> None:
    ET.SubElement(parent, "data", {"key": key}).text = str(value)


def write_graphml(network: Network, path: Path, spans: dict[Pair, Span] | None = None) -> int:
    """Write the network to ``path`` (with the edges' time spans, when given); returns the number of edges."""
    network_graphml(network, spans).write(path, encoding="utf-8", xml_declaration=True)
    return len(network.edges)
