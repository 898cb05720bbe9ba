"""The store: migrations recorded, WAL on disk, full-text search safe against any query."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest

from corroborate.errors import UsageError
from corroborate.pipeline import IngestOptions, cluster_stored, ingest
from corroborate.store import Store
from corroborate.store.dialect import dialect_for
from corroborate.store.migrations import MIGRATIONS
from corroborate.store.stories import _central_title


def test_store_records_migrations_once(db_path: Path) -> None:
    with Store(db_path) as s:
        assert s.applied_migrations() == [name for name, _ in MIGRATIONS]
    with Store(db_path) as s:  # reopening applies nothing twice
        assert s.applied_migrations() == [name for name, _ in MIGRATIONS]


@pytest.mark.sqlite_only("the SQLite file's journal mode")
def test_store_file_uses_wal(db_path: Path) -> None:
    Store(db_path).close()
    mode = sqlite3.connect(db_path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_store_in_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="does not exist"):
        Store(tmp_path / "nope" / "x.db")


def test_search_finds_seed_words_and_survives_fts_syntax(store: Store, seeds_dir: Path) -> None:
    ingest([str(seeds_dir)], store, IngestOptions(fetch=False, workers=1))
    hits = store.search("engineering brigades")
    assert {h.article.article.title for h in hits} == {
        a.article.title for a in store.list_articles()
    }
    assert "[engineering]" in hits[0].snippet
    assert [h.article.id for h in store.search("Karina")] == []  # bylines are not body text
    for hostile in ['"', "NEAR(", "a OR", "*", "'; DROP TABLE articles; --", ""]:
        store.search(hostile)  # no exception
    assert store.count_articles() == 2


def test_list_articles_filters(store: Store, seeds_dir: Path) -> None:
    ingest([str(seeds_dir)], store, IngestOptions(fetch=False, workers=1))
    assert len(store.list_articles(since="2024-06-27", until="2024-06-27")) == 2
    assert store.list_articles(since="2024-06-28") == []
    assert len(store.list_articles(language="en")) == 2
    assert store.list_articles(outlet="nobody") == []
    assert len(store.list_articles(limit=1)) == 1


def test_raw_input_is_kept(store: Store, seed_files: list[Path]) -> None:
    ingest([str(seed_files[0])], store, IngestOptions(fetch=False, workers=1))
    (stored,) = store.list_articles()
    assert store.get_raw(stored.id) == seed_files[0].read_bytes()


def test_newest_first_compares_instants_not_strings(store: Store, tmp_path: Path) -> None:
    """"23:00 at UTC-5" is later than "01:00 UTC" the next day, though it sorts first as
    text: articles and equal-sized stories are listed by the instant."""
    import json

    reports = [
        ("Harbour crane collapses in Rotterdam", "2024-06-28T01:00:00+00:00",
         "A harbour crane collapsed at a container terminal in Rotterdam on Friday night, "
         "the terminal operator said, and nobody was hurt. Inspectors closed the quay while "
         "engineers examined the foundations of the remaining cranes."),
        ("Wildfire forces evacuations near Sacramento", "2024-06-27T23:00:00-05:00",
         "A fast-moving wildfire forced hundreds of residents from their homes east of "
         "Sacramento on Thursday evening, the county sheriff said, as crews fought the "
         "flames from the air and dry winds pushed the fire toward two villages."),
    ]
    feed = tmp_path / "two.jsonl"
    feed.write_text("\n".join(json.dumps({
        "title": title, "maintext": text, "date_publish": when, "source_domain": "Test Wire",
        "url": f"https://wire.example/{n}", "language": "en"})
        for n, (title, when, text) in enumerate(reports)) + "\n", encoding="utf-8")
    ingest([str(feed)], store, IngestOptions(fetch=False, workers=1))
    cluster_stored(store)
    newest_first = [a.article.title for a in store.list_articles()]
    assert newest_first == [reports[1][0], reports[0][0]]
    stories = store.stories.list()
    assert [s.title for s in stories] == [reports[1][0], reports[0][0]]


def _ingest_reports(store: Store, folder: Path, *texts: str) -> list[int]:
    """Reports we wrote, one JSONL line each, ingested (and extracted) in this order."""
    import json

    ids = []
    for i, text in enumerate(texts):
        path = folder / f"report{i}.jsonl"
        path.write_text(json.dumps({
            "title": f"Report {i}", "maintext": text, "date_publish": f"2024-06-2{i} 09:00",
            "source_domain": f"outlet{i}.example", "url": f"https://outlet{i}.example/{i}",
        }) + "\n", encoding="utf-8")
        ingest([str(path)], store, IngestOptions(fetch=False, workers=1))
        ids.append(max(a.id for a in store.list_articles()))
    return ids


def _people(store: Store, article_id: int) -> dict[str, str]:
    extraction = store.get_extraction(article_id)
    assert extraction is not None
    return {m.text: m.key for m in extraction.entities if m.kind.value == "person"}


def test_a_short_name_takes_the_full_name_the_corpus_gave_before_or_after(
        store: Store, tmp_path: Path) -> None:
    ids = _ingest_reports(
        store, tmp_path,
        "Putin told officials in Moscow on Monday that the new rail bridge would open soon.",
        "Vladimir Putin opened the rail bridge over the river on Tuesday, officials said.",
        "Putin said on Wednesday that a second rail bridge would follow next year.",
    )
    # saved before the corpus knew the full name: resolved when read
    assert _people(store, ids[0])["Putin"] == "person:vladimir putin"
    assert _people(store, ids[2])["Putin"] == "person:vladimir putin"  # saved after it


def test_short_names_meet_full_names_spelled_another_way(store: Store, tmp_path: Path) -> None:
    ids = _ingest_reports(
        store, tmp_path,
        "José Mourinho said on Monday that his club would sign two defenders this summer.",
        "Jim O’Brien, the club's chairman, said on Tuesday that the budget was agreed.",
        "Jose told reporters the defenders would arrive in July, and O'Brien agreed.",
    )
    people = _people(store, ids[2])
    assert people["Jose"] == "person:jose mourinho"
    assert people["O'Brien"] == "person:jim o'brien"


def test_a_short_name_two_people_share_stays_short(store: Store, tmp_path: Path) -> None:
    ids = _ingest_reports(
        store, tmp_path,
        "Hillary Clinton spoke in Ohio on Monday about the new trade agreement.",
        "Bill Clinton spoke in Iowa on Tuesday about the same trade agreement.",
        "Clinton said on Wednesday that the trade agreement would pass the Senate.",
    )
    assert _people(store, ids[2])["Clinton"] == "person:clinton"


def test_names_stored_before_the_person_words_index_are_indexed_on_upgrade(
        db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dialect = dialect_for(str(db_path))  # SQLite's migrations, or PostgreSQL's under the switch
    every = dialect.migrations
    monkeypatch.setattr(dialect, "migrations", [m for m in every if m[0] != "0007_person_words"])
    with Store(db_path) as old, old.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO entities (key, kind, name) VALUES "
            "('person:kim jong un', 'person', 'Kim Jong Un'), "
            "('person:jim o''brien', 'person', 'Jim O''Brien'), "
            "('person:putin', 'person', 'Putin'), "
            "('org:kim group', 'organization', 'Kim Group')")
    monkeypatch.setattr(dialect, "migrations", every)
    with Store(db_path) as upgraded, upgraded.engine.connect() as conn:
        words = set(conn.exec_driver_sql("SELECT word, key FROM person_words").all())
    assert words == {("kim", "person:kim jong un"), ("un", "person:kim jong un"),
                     ("jim", "person:jim o'brien"), ("o'brien", "person:jim o'brien")}


def test_two_full_names_in_one_article_make_their_short_name_ambiguous(
        store: Store, tmp_path: Path) -> None:
    ids = _ingest_reports(
        store, tmp_path,
        "Hillary Clinton and Bill Clinton arrived in Ohio on Monday for the trade summit.",
        "Clinton said on Tuesday that the trade agreement would pass the Senate.",
    )
    assert _people(store, ids[1])["Clinton"] == "person:clinton"
    assert store.canonical_entity("person:clinton") == "person:clinton"


def test_a_full_name_nobody_mentions_any_more_does_not_block_a_short_one(
        store: Store, tmp_path: Path) -> None:
    # a key an older extractor spelled otherwise: stored, indexed, mentioned nowhere now
    with store.engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO entities (key, kind, name) VALUES "
                             "('person:dr mark vinar', 'person', 'Dr Mark Vinar')")
        conn.exec_driver_sql("INSERT INTO person_words (word, key) VALUES "
                             "('dr', 'person:dr mark vinar'), ('vinar', 'person:dr mark vinar')")
    ids = _ingest_reports(
        store, tmp_path,
        "Mark Vinar, a climber from Perth, fell from the ridge on Sunday, police said.",
        "Vinar told rescuers on Monday that he had carried no radio on the ridge.",
    )
    assert _people(store, ids[1])["Vinar"] == "person:mark vinar"


def test_a_story_title_is_the_central_headline_and_a_tie_goes_to_the_first_member() -> None:
    a, b = np.array([1.0, 0.0], np.float32), np.array([0.6, 0.8], np.float32)
    # two members are equally near their centre, whatever float rounding says
    assert _central_title([(a, "first"), (b, "second")]) == "first"
    assert _central_title([(b, "second"), (a, "first")]) == "second"
    middle = np.array([0.8, 0.6], np.float32)  # unit length, between a and b
    assert _central_title([(a, "x"), (middle, "central"), (b, "y")]) == "central"
    assert _central_title([(a, None), (b, "only titled")]) == "only titled"
    assert _central_title([(a, None)]) is None
