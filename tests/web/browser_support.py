"""What the real-browser tests share: Debian's chromium, the app served on a free loopback
port, and a store of a real multi-outlet story (the development gold's D01: eleven outlets'
reports of one Paris jewellery raid, AFP copies, a syndicated near-duplicate).

CI (.ci/run) installs chromium and sets CORROBORATE_REQUIRE_BROWSER: there a missing browser
(or axe-core) fails the run instead of skipping.
"""

from __future__ import annotations

import os
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import pytest
from conftest import gold_inputs

from corroborate.pipeline import IngestOptions, cluster_stored, ingest, recompute_stale
from corroborate.store import Store

CHROMIUM = Path("/usr/bin/chromium")
REPO = Path(__file__).resolve().parents[2]
AXE = REPO / "tools" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
REQUIRED = bool(os.environ.get("CORROBORATE_REQUIRE_BROWSER"))
NO_BROWSER = not CHROMIUM.exists() and not REQUIRED
SKIP_NO_BROWSER = pytest.mark.skipif(
    NO_BROWSER, reason="needs Debian's chromium at /usr/bin/chromium (apt-get install -y "
                       "chromium)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve(db: Path) -> Iterator[str]:
    """The app over `db` on a free loopback port, in a thread; yields its base URL."""
    import uvicorn

    from corroborate.web import create_app

    app = create_app(db, ingest_options=IngestOptions(workers=1))
    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                        log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)


@cache
def gold_db(*stories: str) -> Path:
    """A store of gold stories' articles (D01 by default), ingested, clustered and
    cross-checked as `corroborate ingest` leaves them (inputs written by the shared tool, as
    the benchmark writes them)."""
    stories = stories or ("D01",)
    work = Path(tempfile.mkdtemp(prefix="corroborate-gold-"))
    gold_inputs(work / "inputs", *stories)
    db = work / "gold.db"
    with Store(db) as store:
        ingest([str(work / "inputs" / s) for s in stories], store,
               IngestOptions(fetch=False, workers=1))
        cluster_stored(store)
        recompute_stale(store)
    return db


def main_story(db: Path) -> int:
    """The story with the most articles."""
    with Store(db) as store:
        return max(store.stories.list(limit=100), key=lambda s: s.size).id


def axe_source() -> str:
    """axe-core's script (tools/axe, installed by scripts/setup); skips (or fails in CI)
    without it."""
    if not AXE.exists():
        if REQUIRED:
            pytest.fail(f"axe-core is missing: {AXE} (run scripts/setup, which runs npm ci in "
                        "tools/axe)")
        pytest.skip("needs axe-core: run scripts/setup (npm ci in tools/axe)")
    return AXE.read_text(encoding="utf-8")
