"""Average linkage over the online join score: the arithmetic of re-clustering a recent window.

Why: the online pass decides each article with what has arrived so far, in arrival order; a
report that came before its story's better-fitting reports opens a story of its own, and an
event covered by eight outlets in words that share few names can end as several stories.
Average linkage looks at the whole window at once and joins groups whose members are, on
average, as close as the online threshold asks of one article and a story, so it mends what
order broke without chaining unrelated reports (single linkage would).

The pair score is the online score of one article against a one-member story (the same
weights, IDF statistics and time terms as `StoryClusterer._score`), so the two passes speak
one scale. Older parts of a story (members outside the window) take part as fixed groups:
scored with the online story score, never split, and never joined to another fixed group.
Pure numpy and scipy.sparse: no state, no store.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from corroborate.clock import epoch_days
from corroborate.cluster.profile import ArticleProfile

NO_LINK = -np.inf  # two groups that may never be one story (two fixed story parts)


@dataclass(frozen=True, slots=True)
class PairWeights:
    """What `pair_scores` needs of the clusterer's config (see `ClusterConfig`)."""

    cosine: float  # w_member + w_centroid: in a one-member story both are the one cosine
    entities: float
    terms: float
    titles: float
    specifics: float
    recent: float
    time: float
    grace_days: float
    window_days: float


def pair_scores(
    profiles: Sequence[ArticleProfile],
    idf: Mapping[str, Callable[[str], float]],
    busy: Sequence[int],
    w: PairWeights,
) -> np.ndarray:
    """Symmetric matrix of online join scores between every two articles (diagonal NO_LINK).

    Bag cosines are computed as the online pass does (the article's log counts x IDF against
    the one-member story's presence x IDF) in both directions and averaged, so the matrix is
    symmetric; a same-days bonus is divided by how busy each article's days were, averaged.
    `idf` gives the corpus IDF of a key of each bag ("entities", "terms", "titles").
    """
    vectors = np.stack([p.vector for p in profiles]).astype(np.float64)
    score = w.cosine * (vectors @ vectors.T)
    if w.entities:
        score += w.entities * _bag_cosines([p.entities for p in profiles], idf["entities"])
    if w.terms:
        score += w.terms * _bag_cosines([p.terms for p in profiles], idf["terms"])
    if w.titles:
        score += w.titles * _bag_cosines([p.title_terms for p in profiles], idf["titles"])
    if w.specifics:
        bags = [dict.fromkeys(p.numbers | p.dates, 1.0) for p in profiles]
        shared = _rows(bags, _vocabulary(bags))
        score += w.specifics * np.minimum((shared @ shared.T).toarray(), 2.0)
    days = np.array([epoch_days(p.published) if p.published else np.nan for p in profiles])
    apart = np.abs(days[:, None] - days[None, :])
    dated = ~np.isnan(apart)
    apart = np.where(dated, apart, 0.0)
    share = np.asarray(busy, dtype=np.float64)
    per_busy = (1.0 / share[:, None] + 1.0 / share[None, :]) / 2.0
    recent = np.where(dated, np.clip(1.0 - apart / w.grace_days, 0.0, None), 0.0)
    late = np.where(dated, np.clip(apart - w.grace_days, 0.0, None) / w.window_days, 0.0)
    score += w.recent * recent * per_busy - w.time * late
    np.fill_diagonal(score, NO_LINK)
    return score


def _vocabulary(bags: Sequence[Mapping[str, float]]) -> dict[str, int]:
    vocab: dict[str, int] = {}
    for bag in bags:
        for key in bag:
            vocab.setdefault(key, len(vocab))
    return vocab


def _rows(bags: Sequence[Mapping[str, float]], vocab: Mapping[str, int]) -> sparse.csr_matrix:
    """The bags' values as sparse rows over `vocab`."""
    rows = [i for i, bag in enumerate(bags) for _ in bag]
    cols = [vocab[k] for bag in bags for k in bag]
    vals = [float(v) for bag in bags for v in bag.values()]
    return sparse.csr_matrix((vals, (rows, cols)), shape=(len(bags), max(1, len(vocab))))


def _bag_cosines(bags: Sequence[Mapping[str, int]], idf: Callable[[str], float]) -> np.ndarray:
    vocab = _vocabulary(bags)
    weight = sparse.diags([idf(k) for k in vocab] or [0.0])  # one IDF per distinct key
    article = _rows([{k: 1.0 + math.log(c) for k, c in b.items()} for b in bags], vocab) @ weight
    story = _rows([dict.fromkeys(b, 1.0) for b in bags], vocab) @ weight
    norm_a = np.sqrt(np.asarray(article.multiply(article).sum(axis=1)).ravel())
    norm_s = np.sqrt(np.asarray(story.multiply(story).sum(axis=1)).ravel())
    dots = (article @ story.T).toarray()
    with np.errstate(divide="ignore", invalid="ignore"):
        cos = dots / (norm_a[:, None] * norm_s[None, :])
    cos = np.nan_to_num(cos, nan=0.0, posinf=0.0)
    return (cos + cos.T) / 2.0


def average_linkage(
    sim: np.ndarray, weights: Sequence[float], threshold: float, start: Sequence[int] | None = None
) -> list[int]:
    """Groups (a label per node) from merging, best first, the two groups whose weighted
    mean similarity is highest, while it is at least `threshold`.

    `sim` is symmetric; NO_LINK between two nodes keeps every group holding one apart from
    every group holding the other (a mean with NO_LINK in it is NO_LINK). A node's weight
    counts it as that many members (a fixed story part). `start` (a label per node) puts
    nodes in groups before anything else, whatever their scores: the linkage then only
    merges those groups, never splits them. Cost: O(n^2) memory and about O(n^2) time for
    n nodes (each row's best partner is kept and refreshed only when its partner merged).
    """
    n = len(weights)
    if n == 0:
        return []
    s = np.array(sim, dtype=np.float64, copy=True)
    np.fill_diagonal(s, NO_LINK)
    w = np.asarray(weights, dtype=np.float64).copy()
    alive = np.ones(n, dtype=bool)
    label = np.arange(n)

    def merge(i: int, j: int) -> None:
        merged = (w[i] * s[i] + w[j] * s[j]) / (w[i] + w[j])
        s[i, :] = merged
        s[:, i] = merged
        s[j, :] = NO_LINK
        s[:, j] = NO_LINK
        s[i, i] = NO_LINK
        w[i] += w[j]
        alive[j] = False
        label[label == j] = i

    first: dict[int, int] = {}
    for node, group in enumerate(start or ()):
        if group in first:
            merge(first[group], node)
        else:
            first[group] = node
    best = s.argmax(axis=1)
    best_val = np.where(alive, s[np.arange(n), best], NO_LINK)
    while True:
        i = int(np.argmax(best_val))
        if not best_val[i] >= threshold:
            break
        j = int(best[i])
        i, j = min(i, j), max(i, j)  # the lower node keeps the group: stable labels
        merge(i, j)
        best_val[j] = NO_LINK
        stale = np.union1d(np.flatnonzero(alive & ((best == i) | (best == j))), [i])
        best[stale] = s[stale].argmax(axis=1)
        best_val[stale] = s[stale, best[stale]]
        better = alive & (s[:, i] > best_val)
        best[better] = i
        best_val[better] = s[better, i]
    return label.tolist()
