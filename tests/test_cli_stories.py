"""Story commands through Typer's runner: ingest clusters, stories, story, recluster, cluster."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from corroborate.cli import app
from corroborate.store import Store

runner = CliRunner()


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_cli_ingest_clusters_and_story_commands(seeds_dir: Path, db_path: Path) -> None:
    db = ("--db", str(db_path))
    code, out, err = _run("ingest", str(seeds_dir), "--no-fetch", "--workers", "1", "--json",
                          *db)
    assert code == 0, err
    summary = json.loads(out)
    assert summary["clustering"]["clustered"] == 2
    assert summary["clustering"]["stories"] == 1

    code, out, err = _run("stories", "--json", *db)
    assert code == 0, err
    (story,) = json.loads(out)
    assert story["size"] == 2 and story["first_seen"].startswith("2024-06-27")
    assert "North Korea" in story["entities"]

    code, out, err = _run("story", str(story["id"]), "--json", *db)
    assert code == 0, err
    detail = json.loads(out)
    reasons = [m["joined"]["reason"] for m in detail["members"]]
    assert reasons == ["opened", "similar"]
    assert detail["members"][1]["joined"]["score"] > 0.5

    code, out, err = _run("story", str(story["id"]), *db)
    assert code == 0, err
    assert "similar" in out and "shares" in out

    code, out, err = _run("recluster", "--json", *db)
    assert code == 0, err
    assert json.loads(out)["stories"] == 1
    code, out, err = _run("story", str(story["id"]), "--json", *db)  # the old id forwards
    assert code == 0, err
    moved = json.loads(out)
    assert moved["asked_for"] == story["id"] and moved["id"] != story["id"]
    assert moved["size"] == 2

    code, out, err = _run("recluster", "--window", "3", "--json", *db)
    assert code == 0, err
    window = json.loads(out)
    assert window["days"] == 3 and window["looked_at"] == 2 and window["moved"] == 0
    assert window["stories"] == 1
    code, out, err = _run("recluster", "--window", "3", *db)
    assert code == 0, err
    assert out.startswith("2 articles of the last 3 days looked at again: 0 moved; 1 story")
    code, _out, err = _run("recluster", "--window", "0", *db)
    assert code == 2 and "0" in err

    code, out, err = _run("cluster", *db)
    assert code == 0, err
    assert out.startswith("0 articles clustered")

    code, out, err = _run("stories", *db)
    assert code == 0, err
    # the table wraps long titles at the terminal's width: every word of the title is shown
    words = set(out.split())
    assert all(w in words for w in moved["title"].split()), out


def test_cli_unknown_story_is_one_line_error(db_path: Path) -> None:
    Store(db_path).close()
    code, _out, err = _run("story", "999", "--db", str(db_path))
    assert code == 2
    assert err.strip() == "error: no story with id 999"


def test_cli_stories_on_empty_db(db_path: Path) -> None:
    Store(db_path).close()
    code, out, _ = _run("stories", "--db", str(db_path))
    assert code == 0 and "no stories yet" in out
