"""Watchlists and alerts from the CLI and the web (API, page, Atom feed), over a real store
whose alerts are written as the watcher writes them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import feedparser
import pytest
from starlette.testclient import TestClient
from typer.testing import CliRunner

from corroborate.cli import app
from corroborate.store import Store
from corroborate.watch.watchlists import add_watchlist
from corroborate.web import create_app

runner = CliRunner()
LOCAL = "http://127.0.0.1"
LOOPBACK = ("127.0.0.1", 50000)
EVIDENCE = ({"article_id": 1, "outlet": "The Alpine Courier", "source": "Markus Steiner",
             "text": "At least 12 people were killed, governor Markus Steiner said."},)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "watch.db"
    with Store(path) as store:
        wl = add_watchlist(store, "Brienz", "place", "Brienz",
                           webhook_url="http://127.0.0.1:9/hook", webhook_secret="s")
        with store.writer() as w:
            w.watch.add_alert("w1:s7:new_story", wl, 7, "new_story", "New story: floods",
                              "At least 12 people were killed", EVIDENCE)
            w.watch.add_alert("w1:s7:new_outlet:x", wl, 7, "new_outlet",
                              "New outlet: <Swiss Daily Record>", "reports it", EVIDENCE)
            # the same key again: never a second alert
            assert w.watch.add_alert("w1:s7:new_story", wl, 7, "new_story", "again", "",
                                     EVIDENCE) is None
    return path


@pytest.fixture
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db, background_checks=False), base_url=LOCAL,
                    client=LOOPBACK) as c:
        yield c


def test_cli_watchlists_and_alerts(db: Path) -> None:
    result = runner.invoke(app, ["watchlist-add", "Markus Steiner", "--kind", "entity",
                                 "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    added = json.loads(result.output)
    assert added["kind"] == "entity" and "webhook_secret" not in added

    result = runner.invoke(app, ["watchlists", "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    assert [w["query"] for w in json.loads(result.output)] == ["Brienz", "Markus Steiner"]

    result = runner.invoke(app, ["alerts", "--db", str(db), "--json", "-w", "1"])
    assert result.exit_code == 0, result.output
    alerts = json.loads(result.output)
    assert [a["kind"] for a in alerts] == ["new_outlet", "new_story"]
    assert alerts[1]["evidence"][0]["source"] == "Markus Steiner"

    result = runner.invoke(app, ["alerts", "--db", str(db)])
    assert result.exit_code == 0 and "new_story" in result.output and "Steiner" in result.output

    result = runner.invoke(app, ["watchlist-add", "x", "--kind", "planet", "--db", str(db)])
    assert result.exit_code != 0 and "unknown watchlist kind" in result.output
    result = runner.invoke(app, ["alerts", "--db", str(db), "-w", "99"])
    assert result.exit_code != 0 and "no watchlist 99" in result.output
    result = runner.invoke(app, ["watchlist-rm", str(added["id"]), "--db", str(db)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["watchlist-rm", str(added["id"]), "--db", str(db)])
    assert result.exit_code != 0


def test_cli_watch_refuses_a_config_without_feeds(tmp_path: Path) -> None:
    config = tmp_path / "watch.toml"
    config.write_text("[watch]\ninterval = 60\n")
    result = runner.invoke(app, ["watch", str(config), "--once", "--db",
                                 str(tmp_path / "x.db")])
    assert result.exit_code != 0 and "no [[feed]] entries" in result.output


def test_api_watchlists_and_alerts(client: TestClient) -> None:
    r = client.post("/api/v1/watchlists", json={"query": "Anna Keller", "kind": "entity"})
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["atom"] == f"/alerts/{created['id']}.atom"
    r = client.get("/api/v1/watchlists")
    assert [w["query"] for w in r.json()] == ["Brienz", "Anna Keller"]
    assert all("webhook_secret" not in w for w in r.json())
    r = client.post("/api/v1/watchlists", json={"query": "x", "kind": "planet"})
    assert r.status_code == 422
    r = client.post("/api/v1/watchlists", json={"query": "x", "webhook_url": "http://h/"})
    assert r.status_code == 400 and "secret" in r.json()["error"]["message"]

    r = client.get("/api/v1/alerts", params={"watchlist": 1})
    assert r.status_code == 200
    alerts = r.json()
    assert [a["kind"] for a in alerts] == ["new_outlet", "new_story"]
    assert alerts[0]["link"] == f"{LOCAL}/stories/7"
    r = client.get("/api/v1/alerts", params={"after": alerts[0]["id"]})
    assert r.json() == []
    assert client.get("/api/v1/alerts", params={"watchlist": 99}).status_code == 404

    r = client.delete(f"/api/v1/watchlists/{created['id']}")
    assert r.status_code == 204
    assert client.delete(f"/api/v1/watchlists/{created['id']}").status_code == 404


def test_alerts_atom_feed_and_page(client: TestClient) -> None:
    r = client.get("/alerts/1.atom")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/atom")
    feed = feedparser.parse(r.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert [e.title for e in feed.entries] == ["New outlet: <Swiss Daily Record>",
                                               "New story: floods"]
    assert feed.entries[1].link == f"{LOCAL}/stories/7"
    assert "Markus Steiner" in feed.entries[1].content[0].value or \
        "Alpine Courier" in feed.entries[1].content[0].value
    assert client.get("/alerts/99.atom").status_code == 404

    page = client.get("/alerts", headers={"accept": "text/html"})
    assert page.status_code == 200
    assert "New story: floods" in page.text and "/alerts/1.atom" in page.text
    assert "<Swiss Daily Record>" not in page.text  # escaped

    r = client.post("/alerts", data={"query": "Interlaken", "kind": "place"},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/alerts?watchlist=2"
    r = client.post("/alerts", data={"query": "Interlaken"}, follow_redirects=False,
                    headers={"sec-fetch-site": "cross-site"})
    assert r.status_code == 403
