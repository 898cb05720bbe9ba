"""Read commands and read endpoints load no model: each runs in a fresh interpreter over the
analysed web corpus, and afterwards `sys.modules` must hold none of the heavy packages.

A fresh process is the only honest check: inside pytest, other tests have long imported
spaCy and torch. Dossiers are read from the stored cross-checks (the corpus has them stored,
as `ingest` leaves them), so they are reads like the others; what needs the models (semantic
search embeds the query; `dossier --fresh` cross-checks) is left out on purpose.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from web_corpus import LOCAL, corpus_db, seed_story_id

from corroborate.models import HEAVY_MODULES
from corroborate.store import Store

REPO = Path(__file__).resolve().parents[2]
HEAVY = HEAVY_MODULES

CLI_RUNNER = """
import json, sys
from typer.testing import CliRunner
from corroborate.cli import app
results = []
for args in json.loads(sys.argv[1]):
    result = CliRunner().invoke(app, args)
    results.append([args, result.exit_code, result.output[-300:]])
heavy = sorted(m for m in sys.modules if m.split(".")[0] in json.loads(sys.argv[2]))
print(json.dumps({"results": results, "heavy": heavy}))
"""

WEB_RUNNER = """
import json, sys
from starlette.testclient import TestClient
from corroborate.web import create_app
results = []
app = create_app(sys.argv[3])
with TestClient(app, base_url=sys.argv[4], client=("127.0.0.1", 50000)) as client:
    for path in json.loads(sys.argv[1]):
        response = client.get(path)
        results.append([path, response.status_code, response.text[-300:]])
heavy = sorted(m for m in sys.modules if m.split(".")[0] in json.loads(sys.argv[2]))
print(json.dumps({"results": results, "heavy": heavy}))
"""


def _run(script: str, calls: list[object], *extra: str) -> dict[str, object]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])]),
    }
    done = subprocess.run(
        [sys.executable, "-c", script, json.dumps(calls), json.dumps(HEAVY), *extra],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    report: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return report


@pytest.fixture(scope="module")
def ids() -> tuple[int, int]:
    with Store(corpus_db()) as store:
        story = seed_story_id(store)
        article = store.stories.get(story).members[0].article_id  # type: ignore[union-attr]
    return story, article


def test_cli_read_commands_import_no_model(ids: tuple[int, int]) -> None:
    story, article = ids
    db = ["--db", str(corpus_db())]
    calls = [
        ["stories", *db],
        ["stories", "--json", *db],
        ["story", str(story), *db],
        ["articles", *db],
        ["articles", "--json", *db],
        ["article", str(article), *db],
        ["article", str(article), "--json", *db],
        ["search", "Donetsk", *db],
        ["search", "Donetsk", "--json", *db],
        ["corrections", *db],
        ["dossier", str(story), *db],
        ["dossier", str(story), "--format", "json", *db],
        ["export", "facts", "-o", "-", "-f", "jsonl", *db],  # pyarrow only for Parquet
        ["export", "articles", "-o", "-", "-f", "csv", "--limit", "5", *db],
    ]
    report = _run(CLI_RUNNER, calls)
    for args, code, output in report["results"]:  # type: ignore[union-attr]
        assert code == 0, (args, output)
    assert "Donetsk" in report["results"][7][2]  # type: ignore[index]
    assert report["heavy"] == []


def test_web_read_endpoints_import_no_model(ids: tuple[int, int]) -> None:
    story, article = ids
    paths = [
        "/api/v1/stories",
        "/api/v1/stories?sort=outlets",
        "/api/v1/stories?sort=conflicts&checked=true",
        f"/api/v1/stories/{story}",
        f"/api/v1/stories/{story}/dossier",
        f"/api/v1/stories/{story}/facts",
        f"/stories/{story}",
        "/api/v1/articles",
        f"/api/v1/articles/{article}",
        "/api/v1/search?q=Donetsk",
        "/api/v1/corrections",
        "/api/v1/jobs",
        "/api/v1/export/facts.jsonl",
        "/",
        f"/articles/{article}",
        "/search?q=Donetsk",
        "/api/v1/stories/999999",
        "/api/v1/nowhere",
    ]
    report = _run(WEB_RUNNER, paths, str(corpus_db()), LOCAL)
    codes = {path: code for path, code, _ in report["results"]}  # type: ignore[union-attr]
    assert all(codes[p] == 200 for p in paths[:-2]), codes
    assert codes["/api/v1/stories/999999"] == 404 and codes["/api/v1/nowhere"] == 404
    assert report["heavy"] == []
