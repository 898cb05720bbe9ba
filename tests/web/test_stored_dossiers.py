"""The web app serves stored cross-checks only: a story with none yet says so, a stale one is
served with a note, and no request ever cross-checks (the background worker is off here)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import shared_path
from starlette.testclient import TestClient
from web_corpus import LOCAL

from corroborate import pipeline
from corroborate.crosscheck import crosscheck
from corroborate.pipeline import IngestOptions, cluster_stored, ingest, recompute_stale
from corroborate.store import Store
from corroborate.web import create_app
from corroborate.web.dossiers import StoredDossiers, memoized, render


def test_story_without_stored_check_says_so_then_a_stale_one_is_served_with_a_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = sorted(shared_path("seeds").glob("*.txt"))
    db = tmp_path / "stored.db"
    with Store(db) as store:
        ingest([str(first)], store, IngestOptions(fetch=False, workers=1))
        cluster_stored(store)
    calls = []

    def counted(articles: object) -> object:
        calls.append(1)
        return crosscheck(articles)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "crosscheck", counted)
    app = create_app(db, background_checks=False)
    with TestClient(app, base_url=LOCAL, client=("127.0.0.1", 50000)) as c:
        missing = c.get("/api/v1/stories/1/dossier")
        assert missing.status_code == 503
        assert missing.headers["X-Dossier-Status"] == "missing"
        error = missing.json()["error"]  # the one error format (errors.py)
        assert error["code"] == "unavailable" and "no cross-check yet" in error["message"]
        page = c.get("/stories/1", headers={"accept": "text/html"})
        assert page.status_code == 200 and 'id="check-stale"' in page.text
        assert c.get("/api/v1/stories").json()["items"][0]["independent_sources"] is None
        assert calls == []  # no request computed one

        store = app.state.web.store
        recompute_stale(store)
        assert len(calls) == 1
        current = c.get("/api/v1/stories/1/dossier")
        assert current.status_code == 200
        assert current.headers["X-Dossier-Status"] == "current"
        assert len(current.json()["articles"]) == 1

        ingest([str(second)], store, IngestOptions(fetch=False, workers=1))
        cluster_stored(store)
        stale = c.get("/api/v1/stories/1/dossier")
        assert stale.status_code == 200 and stale.headers["X-Dossier-Status"] == "stale"
        assert "recompute queued, 0 stories ahead" in stale.headers["X-Dossier-Stale"]
        assert len(stale.json()["articles"]) == 1  # the last one stored, said to be stale
        page = c.get("/stories/1", headers={"accept": "text/html"})
        assert "shown as last computed" in page.text
        assert c.get("/api/v1/stories/1").json()["check_current"] is False
        assert len(calls) == 1
        # the JSON is serialised once per stored check: the new check's, not the old bytes
        recompute_stale(store)
        fresh = c.get("/api/v1/stories/1/dossier")
        assert fresh.headers["X-Dossier-Status"] == "current"
        assert len(fresh.json()["articles"]) == 2
        assert c.get("/api/v1/stories/1/dossier").content == fresh.content


def test_a_stored_checks_renderings_are_built_once_and_afresh_after_a_recompute(
    tmp_path: Path,
) -> None:
    first, second = sorted(shared_path("seeds").glob("*.txt"))
    with Store(tmp_path / "memo.db") as store:
        ingest([str(first)], store, IngestOptions(fetch=False, workers=1))
        cluster_stored(store)
        recompute_stale(store)
        dossiers = StoredDossiers(store)
        one, again = dossiers.get(1), dossiers.get(1)
        assert one is not None and again is not None
        svg = render(one, "provenance_svg")
        assert render(again, "provenance_svg") is svg  # the second read renders nothing
        markdown = render(one, "markdown")
        assert render(again, "markdown") is markdown
        assert render(one, "json") is not render(again, "json")  # a dict: each caller its own
        assert memoized(again, "page", lambda: "first") == "first"
        assert memoized(one, "page", lambda: "second") == "first"

        ingest([str(second)], store, IngestOptions(fetch=False, workers=1))
        cluster_stored(store)
        recompute_stale(store)
        after = dossiers.get(1)
        assert after is not None and len(after.story.members) == 2
        assert memoized(after, "page", lambda: "recomputed") == "recomputed"
        assert render(after, "markdown") != markdown  # the new check, rendered anew
