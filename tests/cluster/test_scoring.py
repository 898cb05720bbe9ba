"""Clustering scores: small hand-computed cases, the edge cases, and a pair-by-pair check."""

from __future__ import annotations

import itertools
import random

import pytest

from corroborate.cluster.scoring import Scores, bcubed, pairwise


def figures(scores: Scores) -> tuple[float, float, float]:
    return scores.precision, scores.recall, scores.f1


# Gold: a b c | d e.  Predicted: a b | c d e.
GOLD = {"a": 1, "b": 1, "c": 1, "d": 2, "e": 2}
PRED = {"a": "x", "b": "x", "c": "y", "d": "y", "e": "y"}


def test_pairwise_counts_pairs_placed_together_in_both() -> None:
    # together in both: (a,b), (d,e); predicted pairs 1 + 3; gold pairs 3 + 1
    assert figures(pairwise(PRED, GOLD)) == pytest.approx((0.5, 0.5, 0.5))


def test_bcubed_averages_per_article_overlap() -> None:
    # precision a 2/2, b 2/2, c 1/3, d 2/3, e 2/3; recall a 2/3, b 2/3, c 1/3, d 2/2, e 2/2
    assert figures(bcubed(PRED, GOLD)) == pytest.approx((11 / 15, 11 / 15, 11 / 15))


def test_split_story_keeps_precision_and_loses_recall() -> None:
    gold = {"a": 1, "b": 1, "c": 1, "d": 1}
    pred = {"a": 1, "b": 1, "c": 2, "d": 3}
    # pairwise: 1 of 6 gold pairs found, the one predicted pair is right
    assert figures(pairwise(pred, gold)) == pytest.approx((1.0, 1 / 6, 2 / 7))
    # B-cubed recall: (2/4 + 2/4 + 1/4 + 1/4) / 4
    assert figures(bcubed(pred, gold)) == pytest.approx((1.0, 3 / 8, 6 / 11))


def test_scores_ignore_label_names_and_types() -> None:
    renamed = {doc: f"story-{label}" for doc, label in PRED.items()}
    assert pairwise(renamed, GOLD) == pairwise(PRED, GOLD)
    assert bcubed(renamed, GOLD) == bcubed(PRED, GOLD)


def test_all_singletons_predicted_make_no_wrong_merge_but_find_no_pair() -> None:
    singletons = {doc: doc for doc in GOLD}
    assert pairwise(singletons, GOLD) == Scores(1.0, 0.0, 0.0)
    # B-cubed recall of a singleton is 1/|its gold story|: (3 * 1/3 + 2 * 1/2) / 5
    assert figures(bcubed(singletons, GOLD)) == pytest.approx((1.0, 2 / 5, 4 / 7))


def test_one_predicted_cluster_has_full_recall() -> None:
    one = dict.fromkeys(GOLD, 0)
    # 4 of the 10 pairs are gold pairs
    assert figures(pairwise(one, GOLD)) == pytest.approx((0.4, 1.0, 0.8 / 1.4))
    # B-cubed precision: (3 * 3/5 + 2 * 2/5) / 5
    assert figures(bcubed(one, GOLD)) == pytest.approx((13 / 25, 1.0, 26 / 38))


def test_gold_of_singletons_has_nothing_to_recall() -> None:
    gold = {"a": 1, "b": 2, "c": 3}
    assert pairwise(gold, gold) == Scores(1.0, 1.0, 1.0)
    assert pairwise(dict.fromkeys(gold, 0), gold) == Scores(0.0, 1.0, 0.0)
    assert bcubed(gold, gold) == Scores(1.0, 1.0, 1.0)


def test_empty_input_scores_perfect() -> None:
    assert pairwise({}, {}) == Scores(1.0, 1.0, 1.0)
    assert bcubed({}, {}) == Scores(1.0, 1.0, 1.0)


def test_different_articles_are_refused() -> None:
    with pytest.raises(ValueError, match="same articles"):
        pairwise({"a": 1, "b": 1}, {"a": 1, "c": 1})
    with pytest.raises(ValueError, match="only gold: \\['c'\\]"):
        bcubed({"a": 1}, {"a": 1, "c": 1})


def test_pairwise_matches_counting_every_pair() -> None:
    rng = random.Random(4)
    for _ in range(50):
        docs = [f"d{i}" for i in range(rng.randint(2, 30))]
        gold = {d: rng.randint(0, 5) for d in docs}
        pred = {d: rng.randint(0, 7) for d in docs}
        both = pred_pairs = gold_pairs = 0
        for a, b in itertools.combinations(docs, 2):
            same_pred, same_gold = pred[a] == pred[b], gold[a] == gold[b]
            both += same_pred and same_gold
            pred_pairs += same_pred
            gold_pairs += same_gold
        got = pairwise(pred, gold)
        assert got.precision == pytest.approx(both / pred_pairs if pred_pairs else 1.0)
        assert got.recall == pytest.approx(both / gold_pairs if gold_pairs else 1.0)


def test_bcubed_matches_scoring_every_article() -> None:
    rng = random.Random(7)
    for _ in range(50):
        docs = [f"d{i}" for i in range(rng.randint(1, 30))]
        gold = {d: rng.randint(0, 5) for d in docs}
        pred = {d: rng.randint(0, 7) for d in docs}
        precision = recall = 0.0
        for d in docs:
            mine = {e for e in docs if pred[e] == pred[d]}
            true = {e for e in docs if gold[e] == gold[d]}
            precision += len(mine & true) / len(mine)
            recall += len(mine & true) / len(true)
        got = bcubed(pred, gold)
        assert got.precision == pytest.approx(precision / len(docs))
        assert got.recall == pytest.approx(recall / len(docs))
