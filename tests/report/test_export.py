"""Exports for researchers on a real store: the Paris heist of the development gold (D01,
ten outlets, cross-checked on ingest) and the two seed reports, ingested through the CLI,
then exported as JSONL, CSV and Parquet and read back with json, csv and pyarrow."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import gold_inputs, shared_path
from typer.testing import CliRunner

from corroborate.cli import app
from corroborate.errors import NotFoundError, UsageError
from corroborate.report.export import COLUMNS, Selection, batches, count, export, stream
from corroborate.store import Store

runner = CliRunner()
TABLES = ("articles", "stories", "facts")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """D01 and the seeds in one store: several stories, one with many cross-checked facts."""
    seeds = shared_path("seeds")
    out = gold_inputs(tmp_path_factory.mktemp("export"), "D01")
    path = out / "export.db"
    result = runner.invoke(app, ["ingest", str(out / "D01"), str(seeds), "--db", str(path),
                                 "--no-fetch", "--workers", "1"])
    assert result.exit_code == 0, result.output
    return path


def _export(db: Path, table: str, fmt: str, out: Path, *args: str) -> Path:
    path = out / f"{table}.{fmt}"
    result = runner.invoke(app, ["export", table, "-o", str(path), "--db", str(db), *args])
    assert result.exit_code == 0, result.output
    assert "exported" in result.output
    return path


def _read(path: Path) -> list[dict[str, Any]]:
    """Rows as JSONL has them, from any of the three formats."""
    if path.suffix == ".jsonl":
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        return pq.read_table(path).to_pylist()
    table = path.stem
    kinds = dict(COLUMNS[table])
    with path.open(newline="", encoding="utf-8") as f:
        return [{k: _cell(v, kinds[k]) for k, v in row.items()} for row in csv.DictReader(f)]


def _cell(value: str, kind: str) -> Any:
    if value == "":
        return None
    if kind in ("strs", "ints", "versions", "bool"):
        return json.loads(value)
    return {"int": int, "float": float}.get(kind, str)(value)


@pytest.mark.parametrize("table", TABLES)
def test_three_formats_hold_the_same_rows_as_the_store(db: Path, tmp_path: Path,
                                                       table: str) -> None:
    rows = {fmt: _read(_export(db, table, fmt, tmp_path)) for fmt in ("jsonl", "csv", "parquet")}
    with Store(db) as store:
        expected = count(store, table)
        stories = store.stories.count()
        articles = store.count_articles()
    assert expected > 0
    assert len(rows["jsonl"]) == expected
    if table == "articles":
        assert expected == articles
    if table == "stories":
        assert expected == stories
    names = [name for name, _ in COLUMNS[table]]
    for fmt in ("csv", "parquet"):
        assert [list(r) for r in rows[fmt]] == [names] * expected, fmt
        assert rows[fmt] == rows["jsonl"], fmt


def test_facts_are_the_stored_cross_checks_with_their_versions(db: Path, tmp_path: Path) -> None:
    facts = _read(_export(db, "facts", "parquet", tmp_path))
    with Store(db) as store:
        story = store.stories.list(limit=1)[0]
        check = store.checks.of_story(story).check
    assert check is not None
    mine = [f for f in facts if f["story_id"] == story.id]
    assert [f["fact_id"] for f in mine] == [f.id for f in check.facts]
    first, fact = mine[0], check.facts[0]
    assert first["statement"] == fact.statement and first["verdict"] == fact.verdict.value
    assert [v["article_id"] for v in first["versions"]] == [v.article_id for v in fact.versions]
    assert [v["claim"] for v in first["versions"]] == [v.claim for v in fact.versions]
    assert any(len(f["versions"]) > 1 for f in mine)  # a ten-outlet story: facts repeated
    # the nested versions come back from CSV's JSON text and JSONL alike
    assert _read(_export(db, "facts", "csv", tmp_path)) == facts


def test_csv_keeps_article_text_with_newlines_and_quotes(db: Path, tmp_path: Path) -> None:
    path = _export(db, "articles", "csv", tmp_path)
    with Store(db) as store:
        texts = {s.id: s.article.text for s in store.list_articles(limit=None)}
    assert any("\n" in t and '"' in t for t in texts.values())
    with path.open(newline="", encoding="utf-8") as f:
        read = {int(r["id"]): r["text"] for r in csv.DictReader(f)}
    assert read == texts


def test_a_small_batch_still_exports_every_row_once(db: Path, tmp_path: Path) -> None:
    with Store(db) as store:
        for table in TABLES:
            total = count(store, table)
            got = list(batches(store, table, batch_size=3))
            assert len(got) == -(-total // 3), table
            assert all(len(b) == 3 for b in got[:-1]), table
            key = "id" if table != "facts" else None
            ids = [r[key] if key else (r["story_id"], r["fact_id"]) for b in got for r in b]
            assert len(ids) == len(set(ids)) == total, table
            order = ids if key else [story for story, _ in ids]
            assert order == sorted(order), table  # keyset order: by id (facts: by story)
        # a Parquet file gets one row group per batch
        import pyarrow.parquet as pq

        path = tmp_path / "a.parquet"
        with path.open("wb") as sink:
            done = export(store, "articles", "parquet", sink, batch_size=4)
        assert pq.ParquetFile(path).metadata.num_row_groups == done.batches == -(-done.rows // 4)


def test_story_and_since_filters(db: Path, tmp_path: Path) -> None:
    with Store(db) as store:
        story = store.stories.list(limit=1)[0]
        members = sorted(m.article_id for m in story.members)
        arts = [r for b in batches(store, "articles", Selection(story=story.id)) for r in b]
        assert [r["id"] for r in arts] == members
        assert {r["story_id"] for r in arts} == {story.id}
        facts = [r for b in batches(store, "facts", Selection(story=story.id)) for r in b]
        assert facts and {r["story_id"] for r in facts} == {story.id}
        assert count(store, "facts", Selection(story=story.id)) == len(facts)
        dates = sorted(s.article.published.date().isoformat()
                       for s in store.list_articles(limit=None) if s.article.published)
        later = dates[-1]  # the seeds' day (2024), eleven years after the heist's
        since = [r for b in batches(store, "articles", Selection(since=later)) for r in b]
        assert 0 < len(since) < store.count_articles()
        assert all(r["published"] >= later for r in since)
        recent = [r for b in batches(store, "stories", Selection(since=later)) for r in b]
        assert 0 < len(recent) < count(store, "stories")
        assert all(r["last_seen"] >= later for r in recent)
        assert story.id not in {r["id"] for r in recent}  # the heist ended in 2013
        with pytest.raises(NotFoundError):
            count(store, "facts", Selection(story=10**9))
    with pytest.raises(UsageError):
        Selection(since="June 2024")
    path = _export(db, "stories", "jsonl", tmp_path, "--story", str(story.id))
    assert [r["id"] for r in _read(path)] == [story.id]


def test_stdout_and_streamed_chunks_match_the_file(db: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["export", "stories", "-o", "-", "-f", "jsonl", "--db", str(db)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(x) for x in result.stdout.splitlines()]
    assert lines == _read(_export(db, "stories", "jsonl", tmp_path))
    with Store(db) as store:
        chunks = list(stream(store, "articles", "csv", batch_size=5))
    text = b"".join(chunks).decode()
    assert len(list(csv.DictReader(io.StringIO(text, newline="")))) == len(
        _read(_export(db, "articles", "csv", tmp_path)))
    assert text.count("id,outlet,url") == 1  # one header, not one per chunk


def test_refusals(db: Path, tmp_path: Path) -> None:
    missing = runner.invoke(app, ["export", "articles", "-o", str(tmp_path / "a.jsonl"),
                                  "--db", str(tmp_path / "nope.db")])
    assert missing.exit_code != 0 and "does not exist" in missing.output
    assert not (tmp_path / "nope.db").exists() and not (tmp_path / "a.jsonl").exists()
    for args, says in ((["articles", "-o", "-", "-f", "parquet"], "Parquet"),
                       (["articles", "-o", str(tmp_path / "a.txt")], "--format"),
                       (["tables", "-o", str(tmp_path / "a.csv")], "cannot export"),
                       (["facts", "-o", str(tmp_path / "a.csv"), "--story", "999999"],
                        "no story")):
        result = runner.invoke(app, ["export", *args, "--db", str(db)])
        assert result.exit_code == 2, (args, result.output)
        assert says in result.output, (args, result.output)
    assert list(tmp_path.iterdir()) == []  # nothing half-written left behind
