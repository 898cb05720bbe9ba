"""`GET /api/v1/export/{table}.jsonl|csv` on the analysed web corpus: streamed rows equal the
library's export, the total comes first, filters hold, and refusals come before any row."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient
from web_corpus import LOCAL, corpus_db, seed_story_id

from corroborate.report.export import batches, count
from corroborate.store import Store
from corroborate.store.export import Selection
from corroborate.web import create_app
from corroborate.web.views import public_source


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(corpus_db()), base_url=LOCAL, client=("127.0.0.1", 50000)) as c:
        yield c


@pytest.mark.parametrize("table", ["articles", "stories", "facts"])
def test_jsonl_export_streams_every_row_the_library_exports(client: TestClient,
                                                            table: str) -> None:
    response = client.get(f"/api/v1/export/{table}.jsonl")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/x-ndjson")
    rows = [json.loads(line) for line in response.text.splitlines()]
    with Store(corpus_db()) as store:
        expected = [r for b in batches(store, table) for r in b]
        assert len(rows) == count(store, table) == int(response.headers["x-total-count"])
    if table == "articles":  # as every answer of the API: no path of the server's disk
        assert any(r["source"].startswith("/") for r in expected)
        assert not any(r["source"].startswith("/") for r in rows)
        expected = [{**r, "source": public_source(r["source"])} for r in expected]
    assert rows == expected and rows


def test_csv_export_of_one_story_facts(client: TestClient) -> None:
    with Store(corpus_db()) as store:
        story = seed_story_id(store)
        n = count(store, "facts", Selection(story=story))
    response = client.get(f"/api/v1/export/facts.csv?story={story}")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert 'filename="facts.csv"' in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text, newline="")))
    assert len(rows) == n > 0 and {r["story_id"] for r in rows} == {str(story)}
    assert all(isinstance(json.loads(r["versions"]), list) for r in rows)
    limited = client.get(f"/api/v1/export/facts.csv?story={story}&limit=1")
    assert len(list(csv.DictReader(io.StringIO(limited.text, newline="")))) == 1


@pytest.mark.parametrize("url, code", [
    ("/api/v1/export/facts.parquet", 404),
    ("/api/v1/export/claims.jsonl", 404),
    ("/api/v1/export/facts.jsonl?story=999999", 404),
    ("/api/v1/export/articles.csv?since=June", 422),
])
def test_refusals_come_before_any_row(client: TestClient, url: str, code: int) -> None:
    response = client.get(url)
    assert response.status_code == code, response.text
    assert response.headers["content-type"].startswith("application/")
    assert set(response.json()["error"]) >= {"code", "message"}  # the one error shape
