"""How far this kind of evidence can go: an offline ceiling for story clustering on ECB+.

Why a script of its own: the online clusterer (corroborate/cluster/stories.py) misses the
ECB+ target, and another weight search only helps if some clustering of the same evidence
could reach it. This measures that. For every pair of articles it computes the similarities
the product can compute offline with its models (MiniLM lead embedding, body TF-IDF,
proper-noun TF-IDF, bags of the people, organisations and places the extract stage found,
shared numbers); it prints how well each separates the two events of one ECB+ topic
(within-topic ROC AUC: 0.5 is chance, 1.0 perfect), learns one logistic combination of them
on topics 1-25, and clusters the set offline by average linkage, seeing every article at
once (which the product, a stream, cannot), with the linkage threshold
  - set on topics 1-25 (an honest offline system), and
  - the best for the set itself (an oracle: no threshold choice can beat it).

    .venv/bin/python benchmarks/clustering_ceiling.py [--set ecb-train|ecb-test] [--cache DIR]

On ecb-train the combination's probabilities are out-of-fold (5 folds by topic), so no pair
is scored by a model that saw its topic.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GroupKFold

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import clustering
import story_sets

from corroborate.cluster.scoring import bcubed, pairwise
from corroborate.records import EntityKind

# a capitalised word not opening a sentence: a cheap proper-noun bag that needs no parser
_PROPER = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+\b")
_KINDS = {
    "people": {EntityKind.PERSON},
    "organisations": {EntityKind.ORGANIZATION},
    "places": {EntityKind.PLACE, EntityKind.COUNTRY},
}


def _tfidf_cosines(texts: list[str], **options: object) -> np.ndarray:
    matrix = TfidfVectorizer(sublinear_tf=True, **options).fit_transform(texts)
    return (matrix @ matrix.T).toarray()


def pair_features(name: str, cache: Path | None) -> tuple[list[story_sets.GoldDoc],
                                                          dict[str, np.ndarray]]:
    """A set's docs and, per feature, the n x n matrix of pair similarities."""
    docs = clustering.SETS[name]()
    extractions, _ = clustering.extract(name, docs, cache)  # once: profiles reuse it
    profiles, _ = clustering.profiles_for(docs, extractions)
    texts = [d.article.text for d in docs]
    vectors = np.stack([p.vector if p.vector is not None else np.zeros(384, np.float32)
                        for p in profiles])
    features: dict[str, np.ndarray] = {
        "lead embedding": vectors @ vectors.T,
        "body TF-IDF": _tfidf_cosines(texts, stop_words="english"),
        "proper nouns": _tfidf_cosines([" ".join(_PROPER.findall(t)) for t in texts]),
    }
    for label, kinds in _KINDS.items():
        bags = [" ".join(m.key.replace(" ", "_") for m in e.entities if m.kind in kinds)
                for e in extractions]
        features[label] = _tfidf_cosines(bags, token_pattern=r"\S+", lowercase=False)
    numbers = [p.numbers for p in profiles]
    features["shared numbers"] = np.array(
        [[len(a & b) / len(a | b) if a | b else 0.0 for b in numbers] for a in numbers])
    return docs, features


def _pairs(docs: list[story_sets.GoldDoc], features: dict[str, np.ndarray]) -> tuple[
        np.ndarray, np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """Feature rows of every unordered pair, same-story labels, and the first doc's topic."""
    upper = np.triu_indices(len(docs), 1)
    x = np.stack([m[upper] for m in features.values()], axis=1)
    gold = np.array([d.gold for d in docs])
    topic = np.array([int(d.gold.split("_")[0]) for d in docs])
    return x, gold[upper[0]] == gold[upper[1]], topic, upper


def _average_linkage(probability: np.ndarray, n: int) -> Callable[[float], np.ndarray]:
    """Labels for a linkage threshold (on 1 - probability) over all n articles at once."""
    tree = linkage(np.clip(1.0 - probability, 0.0, 1.0), method="average")
    return lambda threshold: fcluster(tree, threshold, criterion="distance")


def _scores(docs: list[story_sets.GoldDoc], labels: np.ndarray) -> tuple[float, float]:
    pred = {d.doc_id: int(labels[i]) for i, d in enumerate(docs)}
    gold = {d.doc_id: d.gold for d in docs}
    return pairwise(pred, gold).f1, bcubed(pred, gold).f1


THRESHOLDS = np.arange(0.05, 1.0, 0.025)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--set", choices=["ecb-train", "ecb-test"], default="ecb-test")
    ap.add_argument("--cache", type=Path, default=None,
                    help="the extract/profile cache of benchmarks/clustering.py")
    args = ap.parse_args()

    train_docs, train_features = pair_features("ecb-train", args.cache)
    x_train, y_train, topic, upper = _pairs(train_docs, train_features)
    first_topic = topic[upper[0]]
    out_of_fold = np.zeros(len(y_train))
    for fit, held in GroupKFold(5).split(x_train, y_train, first_topic):
        model = LogisticRegression(max_iter=2000).fit(x_train[fit], y_train[fit])
        out_of_fold[held] = model.predict_proba(x_train[held])[:, 1]
    cut = _average_linkage(out_of_fold, len(train_docs))
    train_threshold = max(THRESHOLDS, key=lambda t: _scores(train_docs, cut(t))[0])

    if args.set == "ecb-train":
        docs, features, probability = train_docs, train_features, out_of_fold
        y, topic_of = y_train, topic
        pairs = upper
    else:
        docs, features = pair_features(args.set, args.cache)
        x, y, topic_of, pairs = _pairs(docs, features)
        model = LogisticRegression(max_iter=2000).fit(x_train, y_train)
        probability = model.predict_proba(x)[:, 1]

    within = topic_of[pairs[0]] == topic_of[pairs[1]]
    print(f"{args.set}: {len(docs)} articles, {int(within.sum())} same-topic pairs "
          f"({y[within].mean():.0%} of them same story)")
    print("within-topic ROC AUC (does the feature tell the topic's two events apart?)")
    for label, matrix in features.items():
        print(f"  {label:16} {roc_auc_score(y[within], matrix[pairs][within]):.3f}")
    print(f"  {'combined (LR)':16} {roc_auc_score(y[within], probability[within]):.3f}")

    cut = _average_linkage(probability, len(docs))
    pw, b3 = _scores(docs, cut(train_threshold))
    print("offline average linkage on the combined probability (sees every article at once)")
    print(f"  threshold set on ecb-train ({train_threshold:.3f}): pairwise F1 {pw:.3f}, "
          f"B-cubed F1 {b3:.3f}")
    best = max(THRESHOLDS, key=lambda t: _scores(docs, cut(t))[0])
    pw, b3 = _scores(docs, cut(best))
    print(f"  oracle threshold for this set ({best:.3f}): pairwise F1 {pw:.3f}, "
          f"B-cubed F1 {b3:.3f}")
    tfidf = _average_linkage(features["body TF-IDF"][pairs], len(docs))
    pw, _ = _scores(docs, tfidf(max(THRESHOLDS, key=lambda t: _scores(docs, tfidf(t))[0])))
    print(f"  body TF-IDF alone, oracle threshold: pairwise F1 {pw:.3f}")


if __name__ == "__main__":
    main()
