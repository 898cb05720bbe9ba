"""Claim alignment: which claims of a story's articles say the same thing about the same subject.

Embedding similarity alone confuses claims that share a topic ("North Korea could receive
$115 million" vs "North Korea could send engineers"), so the score adds what the issue asks
for: shared content words and predicates (weighted by how rare they are in the story), shared
entities, the quantity a claim's figure counts (money is not brigades), and its dates. Claims
are then grouped by average linkage, so that one loose pair cannot chain two facts together.

Within one article two claims join the same fact only when they paraphrase each other and do
not give different values of the same quantity ("two workers died at the scene" next to "the
death toll rose to four" are two facts of that article, not one).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from spacy.tokens import Doc, Token

from corroborate.crosscheck.compare import (
    Figure,
    Outcome,
    compare_figures,
    overlaps,
    same_quantity,
)
from corroborate.crosscheck.statements import Statement
from corroborate.crosscheck.vectors import claim_vectors
from corroborate.models import spacy_pipeline
from corroborate.records import AmountKind, AmountMention

# average linkage score at which two groups of claims are one fact. Figures now have facts of
# their own (key_figures.py); a looser 0.60-0.68 aligns more of the development gold but
# merges unrelated claims on the seeds (an analysis and a treaty clause), so it stays.
MERGE_THRESHOLD = 0.72
SAME_ARTICLE_SCORE = 0.85  # two claims of one article in one fact must be this close

W_WORDS = 0.20  # rare content words in common (IDF-weighted Dice), names left to W_ENTITIES
W_ENTITIES = 0.10  # entity keys in common (Jaccard)
W_PREDICATE = 0.05  # a main verb in common
W_SAME_QUANTITY = 0.05  # both lead with figures of one quantity (money and money)
W_SAME_VALUE = 0.10  # ... and their distinctive values agree (within the tolerance)
DISTINCTIVE_COUNT = 100  # small counts ("two workers") coincide too often to say much
P_OTHER_QUANTITY = 0.30  # both lead with figures, of different quantities
P_ONE_MONEY = 0.10  # one leads with money, the other has no figure at all
P_ONE_COUNT = 0.05  # one leads with a count or percentage, the other has no figure at all
ANCHOR_MIN_SCORE = 0.45  # mutual closest claims sharing a rare word (_link_anchored)
ANCHOR_MAX_CLAIMS = 1.5  # an anchor word: in at most this many claims per article using it
W_DATES = 0.03  # dates overlap
P_DATES = 0.10  # firm dates that do not overlap

_LIGHT_VERBS = frozenset({"be", "have", "do", "seem", "appear", "get", "make", "go", "come",
                          "take", "become", "remain"})
_NOT_NEGATING = frozenset({"only", "just", "merely", "least"})  # "not only", "not least"
_SKIP_VERBS = frozenset({"say", "tell", "report", "add", "state", "be", "have", "do", "can",
                         "could", "may", "might", "will", "would", "should", "must", "cite",
                         "estimate", "accord", "claim", "allege"})


@dataclass(frozen=True, slots=True)
class Features:
    words: dict[str, float]  # content lemma → IDF weight
    anchors: frozenset[str]  # verbs, nouns, adjectives an article uses in about one claim
    verbs: frozenset[str]
    entities: frozenset[str]
    lead: AmountMention | None  # the figure the claim leads with (money first)


@dataclass(frozen=True, slots=True)
class Group:
    """Statement indexes that make one fact, and the one that states it best (the medoid)."""

    members: tuple[int, ...]
    lead: int


class Similarity:
    """The claims' embedding cosine, looked up by statement index (for key_figures.py)."""

    def __init__(self) -> None:
        self._matrix = np.zeros((0, 0))
        self._row: dict[int, int] = {}

    def set(self, matrix: np.ndarray, indexes: Sequence[int]) -> None:
        self._matrix = matrix
        self._row = {index: row for row, index in enumerate(indexes)}

    def get(self, i: int, j: int) -> float:
        a, b = self._row.get(i), self._row.get(j)
        return 0.0 if a is None or b is None else float(self._matrix[a, b])


