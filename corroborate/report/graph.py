"""The provenance graph arranged for reading: paths for text, layered columns for drawing.

Node kinds come from the cross-check, but a node can be both a primary source (of one fact)
and an intermediary (of another): TV Chosun is the innermost source of some chains and
passes an official's words on in others. For placing, what counts is the graph: outlets on
the left, sources that cite someone in the middle, sources citing no one on the right.
"""

from __future__ import annotations

from dataclasses import dataclass

from corroborate.records import NodeKind, Provenance, ProvenanceEdge, ProvenanceNode


@dataclass(frozen=True, slots=True)
class Step:
    node: ProvenanceNode
    edge: ProvenanceEdge | None  # the edge that led here; None for the outlet a path starts at


def provenance_paths(prov: Provenance) -> list[tuple[Step, ...]]:
    """Every path from an outlet to a source that cites no one further (cycles cut)."""
    nodes = {n.key: n for n in prov.nodes}
    out: dict[str, list[ProvenanceEdge]] = {}
    for e in prov.edges:
        if e.source in nodes and e.target in nodes:
            out.setdefault(e.source, []).append(e)
    paths: list[tuple[Step, ...]] = []

    def walk(path: tuple[Step, ...]) -> None:
        here = path[-1].node.key
        onward = [e for e in out.get(here, []) if all(s.node.key != e.target for s in path)]
        if not onward and len(path) > 1:
            paths.append(path)
        for e in onward:
            walk((*path, Step(nodes[e.target], e)))

    for n in prov.nodes:
        if n.kind is NodeKind.OUTLET:
            walk((Step(n, None),))
    return paths


def columns(prov: Provenance) -> list[list[ProvenanceNode]]:
    """Nodes in layered columns: outlets, then intermediaries by depth, then end sources.

    Within a column, nodes are ordered by the mean row of what cites them (the barycentre
    rule), which keeps most edges from crossing.
    """
    nodes = {n.key: n for n in prov.nodes}
    edges = [e for e in prov.edges if e.source in nodes and e.target in nodes
             and e.source != e.target]
    cites = {e.source for e in edges}
    depth = {k: 0 for k, n in nodes.items() if n.kind is NodeKind.OUTLET}
    frontier = list(depth)
    while frontier:  # breadth first: hops from the nearest outlet (cycles end it)
        onward = []
        for e in edges:
            if e.source in frontier and e.target not in depth:
                depth[e.target] = depth[e.source] + 1
                onward.append(e.target)
        frontier = onward
    middle = max((d for k, d in depth.items() if k in cites and d > 0), default=0)
    layer: dict[str, int] = {}
    for key, node in nodes.items():
        if node.kind is NodeKind.OUTLET:
            layer[key] = 0
        elif key in cites:
            layer[key] = max(1, depth.get(key, 1))
        else:
            layer[key] = middle + 1  # sources citing no one: the last column
    count = max(layer.values(), default=-1) + 1
    cols: list[list[ProvenanceNode]] = [[] for _ in range(count)]
    for node in prov.nodes:
        cols[layer[node.key]].append(node)
    row: dict[str, float] = {n.key: float(i) for i, n in enumerate(cols[0])} if cols else {}
    for c in range(1, count):
        def centre(n: ProvenanceNode, known: dict[str, float] = row) -> float:
            rows = [known[e.source] for e in edges if e.target == n.key and e.source in known]
            return sum(rows) / len(rows) if rows else float("inf")
        cols[c].sort(key=centre)
        row.update({n.key: float(i) for i, n in enumerate(cols[c])})
    return [c for c in cols if c]
