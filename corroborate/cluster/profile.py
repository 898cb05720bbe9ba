"""What the story clusterer knows of an article: a compact profile built once, on arrival.

Clustering compares every new article with many stored ones, so it must not re-read texts
or re-run spaCy: the profile keeps exactly what discriminates between stories, namely an
embedding of the title and lead (the part of a news report that says what happened; whole
bodies wander off into background and cost ten times more to embed), the entities and
places the extract stage resolved (corpus-wide keys, so "Putin" and "Vladimir Putin" meet),
the specific numbers and dates mentioned, and the publication time.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from corroborate.records import (
    AmountKind,
    Article,
    EntityKind,
    Extraction,
    Granularity,
)

LEAD_WORDS = 70  # title + ~70 words (~100 tokens): better than 40 on ECB+ 1-25 (F1 0.79 vs 0.69)
MIN_WORDS = 10  # fewer words than this is a caption or a stub, not a report to cluster
_ACTOR_KINDS = {EntityKind.PERSON, EntityKind.ORGANIZATION, EntityKind.COUNTRY, EntityKind.PLACE}
_WORD = re.compile(r"\S+")
_TERM = re.compile(r"[^\W\d_][\w'-]*[^\W_]")
TERMS = 60  # the most frequent content words of the whole text: what the lead leaves out

EmbedFn = Callable[[Sequence[str]], np.ndarray]


@dataclass(slots=True)
class ArticleProfile:
    """The clustering view of one article (vector is unit length, or None when alone)."""

    article_id: int
    published: datetime | None
    title: str | None
    outlet: str | None
    vector: np.ndarray | None
    entities: dict[str, int] = field(default_factory=dict)  # entity key -> mentions
    names: dict[str, str] = field(default_factory=dict)  # entity key -> display name
    places: tuple[str, ...] = ()  # display names of places and countries
    numbers: frozenset[str] = frozenset()  # "count:6700:container", "money:88000000:GBP"
    dates: frozenset[str] = frozenset()  # specific days mentioned: "2024-06-19"
    terms: dict[str, int] = field(default_factory=dict)  # content word -> count (top TERMS)
    # the headline's content words (derived from `title`, so not saved apart)
    title_terms: dict[str, int] = field(default_factory=dict)
    alone: str | None = None  # why this article must stay alone, or None


def alone_reason(article: Article, extraction: Extraction | None) -> str | None:
    """Why an article cannot be clustered with others (it then opens a story of its own)."""
    if extraction is not None and extraction.skipped:
        return f"not analysed: {extraction.skipped}"
    words = len(_WORD.findall(article.text))
    if words < MIN_WORDS:
        return f"too little text to compare ({words} words)"
    return None


def lead_text(article: Article, words: int = LEAD_WORDS) -> str:
    """Title plus the opening words of the body: what the embedding sees."""
    body = " ".join(_WORD.findall(article.text)[:words])
    title = (article.title or "").strip()
    if title and not body.startswith(title):
        return f"{title}. {body}"
    return body


def entity_features(extraction: Extraction | None) -> tuple[dict[str, int], dict[str, str],
                                                              tuple[str, ...]]:
    """Entity keys with mention counts, their display names, and the places (countries too).

    Media outlets are left out: "Reuters" or "TV Chosun" says who reports, not what happened.
    """
    counts: Counter[str] = Counter()
    names: dict[str, str] = {}
    places: dict[str, None] = {}
    for m in extraction.entities if extraction else ():
        if m.kind not in _ACTOR_KINDS:
            continue
        counts[m.key] += 1
        names.setdefault(m.key, m.name)
        if m.kind in (EntityKind.PLACE, EntityKind.COUNTRY):
            places.setdefault(m.name)
    return dict(counts), names, tuple(places)


def term_features(article: Article, limit: int = TERMS) -> dict[str, int]:
    """Counts of the body's most frequent content words (stop words out, lower-cased).

    The lexical side of similarity: two reports of one event share its rare words ("rehab",
    "Promises", "magnitude") throughout the body, where the embedding sees only the lead.
    """
    from spacy.lang.en.stop_words import STOP_WORDS

    counts = Counter(w for w in (m.group().casefold() for m in _TERM.finditer(article.text))
                     if len(w) > 2 and w not in STOP_WORDS)
    return dict(counts.most_common(limit))


def title_features(title: str | None) -> dict[str, int]:
    """The headline's content words: outlets reuse a wire's headline even where the page
    around it is a subscription wall or a site's boilerplate, so it is the one part of such a
    page that still says which event it reports."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return dict(Counter(w for w in (m.group().casefold() for m in _TERM.finditer(title or ""))
                        if len(w) > 2 and w not in STOP_WORDS))