def align(statements: Sequence[Statement],
          similarity: Similarity | None = None) -> list[Group]:
    """Groups of statement indexes, one group per fact, in statement order.

    Anaphoric denials ("denied these allegations") are left out: they join the facts of what
    they deny. `similarity`, when given, keeps the claims' embedding cosine for the measured
    figures' alignment to reuse.
    """
    items = [s for s in statements if not s.anaphoric]
    if not items:
        return []
    cosine, scores = pair_scores(items)
    if similarity is not None:
        similarity.set(cosine, [s.index for s in items])
    groups = []
    for g in average_linkage(scores, _cannot_link(items, scores)):
        g = sorted(g)
        candidates = [i for i in g if not items[i].denies] or g
        lead = max(candidates, key=lambda i: (sum(scores[i, j] for j in g if j != i), -i))
        groups.append(Group(tuple(items[i].index for i in g), items[lead].index))
    return sorted(groups, key=lambda g: g.members[0])


def pair_scores(items: Sequence[Statement]) -> tuple[np.ndarray, np.ndarray]:
    """Cosine and combined score of every pair of claims (one batched embedding call).

    A claim whose relative clause carries a figure of its own is embedded twice: whole, and
    as its core proposition without that clause ("A fire that killed two workers could cause
    damage of up to $43 million" is about the damage); the closer of the two readings counts.
    """
    features, cores = _features(items)
    texts = [s.claim.text for s in items]
    # each distinct text embedded once: a syndicated copy repeats its original's claims
    # word for word, and embedding is most of the cross-check's time (vectors.py keeps
    # them across stories too)
    unique = list(dict.fromkeys([*texts, *sorted(set(cores) - set(texts))]))
    vectors = claim_vectors(unique)
    row = {text: k for k, text in enumerate(unique)}
    full = vectors[[row[t] for t in texts]]
    core = vectors[[row[c] for c in cores]]
    cosine = np.maximum(full @ full.T, core @ core.T).astype(np.float64)
    n = len(items)
    scores = cosine.copy()
    for i in range(n):
        for j in range(i + 1, n):
            bonus = _bonus(items[i], items[j], features[i], features[j])
            scores[i, j] += bonus
            scores[j, i] += bonus
    _link_anchored(items, features, scores)
    return cosine, scores


def _link_anchored(items: Sequence[Statement], features: Sequence[Features],
                   scores: np.ndarray) -> None:
    """Raise to the merge threshold the pairs of claims, from two articles, that are each
    other's closest claim in the other article and share a word that each article using it
    puts in about one claim (the name of one event, not a theme the whole text returns to).

    Two outlets seldom word one fact alike ("scheduled to be arraigned Thursday morning" vs
    "due to be arraigned in court on Thursday morning": cosine 0.53), but the word that names
    the event ("arraign", "motivated") is used by the claims of that fact only, and each
    article's report of it is the other article's closest claim. Mutual best matches cannot
    chain: each claim gets at most one such partner per article.
    """
    n = len(items)
    article = [s.article_id for s in items]
    best: dict[tuple[int, int], int] = {}  # (claim, other article) → its closest claim there
    for i in range(n):
        for j in range(n):
            if article[i] != article[j]:
                key = (i, article[j])
                if key not in best or scores[i, j] > scores[i, best[key]]:
                    best[key] = j
    for (i, _), j in best.items():
        if i < j and best.get((j, article[i])) == i \
                and ANCHOR_MIN_SCORE <= scores[i, j] < MERGE_THRESHOLD \
                and features[i].anchors & features[j].anchors:
            scores[i, j] = scores[j, i] = MERGE_THRESHOLD


