"""API lists page (total, next), stories sort, every error has one shape, search hits name
their story, and no answer anywhere carries a path of this machine's disk."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import copy_store, shared_path
from starlette.testclient import TestClient
from web_corpus import LOCAL, corpus_db, seed_story_id

from corroborate.pipeline import IngestOptions
from corroborate.store import Store
from corroborate.web import create_app

LOOPBACK = ("127.0.0.1", 50000)


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(corpus_db()), base_url=LOCAL, client=LOOPBACK) as c:
        yield c


def _walk_pages(client: TestClient, url: str) -> tuple[list[dict[str, Any]], int]:
    """Every item a list has, following `next` until it is null; and the total it gave."""
    items: list[dict[str, Any]] = []
    totals = set()
    while url:
        page = client.get(url)
        assert page.status_code == 200, (url, page.text)
        body = page.json()
        assert set(body) >= {"items", "total", "limit", "offset", "next"}
        assert len(body["items"]) <= body["limit"]
        items += body["items"]
        totals.add(body["total"])
        url = body["next"]
        assert len(items) <= body["total"]
    assert len(totals) == 1
    return items, totals.pop()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/articles?limit=3",
        "/api/v1/stories?limit=2",
        "/api/v1/stories?limit=1&sort=outlets",
        "/api/v1/articles?limit=2&outlet=eurowire",
        "/api/v1/search?q=fire&limit=2",
    ],
)
def test_lists_page_to_their_total_by_next_links(client: TestClient, url: str) -> None:
    items, total = _walk_pages(client, url)
    assert total >= 2 and len(items) == total
    ids = [i["article"]["id"] if "article" in i else i["id"] for i in items]
    assert len(set(ids)) == len(ids)  # no item twice across pages
    last = client.get(f"{url}&offset={total}").json()
    assert last["items"] == [] and last["next"] is None and last["total"] == total


def test_article_total_counts_every_stored_article(client: TestClient) -> None:
    with Store(corpus_db()) as store:
        stored = store.count_articles()
    body = client.get("/api/v1/articles", params={"limit": 1}).json()
    assert body["total"] == stored and body["next"] == "/api/v1/articles?offset=1&limit=1"


def test_stories_sort_newest_outlets_and_articles(client: TestClient) -> None:
    def listed(sort: str) -> list[dict[str, Any]]:
        return client.get("/api/v1/stories", params={"sort": sort, "limit": 200}).json()["items"]

    newest = listed("newest")
    assert (
        newest == listed("newest")
        and newest == client.get("/api/v1/stories", params={"limit": 200}).json()["items"]
    )  # the default
    stamps = [r["last_seen"] or "" for r in newest]
    assert stamps[:2] and stamps[0] > stamps[-1]  # 2025 fire before the 2024 seeds
    for sort, key in (("outlets", "outlets"), ("articles", "articles")):
        rows = listed(sort)
        assert {r["id"] for r in rows} == {r["id"] for r in newest}
        counts = [r[key] for r in rows]
        assert counts == sorted(counts, reverse=True) and counts[0] > counts[-1]


def test_conflicts_sort_reads_the_stored_cross_checks(client: TestClient) -> None:
    def listed(sort: str) -> list[dict[str, Any]]:
        r = client.get("/api/v1/stories", params={"sort": sort, "limit": 200})
        assert r.status_code == 200, r.text
        items: list[dict[str, Any]] = r.json()["items"]
        return items

    rows = listed("conflicts")
    assert {r["id"] for r in rows} == {r["id"] for r in listed("newest")}
    counts = [r["conflicts"] for r in rows]
    checked = [c for c in counts if c is not None]
    assert checked and checked == sorted(checked, reverse=True)
    assert counts == checked + [None] * (len(counts) - len(checked))  # unchecked last


def test_unbounded_parameters_answer_422(client: TestClient) -> None:
    for url, params in (
        ("/api/v1/stories", {"limit": 201}),
        ("/api/v1/articles", {"limit": 501}),
        ("/api/v1/search", {"q": "fire", "limit": 101}),
        ("/api/v1/search", {"q": "fire", "offset": 1000}),
        ("/api/v1/articles", {"offset": 1_000_001}),
        ("/api/v1/corrections", {"limit": 1001}),
        ("/api/v1/jobs", {"limit": 201}),
        ("/api/v1/stories", {"entity": "x" * 201}),
        ("/api/v1/stories", {"sort": "random"}),
    ):
        r = client.get(url, params=params)
        assert r.status_code == 422, (url, params)
        error = r.json()["error"]
        assert error["code"] == "invalid_request" and error["detail"][0]["loc"], (url, error)


def _assert_error(response: Any, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "detail"}
    assert body["error"]["code"] == code and body["error"]["message"]


def test_every_error_has_the_one_format(client: TestClient, tmp_path: Path) -> None:
    _assert_error(client.get("/api/v1/stories/999999"), 404, "not_found")
    _assert_error(client.get("/api/v1/nowhere"), 404, "not_found")
    _assert_error(client.get("/nowhere"), 404, "not_found")  # a page URL, asked by a program
    _assert_error(client.post("/api/v1/stories"), 405, "method_not_allowed")
    _assert_error(client.get("/api/v1/articles", params={"limit": 0}), 422, "invalid_request")
    _assert_error(client.post("/api/v1/check", json={"article_ids": "x"}), 422, "invalid_request")
    _assert_error(client.get("/api/v1/jobs/nojob"), 404, "not_found")
    _assert_error(
        client.get("/api/v1/articles", headers={"host": "evil.example"}), 400, "bad_request"
    )
    small = create_app(tmp_path / "small.db", max_upload_bytes=1024)
    with TestClient(small, base_url=LOCAL, client=LOOPBACK) as c:
        _assert_error(
            c.post("/api/v1/ingest", files={"files": ("a.txt", b"x" * 4096)}), 413, "too_large"
        )
    with TestClient(
        create_app(tmp_path / "t.db", token="s3cret"), base_url=LOCAL, client=("203.0.113.9", 1)
    ) as c:
        _assert_error(
            c.post("/api/v1/ingest", data={"urls": "https://example.org/"}), 401, "unauthorized"
        )


def test_a_crash_answers_500_in_the_one_format(tmp_path: Path) -> None:
    db = tmp_path / "broken.db"
    copy_store(corpus_db(), db)
    app = create_app(db)
    with Store(db) as store, store.engine.begin() as conn:  # damaged behind the server's back
        conn.exec_driver_sql("DROP TABLE story_listing")
    with TestClient(app, base_url=LOCAL, client=LOOPBACK, raise_server_exceptions=False) as c:
        r = c.get("/api/v1/stories")
    _assert_error(r, 500, "internal_error")
    assert "story_listing" not in r.text  # nothing internal shown


def test_search_hits_name_their_story(client: TestClient) -> None:
    hits = client.get("/api/v1/search", params={"q": "Donetsk"}).json()["items"]
    assert hits
    with Store(corpus_db()) as store:
        seed = seed_story_id(store)
        title = store.stories.get(seed).title  # type: ignore[union-attr]
        for hit in hits:
            story = store.stories.story_of(hit["article"]["id"])
            assert hit["story"]["id"] == story
    assert {"id": seed, "title": title} in [h["story"] for h in hits]


# An absolute path whose top folder exists here (/tmp, /work, /home, /usr...): a path of
# this machine. "/api/v1/..." (our own links) has no such folder.
ABSOLUTE = re.compile(r"(?<![\w:/.])(/[\w.-]+)(?:/[\w.-]+)+")


def _local_paths(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for v in value.values():
            yield from _local_paths(v)
    elif isinstance(value, list):
        for v in value:
            yield from _local_paths(v)
    elif isinstance(value, str):
        for match in ABSOLUTE.finditer(value):
            if os.path.isdir(match.group(1)) and match.group(1) != "/":
                yield match.group(0)
        if re.search(r"\b[A-Za-z]:\\", value):
            yield value


def _get_json(client: TestClient, url: str) -> Any:
    r = client.get(url)
    assert r.status_code == 200, (url, r.text[:300])
    return r.json()


def test_no_answer_carries_a_local_path(client: TestClient, tmp_path: Path) -> None:
    assert list(_local_paths({"a": [f"read from {corpus_db()}"]}))  # the check can fail
    urls = [
        "/api/v1/stories?limit=200",
        "/api/v1/articles?limit=500",
        "/api/v1/corrections",
        "/api/v1/jobs",
        "/api/v1/search?q=fire",
        "/api/v1/search?q=Donetsk",
        "/api/v1/search?q=North%20Korea%20money&mode=semantic",
        "/openapi.json",
    ]
    with Store(corpus_db()) as store:
        articles = [a.id for a in store.list_articles(limit=None)]
        stories = [s.id for s in store.stories.list(limit=500)]
    urls += [f"/api/v1/articles/{a}" for a in articles]
    for s in stories:
        urls += [
            f"/api/v1/stories/{s}",
            f"/api/v1/stories/{s}/dossier",
            f"/api/v1/stories/{s}/facts",
        ]
        urls += [
            f"/api/v1/stories/{s}/facts/{f['id']}"
            for f in _get_json(client, f"/api/v1/stories/{s}/facts")[:5]
        ]
    found = {url: list(_local_paths(_get_json(client, url))) for url in urls}
    assert {url: paths for url, paths in found.items() if paths} == {}
    check = client.post("/api/v1/check", json={"article_ids": articles[:4]})
    assert list(_local_paths(check.json())) == []

    seed = sorted(shared_path("seeds").glob("*.txt"))[0]  # an upload: its temporary folder
    with TestClient(
        create_app(tmp_path / "job.db", ingest_options=IngestOptions(fetch=False, workers=1)),
        base_url=LOCAL,
        client=LOOPBACK,
    ) as c:
        job = c.post("/api/v1/ingest", files={"files": (seed.name, seed.read_bytes())}).json()
        c.app.state.web.jobs.wait(job["id"])  # type: ignore[attr-defined]
        answers = [
            _get_json(c, u)
            for u in (
                "/api/v1/jobs",
                f"/api/v1/jobs/{job['id']}",
                f"/api/v1/jobs/{job['id']}/result",
                "/api/v1/articles",
                "/api/v1/search?q=Donetsk",
            )
        ]
        article = answers[3]["items"][0]
        answers.append(_get_json(c, f"/api/v1/articles/{article['id']}"))
    assert article["source"] == seed.name
    assert [p for a in answers for p in _local_paths(a)] == []
