"""The store on a real PostgreSQL server: the same named migrations and tables as SQLite,
full-text search ranked as SQLite ranks it, instants read as SQLite reads them, writers that
do not wait for each other, one clustering leader at a time, and `--db postgresql://…` in
the CLI and the web app.

Each test gets a fresh database (`pg_url`, tests/conftest.py): on the suite's PostgreSQL
run its server, else a throwaway one started for the session; without PostgreSQL binaries
these tests skip, saying so.
"""

from __future__ import annotations

import json
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from conftest import EXAMPLES
from fastapi.testclient import TestClient
from sqlalchemy import inspect
from typer.testing import CliRunner

from corroborate.cli import app
from corroborate.errors import StoreBusyError
from corroborate.pipeline import IngestOptions, ingest
from corroborate.records import Article, DocFormat
from corroborate.store import Store, StoreWriter
from corroborate.store.migrations import MIGRATIONS
from corroborate.store.pg_migrations import PG_MIGRATIONS
from corroborate.web.app import create_app

OFFLINE = IngestOptions(fetch=False, workers=1)
SQLITE = "sqlite:///:memory:"  # SQLite, even when the suite runs on PostgreSQL
DAY0 = datetime.fromisoformat("2025-03-04T09:00:00+01:00")


def test_every_migration_has_its_postgresql_version_under_the_same_name() -> None:
    assert [name for name, _ in PG_MIGRATIONS] == [name for name, _ in MIGRATIONS]


def test_postgres_store_records_the_named_migrations_once(pg_url: str) -> None:
    with Store(pg_url) as store:
        assert store.applied_migrations() == [name for name, _ in MIGRATIONS]
        assert store.dialect.name == "postgresql"
    with Store(pg_url) as store:  # reopening applies nothing twice
        assert store.applied_migrations() == [name for name, _ in MIGRATIONS]


def test_postgres_tables_have_the_columns_sqlite_has(pg_url: str) -> None:
    def columns(store: Store) -> dict[str, set[str]]:
        with store.engine.connect() as conn:
            found = inspect(conn)
            return {t: {c["name"] for c in found.get_columns(t)}
                    for t in found.get_table_names() if not t.startswith("articles_fts")}

    with Store(SQLITE) as lite, Store(pg_url) as pg:
        on_sqlite, on_pg = columns(lite), columns(pg)
    # PostgreSQL's own: FTS5's tsvector, and the rowid SQLite gives every table
    on_pg["articles"] -= {"search"}
    on_pg["ingest_jobs"] -= {"rowid"}
    assert on_pg == on_sqlite


def test_search_on_postgres_matches_and_counts_as_sqlite_does(pg_url: str) -> None:
    sources = [str(EXAMPLES / "harbourwatch"), str(EXAMPLES / "scraped"),
               str(EXAMPLES / "jsonl")]
    with Store(SQLITE) as lite, Store(pg_url) as pg:
        ingest(sources, lite, OFFLINE)
        ingest(sources, pg, OFFLINE)
        for query in ("warehouse fire", "Antwerp", "tram", "firefighters smoke", "évacués"):
            on_sqlite = {h.article.id for h in lite.search(query)}
            assert {h.article.id for h in pg.search(query)} == on_sqlite, query
            assert pg.count_matches(query) == lite.count_matches(query) == len(on_sqlite)
        hit = pg.search("warehouse")[0]
        assert "[warehouse]" in hit.snippet.lower() and hit.rank < 0  # lower is better
        for hostile in ['"', "NEAR(", "a OR", "*", "'; DROP TABLE articles; --", "", "a & !b"]:
            pg.search(hostile)  # no exception
        assert pg.count_articles() == lite.count_articles()


def test_search_on_postgres_ranks_as_bm25_does(pg_url: str, tmp_path: Path) -> None:
    """A title match first (titles weigh five times body text), then the body that says the
    word more often; words in no other article (bm25's IDF) need enough articles without."""
    filler = "The council met on Tuesday to discuss the tram timetable and the school budget."
    reports = [
        ("Dredging resumes in the harbour", "Work restarted on Monday after the floods."),
        ("Harbour works", "Dredging began. The dredging crews said dredging takes months."),
        ("Port news", "Dredging is one of many items. " + filler * 4),
        *[(f"Council notes {n}", filler) for n in range(6)],
    ]
    path = tmp_path / "reports.jsonl"
    path.write_text("".join(json.dumps({
        "title": title, "maintext": text, "source_domain": f"outlet{n}.example",
        "url": f"https://outlet{n}.example/{n}", "date_publish": "2025-03-04 09:00",
    }) + "\n" for n, (title, text) in enumerate(reports)), encoding="utf-8")
    options = IngestOptions(fetch=False, workers=1, extract=False)
    with Store(SQLITE) as lite, Store(pg_url) as pg:
        ingest([str(path)], lite, options)
        ingest([str(path)], pg, options)
        expected = ["Dredging resumes in the harbour", "Harbour works", "Port news"]
        assert [h.article.article.title for h in lite.search("dredging")] == expected
        assert [h.article.article.title for h in pg.search("dredging")] == expected


