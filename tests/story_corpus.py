"""A small clustered store for the corrections tests, from real articles.

Two stories to begin with: the Antwerp warehouse fire (four reports from the example corpus)
and the seeds (two reports of one event). Held back for later: the rest of the example corpus
(one more fire report, its syndicated copy and a tram story), so tests can cluster new
articles after a correction. Built once per session, copied for each test that writes.
"""

from __future__ import annotations

import tempfile
from functools import cache
from pathlib import Path

from conftest import EXAMPLES, copy_store, shared_path

from corroborate.pipeline import IngestOptions, cluster_stored, ingest
from corroborate.store import Store

OFFLINE = IngestOptions(fetch=False, workers=1)
FIRST = ("harbourwatch", "scraped", "feeds")
LATER = ("jsonl", "syndicated")


@cache
def _base() -> Path:
    path = Path(tempfile.mkdtemp(prefix="corroborate-corrections-")) / "stories.db"
    store = Store(path)
    try:
        ingest([str(EXAMPLES / name) for name in FIRST] + [str(shared_path("seeds"))], store,
               OFFLINE)
        cluster_stored(store)
    finally:
        store.close()
    return path


def story_db(folder: Path) -> Path:
    """A fresh copy of the two-story database, in `folder`."""
    path = folder / "stories.db"
    copy_store(_base(), path)
    return path


def add_later_articles(store: Store) -> None:
    """Ingest the held-back articles (not yet clustered)."""
    ingest([str(EXAMPLES / name) for name in LATER], store, OFFLINE)


def fire_and_seeds(store: Store) -> tuple[list[int], list[int]]:
    """Article ids of the fire reports and of the seed reports, in id order."""
    fire, seeds = [], []
    for stored in store.list_articles(limit=100):
        (seeds if "seeds" in stored.article.source else fire).append(stored.id)
    return sorted(fire), sorted(seeds)


def partition(store: Store) -> set[frozenset[int]]:
    """The stories as sets of article ids (story ids change on a recluster)."""
    return {frozenset(m.article_id for m in s.members) for s in store.stories.list(limit=1000)}


def together(store: Store, article_ids: list[int]) -> bool:
    return len({store.stories.story_of(a) for a in article_ids}) == 1
