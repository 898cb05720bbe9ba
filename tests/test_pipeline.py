"""The ingest pipeline end to end: idempotent, duplicates handled, and safe to kill -9."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from corroborate.pipeline import IngestOptions, ingest
from corroborate.records import Outcome
from corroborate.store import Store
from corroborate.store.dialect import dialect_for

OFFLINE = IngestOptions(fetch=False, workers=1)
_WORDS = (
    "harbour", "council", "minister", "storm", "budget", "river", "bridge", "election",
    "police", "school", "hospital", "factory", "strike", "court", "museum", "festival",
    "railway", "airport", "energy", "water", "farmers", "market", "report", "official", "said",
    "announced", "week", "Monday", "Tuesday", "local", "national", "plan", "study",
)


def _write_corpus(folder: Path, n: int, seed: int = 7) -> None:
    """n distinct articles of random words: no two are near-duplicates."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        title = f"Report {i}: " + " ".join(rng.choices(_WORDS, k=6))
        paragraphs = [" ".join(rng.choices(_WORDS, k=40)) + "." for _ in range(4)]
        (folder / f"a{i:05d}.txt").write_text(title + "\n\n" + "\n\n".join(paragraphs))


def test_ingest_twice_adds_nothing(store: Store, seeds_dir: Path) -> None:
    first = ingest([str(seeds_dir)], store, OFFLINE)
    assert first.count(Outcome.INGESTED) == 2
    second = ingest([str(seeds_dir)], store, OFFLINE)
    assert second.count(Outcome.UNCHANGED) == 2
    assert second.count(Outcome.INGESTED) == 0
    assert store.count_articles() == 2


def test_exact_duplicate_under_another_name_is_not_stored_twice(
    store: Store, seed_files: list[Path], tmp_path: Path
) -> None:
    copy = tmp_path / "copy.txt"
    # Same article, re-wrapped: whitespace and line breaks differ, words do not.
    copy.write_text(seed_files[0].read_text(encoding="utf-8").replace("\n\n", "\n\n\n"))
    ingest([str(seed_files[0])], store, OFFLINE)
    summary = ingest([str(copy)], store, OFFLINE)
    assert summary.count(Outcome.DUPLICATE) == 1
    assert store.count_articles() == 1
    (original,) = store.list_articles()
    sources = [i["source"] for i in store.inputs_for(original.id)]
    assert str(copy.resolve()) in sources  # where else it was seen is kept


def test_near_duplicate_is_stored_and_linked(
    store: Store, seed_files: list[Path], tmp_path: Path
) -> None:
    text = seed_files[1].read_text(encoding="utf-8")
    rewrite = tmp_path / "syndicated.txt"
    rewrite.write_text(text.replace("South Korean TV channel reports", "A Seoul broadcaster says")
                       .replace("Jun 27, 2024", "Jun 28, 2024") + "\n\nCopyright Wire 2024.\n")
    ingest([str(seed_files[1])], store, OFFLINE)
    summary = ingest([str(rewrite)], store, OFFLINE)
    assert summary.count(Outcome.NEAR_DUPLICATE) == 1
    copy = next(a for a in store.list_articles() if a.near_duplicate_of)
    original = next(a for a in store.list_articles() if not a.near_duplicate_of)
    assert copy.near_duplicate_of == original.id
    assert copy.near_duplicate_similarity and copy.near_duplicate_similarity > 0.5
    assert store.list_articles(originals_only=True) == [original]


def test_parallel_cleaning_matches_serial(tmp_path: Path) -> None:
    _write_corpus(tmp_path / "c", 40)
    with Store(":memory:") as serial, Store(":memory:") as parallel:
        ingest([str(tmp_path / "c")], serial, OFFLINE)
        ingest([str(tmp_path / "c")], parallel, IngestOptions(fetch=False, workers=2))
        key = [(a.article.title, a.article.text) for a in serial.list_articles(limit=None)]
        assert key == [(a.article.title, a.article.text)
                       for a in parallel.list_articles(limit=None)]
        assert len(key) == 40


