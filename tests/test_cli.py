"""The CLI through Typer's runner: commands, JSON output, exit codes, one-line errors."""

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


def test_cli_ingest_list_show_search(seeds_dir: Path, db_path: Path) -> None:
    code, out, err = _run("ingest", str(seeds_dir), "--db", str(db_path), "--no-fetch")
    assert code == 0, out + err
    assert "2 ingested" in out

    code, out, _ = _run("articles", "--db", str(db_path), "--json")
    assert code == 0
    rows = json.loads(out)
    assert {r["title"] for r in rows} == {
        "North Korea's engineers to bolster Russia's efforts in Donetsk",
        "South Korean media: North Korea might send military construction and engineering "
        "forces to occupied Donetsk in July",
    }
    assert all(r["published"].startswith("2024-06-27") for r in rows)

    seed0 = next(r for r in rows if r["author"] == "Karina Strzelińska")
    code, out, _ = _run("article", str(seed0["id"]), "--db", str(db_path), "--json")
    assert code == 0
    record = json.loads(out)
    assert "up to £88 million annually" in record["text"]
    assert {"text": "Images source: © Telegram,", "reason": "image credit"} in record["removed"]
    assert record["inputs"][0]["outcome"] == "ingested"

    code, out, _ = _run("article", str(seed0["id"]), "--db", str(db_path))
    assert code == 0
    assert "What cleaning removed" in out and "image credit" in out

    code, out, _ = _run("search", "engineering brigades", "--db", str(db_path), "--json")
    assert code == 0
    hits = json.loads(out)
    assert len(hits) == 2
    assert hits[0]["story"]["id"] == hits[1]["story"]["id"] and hits[0]["story"]["title"]

    code, out, _ = _run("ingest", str(seeds_dir), "--db", str(db_path), "--no-fetch", "--json")
    assert code == 0
    assert json.loads(out)["counts"]["unchanged"] == 2


def test_cli_unknown_article_is_one_line_error(db_path: Path) -> None:
    Store(db_path).close()
    code, out, err = _run("article", "999", "--db", str(db_path))
    assert code == 2
    assert err.strip() == "error: no article with id 999"
    assert "Traceback" not in out + err


def test_cli_bad_db_folder_is_one_line_error(tmp_path: Path) -> None:
    code, _out, err = _run("articles", "--db", str(tmp_path / "missing" / "x.db"))
    assert code == 2
    assert "does not exist" in err and len(err.strip().splitlines()) == 1


def test_cli_bad_date_filter(db_path: Path) -> None:
    Store(db_path).close()
    code, _out, err = _run("articles", "--db", str(db_path), "--since", "last tuesday")
    assert code == 2
    assert "2024-06-27" in err


def test_cli_missing_path_is_skipped_and_strict_fails(
    seed_files: list[Path], db_path: Path, tmp_path: Path
) -> None:
    missing = str(tmp_path / "nothing-here")
    args = ("ingest", missing, str(seed_files[0]), "--db", str(db_path), "--no-fetch",
            "--no-extract")
    code, out, err = _run(*args)
    assert code == 0, out + err
    assert "no such file or folder" in out
    code, _out, err = _run(*args, "--strict")
    assert code == 1
    assert "skipped (--strict)" in err


def test_cli_ingest_of_only_a_missing_path_fails_clearly(db_path: Path, tmp_path: Path) -> None:
    missing = str(tmp_path / "nothing-here")
    code, out, err = _run("ingest", missing, "--db", str(db_path), "--no-fetch")
    assert code == 1
    assert "no such file or folder" in out
    assert "nothing was ingested: every input was skipped" in err and missing in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_cli_ingest_of_an_empty_folder_fails_clearly(db_path: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _out, err = _run("ingest", str(empty), "--db", str(db_path), "--no-fetch")
    assert code == 1
    assert "no input found" in err


def test_cli_rerun_of_stored_inputs_still_succeeds(seed_files: list[Path], db_path: Path) -> None:
    args = ("ingest", str(seed_files[0]), "--db", str(db_path), "--no-fetch", "--no-extract")
    assert _run(*args)[0] == 0
    code, out, err = _run(*args)
    assert code == 0, out + err
    assert "1 already ingested" in out


def test_python_dash_m_entry_point(db_path: Path) -> None:
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "corroborate", "--help"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    for command in ("ingest", "articles", "article", "search"):
        assert command in result.stdout
