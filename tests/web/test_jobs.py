"""Ingest jobs through the API: uploads, URL screening, progress, the summary of skips."""

from __future__ import annotations

import time
from pathlib import Path

from conftest import shared_path
from starlette.testclient import TestClient
from web_corpus import LOCAL

from corroborate.pipeline import IngestOptions
from corroborate.web import create_app


def test_ingest_job_uploads_screens_urls_and_reports_skips(tmp_path: Path) -> None:
    seeds = sorted(shared_path("seeds").glob("*.txt"))
    app = create_app(tmp_path / "jobs.db", ingest_options=IngestOptions(workers=1))
    with TestClient(app, base_url=LOCAL, client=("127.0.0.1", 50000)) as c:
        files = [("files", (p.name, p.read_bytes(), "text/plain")) for p in seeds]
        files.append(("files", ("../../etc/evil.bin", b"\x00\x01\x02" * 100,
                                "application/octet-stream")))
        urls = "http://127.0.0.1:9/article.html\n/etc/passwd\nfile:///etc/hosts\n"
        r = c.post("/api/v1/ingest", files=files, data={"urls": urls})
        assert r.status_code == 202, r.text
        job_id = r.json()["id"]
        assert r.json()["inputs"] == 6
        early = c.get(f"/api/v1/jobs/{job_id}/result")
        assert early.status_code in (200, 409)
        final = app.state.web.jobs.wait(job_id)
        assert final is not None and final["status"] == "done", final
        result = c.get(f"/api/v1/jobs/{job_id}/result").json()
        assert result["counts"]["ingested"] == 2
        reasons = {s["source"]: s["reason"] for s in result["skipped"]}
        refusal = reasons["http://127.0.0.1:9/article.html"]
        # the hint names a command that has the flag: `serve` has none, on purpose
        assert "private" in refusal and "corroborate ingest --allow-private" in refusal
        assert "not an http(s) URL" in reasons["/etc/passwd"]
        assert "not an http(s) URL" in reasons["file:///etc/hosts"]
        assert any(src.endswith("evil.bin") and "/etc/" not in src for src in reasons)
        assert result["clustering"]["stories"] == 1
        assert len(result["article_ids"]) == 2
        assert [j["id"] for j in c.get("/api/v1/jobs").json()["items"]] == [job_id]
        page = c.get(f"/jobs/{job_id}").text
        assert 'data-status="done"' in page and "private" in page
        stories = c.get("/api/v1/stories").json()["items"]
        assert len(stories) == 1 and stories[0]["articles"] == 2


def test_ingest_with_nothing_to_do_is_a_400(tmp_path: Path) -> None:
    app = create_app(tmp_path / "e.db")
    with TestClient(app, base_url=LOCAL, client=("127.0.0.1", 50000)) as c:
        assert c.post("/api/v1/ingest", data={"urls": "\n  \n"}).status_code == 400
        assert c.get("/api/v1/jobs/unknown").status_code == 404


def test_job_records_survive_a_restart_and_unfinished_ones_read_interrupted(
        tmp_path: Path) -> None:
    seeds = sorted(shared_path("seeds").glob("*.txt"))
    db = tmp_path / "restart.db"
    app = create_app(db, ingest_options=IngestOptions(workers=1))
    with TestClient(app, base_url=LOCAL, client=("127.0.0.1", 50000)) as c:
        files = [("files", (p.name, p.read_bytes(), "text/plain")) for p in seeds]
        job_id = c.post("/api/v1/ingest", files=files).json()["id"]
        assert app.state.web.jobs.wait(job_id)["status"] == "done"
    # A record a stopped server left unfinished.
    from corroborate.store import Store

    with Store(db) as store:
        stale = dict(store.jobs.get(job_id), id="stale0000000", status="ingesting",
                     finished_at=None)
        store.jobs.save(stale)
    with TestClient(create_app(db), base_url=LOCAL, client=("127.0.0.1", 50000)) as c:
        done = c.get(f"/api/v1/jobs/{job_id}/result")
        assert done.status_code == 200 and done.json()["counts"]["ingested"] == 2
        stale_now = c.get("/api/v1/jobs/stale0000000").json()
        assert stale_now["status"] == "failed" and "interrupted" in stale_now["error"]
        assert {j["id"] for j in c.get("/api/v1/jobs").json()["items"]} == {job_id, "stale0000000"}


def test_finished_job_cross_checks_its_stories_in_the_background(tmp_path: Path) -> None:
    seeds = sorted(shared_path("seeds").glob("*.txt"))
    app = create_app(tmp_path / "warm.db", ingest_options=IngestOptions(workers=1))
    with TestClient(app, base_url=LOCAL, client=("127.0.0.1", 50000)) as c:
        files = [("files", (p.name, p.read_bytes(), "text/plain")) for p in seeds]
        job_id = c.post("/api/v1/ingest", files=files).json()["id"]
        assert app.state.web.jobs.wait(job_id)["status"] == "done"
        state = app.state.web
        (story,) = state.store.stories.list()
        deadline = time.monotonic() + 120
        while not (stored := state.store.checks.of_story(story, load=False)).current \
                and time.monotonic() < deadline:
            time.sleep(0.1)  # the server's worker cross-checks the stories the job changed
        assert stored.current and stored.summary is not None
        assert stored.summary.origins >= 1
        row = c.get("/api/v1/stories").json()["items"][0]
        assert row["independent_sources"] == stored.summary.origins
        assert row["check_current"] is True
        dossier = c.get(f"/api/v1/stories/{story.id}/dossier")
        assert dossier.status_code == 200 and dossier.headers["X-Dossier-Status"] == "current"