def test_kill_9_mid_ingest_then_rerun_stores_every_article_once(tmp_path: Path) -> None:
    n = 1500
    corpus, db = tmp_path / "corpus", tmp_path / "kill.db"
    _write_corpus(corpus, n)
    cmd = [sys.executable, "-m", "corroborate", "ingest", str(corpus), "--db", str(db),
           "--no-fetch", "--no-extract", "--workers", "1"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    stored = 0
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if db.exists():
            stored = _count_articles(db)
            if stored >= 100:
                break
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert 0 < stored < n, f"the kill must land mid-ingest (stored {stored} of {n})"

    rerun = subprocess.run([*cmd, "--json"], capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    with Store(db) as store, store.engine.begin() as conn:
        articles = tuple(conn.exec_driver_sql(
            "SELECT count(*), count(DISTINCT text_hash) FROM articles").one())
        inputs = tuple(conn.exec_driver_sql(
            "SELECT count(*), count(DISTINCT source) FROM inputs").one())
        if store.dialect.name == "sqlite":  # PostgreSQL's tsvector is a generated column
            # Raises if the full-text index and the articles table disagree.
            conn.exec_driver_sql(
                "INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
        orphans = conn.exec_driver_sql(
            "SELECT count(*) FROM articles a LEFT JOIN raw_documents r ON r.article_id = a.id "
            "WHERE r.article_id IS NULL").scalar()
    assert articles == (n, n)
    assert inputs == (n, n)
    assert orphans == 0


def test_hung_documents_are_skipped_and_the_run_goes_on(tmp_path: Path) -> None:
    """A per-document time limit that nothing can meet: every input is accounted for."""
    _write_corpus(tmp_path / "c", 12)
    with Store(":memory:") as s:
        summary = ingest([str(tmp_path / "c")], s,
                         IngestOptions(fetch=False, workers=2, doc_timeout_s=0.000001))
        assert summary.total == 12
        assert summary.count(Outcome.SKIPPED) + summary.count(Outcome.INGESTED) == 12
        assert all("longer than" in e.reason or "crashed" in e.reason
                   for e in summary.skipped if e.reason)
        assert s.count_articles() == summary.count(Outcome.INGESTED)


def _count_articles(db: Path) -> int:
    """Articles stored so far, read beside a running ingest without waiting for it (0 while
    its schema is not there yet)."""
    if dialect_for(str(db)).name == "sqlite":
        try:
            with sqlite3.connect(db, timeout=1) as conn:
                return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        except sqlite3.OperationalError:
            return 0  # schema not created yet
    with Store(db) as store:  # the test database it stands for; migrated by then or now
        return store.count_articles()


def test_clustering_keeps_a_lead_vector_saved_before_it(store: Store,
                                                         seed_files: list[Path]) -> None:
    """`corroborate batch` embeds leads in its Ray actors and saves each vector before the
    article is clustered (as an outdated-extraction profile): clustering must use it, not embed
    again, and rebuild the rest of the profile from the stored extraction."""
    import json

    import numpy as np

    from corroborate.cluster.profile import PROFILE_VERSION
    from corroborate.models import EMBEDDING_DIM
    from corroborate.pipeline import cluster_stored
    from corroborate.store.stories import OUTDATED

    ingest([str(f) for f in seed_files], store, OFFLINE)
    ids = sorted(a.id for a in store.list_articles())
    saved = np.zeros(EMBEDDING_DIM, dtype=np.float32)
    saved[0] = 1.0  # no lead embeds to this
    with store.writer() as w:
        for article_id in ids:
            w.stories.save_profile(article_id, PROFILE_VERSION + OUTDATED, saved.tobytes(), "{}")
    assert cluster_stored(store).clustered == len(ids)
    rows = store.stories.profiles(PROFILE_VERSION)
    for article_id in ids:
        assert np.array_equal(np.frombuffer(rows[article_id].vector, dtype=np.float32), saved)
        assert json.loads(rows[article_id].features)["entities"]  # rebuilt from the extraction
