"""Shared origin below the whole article: wire credits and text that outlets carry in common.

Two outlets printing one agency story are one source, not two, whether or not their texts are
near-duplicates as wholes: agencies' clients cut, re-order and add to the wire copy. So:
- an article that credits a wire ("PARIS (AFP) -", "— AFP" closing a paragraph, "Copyright
  2013 The Associated Press", "Reuters contributed to this report", an agency byline) rests on
  that wire: every chain of it passes through the wire;
- articles that carry several of the same sentences, verbatim or lightly edited (word
  3-shingles, within the story), are versions of one text: a family. A family rests on the
  wire one of its members credits, else on "shared text, origin unknown";
- a single sentence shared by two articles (one background paragraph lifted from an agency)
  ties those two versions to one origin, whatever else their articles say (`SentenceMatcher`).
Near-duplicate copies are families too: a copy and its original carrying a text that a third
outlet or a credited wire also carries are co-carriers of that origin, not one outlet copying
another.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from corroborate.outlets import outlet_table

SHINGLE = 3
MIN_SENTENCE_WORDS = 8  # shorter sentences ("Police said.") coincide without being copied
SAME_SENTENCE_JACCARD = 0.5  # word 3-shingle Jaccard of two versions of one sentence
SAME_SENTENCE_CONTAINED = 0.8  # ... or the share of the shorter's shingles in the longer
SAME_SENTENCE_RUN = 8  # ... or this many words in a row, in both: an edited copy
FAMILY_SENTENCES = 2  # sentences two articles must share to be versions of one text
FAMILY_SHARE = 0.15  # ... and that share of the shorter article's sentences

_WORD = re.compile(r"[^\W_]+")
_QUOTED = re.compile(r"“[^”]*”?|\"[^\"]*\"?|‘[^’]{20,}’")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’']?\s+(?=[\"“‘'(]?[A-Z0-9])")


@dataclass(frozen=True, slots=True)
class SharedOrigin:
    """The wire or shared text an article rests on, and why we say so."""

    key: str  # "outlet:afp" for a credited wire, "shared:<first article id>" for shared text
    name: str
    why: str
    articles: tuple[int, ...]  # the articles of the story that carry it


def normal_words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return _WORD.findall(text)


def shingles(text: str) -> frozenset[tuple[str, ...]]:
    words = normal_words(text)
    return frozenset(tuple(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1))


def same_sentence(a: frozenset[tuple[str, ...]], b: frozenset[tuple[str, ...]]) -> bool:
    """Two sentences are one text lightly edited: most 3-word runs shared."""
    smaller = min(len(a), len(b))
    if smaller < MIN_SENTENCE_WORDS - SHINGLE + 1:
        return False
    shared = len(a & b)
    return shared / len(a | b) >= SAME_SENTENCE_JACCARD or \
        shared / smaller >= SAME_SENTENCE_CONTAINED


def sentences(text: str) -> list[str]:
    """The reporting of a clean text, sentence by sentence, without its quotations: two
    outlets quoting one speech share its words because the speaker said them, not because
    one carries the other's text (the quoted speaker is then their common source).
    """
    out = []
    for paragraph in text.splitlines():
        out.extend(_QUOTED.sub(" ", s).strip() for s in _SENTENCE_END.split(paragraph))
    return [s for s in out if len(normal_words(s)) >= MIN_SENTENCE_WORDS]


def longest_run(a: Sequence[str], b: Sequence[str]) -> int:
    """Length of the longest run of words the two sequences share, in order."""
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return matcher.find_longest_match(0, len(a), 0, len(b)).size


def candidate_pairs(texts: Sequence[str], matcher: SentenceMatcher,
                    least: int = SAME_SENTENCE_RUN - SHINGLE + 1,
                    common: int = 200) -> list[tuple[int, int]]:
    """Pairs of texts that share at least `least` word runs: the only ones that can be one
    sentence. An index of runs keeps this near-linear in a big story; runs found in more
    than `common` texts ("said on Monday that") are too common to point at a copy."""
    index: dict[tuple[str, ...], list[int]] = {}
    for i, text in enumerate(texts):
        for run in matcher.runs(text):
            index.setdefault(run, []).append(i)
    counts: dict[tuple[int, int], int] = {}
    for holders in index.values():
        if len(holders) > common:
            continue
        for n, i in enumerate(holders):
            for j in holders[n + 1:]:
                counts[(i, j)] = counts.get((i, j), 0) + 1
    return sorted(pair for pair, c in counts.items() if c >= least)


class SentenceMatcher:
    """Whether two sentences of different articles are one text, lightly edited or not.

    Agencies' clients respell ("jewelry"/"jewellery"), convert figures and cut clauses, which
    breaks up shared 3-word runs; a run of SAME_SENTENCE_RUN words in a row survives that and
    rarely happens between two writers working apart (a quotation they both carry is one
    statement too).
    """

    def __init__(self) -> None:
        self._cache: dict[str, tuple[list[str], frozenset[tuple[str, ...]]]] = {}

    def _parts(self, sentence: str) -> tuple[list[str], frozenset[tuple[str, ...]]]:
        found = self._cache.get(sentence)
        if found is None:
            words = normal_words(sentence)
            found = self._cache[sentence] = (words, frozenset(
                tuple(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)))
        return found

    def runs(self, sentence: str) -> frozenset[tuple[str, ...]]:
        return self._parts(sentence)[1]

    def same(self, a: str, b: str) -> bool:
        if a == b:
            return True
        (wa, sa), (wb, sb) = self._parts(a), self._parts(b)
        if same_sentence(sa, sb):
            return True
        return len(sa & sb) >= SAME_SENTENCE_RUN - SHINGLE + 1 and \
            longest_run(wa, wb) >= SAME_SENTENCE_RUN


# -- wire credits ------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _credit_patterns() -> tuple[re.Pattern[str], ...]:
    table = outlet_table()
    names = sorted({alias for e in table.by_id.values() if e.wire
                    for alias in (e.name, *e.aliases)}, key=len, reverse=True)
    wire = "(?P<wire>" + "|".join(re.escape(n) for n in names) + ")"
    return (
        # dateline: "PARIS (AFP) -", "Washington (AFP) –", "(Reuters) -"
        re.compile(rf"(?m)^[^\n]{{0,80}}?\({wire}\)\s*[-—–:]"),
        # a paragraph closed by the agency: "... in another car. — AFP", "-- Reuters"
        re.compile(rf"(?m)[-—–]{{1,2}}\s*{wire}\s*$"),
        # copyright lines: "Copyright 2013 The Associated Press", "© 2010 AFP"
        re.compile(rf"(?:Copyright|©|\(c\))\s*(?:\d{{4}}\s*)?(?:The\s+)?{wire}\b"),
        # "The Associated Press contributed to this report", "Reuters contributed reporting"
        re.compile(rf"{wire}\s+(?:also\s+)?contributed\s+(?:to\s+this\s+(?:report|story)|reporting)"),
        # agency bylines: "By Jane Doe, Associated Press", "Associated Press Writer"
        re.compile(rf"(?m)^\s*By\s+[^\n]{{1,60}}?,\s*(?:The\s+)?{wire}\s*(?:Writer)?\s*$"),
        re.compile(rf"(?m)^[^\n]{{0,60}}\b{wire}\s+(?:Writer|Correspondent|reporter)\s*$"),
    )


def wire_credit(text: str) -> tuple[str, str] | None:
    """The wire an article credits for itself (its key and the words that say so), if any.

    Only credits that speak for the whole article count; "told AFP" inside a sentence is an
    attribution of that sentence, which the claim's chain already carries.
    """
    table = outlet_table()
    for pattern in _credit_patterns():
        m = pattern.search(text)
        if m:
            known = table.by_alias(m.group("wire"))
            if known is not None:
                return f"outlet:{known.id}", m.group(0).strip()
    return None


# -- families of articles carrying one text ----------------------------------------------------


def shared_sentence_count(a: Sequence[frozenset[tuple[str, ...]]],
                          b: Sequence[frozenset[tuple[str, ...]]]) -> int:
    """Sentences of `a` that `b` carries too (each of `a`'s counted once)."""
    return sum(1 for x in a if any(same_sentence(x, y) for y in b))


def article_origins(
        articles: Sequence[tuple[int, str, str, int | None]]) -> dict[int, SharedOrigin]:
    """The shared origin of each article that has one.

    `articles`: (article id, outlet name, clean text, near-duplicate original id or None), in
    story order. An article in no family and crediting no wire is absent from the result.
    """
    table = outlet_table()
    ids = [a[0] for a in articles]
    outlet = {a[0]: a[1] for a in articles}
    sents = {a[0]: [shingles(s) for s in sentences(a[2])] for a in articles}
    credits = {a[0]: c for a in articles if (c := wire_credit(a[2])) is not None}
    parent = {i: i for i in ids}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    copy_of = {a[0]: a[3] for a in articles if a[3] is not None and a[3] in parent}
    for article_id, original in copy_of.items():
        parent[find(article_id)] = find(original)
    whole = {i: frozenset().union(*sents[i]) for i in ids}
    needed = FAMILY_SENTENCES * (MIN_SENTENCE_WORDS - SHINGLE + 1) // 2
    for n, a in enumerate(ids):
        for b in ids[n + 1:]:
            # a cheap test first: articles sharing few word runs share no sentences
            if find(a) == find(b) or len(whole[a] & whole[b]) < needed:
                continue
            shared = shared_sentence_count(sents[a], sents[b])
            shorter = min(len(sents[a]), len(sents[b])) or 1
            if shared >= FAMILY_SENTENCES and shared / shorter >= FAMILY_SHARE:
                parent[find(b)] = find(a)
    families: dict[int, list[int]] = {}
    for i in ids:
        families.setdefault(find(i), []).append(i)
    out: dict[int, SharedOrigin] = {}
    for members in families.values():
        credited = [(i, credits[i]) for i in members if i in credits]
        if credited:
            by_wire: dict[str, list[int]] = {}
            for i, (key, _) in credited:
                by_wire.setdefault(key, []).append(i)
            key = max(by_wire, key=lambda k: (len(by_wire[k]), -members.index(by_wire[k][0])))
            first = by_wire[key][0]
            name = table.by_id[key.split(":", 1)[1]].name
            why = f"wire credit in {outlet[first]}: “{credits[first][1]}”"
            if len(members) > 1:
                why += f"; {_carriers(members, outlet)} carry the same text"
            for i in members:
                out[i] = SharedOrigin(key, name, why, tuple(members))
            continue
        if len(members) < 2 or all(copy_of.get(i) == members[0] for i in members[1:]):
            continue  # alone, or one outlet's text and its copies: the copies say so already
        why = f"{_carriers(members, outlet)} carry the same sentences"
        origin = SharedOrigin(f"shared:{members[0]}", "shared text, origin unknown", why,
                              tuple(members))
        for i in members:
            out[i] = origin
    return out


def text_links(articles: Sequence[tuple[int, str]]) -> dict[int, frozenset[int]]:
    """The other articles of the story that carry at least one of each article's sentences.

    Fewer than a family's but still one text: an agency's clients keep one or two of its
    sentences and rewrite the rest, so two articles sharing a sentence are versions of one
    agency story, and what both say of a fact is that story's word, however each version
    attributes it ("an office worker in Dubai" in one is "Bina Mathews" in the other).
    `articles`: (article id, clean text).
    """
    matcher = SentenceMatcher()
    owner: list[int] = []
    texts: list[str] = []
    for article_id, text in articles:
        for sentence in sentences(text):
            owner.append(article_id)
            texts.append(sentence)
    links: dict[int, set[int]] = {}
    for i, j in candidate_pairs(texts, matcher):
        a, b = owner[i], owner[j]
        if a != b and b not in links.get(a, ()) and matcher.same(texts[i], texts[j]):
            links.setdefault(a, set()).add(b)
            links.setdefault(b, set()).add(a)
    return {a: frozenset(linked) for a, linked in links.items()}


def _carriers(members: Sequence[int], outlet: dict[int, str]) -> str:
    names = list(dict.fromkeys(outlet[i] for i in members))
    return ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else names[0]