def _features(items: Sequence[Statement]) -> tuple[list[Features], list[str]]:
    nlp = spacy_pipeline()
    docs = list(nlp.pipe([s.claim.text for s in items]))
    lemma_sets = []
    pos_sets = []
    verb_sets = []
    cores = []
    for doc, s in zip(docs, items, strict=True):
        s.negated, s.predicate = polarity(doc)
        s.subject = subject_of(doc)
        lemmas = {t.lemma_.casefold() for t in doc
                  if t.pos_ in ("NOUN", "PROPN", "VERB", "ADJ", "NUM") and not t.ent_type_
                  and not t.is_stop and t.is_alpha and len(t.text) > 1}
        lemma_sets.append(lemmas)
        pos_sets.append({t.lemma_.casefold(): t.pos_ for t in doc})
        verb_sets.append(frozenset(t.lemma_.casefold() for t in doc if t.pos_ == "VERB"
                                   and t.lemma_.casefold() not in _SKIP_VERBS))
        cores.append(_core(doc, s))
    df = Counter(w for lemmas in lemma_sets for w in lemmas)
    in_articles: dict[str, set[int]] = {}
    for s, lemmas in zip(items, lemma_sets, strict=True):
        for w in lemmas:
            in_articles.setdefault(w, set()).add(s.article_id)
    n = len(items)
    out = []
    for s, lemmas, verbs, kinds in zip(items, lemma_sets, verb_sets, pos_sets, strict=True):
        weights = {w: math.log((n + 1) / (df[w] + 1)) + 1.0 for w in lemmas}
        anchors = frozenset(w for w in lemmas if kinds.get(w) in ("VERB", "NOUN", "ADJ")
                            and w not in _SKIP_VERBS and w not in _LIGHT_VERBS
                            and df[w] <= ANCHOR_MAX_CLAIMS * len(in_articles[w]))
        entities = frozenset(s.claim.entities) | (s.sentence_entities - {n.key for n in s.path})
        out.append(Features(weights, anchors, verbs, entities, lead_figure(s)))
    return out, cores


def main_verb(doc: Doc) -> Token | None:
    """The verb a claim asserts: the root, or for "said (that) X" the verb of X."""
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    if root is None or root.lemma_.casefold() not in _SKIP_VERBS:
        return root
    return next((c for c in root.children if c.dep_ in ("ccomp", "xcomp") and c.i > root.i),
                root)


def polarity(doc: Doc) -> tuple[bool, str | None]:
    """Whether the claim's main verb is negated ("was not born", "never signed"), and that
    verb's lemma (None for copulas and light verbs, which say too little to oppose).

    Two versions from different outlets with the same main verb and opposite polarity say
    opposite things ("offered" vs "never offered"): the verdict calls that a conflict.
    """
    head = main_verb(doc)
    if head is None:
        return False, None
    is_negated = any(t.lower_ == "yet" and t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "to"
                     for t in doc)  # "has yet to respond"
    for c in head.children:
        after = doc[c.i + 1].lower_ if c.i + 1 < len(doc) else ""
        if (c.dep_ == "neg" or c.lower_ == "never") and after not in _NOT_NEGATING:
            is_negated = True
    lemma = head.lemma_.casefold()
    predicate = lemma if head.pos_ == "VERB" and lemma not in _LIGHT_VERBS else None
    return is_negated, predicate


def subject_of(doc: Doc) -> str | None:
    """The head words of the main verb's subject ("Mr. Trump" → "mr. trump"): two outlets
    negate each other only when they say it of the same subject ("Trump did not respond" is
    not contradicted by "Trump Jr. did respond")."""
    head = main_verb(doc)
    subject = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None) \
        if head is not None else None
    if subject is None:
        return None
    words = [t for t in subject.subtree if t.pos_ in ("PROPN", "NOUN")]
    return " ".join(t.lemma_.casefold() for t in words) if words else subject.lemma_.casefold()


def _core(doc: Doc, s: Statement) -> str:
    """The claim without relative clauses that carry a figure: what it says about its own
    figure rather than what it recalls ("that killed two workers").
    """
    figures = [a.start - s.claim.start for a in s.amounts]
    dropped: set[int] = set()
    for tok in doc:
        if tok.dep_ != "relcl":
            continue
        subtree = list(tok.subtree)
        lo, hi = subtree[0].idx, subtree[-1].idx + len(subtree[-1])
        if any(lo <= f < hi for f in figures):
            dropped.update(t.i for t in subtree)
    if not dropped or len(dropped) > len(doc) - 3:
        return doc.text
    return "".join(t.text_with_ws for t in doc if t.i not in dropped).strip()


def lead_figure(s: Statement) -> AmountMention | None:
    """The figure a claim is about: its money if it has any, else its first figure."""
    money = [a for a in s.amounts if a.kind is AmountKind.MONEY]
    if money:
        return money[0]
    return s.amounts[0] if s.amounts else None


