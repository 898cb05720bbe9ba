"""DNS rebinding: the server answers only to Host names that can reach it honestly.

In-process for the rules, and against a real `corroborate serve` process for the attack as a
browser would make it (curl with a forged Host and Origin).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from starlette.testclient import TestClient

from corroborate.web import create_app
from corroborate.web.hosts import host_of, host_policy

LOOPBACK = ("127.0.0.1", 50000)
UPLOAD = {"files": ("note.txt", b"Riverton council met on Monday.", "text/plain")}


def test_host_of_drops_the_port_and_refuses_malformed_headers() -> None:
    assert host_of("LocalHost.:8000") == "localhost"
    assert host_of("[::1]:8000") == "::1" and host_of("[::1]") == "::1"
    assert host_of("127.0.0.1") == "127.0.0.1"
    for bad in ("", "evil:80x", "[::1]x", "[::1", "a:123456"):
        assert host_of(bad) is None, bad


def test_loopback_server_answers_to_loopback_names_only() -> None:
    policy = host_policy("127.0.0.1")
    assert all(map(policy.allows, ("localhost", "127.0.0.1", "::1", "127.0.0.2")))
    assert not any(map(policy.allows, ("evil.example", "10.0.0.5", "0.0.0.0")))


def test_configured_names_and_wildcard_listeners() -> None:
    named = host_policy("127.0.0.1", ["news.lan, Intranet.Example.", "other"])
    assert named.allows("news.lan") and named.allows("intranet.example")
    assert named.allows("other") and not named.allows("evil.example")
    everywhere = host_policy("0.0.0.0")  # an address can't be rebound: any literal is fine
    assert everywhere.allows("192.168.1.20") and everywhere.allows("fe80::1")
    assert not everywhere.allows("evil.example")
    assert host_policy("192.168.1.20").allows("192.168.1.20")
    assert not host_policy("192.168.1.20").allows("192.168.1.21")
    assert host_policy("127.0.0.1", ["*"]).allows("anything.example")


@pytest.fixture(scope="module")
def app_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hosts") / "hosts.db"


def test_rebound_host_gets_400_in_process(app_db: Path) -> None:
    app = create_app(app_db)
    with TestClient(app, base_url="http://evil.example:8000", client=LOOPBACK) as c:
        r = c.get("/api/v1/articles")
        assert r.status_code == 400 and "--allowed-host" in r.json()["error"]["message"]
        assert "content-security-policy" in r.headers  # refusals carry the headers too
        r = c.post("/api/v1/ingest", files=UPLOAD,
                   headers={"Origin": "http://evil.example:8000"})
        assert r.status_code == 400
    assert app.state.web.jobs.list() == []
    for base in ("http://localhost:8000", "http://127.0.0.1:8000", "http://[::1]:8000",
                 "http://localhost"):
        with TestClient(app, base_url=base, client=LOOPBACK) as c:
            assert c.get("/api/v1/articles").status_code == 200, base


def test_cross_site_origin_on_a_loopback_host_is_still_403(app_db: Path) -> None:
    with TestClient(create_app(app_db), base_url="http://127.0.0.1:8000",
                    client=LOOPBACK) as c:
        r = c.post("/api/v1/ingest", files=UPLOAD, headers={"Origin": "http://evil.example:8000"})
        assert r.status_code == 403


def test_allowed_hosts_are_answered(app_db: Path) -> None:
    app = create_app(app_db, allowed_hosts=["news.lan"])
    with TestClient(app, base_url="http://news.lan:8000", client=LOOPBACK) as c:
        assert c.get("/api/v1/articles").status_code == 200


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`corroborate serve --db x.db --port P` as a user starts it (no token, loopback), with
    one configured name from the environment."""
    port = _free_port()
    db = tmp_path_factory.mktemp("serve") / "x.db"
    env = {**os.environ, "CORROBORATE_ALLOWED_HOSTS": "news.lan"}
    env.pop("CORROBORATE_TOKEN", None)
    proc = subprocess.Popen([sys.executable, "-m", "corroborate", "serve", "--db", str(db),
                             "--port", str(port)], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else proc.returncode
            assert time.monotonic() < deadline, "corroborate serve did not start"
            try:
                httpx.get(f"{base}/api/v1/jobs", timeout=1, trust_env=False)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_served_process_refuses_rebound_host_and_answers_loopback(served: str) -> None:
    port = served.rsplit(":", 1)[1]
    evil = {"Host": f"evil.example:{port}"}
    with httpx.Client(base_url=served, trust_env=False) as h:
        assert h.get("/api/v1/articles", headers=evil).status_code == 400
        r = h.post("/api/v1/ingest", files=UPLOAD,
                   headers={**evil, "Origin": f"http://evil.example:{port}"})
        assert r.status_code == 400
        r = h.post("/api/v1/ingest", files=UPLOAD,
                   headers={"Origin": f"http://evil.example:{port}"})
        assert r.status_code == 403  # right Host, cross-site Origin
        assert h.get("/api/v1/jobs").json()["items"] == []  # nothing was started
        assert h.get("/api/v1/articles").status_code == 200
        for name in ("localhost", "news.lan"):  # news.lan: CORROBORATE_ALLOWED_HOSTS
            r = h.get("/api/v1/articles", headers={"Host": f"{name}:{port}"})
            assert r.status_code == 200, name
