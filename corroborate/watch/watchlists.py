"""Watchlists: saved queries over stories (entity, place, outlet, words, similar text, or
one story by id), and whether a story matches one.

A story is matched on what its cross-check and cluster record say about it: the entities
and places the clusterer found, its outlets and sources, the words of its titles and facts,
or (for `similar`) the cosine of its title and lead fact to the given text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np

from corroborate.errors import UsageError
from corroborate.records import CrossCheck, Story
from corroborate.store import Store
from corroborate.store.watch import WATCHLIST_KINDS, Watchlist

SIMILAR_THRESHOLD = 0.45  # cosine of all-MiniLM-L6-v2 embeddings: same topic, roughly
Embed = Callable[[Sequence[str]], np.ndarray]


def add_watchlist(store: Store, name: str, kind: str, query: str, *,
                  webhook_url: str | None = None, webhook_secret: str | None = None
                  ) -> Watchlist:
    """Save a watchlist; its alerts start with the stories that change from now on."""
    if kind not in WATCHLIST_KINDS:
        raise UsageError(f"unknown watchlist kind {kind!r}: use one of "
                         f"{', '.join(WATCHLIST_KINDS)}")
    if not query.strip():
        raise UsageError("a watchlist needs a query (the entity, place, outlet, words or text)")
    if kind == "story" and not query.strip().isdigit():
        raise UsageError(f"a story watchlist takes a story id, not {query!r}")
    if webhook_url and not webhook_url.startswith(("http://", "https://")):
        raise UsageError(f"the webhook must be an http(s) URL, not {webhook_url!r}")
    if webhook_url and not webhook_secret:
        raise UsageError("a webhook needs a secret: its posts are signed with it")
    with store.writer() as w:
        new_id = w.watch.add_watchlist(name or f"{kind}: {query}", kind, query.strip(),
                                       webhook_url=webhook_url, webhook_secret=webhook_secret)
    found = store.watch.watchlist(new_id)
    assert found is not None
    return found


def matches(watchlist: Watchlist, story: Story, check: CrossCheck,
            embed: Embed | None = None) -> bool:
    """Whether the story is one the watchlist asks about."""
    query = watchlist.query.casefold().strip()
    if watchlist.kind == "story":
        return str(story.id) == query or query in {str(i) for i in story.merged_from}
    if watchlist.kind == "entity":
        names = [*story.entities, *(o.name for o in check.origins)]
        return any(query == n.casefold() or query in n.casefold().split() for n in names)
    if watchlist.kind == "place":
        return any(query == p.casefold() for p in story.places) or _has_words(
            query, [story.title])
    if watchlist.kind == "outlet":
        return any(query == o.casefold() for o in story.outlets)
    if watchlist.kind == "words":
        return _has_words(query, _story_texts(story, check))
    if watchlist.kind == "similar":
        if embed is None:
            from corroborate.models import embed as model_embed

            embed = model_embed
        text = " ".join(_story_texts(story, check)[:3])
        vectors = embed([watchlist.query, text])
        return float(np.dot(vectors[0], vectors[1])) >= SIMILAR_THRESHOLD
    return False


def _story_texts(story: Story, check: CrossCheck) -> list[str]:
    return [story.title, *(m.title or "" for m in story.members),
            *(f.statement for f in check.facts)]


def _has_words(query: str, texts: Sequence[str]) -> bool:
    words = set(re.findall(r"\w+", " ".join(texts).casefold()))
    wanted = re.findall(r"\w+", query)
    return bool(wanted) and all(w in words for w in wanted)
