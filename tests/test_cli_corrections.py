"""Correction commands through Typer's runner: story-merge, story-split, story-move,
story-pin, corrections."""

from __future__ import annotations

import json
from pathlib import Path

from story_corpus import fire_and_seeds, story_db, together
from typer.testing import CliRunner

from corroborate.cli import app
from corroborate.store import Store

runner = CliRunner()


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_cli_corrections_round_trip(tmp_path: Path) -> None:
    path = story_db(tmp_path)
    db = ("--db", str(path))
    with Store(path) as store:
        fire, seeds = fire_and_seeds(store)
        fire_story, seed_story = store.stories.story_of(fire[0]), store.stories.story_of(seeds[0])

    code, out, err = _run("story-split", str(fire_story), str(fire[2]), str(fire[3]),
                          "--note", "follow-up coverage", "--json", *db)
    assert code == 0, err
    split = json.loads(out)
    assert split["moved"] == 2 and split["story_id"] != fire_story
    assert split["correction"]["action"] == "split"
    assert split["correction"]["note"] == "follow-up coverage"

    code, out, err = _run("story-move", str(seeds[1]), "--to", str(split["story_id"]), *db)
    assert code == 0, err
    assert out.startswith("correction 2 recorded: article") and f"story {split['story_id']}" in out

    code, out, err = _run("story-pin", str(seeds[1]), str(split["story_id"]), "--json", *db)
    assert code == 0, err
    assert json.loads(out)["moved"] == 0

    code, out, err = _run("story-merge", str(seed_story), str(fire_story), "--note", "one desk",
                          "--json", *db)
    assert code == 0, err
    assert json.loads(out)["story_id"] == fire_story

    code, out, err = _run("recluster", *db)
    assert code == 0, err
    with Store(path) as store:
        assert together(store, [*fire[2:], seeds[1]])
        assert together(store, [*fire[:2], seeds[0]])
        assert not together(store, [fire[0], fire[2]])

    code, out, err = _run("corrections", "--json", *db)
    assert code == 0, err
    listed = json.loads(out)
    assert [c["action"] for c in listed] == ["split", "move", "pin", "merge"]
    assert listed[0]["what"] == f"articles {fire[2]}, {fire[3]} split off story {fire_story}"
    assert listed[0]["created_at"] and listed[3]["note"] == "one desk"

    code, out, err = _run("corrections", *db)
    assert code == 0, err
    assert "follow-up coverage" in out and "merge" in out


def test_cli_correction_of_unknown_ids_is_one_line_error(tmp_path: Path) -> None:
    db = ("--db", str(story_db(tmp_path)))
    code, _out, err = _run("story-merge", "999", "1", *db)
    assert code == 2 and err.strip() == "error: no story with id 999 (see `corroborate stories`)"
    code, _out, err = _run("story-move", "4242", "--to", "1", *db)
    assert code == 2 and err.strip().startswith("error: no article with id 4242")
    code, _out, err = _run("story-split", "1", *db)
    assert code == 2  # Typer: the article ids are required


def test_cli_corrections_on_empty_db(db_path: Path) -> None:
    Store(db_path).close()  # an empty store; a missing one is refused (test_cli_ingest.py)
    code, out, _ = _run("corrections", "--db", str(db_path))
    assert code == 0 and "no corrections yet" in out
