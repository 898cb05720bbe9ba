"""How close a clustering of articles is to the gold stories: pairwise and B-cubed scores.

Two measures, because they fail differently. Pairwise precision/recall counts pairs of
articles put together: it is dominated by the big stories (a story of n articles holds
n(n-1)/2 pairs), so one wrong merge of two big stories is punished hard. B-cubed (Bagga &
Baldwin 1998) scores every article by how much of its predicted story is its gold story and
the other way round, then averages over articles, so small stories count as much as their
size. A story clusterer should do well on both.

Both are computed from the contingency counts (how many articles each predicted story shares
with each gold story), so they cost O(n), never a loop over pairs.

Conventions where a ratio has nothing to count (documented because the figures depend on it):
- precision is 1.0 when no pair was predicted (all singletons: no wrong merge was made), and
  recall is 1.0 when the gold has no pair (every gold story is a single article);
- F1 is 0.0 when precision and recall are both 0;
- empty input (no articles) scores 1.0 everywhere: there is nothing to get wrong. This is the
  same rule as above, and B-cubed follows it so that both measures agree.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Scores:
    """Precision, recall and their harmonic mean, each in [0, 1]."""

    precision: float
    recall: float
    f1: float


def pairwise(pred: Mapping[str, Hashable], gold: Mapping[str, Hashable]) -> Scores:
    """Precision and recall over the pairs of articles that share a story.

    A pair is correct when both articles are in one predicted story and in one gold story.
    """
    joint, pred_sizes, gold_sizes = _contingency(pred, gold)
    together = sum(_pairs(n) for n in joint.values())
    pred_pairs = sum(_pairs(n) for n in pred_sizes.values())
    gold_pairs = sum(_pairs(n) for n in gold_sizes.values())
    precision = together / pred_pairs if pred_pairs else 1.0
    recall = together / gold_pairs if gold_pairs else 1.0
    return _scores(precision, recall)


def bcubed(pred: Mapping[str, Hashable], gold: Mapping[str, Hashable]) -> Scores:
    """B-cubed precision and recall, averaged over articles (Bagga & Baldwin 1998).

    For an article in predicted story C and gold story G, precision is |C ∩ G| / |C| and
    recall |C ∩ G| / |G|. The n articles in one cell C ∩ G all score the same, so each cell
    adds n * n / |C| to the precision sum and n * n / |G| to the recall sum.
    """
    joint, pred_sizes, gold_sizes = _contingency(pred, gold)
    total = len(pred)
    if not total:
        return Scores(1.0, 1.0, 1.0)
    precision = sum(n * n / pred_sizes[p] for (p, _), n in joint.items()) / total
    recall = sum(n * n / gold_sizes[g] for (_, g), n in joint.items()) / total
    return _scores(precision, recall)


def _contingency(
    pred: Mapping[str, Hashable], gold: Mapping[str, Hashable]
) -> tuple[Counter[tuple[Hashable, Hashable]], Counter[Hashable], Counter[Hashable]]:
    """Articles per (predicted, gold) story pair, per predicted story and per gold story."""
    if pred.keys() != gold.keys():
        only_pred = sorted(pred.keys() - gold.keys())[:5]
        only_gold = sorted(gold.keys() - pred.keys())[:5]
        raise ValueError(
            "predicted and gold labels must cover the same articles; "
            f"only predicted: {only_pred}, only gold: {only_gold} (first 5 of each)"
        )
    joint = Counter((label, gold[doc]) for doc, label in pred.items())
    return joint, Counter(pred.values()), Counter(gold.values())


def _scores(precision: float, recall: float) -> Scores:
    total = precision + recall
    return Scores(precision, recall, 2 * precision * recall / total if total else 0.0)


def _pairs(n: int) -> int:
    return n * (n - 1) // 2
