"""The actor network as GraphML (written with the standard library's ElementTree).

Nodes are actors (``name``, ``type``, ``events``); directed edges carry
``count``, ``mean_goldstein`` and the counts per quad class
(``quad1``..``quad4``). The network is :func:`dyadlens.analysis.network.actor_network`
with the same filters (asserted events by default).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from dyadlens.analysis.network import Network

NAMESPACE = "http://graphml.graphdrawing.org/xmlns"
_NODE_KEYS = (("name", "string"), ("type", "string"), ("events", "int"))
_EDGE_KEYS = (
    ("count", "int"),
    ("mean_goldstein", "double"),
    ("quad1", "int"),
    ("quad2", "int"),
    ("quad3", "int"),
    ("quad4", "int"),
)


def network_graphml(network: Network) -> ET.ElementTree:
    root = ET.Element("graphml", {"xmlns": NAMESPACE})
    for domain, keys in (("node", _NODE_KEYS), ("edge", _EDGE_KEYS)):
        for name, kind in keys:
            ET.SubElement(
                root, "key", {"id": f"{domain[0]}_{name}", "for": domain, "attr.name": name, "attr.type": kind}
            )
    graph = ET.SubElement(root, "graph", {"id": "dyadlens", "edgedefault": "directed"})
    for node in network.nodes:
        element = ET.SubElement(graph, "node", {"id": node.id})
        _data(element, "n_name", node.name or node.id)
        _data(element, "n_type", node.type or "")
        _data(element, "n_events", node.events)
    for index, edge in enumerate(network.edges):
        element = ET.SubElement(graph, "edge", {"id": f"e{index}", "source": edge.source, "target": edge.target})
        _data(element, "e_count", edge.count)
        if edge.mean_goldstein is not None:
            _data(element, "e_mean_goldstein", edge.mean_goldstein)
        for quad in (1, 2, 3, 4):
            _data(element, f"e_quad{quad}", edge.by_quad.get(quad, 0))
    ET.indent(root)
    return ET.ElementTree(root)


def _data(parent: ET.Element, key: str, value: object) -> None:
    ET.SubElement(parent, "data", {"key": key}).text = str(value)


def write_graphml(network: Network, path: Path) -> int:
    """Write the network to ``path``; returns the number of edges."""
    network_graphml(network).write(path, encoding="utf-8", xml_declaration=True)
    return len(network.edges)
