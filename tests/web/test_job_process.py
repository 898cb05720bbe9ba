"""An ingest job clusters and cross-checks in a child process: the server's own interpreter
never loads the embedding model, so its threads keep answering reads while a job runs.

A fresh interpreter is the only honest check (inside pytest, other tests have long imported
the models): it serves the app, ingests the seeds and four example files through the API
(four or more inputs: extraction runs in the ingest worker processes), waits for the job,
reads the stories it made, and reports whether it ever loaded the embedding model (importing
the pipeline imports spaCy and torch; loading the model is the work that holds the GIL).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import shared_path
from web_corpus import LOCAL

REPO = Path(__file__).resolve().parents[2]

SERVER = """
import json, sys
from pathlib import Path
from starlette.testclient import TestClient
from corroborate.ingest.options import IngestOptions
from corroborate.web import create_app
files = [Path(p) for p in json.loads(sys.argv[1])]
app = create_app(sys.argv[2], ingest_options=IngestOptions(workers=2), background_checks=False)
with TestClient(app, base_url=sys.argv[3], client=("127.0.0.1", 50000)) as client:
    job = client.post("/api/v1/ingest", files=[
        ("files", (p.name, p.read_bytes(), "text/plain")) for p in files]).json()
    done = app.state.web.jobs.wait(job["id"], timeout=300)
    stories = client.get("/api/v1/stories", params={"limit": 50}).json()["items"]
from corroborate import models
embedded = models.embedding_model.cache_info().currsize > 0 \
    or "sentence_transformers" in sys.modules
print(json.dumps({"job": done, "stories": stories, "embedded_here": embedded}))
"""


def test_ingest_job_clusters_and_cross_checks_outside_the_server_process(
    tmp_path: Path,
) -> None:
    seeds = sorted(shared_path("seeds").glob("*.txt"))
    corpus = REPO / "examples" / "corpus"
    examples = [corpus / "harbourwatch" / "antwerp-warehouse-fire.html",
                corpus / "syndicated" / "morning-ledger-fire.html"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])])}
    done = subprocess.run(
        [sys.executable, "-c", SERVER, json.dumps([str(p) for p in seeds + examples]),
         str(tmp_path / "job.db"), LOCAL],
        capture_output=True, text=True, env=env, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    job = report["job"]
    assert job["status"] == "done", job
    assert job["counts"]["ingested"] == 4 and job["clustering"]["clustered"] == 4
    assert job["clustering"]["cross_checked"] >= 1  # the child stored the new stories' checks
    assert report["stories"] and all(s["check_current"] is True for s in report["stories"])
    # clustering embeds and the cross-check embeds: neither happened in this interpreter
    assert report["embedded_here"] is False
