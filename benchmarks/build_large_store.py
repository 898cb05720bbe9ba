"""Build a store of ~100,000 articles for the read-path benchmarks, in minutes.

Usage:
    .venv/bin/python benchmarks/build_large_store.py OUT.db [--articles 100000]
        [--base BASE.db]

How, exactly:
1. A real base store: the 300 BASIL articles of ../shared (100 events x NYT, Fox, HuffPost),
   written as JSONL (benchmarks/ingest.py's `build_jsonl`) and run through the pipeline
   like any user's input: ingest (cleaning, dedupe, extraction in worker processes), then
   clustering. Kept at --base (default: OUT.db's folder, `large-store-base.db`) and reused.
2. OUT.db starts as a copy of the base, then the base's rows are multiplied in SQLite with
   INSERT ... SELECT, copy k = 1, 2, ... until --articles: every article again with
   id + k * (max id), a text hash, input hash, source and URL made distinct by `-r{k}`, the
   publication instant moved k days earlier (ISO, UTC), and its near-duplicate link moved
   with it; its input row, extraction (the same JSON), entity mentions, claims (new ids),
   cluster profile (the same vector and features) and story membership (story ids moved by
   k * (max story id), positions after every earlier one), so each copy of an event is a
   story of its own with the same members in proportion. The articles' FTS5 rows come from
   the store's own insert trigger, and `story_listing` from its triggers, as for any write.
   Each story's stored cross-check is copied too (the base's, with the copy's member ids;
   each copy's state hash recomputed), so the copies are as current as the base.
   Left out of the copies: raw input bytes (`article --raw` of a copy prints nothing) and
   MinHash bands (a new ingest's near-duplicate look-up sees the base articles only).
3. ANALYZE, so SQLite's planner sees the real table sizes.

The copies repeat the base's text, so full-text hits come in groups of identical documents:
that is what makes this a read benchmark, not a relevance one.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

BASE_ARTICLES = 300


def build_base(base: Path) -> None:
    """The BASIL articles through the real pipeline: ingest, extract, cluster."""
    from ingest import build_jsonl  # benchmarks/ingest.py: BASIL bodies, distinct openings

    from corroborate.pipeline import IngestOptions, cluster_stored, ingest
    from corroborate.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        jsonl = Path(tmp) / "basil.jsonl"
        build_jsonl(jsonl, BASE_ARTICLES)
        partial = base.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        with Store(partial) as store:
            summary = ingest([str(jsonl)], store, IngestOptions(fetch=False))
            run = cluster_stored(store)
        print(
            f"base: {summary.total} inputs, {run.clustered} clustered into {run.stories} stories",
            flush=True,
        )
        partial.replace(base)


_COPY = [
    # articles: distinct hashes, sources and URLs; published k days earlier (UTC, ISO)
    """INSERT INTO articles (id, text_hash, raw_sha256, source, format, url, outlet, title,
        author, published, published_via, language, text, removed_json, extractor,
        near_duplicate_of, near_duplicate_similarity, ingested_at)
       SELECT id + :a, text_hash || '-r' || :k, raw_sha256 || '-r' || :k,
        source || '-r' || :k, format, CASE WHEN url IS NULL THEN NULL
        ELSE url || '#r' || :k END, outlet, title, author,
        CASE WHEN published IS NULL THEN NULL ELSE
        strftime('%Y-%m-%dT%H:%M:%S', published, '-' || :k || ' days') || '+00:00' END,
        published_via, language, text, removed_json, extractor,
        near_duplicate_of + :a, near_duplicate_similarity, ingested_at
       FROM articles WHERE id <= :base_articles""",
    """INSERT INTO inputs (raw_sha256, source, outcome, article_id, similarity, seen_at)
       SELECT raw_sha256 || '-r' || :k, source || '-r' || :k, outcome, article_id + :a,
        similarity, seen_at FROM inputs WHERE article_id <= :base_articles""",
    """INSERT INTO extractions (article_id, version, skipped, data, extracted_at)
       SELECT article_id + :a, version, skipped, data, extracted_at FROM extractions
       WHERE article_id <= :base_articles""",
    """INSERT INTO entity_mentions (article_id, key, start, "end")
       SELECT article_id + :a, key, start, "end" FROM entity_mentions
       WHERE article_id <= :base_articles""",
    """INSERT INTO claims (id, article_id, position, start, "end", certainty, primary_source,
        text)
       SELECT id + :c, article_id + :a, position, start, "end", certainty, primary_source,
        text FROM claims WHERE article_id <= :base_articles""",
    """INSERT INTO cluster_profiles (article_id, version, vector, features)
       SELECT article_id + :a, version, vector, features FROM cluster_profiles
       WHERE article_id <= :base_articles""",
    """INSERT INTO stories (id, created_at, merged_into, merge_reason)
       SELECT id + :s, created_at, merged_into + :s, merge_reason FROM stories
       WHERE id <= :base_stories""",
    """INSERT INTO story_members (article_id, story_id, position, reason, evidence)
       SELECT article_id + :a, story_id + :s, position + :p, reason, evidence
       FROM story_members WHERE article_id <= :base_articles""",
    # stored cross-checks: the base story's, with the copy's member ids (its `state` hash is
    # recomputed after the copies, in Python: SQLite has no SHA-1)
    """INSERT INTO story_checks (story_id, version, members, state, data, articles, outlets,
        facts, conflicts, disputed, developing, origins, computed_at, seconds)
       SELECT story_id + :s, version,
        (SELECT json_group_array(value + :a) FROM json_each(members)), state, data, articles,
        outlets, facts, conflicts, disputed, developing, origins, computed_at, seconds
       FROM story_checks WHERE story_id <= :base_stories""",
]


def restate_checks(db: Path) -> int:
    """Give each copied stored check its own members' state, and clear the stale marks the
    copies' membership triggers set: the copies' checks are as current as the base's."""
    from corroborate.store import Store
    from corroborate.store.checks import members_state

    with Store(db) as store, store.engine.begin() as conn:
        rows = conn.exec_driver_sql("SELECT story_id, members FROM story_checks").all()
        for story_id, members in rows:
            state = members_state(conn, json.loads(members))
            conn.exec_driver_sql(
                "UPDATE story_checks SET state = ? WHERE story_id = ?", (state, story_id)
            )
        conn.exec_driver_sql("DELETE FROM story_checks_stale")
    return len(rows)