def _bonus(a: Statement, b: Statement, fa: Features, fb: Features) -> float:
    bonus = 0.0
    shared = fa.words.keys() & fb.words.keys()
    total = sum(fa.words.values()) + sum(fb.words.values())
    if total:
        bonus += W_WORDS * 2 * sum(fa.words[w] for w in shared) / total
    if fa.entities and fb.entities:
        bonus += W_ENTITIES * len(fa.entities & fb.entities) / len(fa.entities | fb.entities)
    if fa.verbs & fb.verbs:
        bonus += W_PREDICATE
    if fa.lead is not None and fb.lead is not None:
        if not same_quantity(fa.lead, fb.lead):
            bonus -= P_OTHER_QUANTITY
        else:
            bonus += W_SAME_QUANTITY
            if _distinctive(fa.lead) and _agree(fa.lead, fb.lead):
                bonus += W_SAME_VALUE
    elif (fa.lead is None) != (fb.lead is None):
        lead = fa.lead or fb.lead
        assert lead is not None
        bonus -= P_ONE_MONEY if lead.kind is AmountKind.MONEY else P_ONE_COUNT
    if a.times and b.times and not any(overlaps(x, y) for x in a.times for y in b.times):
        bonus -= P_DATES
    elif a.dated and b.dated and any(overlaps(x, y) for x in a.dated for y in b.dated):
        bonus += W_DATES
    return bonus


def _cannot_link(items: Sequence[Statement], scores: np.ndarray) -> np.ndarray:
    """Pairs that may never share a fact: two claims of one article unless they paraphrase
    each other and agree on their figures.
    """
    n = len(items)
    forbid = np.zeros((n, n), dtype=bool)
    for i in range(n):
        for j in range(i + 1, n):
            a, b = items[i], items[j]
            if a.article_id != b.article_id:
                continue
            bad = scores[i, j] < SAME_ARTICLE_SCORE or a.denies != b.denies or \
                _different_figures(a, b)
            forbid[i, j] = forbid[j, i] = bad
    return forbid


def _different_figures(a: Statement, b: Statement) -> bool:
    """One has a figure the other lacks, or they give different values of one quantity."""
    if bool(a.amounts) != bool(b.amounts):
        return True
    return any(same_quantity(x, y) and not _agree(x, y) for x in a.amounts for y in b.amounts)


def _distinctive(a: AmountMention) -> bool:
    return a.kind is not AmountKind.COUNT or a.high >= DISTINCTIVE_COUNT


def _agree(x: AmountMention, y: AmountMention) -> bool:
    result = compare_figures([Figure(x, "", None), Figure(y, "", None)])
    return result is not None and result.outcome is Outcome.AGREE


def average_linkage(scores: np.ndarray, forbid: np.ndarray,
                    threshold: float = MERGE_THRESHOLD) -> list[list[int]]:
    """Agglomerative clustering: merge the two closest groups while their mean pair score is
    at least MERGE_THRESHOLD and no pair between them is forbidden. Ties go to the lower
    indexes, so the result does not depend on anything but the input order.
    """
    n = scores.shape[0]
    groups: list[list[int] | None] = [[i] for i in range(n)]
    total = scores.copy()
    count = np.ones((n, n))
    blocked = forbid.copy()
    np.fill_diagonal(blocked, True)
    while True:
        mean = np.where(blocked, -np.inf, total / count)
        best = int(np.argmax(mean))
        i, j = divmod(best, n)
        if mean[i, j] < threshold:
            break
        i, j = min(i, j), max(i, j)
        gi, gj = groups[i], groups[j]
        assert gi is not None and gj is not None
        gi.extend(gj)
        groups[j] = None
        total[i, :] += total[j, :]
        total[:, i] += total[:, j]
        count[i, :] += count[j, :]
        count[:, i] += count[:, j]
        blocked[i, :] |= blocked[j, :]
        blocked[:, i] |= blocked[:, j]
        blocked[j, :] = True
        blocked[:, j] = True
        blocked[i, i] = True
    return [g for g in groups if g is not None]