def test_postgres_reads_instants_as_sqlite_julianday_does(pg_url: str) -> None:
    values = ["2024-06-27T23:00:00-05:00", "2024-06-28T04:00:00+00:00", "2024-06-27",
              "2024-06-27T10:00:00", "2024-06-27T10:00:00.250000+02:00", "not a date"]
    with Store(SQLITE) as lite, Store(pg_url) as pg:
        for value in values:
            with lite.engine.connect() as a, pg.engine.connect() as b:
                expected = a.exec_driver_sql("SELECT julianday(?)", (value,)).scalar()
                got = b.exec_driver_sql("SELECT julianday(?)", (value,)).scalar()
            if expected is None:
                assert got is None, value
            else:
                assert got == pytest.approx(expected, abs=1e-7), value


def _article(n: int) -> Article:
    text = f"Report {n} of the harbour fire: the dredging budget rose after the floods. " * 3
    return Article(source=f"r{n}.txt", format=DocFormat.TEXT, text=text,
                   title=f"Harbour fire report {n}", outlet=f"Outlet {n}",
                   published=DAY0 + timedelta(days=n), published_via="test", language="en",
                   raw_sha256=f"raw{n}")


def _add(store: Store, n: int, hold: threading.Event | None = None) -> int:
    article = _article(n)
    with store.writer() as w:
        article_id = w.add_article(article, article.text_hash, b"raw", signature=None, bands=())
        if hold is not None:
            assert hold.wait(30)
    return article_id


def test_two_writers_on_postgres_write_at_once(pg_url: str) -> None:
    """No global write lock: a second writer commits while the first is still open."""
    with Store(pg_url) as first, Store(pg_url, write_wait_s=5) as second:
        release = threading.Event()
        slow = threading.Thread(target=_add, args=(first, 1, release))
        slow.start()
        time.sleep(0.5)  # the first writer holds its transaction open now
        started = time.monotonic()
        _add(second, 2)
        assert time.monotonic() - started < 2.0
        assert [a.article.title for a in second.list_articles()] == ["Harbour fire report 2"]
        release.set()
        slow.join()
        assert second.count_articles() == 2


def test_a_write_that_loses_a_race_runs_again_and_sees_the_winner(pg_url: str) -> None:
    """Two ingests storing one text at once: the second waits on the unique text hash, fails
    when the first commits, and `Store.write` runs it again: it finds the stored article."""
    article = _article(1)
    tries: list[int] = []

    def add_once(w: StoreWriter) -> int:
        tries.append(1)
        found = w.article_by_text_hash(article.text_hash)
        if found is not None:
            return found
        return w.add_article(article, article.text_hash, b"raw", signature=None, bands=())

    with Store(pg_url) as first, Store(pg_url) as second:
        stored, holding, release = [], threading.Event(), threading.Event()

        def first_writer() -> None:
            with first.writer() as w:
                stored.append(add_once(w))
                holding.set()
                assert release.wait(30)

        winner = threading.Thread(target=first_writer)
        winner.start()
        assert holding.wait(30)
        result: list[int] = []
        loser = threading.Thread(target=lambda: result.append(second.write(add_once)))
        loser.start()
        time.sleep(0.5)  # the second writer waits on the first's uncommitted text hash
        release.set()
        winner.join()
        loser.join()
        assert result == stored and len(tries) == 3  # the first's, the second's two
        assert second.count_articles() == 1


def test_writers_of_the_same_row_wait_then_fail_clearly(pg_url: str) -> None:
    with Store(pg_url) as first, Store(pg_url, write_wait_s=0.5) as second:
        _add(first, 1)
        with first.writer() as w:
            w.conn.exec_driver_sql("UPDATE articles SET outlet = 'A' WHERE id = 1")
            with pytest.raises(StoreBusyError, match="stayed locked by another writer"), \
                    second.writer() as w2:
                w2.conn.exec_driver_sql("UPDATE articles SET outlet = 'B' WHERE id = 1")


def test_one_clustering_leader_at_a_time_on_postgres(pg_url: str) -> None:
    with Store(pg_url) as leader, Store(pg_url, write_wait_s=0.5) as other:
        with leader.clustering_leader():
            with leader.clustering_leader():  # a run inside a run (cluster -> recluster)
                pass
            with pytest.raises(StoreBusyError, match="another clustering run"), \
                    other.clustering_leader():
                pass
        with other.clustering_leader():  # the lead is free again
            pass


def test_cli_and_web_open_a_postgres_store_by_url(pg_url: str, seeds_dir: Path,
                                                  tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["ingest", str(seeds_dir), "--db", pg_url, "--no-fetch",
                                 "--workers", "1", "--json"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["articles", "--json"], env={"CORROBORATE_DB": pg_url})
    assert result.exit_code == 0, result.output
    titles = {a["title"] for a in json.loads(result.output)}
    assert len(titles) == 2
    with TestClient(create_app(pg_url, background_checks=False),
                    base_url="http://127.0.0.1:8000", client=("127.0.0.1", 50000)) as client:
        r = client.get("/api/v1/articles")
        assert r.status_code == 200, r.text
        assert {a["title"] for a in r.json()["items"]} == titles
