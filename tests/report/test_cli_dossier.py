"""`corroborate dossier STORY_ID --format md|html|json [-o FILE]` through Typer's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import shared_path
from schema_check import load_schema, problems
from typer.testing import CliRunner

from corroborate.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """The seeds ingested (so clustered and cross-checked) into a database, and their story id."""
    db = tmp_path_factory.mktemp("cli") / "seeds.db"
    result = runner.invoke(app, ["ingest", str(shared_path("seeds")), "--db", str(db), "--no-fetch",
                                 "--workers", "1"])
    assert result.exit_code == 0, result.output
    listed = runner.invoke(app, ["stories", "--db", str(db), "--json"])
    assert listed.exit_code == 0, listed.output
    (story,) = json.loads(listed.output)
    return db, story["id"]


def test_dossier_json_on_stdout_conforms_to_the_schema(seeds_db: tuple[Path, int]) -> None:
    db, story = seeds_db
    result = runner.invoke(app, ["dossier", str(story), "--format", "json", "--db", str(db)])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["story"]["id"] == story
    assert problems(record, load_schema()) == []


def test_dossier_markdown_is_the_default_short_and_full_on_asking(
        seeds_db: tuple[Path, int]) -> None:
    db, story = seeds_db
    result = runner.invoke(app, ["dossier", str(story), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Dossier: ")
    assert "## Key figures" in result.stdout and "TV Chosun" in result.stdout
    assert "### Fact by fact" not in result.stdout and "--full" in result.stdout
    full = runner.invoke(app, ["dossier", str(story), "--full", "--db", str(db)])
    assert full.exit_code == 0, full.output
    assert "## Facts" in full.stdout and "### Fact by fact" in full.stdout
    assert "## Timeline" in full.stdout and "TV Chosun" in full.stdout


def test_dossier_html_to_a_file(seeds_db: tuple[Path, int], tmp_path: Path) -> None:
    db, story = seeds_db
    out = tmp_path / "dossier.html"
    result = runner.invoke(app, ["dossier", str(story), "--format", "html", "-o", str(out),
                                 "--db", str(db)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and "TV Chosun" in page
    assert "<svg" in page


def test_unknown_story_is_one_line_and_non_zero(seeds_db: tuple[Path, int]) -> None:
    db, _ = seeds_db
    result = runner.invoke(app, ["dossier", "9999", "--db", str(db)])
    assert result.exit_code != 0
    assert "no story with id 9999" in result.output


def test_unknown_format_is_refused(seeds_db: tuple[Path, int]) -> None:
    db, story = seeds_db
    result = runner.invoke(app, ["dossier", str(story), "--format", "pdf", "--db", str(db)])
    assert result.exit_code == 2


def test_check_cross_checks_files_picked_by_hand_as_one_story(tmp_path: Path) -> None:
    out = tmp_path / "seeds.json"
    result = runner.invoke(app, ["check", str(shared_path("seeds")), "--no-fetch",
                                 "--format", "json", "-o", str(out)])
    assert result.exit_code == 0, result.output
    record = json.loads(out.read_text(encoding="utf-8"))
    assert problems(record, load_schema()) == []
    assert record["story"]["id"] == 0 and len(record["articles"]) == 2
    # both seeds rest on TV Chosun, which cites a South Korean government official
    payment = next(f for f in record["facts"] if "115" in f["statement"] or "88" in f["statement"])
    assert payment["independent_sources"] == 1 and payment["primary_sources"] == ["TV Chosun"]
    tv = next(o for o in record["origins"] if o["name"] == "TV Chosun")
    assert len(tv["outlets"]) == 2 and tv == record["origins"][0]
    assert record["independent_origins"] == len(record["origins"])


def test_check_by_stored_ids_and_its_errors(seeds_db: tuple[Path, int]) -> None:
    db, _ = seeds_db
    listed = runner.invoke(app, ["articles", "--db", str(db), "--json"])
    ids = ",".join(str(a["id"]) for a in json.loads(listed.output))
    result = runner.invoke(app, ["check", "--ids", ids, "--db", str(db), "--format", "md"])
    assert result.exit_code == 0, result.output
    assert "## Sources" in result.stdout and "TV Chosun" in result.stdout
    missing = runner.invoke(app, ["check", "--ids", "4242", "--db", str(db)])
    assert missing.exit_code != 0 and "no article with id 4242" in missing.output
    bad = runner.invoke(app, ["check", "--ids", "one,two", "--db", str(db)])
    assert bad.exit_code != 0
    nothing = runner.invoke(app, ["check"])
    assert nothing.exit_code != 0
