"""One analysed database for the web tests: the seeds, the example corpus, a hostile article.

Built once per test session (ingest, extract, cluster and cross-check take ~40 s) and only
read afterwards; tests that write (ingest jobs) use a fresh database of their own.
"""

from __future__ import annotations

import tempfile
from datetime import datetime
from functools import cache
from pathlib import Path

from conftest import EXAMPLES, shared_path

from corroborate.extract import extract_article
from corroborate.pipeline import IngestOptions, cluster_stored, ingest, recompute_stale
from corroborate.records import Article, DocFormat
from corroborate.store import Store

LOCAL = "http://127.0.0.1"  # test clients' base URL: the app refuses TestClient's "testserver"
HOSTILE_TITLE = "<script>alert('title')</script> Harbour budget row"
HOSTILE_TEXT = (
    "Riverton, 2 May 2025. The harbour master said the dredging budget rose to 4 million "
    "euros <img src=x onerror=alert('img')> after the spring floods. "
    'Councillor Ada Brink said <a href="javascript:alert(\'link\')">the plan</a> would be '
    "put to a vote on 9 May. <script>alert('text')</script> Residents were not consulted, "
    "according to the Riverton Gazette."
)
HOSTILE_URL = "javascript:alert('url')"
PAYMENT_DOLLARS = "up to $115 million annually"
PAYMENT_POUNDS = "up to £88 million annually"


def hostile_article() -> Article:
    return Article(
        source="hostile.html", format=DocFormat.HTML, text=HOSTILE_TEXT, title=HOSTILE_TITLE,
        author='"><svg onload=alert(1)>', outlet="<b onmouseover=alert(1)>Evil</b> Times",
        url=HOSTILE_URL, published=datetime(2025, 5, 2, 9, 0), published_via="test",
        language="en", raw_sha256="hostile",
    )


@cache
def corpus_db() -> Path:
    """Path of the shared read-only database (built on first use)."""
    seeds = shared_path("seeds")
    path = Path(tempfile.mkdtemp(prefix="corroborate-web-")) / "web.db"
    store = Store(path)
    try:
        ingest([str(EXAMPLES), str(seeds)], store, IngestOptions(fetch=False, workers=1))
        article = hostile_article()
        with store.writer() as w:
            article_id = w.add_article(article, article.text_hash, b"<hostile/>",
                                       signature=None, bands=())
            w.save_extraction(article_id, extract_article(article))
        cluster_stored(store)
        recompute_stale(store)  # what `corroborate ingest` and the server's worker do
    finally:
        store.close()
    return path


def seed_story_id(store: Store) -> int:
    """The story of the two seed reports (North Korean engineers to Donetsk)."""
    for story in store.stories.list(limit=100):
        if any("Donetsk" in (m.title or "") for m in story.members):
            return story.id
    raise AssertionError("the seed story was not clustered")


def hostile_ids(store: Store) -> tuple[int, int]:
    """(article id, story id) of the hostile article."""
    for stored in store.list_articles(limit=100):
        if stored.article.source == "hostile.html":
            story = store.stories.story_of(stored.id)
            assert story is not None
            return stored.id, story
    raise AssertionError("hostile article missing")
