"""The REST API under /api/v1, in-process: shapes, the dossier schema, search, errors."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient
from web_corpus import LOCAL, PAYMENT_DOLLARS, PAYMENT_POUNDS, corpus_db, seed_story_id

from corroborate.pipeline import crosscheck_story
from corroborate.report import DOSSIER_SCHEMA_VERSION, build_dossier, to_json
from corroborate.store import Store
from corroborate.web import create_app


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(corpus_db()), base_url=LOCAL, client=("127.0.0.1", 50000)) as c:
        yield c


@pytest.fixture(scope="module")
def seed_story() -> int:
    with Store(corpus_db()) as store:
        return seed_story_id(store)


def test_openapi_schema_lists_every_endpoint(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert set(paths) >= {
        "/api/v1/articles", "/api/v1/articles/{article_id}", "/api/v1/stories",
        "/api/v1/stories/{story_id}", "/api/v1/stories/{story_id}/dossier",
        "/api/v1/stories/{story_id}/facts", "/api/v1/stories/{story_id}/facts/{fact_id}",
        "/api/v1/search", "/api/v1/ingest", "/api/v1/jobs", "/api/v1/jobs/{job_id}",
        "/api/v1/jobs/{job_id}/result",
    }
    assert not any(p.startswith("/stories") for p in paths)  # pages stay out of the API


def test_articles_list_filters_and_detail(client: TestClient) -> None:
    rows = client.get("/api/v1/articles", params={"outlet": "EuroWire"}).json()["items"]
    assert rows and all(r["outlet"] == "EuroWire" for r in rows)
    seeds = client.get("/api/v1/articles", params={"until": "2024-12-31"}).json()["items"]
    assert len(seeds) == 2
    detail = client.get(f"/api/v1/articles/{seeds[0]['id']}").json()
    assert detail["story_id"] is not None
    assert detail["extraction"]["claims"]
    assert PAYMENT_POUNDS in detail["text"] or PAYMENT_DOLLARS in detail["text"]
    assert client.get("/api/v1/articles/424242").status_code == 404
    assert client.get("/api/v1/articles", params={"since": "not a date"}).status_code == 422


def test_stories_list_and_detail(client: TestClient, seed_story: int) -> None:
    rows = client.get("/api/v1/stories", params={"checked": "true"}).json()["items"]
    seed = next(r for r in rows if r["id"] == seed_story)
    assert seed["articles"] == 2 and seed["outlets"] == 2
    assert seed["independent_sources"] >= 1
    only = client.get("/api/v1/stories", params={"entity": "North Korea"}).json()
    assert [r["id"] for r in only["items"]] == [seed_story] and only["total"] == 1
    detail = client.get(f"/api/v1/stories/{seed_story}").json()
    assert len(detail["members"]) == 2 and detail["asked_for"] == seed_story
    assert client.get("/api/v1/stories/999999").status_code == 404


def test_dossier_is_exactly_the_report_json(client: TestClient, seed_story: int) -> None:
    got = client.get(f"/api/v1/stories/{seed_story}/dossier").json()
    with Store(corpus_db()) as store:
        expected = to_json(build_dossier(*crosscheck_story(store, seed_story)))
    assert got == expected
    assert got["schema_version"] == DOSSIER_SCHEMA_VERSION


def test_facts_and_one_fact(client: TestClient, seed_story: int) -> None:
    facts = client.get(f"/api/v1/stories/{seed_story}/facts").json()
    payment = [f for f in facts if (f["measure"] or "").startswith("money")
               and {PAYMENT_DOLLARS, PAYMENT_POUNDS} <= {a["text"] for v in f["versions"]
                                                         for a in v["amounts"]}]
    assert len(payment) == 1
    fact = payment[0]
    assert fact["single_source"] is True and fact["primary_sources"] == ["TV Chosun"]
    one = client.get(f"/api/v1/stories/{seed_story}/facts/{fact['id']}").json()
    assert one == fact
    assert client.get(f"/api/v1/stories/{seed_story}/facts/F999").status_code == 404


def test_search_fulltext_and_semantic(client: TestClient) -> None:
    full = client.get("/api/v1/search", params={"q": "engineering brigades"}).json()
    assert full["mode"] == "fulltext" and len(full["items"]) == 2 and full["total"] == 2
    assert all("[" in h["snippet"] for h in full["items"])
    semantic = client.get("/api/v1/search", params={
        "q": "how much money would Russia pay North Korea", "mode": "semantic"}).json()
    assert semantic["items"][0]["article"]["published"].startswith("2024-06-27")
    assert semantic["items"][0]["story"]["title"]  # a hit names its story
    top = [c["text"] for c in semantic["claims"][:3]]
    assert any("million annually" in t for t in top), top
    assert semantic["claims"] == sorted(semantic["claims"], key=lambda c: -c["score"])


def test_search_syntax_in_a_query_is_just_words(client: TestClient) -> None:
    for q in ('"; DROP TABLE articles; --', "NEAR(a b) OR *", "' OR 1=1 --"):
        r = client.get("/api/v1/search", params={"q": q})
        assert r.status_code == 200
    assert client.get("/api/v1/articles").json()["items"]  # still there


def test_check_cross_checks_stored_articles_picked_by_hand(client: TestClient) -> None:
    seeds = client.get("/api/v1/articles", params={"until": "2024-12-31"}).json()["items"]
    answer = client.post("/api/v1/check", json={"article_ids": [a["id"] for a in seeds]})
    assert answer.status_code == 200, answer.text
    dossier = answer.json()
    assert dossier["story"]["id"] == 0 and len(dossier["articles"]) == 2
    assert dossier["origins"][0]["name"] == "TV Chosun"
    assert client.post("/api/v1/check", json={"article_ids": [424242]}).status_code == 404
    assert client.post("/api/v1/check", json={"article_ids": []}).status_code == 422
    assert client.post("/api/v1/check", json={"article_ids": [-1]}).status_code == 404


def test_dates_must_be_iso_days(client: TestClient) -> None:
    for url in ("/api/v1/articles", "/api/v1/stories"):
        for bad in ("0", "1700000000", "2024-1-5", "20240105", "2024-02-30"):
            for name in ("since", "until"):
                r = client.get(url, params={name: bad})
                assert r.status_code == 422, (url, name, bad)
        assert client.get(url, params={"until": "2024-12-31"}).status_code == 200


def test_checked_is_accepted_and_changes_nothing_since_checks_are_stored(
        client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a list request cross-checked")

    monkeypatch.setattr("corroborate.pipeline.crosscheck_of", refuse)
    plain = client.get("/api/v1/stories", params={"limit": 200})
    checked = client.get("/api/v1/stories", params={"checked": "true", "limit": 200})
    assert plain.status_code == checked.status_code == 200  # no 20-story bound any more
    assert checked.json()["items"] == plain.json()["items"]
    assert all(r["independent_sources"] is not None for r in plain.json()["items"])
    param = next(p for p in client.get("/openapi.json").json()["paths"]["/api/v1/stories"]
                 ["get"]["parameters"] if p["name"] == "checked")
    assert "ignored" in param["description"]
