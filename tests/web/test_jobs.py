"""Ingest jobs through the API: uploads, URL screening, progress, the summary of skips."""

from __future__ import annotations

from pathlib import Path

from conftest import shared_path
from starlette.testclient import TestClient

from corroborate.pipeline import IngestOptions
from corroborate.web import create_app


def test_ingest_job_uploads_screens_urls_and_reports_skips(tmp_path: Path) -> None:
    seeds = sorted(shared_path("seeds").glob("*.txt"))
    app = create_app(tmp_path / "jobs.db", ingest_options=IngestOptions(workers=1))
    with TestClient(app, client=("127.0.0.1", 50000)) as c:
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
        assert "private" in reasons["http://127.0.0.1:9/article.html"]
        assert "not an http(s) URL" in reasons["/etc/passwd"]
        assert "not an http(s) URL" in reasons["file:///etc/hosts"]
        assert any(src.endswith("evil.bin") and "/etc/" not in src for src in reasons)
        assert result["clustering"]["stories"] == 1
        assert len(result["article_ids"]) == 2
        assert [j["id"] for j in c.get("/api/v1/jobs").json()] == [job_id]
        page = c.get(f"/jobs/{job_id}").text
        assert 'data-status="done"' in page and "private" in page
        stories = c.get("/api/v1/stories").json()
        assert len(stories) == 1 and stories[0]["articles"] == 2


def test_ingest_with_nothing_to_do_is_a_400(tmp_path: Path) -> None:
    with TestClient(create_app(tmp_path / "e.db"), client=("127.0.0.1", 50000)) as c:
        assert c.post("/api/v1/ingest", data={"urls": "\n  \n"}).status_code == 400
        assert c.get("/api/v1/jobs/unknown").status_code == 404
