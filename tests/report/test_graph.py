"""The provenance graph laid out: outlets left, intermediaries between, end sources right."""

from __future__ import annotations

from corroborate.records import NodeKind, Provenance, ProvenanceEdge, ProvenanceNode
from corroborate.report.graph import columns, provenance_paths


def _graph() -> Provenance:
    def node(key: str, kind: NodeKind) -> ProvenanceNode:
        return ProvenanceNode(key, key.split(":")[1], kind)

    nodes = (node("outlet:a", NodeKind.OUTLET), node("outlet:b", NodeKind.OUTLET),
             node("outlet:tv", NodeKind.PRIMARY), node("person:official", NodeKind.PRIMARY),
             node("org:ministry", NodeKind.PRIMARY))
    edges = (ProvenanceEdge("outlet:a", "outlet:tv", ("reported",), ("F1",)),
             ProvenanceEdge("outlet:b", "outlet:tv", ("according to",), ("F1",)),
             ProvenanceEdge("outlet:tv", "person:official", ("citing",), ("F1",)),
             ProvenanceEdge("outlet:b", "org:ministry", ("said",), ("F2",)),
             ProvenanceEdge("person:official", "outlet:tv", ("told",), ()))  # a cycle
    return Provenance(nodes, edges)


def test_columns_put_a_citing_source_between_outlets_and_end_sources() -> None:
    cols = [[n.name for n in c] for c in columns(_graph())]
    assert cols == [["a", "b"], ["tv"], ["official"], ["ministry"]]


def test_paths_run_from_each_outlet_to_a_source_and_cut_cycles() -> None:
    paths = [[s.node.name for s in p] for p in provenance_paths(_graph())]
    assert ["a", "tv", "official"] in paths
    assert ["b", "tv", "official"] in paths and ["b", "ministry"] in paths
    assert all(len(p) == len(set(p)) for p in paths)
