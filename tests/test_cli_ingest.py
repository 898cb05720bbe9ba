"""`ingest` on real dataset folders: the bar's total before the first document, files that
are not articles counted in one line, --exclude, and read commands that refuse a missing store.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, shared_path
from typer.testing import CliRunner

from corroborate.cli import app
from corroborate.ingest.options import IngestOptions
from corroborate.pipeline import ingest
from corroborate.store import Store

runner = CliRunner()


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def dataset_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder laid out as the shared datasets are: two articles (a BASIL JSON record, a
    PolNeAR text) among their notes, licences and annotation files."""
    data = shared_path("data")
    root = tmp_path_factory.mktemp("dataset")
    basil = data / "stories" / "basil"
    article = sorted((basil / "articles" / "2010").glob("*.json"))[0]
    annotations = sorted((basil / "annotations" / "2010").glob("*.json"))[:2]
    polnear = data / "attribution" / "polnear" / "data" / "dev"
    text = sorted((polnear / "text").glob("*.txt"))[0]
    anns = sorted((polnear / "attributions").rglob("*.ann"))[:3]
    files = {
        "articles/basil.json": article,
        "articles/polnear.txt": text,
        "annotations/a1.json": annotations[0],
        "annotations/a2.json": annotations[1],
        "SOURCE.txt": basil / "SOURCE.txt",
        "annotation_changes.txt": basil / "annotation_changes.txt",
        "README.md": basil / "README.md",
        "LICENSEDATA.TXT": data / "stories" / "ecbplus" / "LICENSEDATA.TXT",
        **{f"attributions/{i}.ann": ann for i, ann in enumerate(anns)},
    }
    for name, source in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, root / name)
    return root


def test_ingest_bar_has_its_total_before_the_first_document(seeds_dir: Path,
                                                            tmp_path: Path) -> None:
    """Through the shell, as a terminal shows it: every frame after the first document
    shows the total (rich draws frames only on a terminal: TTY_COMPATIBLE says it is one)."""
    env = {**os.environ, "TTY_COMPATIBLE": "1", "NO_COLOR": "1", "COLUMNS": "150",
           "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-m", "corroborate", "ingest", str(seeds_dir), "--db",
         str(tmp_path / "t.db"), "--no-fetch", "--no-extract", "--workers", "1"],
        capture_output=True, text=True, env=env, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    frames = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", done.stderr).replace("\r", "\n")
    counts = re.findall(r"(\d+)/(\d+|\?) ", frames)
    assert ("0", "2") in counts, frames[-2000:]
    assert all(total == "2" for completed, total in counts if completed != "0"), counts
    assert "docs/s" in frames and "ETA" in frames


def test_ingest_tells_the_total_before_the_first_event(seeds_dir: Path) -> None:
    heard: list[object] = []
    with Store(":memory:") as store:
        summary = ingest([str(seeds_dir)], store,
                         IngestOptions(fetch=False, extract=False, workers=1),
                         on_event=lambda e: heard.append(e.source), on_total=heard.append)
    assert heard[0] == 2 == summary.total == len(heard) - 1


def test_ingest_counts_files_that_are_not_articles_in_one_line(dataset_folder: Path,
                                                               db_path: Path) -> None:
    code, out, err = _run("ingest", str(dataset_folder), "--db", str(db_path), "--no-fetch",
                          "--no-extract")
    assert code == 0, out + err
    assert "2 ingested" in out
    line = next(ln for ln in out.splitlines() if ln.startswith("skipped"))
    assert line.startswith("skipped 9 files: 3 .ann, 3 .txt, 2 .json, 1 .md (not articles")
    assert "Skipped" not in out  # no table: nothing else was skipped
    with Store(db_path) as store:
        titles = {a.article.source.rsplit("/", 1)[-1] for a in store.list_articles()}
    assert titles == {"basil.json", "polnear.txt"}

    code, out, err = _run("ingest", str(dataset_folder), "--db", str(db_path), "--no-fetch",
                          "--no-extract", "--json")
    assert code == 0, err
    record = json.loads(out)
    assert record["not_articles"] == {".ann": 3, ".txt": 3, ".json": 2, ".md": 1}
    assert len(record["skipped"]) == 9  # the machine format still lists each one


def test_ingest_exclude_leaves_files_and_folders_out(dataset_folder: Path,
                                                     db_path: Path) -> None:
    code, out, err = _run("ingest", str(dataset_folder), "--db", str(db_path), "--no-fetch",
                          "--no-extract", "--json", "--exclude", "*.ann", "--exclude",
                          "annotations", "--exclude", "*.md")
    assert code == 0, err
    record = json.loads(out)
    assert record["not_articles"] == {".txt": 3}
    assert record["counts"]["ingested"] == 2 and sum(record["counts"].values()) == 5


def test_read_commands_refuse_a_store_that_does_not_exist(tmp_path: Path) -> None:
    missing = tmp_path / "typo.db"
    for args in (["stories"], ["story", "1"], ["articles"], ["article", "1"],
                 ["search", "Donetsk"], ["corrections"], ["dossier", "1"],
                 ["dossier", "1", "--format", "json"], ["check", "--ids", "1"],
                 ["crosscheck"], ["cluster"], ["extract"], ["story-pin", "1", "1"]):
        code, out, err = _run(*args, "--db", str(missing))
        assert code == 2, (args, out, err)
        assert f"the store {missing} does not exist" in err and "corroborate ingest" in err, err
        assert len(err.strip().splitlines()) == 1, err
        assert not missing.exists(), args
    code, _out, err = _run("stories", "--db", str(tmp_path / "typo.db"), "--json")
    assert code == 2 and "does not exist" in err


def test_ingest_still_creates_its_store(seed_files: list[Path], tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    code, out, err = _run("ingest", str(seed_files[0]), "--db", str(db), "--no-fetch",
                          "--no-extract")
    assert code == 0, out + err
    assert db.exists()
    code, out, err = _run("articles", "--db", str(db), "--json")
    assert code == 0 and len(json.loads(out)) == 1


def test_batch_of_a_missing_path_says_nothing_was_ingested(tmp_path: Path) -> None:
    code, out, err = _run("batch", str(tmp_path / "missing.warc.gz"), "--db",
                          str(tmp_path / "b.db"))
    assert code != 0
    assert "no such file or folder" in out and "nothing was ingested" in err, out + err


def test_batch_on_a_cluster_nobody_runs_fails_in_seconds(seed_files: list[Path],
                                                         tmp_path: Path) -> None:
    import socket

    pytest.importorskip("ray", reason="`corroborate batch` needs the [batch] extra")
    with socket.socket() as probe:  # a port nothing listens on once closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code, _out, err = _run("batch", str(seed_files[0]), "--db", str(tmp_path / "b.db"),
                           "--ray", f"127.0.0.1:{port}")
    assert code == 2, err
    assert f"cannot reach the Ray cluster at 127.0.0.1:{port}" in err
