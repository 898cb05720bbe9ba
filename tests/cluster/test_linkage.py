"""Average linkage and the pair score behind the window re-clustering (cluster/linkage.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np

from corroborate.cluster.linkage import NO_LINK, PairWeights, average_linkage, pair_scores
from corroborate.cluster.profile import ArticleProfile


def _groups(labels: list[int]) -> set[frozenset[int]]:
    out: dict[int, set[int]] = {}
    for node, label in enumerate(labels):
        out.setdefault(label, set()).add(node)
    return {frozenset(g) for g in out.values()}


def _sim(pairs: dict[tuple[int, int], float], n: int, rest: float = 0.0) -> np.ndarray:
    sim = np.full((n, n), rest)
    for (a, b), value in pairs.items():
        sim[a, b] = sim[b, a] = value
    return sim


def test_average_linkage_joins_close_groups_and_stops_at_the_threshold() -> None:
    sim = _sim({(0, 1): 0.9, (0, 2): 0.7, (1, 2): 0.7, (3, 4): 0.8, (2, 3): 0.55}, 5, 0.1)
    assert _groups(average_linkage(sim, [1.0] * 5, 0.6)) == {
        frozenset({0, 1, 2}),
        frozenset({3, 4}),
    }
    assert _groups(average_linkage(sim, [1.0] * 5, 0.95)) == {frozenset({i}) for i in range(5)}


def test_average_linkage_does_not_chain_through_one_close_pair() -> None:
    # 2 is close to 1 only: single linkage would chain 0-1-2, the average keeps 2 out
    sim = _sim({(0, 1): 0.9, (1, 2): 0.65, (0, 2): 0.1}, 3)
    assert _groups(average_linkage(sim, [1.0] * 3, 0.6)) == {frozenset({0, 1}), frozenset({2})}


def test_no_link_keeps_two_fixed_parts_apart_whatever_joins_them() -> None:
    sim = _sim({(0, 1): 0.9, (1, 2): 0.9, (0, 2): NO_LINK}, 3)
    labels = average_linkage(sim, [1.0] * 3, 0.5)
    assert labels[0] != labels[2]
    assert labels[1] in (labels[0], labels[2])


def test_a_heavy_node_weighs_as_many_members() -> None:
    # node 0 stands for a story part of 9 members: 2 is far from it, so once 1 joined it,
    # 2 is far from the group on average, though it would be near a group of two
    sim = _sim({(0, 1): 0.9, (1, 2): 0.8, (0, 2): 0.3}, 3)
    assert _groups(average_linkage(sim, [9.0, 1.0, 1.0], 0.5)) == {
        frozenset({0, 1}),
        frozenset({2}),
    }
    assert _groups(average_linkage(sim, [1.0, 1.0, 1.0], 0.5)) == {frozenset({0, 1, 2})}


def test_start_groups_are_only_merged_never_split() -> None:
    sim = _sim({(0, 1): 0.1, (2, 3): 0.9, (0, 2): 0.8, (1, 3): 0.8, (0, 3): 0.8, (1, 2): 0.8}, 4)
    labels = average_linkage(sim, [1.0] * 4, 0.6, start=[0, 0, 1, 1])
    assert labels[0] == labels[1]  # kept together though far apart
    assert len(set(labels)) == 1  # and the two groups, close on average, merged


def test_empty_input_has_no_groups() -> None:
    assert average_linkage(np.zeros((0, 0)), [], 0.5) == []


def _profile(i: int, vector: list[float], entities: dict[str, int], day: int) -> ArticleProfile:
    v = np.asarray(vector, dtype=np.float32)
    return ArticleProfile(
        article_id=i,
        published=datetime(2024, 5, day, tzinfo=UTC),
        title=None,
        outlet=None,
        vector=v / np.linalg.norm(v),
        entities=entities,
        terms={"quake": 2},
        title_terms={},
    )


def test_pair_scores_are_symmetric_and_count_names_cosine_and_time() -> None:
    profiles = [
        _profile(0, [1, 0, 0], {"place:malatya": 2}, 1),
        _profile(1, [1, 0.1, 0], {"place:malatya": 1}, 1),
        _profile(2, [1, 0.1, 0], {"place:tokat": 1}, 1),
        _profile(3, [1, 0.1, 0], {"place:malatya": 1}, 30),
    ]
    weights = PairWeights(
        cosine=0.6,
        entities=0.5,
        terms=0.2,
        titles=0.4,
        specifics=0.1,
        recent=0.3,
        time=0.4,
        grace_days=3.0,
        window_days=21.0,
    )
    sim = pair_scores(
        profiles,
        {"entities": lambda k: 1.0, "terms": lambda k: 1.0, "titles": lambda k: 1.0},
        [1, 1, 1, 1],
        weights,
    )
    assert np.allclose(sim, sim.T) and np.all(np.isneginf(np.diag(sim)))
    assert sim[0, 1] > sim[0, 2]  # the same place weighs
    assert sim[0, 1] > sim[0, 3]  # four weeks apart costs
    assert abs(sim[0, 2] - (0.6 * profiles[0].vector @ profiles[2].vector + 0.2 + 0.3)) < 1e-6
