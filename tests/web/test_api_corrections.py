"""Corrections over the web, in-process: the API's merge, split, move, pin and list, errors,
the write guard, and the story page's form."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from story_corpus import fire_and_seeds, story_db, together
from web_corpus import LOCAL

from corroborate.pipeline import recluster_stored
from corroborate.store import Store
from corroborate.web import create_app

LOOPBACK = ("127.0.0.1", 50000)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return story_db(tmp_path)


@pytest.fixture
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db), base_url=LOCAL, client=LOOPBACK) as c:
        yield c


def _ids(db: Path) -> tuple[list[int], list[int], int, int]:
    with Store(db) as store:
        fire, seeds = fire_and_seeds(store)
        fire_story, seed_story = store.stories.story_of(fire[0]), store.stories.story_of(seeds[0])
    assert fire_story is not None and seed_story is not None
    return fire, seeds, fire_story, seed_story


def test_api_corrections_round_trip(client: TestClient, db: Path) -> None:
    fire, seeds, fire_story, seed_story = _ids(db)
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/v1/stories/{story_id}/merge", "/api/v1/stories/{story_id}/split",
            "/api/v1/articles/{article_id}/move", "/api/v1/articles/{article_id}/pin",
            "/api/v1/corrections"} <= set(paths)

    r = client.post(f"/api/v1/stories/{fire_story}/split",
                    json={"article_ids": [fire[3]], "note": "another warehouse"})
    assert r.status_code == 200, r.text
    split = r.json()
    assert split["moved"] == 1 and split["correction"]["action"] == "split"
    r = client.post(f"/api/v1/articles/{seeds[0]}/move",
                    json={"story_id": split["story_id"], "note": "<b>same</b>"})
    assert r.status_code == 200, r.text
    r = client.post(f"/api/v1/articles/{fire[0]}/pin", json={"story_id": fire_story})
    assert r.status_code == 200 and r.json()["moved"] == 0
    r = client.post(f"/api/v1/stories/{seed_story}/merge", json={"into": fire_story})
    assert r.status_code == 200 and r.json()["story_id"] == fire_story

    story = client.get(f"/api/v1/stories/{fire_story}").json()
    assert {m["article_id"] for m in story["members"]} == {*fire[:3], seeds[1]}
    listed = client.get("/api/v1/corrections").json()["items"]
    assert [c["action"] for c in listed] == ["split", "move", "pin", "merge"]
    assert listed[0]["note"] == "another warehouse" and listed[1]["note"] == "<b>same</b>"
    assert all(c["created_at"] and c["what"] for c in listed)

    with Store(db) as store:  # the corrections outlive a rebuild of every story
        recluster_stored(store)
        assert together(store, [fire[3], seeds[0]])
        assert together(store, [*fire[:3], seeds[1]])
        assert not together(store, [fire[0], fire[3]])


def test_api_corrections_errors(client: TestClient, db: Path) -> None:
    _, seeds, fire_story, _ = _ids(db)
    r = client.post("/api/v1/stories/999999/merge", json={"into": fire_story})
    assert r.status_code == 404
    assert r.json()["error"]["message"].startswith("no story with id 999999")
    r = client.post("/api/v1/articles/424242/move", json={"story_id": fire_story})
    assert r.status_code == 404 and "no article with id 424242" in r.json()["error"]["message"]
    r = client.post(f"/api/v1/stories/{fire_story}/split", json={"article_ids": [seeds[0]]})
    assert r.status_code == 400 and "is not in story" in r.json()["error"]["message"]
    r = client.post(f"/api/v1/stories/{fire_story}/merge", json={"into": fire_story})
    assert r.status_code == 400
    r = client.post(f"/api/v1/stories/{fire_story}/split", json={"article_ids": []})
    assert r.status_code == 422
    r = client.post(f"/api/v1/stories/{2**64}/merge", json={"into": fire_story})
    assert r.status_code in (404, 422)
    assert client.get("/api/v1/corrections").json()["items"] == []


def test_api_corrections_need_the_token_when_the_server_has_one(db: Path) -> None:
    fire, _, fire_story, seed_story = _ids(db)
    remote = ("203.0.113.9", 1)
    with TestClient(create_app(db, token="s3cret"), base_url=LOCAL, client=remote) as c:
        url = f"/api/v1/stories/{seed_story}/merge"
        assert c.post(url, json={"into": fire_story}).status_code == 401
        r = c.post(url, json={"into": fire_story}, headers={"X-Corroborate-Token": "s3cret"})
        assert r.status_code == 200
    with TestClient(create_app(db), base_url=LOCAL, client=remote) as c:  # no token: loopback
        r = c.post(f"/api/v1/articles/{fire[0]}/pin", json={"story_id": fire_story})
        assert r.status_code == 403


def test_story_page_form_splits_moves_and_merges(client: TestClient, db: Path) -> None:
    fire, seeds, fire_story, seed_story = _ids(db)
    page = client.get(f"/stories/{fire_story}").text
    assert f'action="/stories/{fire_story}/corrections"' in page
    assert f'name="article_ids" value="{fire[0]}"' in page

    r = client.post(f"/stories/{fire_story}/corrections", follow_redirects=False,
                    data={"action": "split", "article_ids": [str(fire[2]), str(fire[3])],
                          "note": "<script>alert(1)</script>"})
    assert r.status_code == 303, r.text
    new_story = int(r.headers["location"].rsplit("/", 1)[1])
    assert new_story not in (fire_story, seed_story)

    r = client.post(f"/stories/{seed_story}/corrections", follow_redirects=False,
                    data={"action": "move", "article_ids": [str(seeds[0])],
                          "target": str(new_story)})
    assert r.status_code == 303 and r.headers["location"] == f"/stories/{new_story}"
    r = client.post(f"/stories/{seed_story}/corrections", follow_redirects=False,
                    data={"action": "merge", "target": str(fire_story)})
    assert r.status_code == 303 and r.headers["location"] == f"/stories/{fire_story}"

    r = client.post(f"/stories/{fire_story}/corrections", headers={"accept": "text/html"},
                    data={"action": "move", "target": str(new_story)})
    assert r.status_code == 400 and "tick the articles" in r.text
    r = client.post(f"/stories/{fire_story}/corrections", follow_redirects=False,
                    data={"action": "merge", "target": str(fire_story)},
                    headers={"origin": "https://evil.example"})
    assert r.status_code == 403

    with Store(db) as store:
        assert together(store, [fire[2], fire[3], seeds[0]])
        assert together(store, [fire[0], fire[1], seeds[1]])
        notes = [c.note for c in store.corrections.list()]
    assert notes == ["<script>alert(1)</script>", "", ""]
    listed = client.get("/api/v1/corrections").json()["items"]
    assert listed[0]["note"] == "<script>alert(1)</script>"