def multiply(db: Path, target: int) -> int:
    """Copy the base rows until the store holds `target` articles; returns the count."""
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA cache_size = -200000")
        one = conn.execute("SELECT COUNT(*), MAX(id) FROM articles").fetchone()
        base_count, base_articles = one
        base_stories = conn.execute("SELECT MAX(id) FROM stories").fetchone()[0]
        base_claims = conn.execute("SELECT COALESCE(MAX(id), 0) FROM claims").fetchone()[0]
        base_positions = conn.execute(
            "SELECT COALESCE(MAX(position), 0) FROM story_members"
        ).fetchone()[0]
        copies = max(0, -(-target // base_count) - 1)
        started = time.perf_counter()
        for k in range(1, copies + 1):
            params = {
                "k": k,
                "a": k * base_articles,
                "s": k * base_stories,
                "c": k * base_claims,
                "p": k * base_positions,
                "base_articles": base_articles,
                "base_stories": base_stories,
            }
            conn.execute("BEGIN")
            for statement in _COPY:
                conn.execute(statement, params)
            conn.execute("COMMIT")
            if k % 25 == 0 or k == copies:
                print(
                    f"  copy {k}/{copies}: {(k + 1) * base_count} articles, "
                    f"{time.perf_counter() - started:.0f} s",
                    flush=True,
                )
        conn.execute("UPDATE cluster_epoch SET epoch = epoch + 1")
        conn.execute("ANALYZE")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return int(conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
    finally:
        conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument(
        "--base", type=Path, default=None, help="the BASIL base store (built here when missing)"
    )
    args = parser.parse_args()
    base = args.base or args.out.parent / "large-store-base.db"
    t0 = time.perf_counter()
    if not base.exists():
        print(
            f"building the base store {base} (300 BASIL articles through the pipeline)...",
            flush=True,
        )
        build_base(base)
    t1 = time.perf_counter()
    from corroborate.cluster.profile import PROFILE_VERSION
    from corroborate.pipeline import cluster_stored, recompute_stale
    from corroborate.store import Store

    with Store(base) as store:  # migrations up to date, every base story's check stored
        if store.stories.stale_profiles(PROFILE_VERSION):
            # a base kept from an older clusterer: reclustered as any store would be on its
            # next run; else every copy carries old profiles, and the first ingest into the
            # large store reclusters all 100,000 articles
            run = cluster_stored(store)
            print(f"base: reclustered by profile version {PROFILE_VERSION} into "
                  f"{run.stories} stories", flush=True)
        done = recompute_stale(store)
        if done.recomputed:
            print(f"base: {done.recomputed} stories cross-checked and stored", flush=True)
    args.out.unlink(missing_ok=True)
    for suffix in ("-wal", "-shm"):
        Path(str(args.out) + suffix).unlink(missing_ok=True)
    shutil.copy(base, args.out)
    print(f"multiplying to {args.articles} articles...", flush=True)
    count = multiply(args.out, args.articles)
    checks = restate_checks(args.out)
    t2 = time.perf_counter()
    with Store(args.out) as store:
        stories = store.stories.count()
    size = args.out.stat().st_size / 1e6
    print(
        f"{args.out}: {count} articles, {stories} stories ({checks} stored cross-checks), "
        f"{size:.0f} MB; base "
        f"{t1 - t0:.0f} s, copies {t2 - t1:.0f} s"
    )


if __name__ == "__main__":
    main()