def number_features(extraction: Extraction | None) -> frozenset[str]:
    """Specific quantities: a shared "6,700 containers" is strong evidence, "two" is not."""
    out = set()
    for a in extraction.amounts if extraction else ():
        if a.kind is AmountKind.PERCENT or (a.low < 10 and a.kind is AmountKind.COUNT):
            continue
        unit = a.unit.casefold().split()[-1] if a.unit else ""
        out.add(f"{a.kind.value}:{a.low:g}:{unit}")
    return frozenset(out)


def date_features(extraction: Extraction | None, published: datetime | None) -> frozenset[str]:
    """Days mentioned in the text, other than the publication day itself."""
    pub_day = published.date().isoformat() if published else None
    out = set()
    for t in extraction.times if extraction else ():
        if t.granularity in (Granularity.DAY, Granularity.MINUTE) and t.earliest:
            day = t.earliest[:10]
            if day != pub_day and t.qualifier != "duration":
                out.add(day)
    return frozenset(out)


def build_profiles(
    items: Sequence[tuple[int, Article, Extraction | None]],
    embed: EmbedFn | None = None,
    lead_words: int = LEAD_WORDS,
) -> list[ArticleProfile]:
    """Profiles of many articles, embedding all their leads in one batch."""
    if embed is None:
        from corroborate.models import embed as embed_default

        embed = embed_default
    reasons = [alone_reason(article, extraction) for _, article, extraction in items]
    to_embed = [i for i, reason in enumerate(reasons) if reason is None]
    vectors = embed([lead_text(items[i][1], lead_words) for i in to_embed]) if to_embed else None
    vector_of = {i: vectors[row] for row, i in enumerate(to_embed)} if vectors is not None else {}
    profiles = []
    for i, (article_id, article, extraction) in enumerate(items):
        entities, names, places = entity_features(extraction)
        profiles.append(ArticleProfile(
            article_id=article_id,
            published=article.published,
            title=article.title,
            outlet=article.outlet,
            vector=vector_of.get(i),
            entities=entities,
            names=names,
            places=places,
            numbers=number_features(extraction),
            dates=date_features(extraction, article.published),
            terms=term_features(article) if reasons[i] is None else {},
            title_terms=title_features(article.title) if reasons[i] is None else {},
            alone=reasons[i],
        ))
    return profiles



PROFILE_VERSION = "3"  # bump when what a profile holds, how it is embedded or scored changes


def profile_to_row(profile: ArticleProfile) -> tuple[bytes | None, str]:
    """(vector bytes, features JSON) as the store keeps them."""
    vector = profile.vector.astype(np.float32).tobytes() if profile.vector is not None else None
    features = {
        "entities": profile.entities,
        "names": profile.names,
        "places": list(profile.places),
        "numbers": sorted(profile.numbers),
        "dates": sorted(profile.dates),
        "terms": profile.terms,
        "alone": profile.alone,
        "title": profile.title,
        "outlet": profile.outlet,
    }
    return vector, json.dumps(features, ensure_ascii=False, sort_keys=True)


def profile_from_row(article_id: int, published: datetime | None, vector: bytes | None,
                     features: str) -> ArticleProfile:
    """The profile saved by `profile_to_row`, rebuilt without re-embedding."""
    f = json.loads(features)
    return ArticleProfile(
        article_id=article_id,
        published=published,
        title=f.get("title"),
        outlet=f.get("outlet"),
        vector=np.frombuffer(vector, dtype=np.float32).copy() if vector else None,
        entities=f.get("entities", {}),
        names=f.get("names", {}),
        places=tuple(f.get("places", ())),
        numbers=frozenset(f.get("numbers", ())),
        dates=frozenset(f.get("dates", ())),
        terms=f.get("terms", {}),
        title_terms=title_features(f.get("title")) if f.get("alone") is None else {},
        alone=f.get("alone"),
    )
