"""Web app under load: requests/s and p50/p99 latency of the story page, dossier and search API,
first on an idle server, then while an ingest job (extract + cluster) writes to the store.

Usage:
    .venv/bin/python benchmarks/web_load.py [--threads 8] [--idle-seconds 10]
        [--articles 200] [--max-seconds 120] [--store LARGE.db] [--idle-only]

With --store (a store from benchmarks/build_large_store.py, ~100,000 articles; a copy is
loaded, the file itself is left alone) the requests are the read paths of a large store:
the stories list (newest first, by outlets and by conflicts), the story record (API; a
different story each request, out of 500), the stored dossier (API; a different story each
request, among those 500 that have a stored cross-check), the stories page and the story page
(HTML: both read stored cross-checks, never compute one). Targets there: p50 < 100 ms,
p99 < 500 ms. A store without stored cross-checks (`corroborate crosscheck --db LARGE.db`)
has no dossier line.
--idle-only stops after the idle phase (with --store, the store is then served as it is,
not copied: nothing writes to it); with --threads 1 that gives each request's service time.

The server runs as `corroborate serve` would (uvicorn, one process, this script in --serve
mode so its ingest workers can start); the load generator is this process: threads, each with
its own httpx client on loopback, cycling through the story page, the stored dossier (API),
full-text search and semantic search. The database holds the example corpus and the seeds
(analysed, clustered, cross-checked and stored);
the ingest job uploads BASIL article bodies from ../shared (JSONL, distinct openings) through
POST /api/v1/ingest and is polled until it has ingested, extracted and clustered them.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
TARGET_P50_MS = 100
TARGET_P99_MS = 500
sys.path.insert(0, str(Path(__file__).parent))


def serve(db: str, port: int) -> None:
    """Child mode: the app on loopback (the same app `corroborate serve` runs)."""
    import uvicorn

    from corroborate.web import create_app

    uvicorn.run(create_app(db), host="127.0.0.1", port=port, log_level="warning")


def build_db(db: Path) -> None:
    from corroborate.pipeline import IngestOptions, cluster_stored, ingest, recompute_stale
    from corroborate.store import Store

    with Store(db) as store:
        ingest([str(REPO / "examples" / "corpus"), str(REPO.parent / "shared" / "seeds")],
               store, IngestOptions(fetch=False))
        cluster_stored(store)
        recompute_stale(store)  # stored dossiers, as `corroborate ingest` leaves them


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_up(base: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/api/v1/jobs", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("server did not start")


def large_store_urls(base: str, page_story: int) -> dict[str, str | list[str]]:
    """The read paths measured on a large store; a list cycles through its URLs."""
    rows = httpx.get(f"{base}/api/v1/stories", params={"limit": 200},
                     timeout=60).json()["items"]
    rows += httpx.get(f"{base}/api/v1/stories", timeout=60, params={
        "limit": 200, "offset": 20_000}).json()["items"]
    random.Random(3).shuffle(rows)
    urls: dict[str, str | list[str]] = {
        "stories list": "/api/v1/stories?limit=50",
        "stories by outlets": "/api/v1/stories?limit=50&sort=outlets",
        "stories conflicts": "/api/v1/stories?limit=50&sort=conflicts",
        "story (API)": [f"/api/v1/stories/{r['id']}" for r in rows],
        "stories page": "/",
        "story page": f"/stories/{page_story}",
    }
    checked = [r["id"] for r in rows if r["check_current"] is not None]  # a check is stored
    if checked:
        urls["dossier (API)"] = [f"/api/v1/stories/{i}/dossier" for i in checked]
    return urls


def load(base: str, urls: dict[str, str | list[str]], threads: int, until: Callable[[], bool]
         ) -> tuple[dict[str, list[float]], float, int]:
    """Hit every URL round-robin from `threads` threads until `until()`; latencies in ms.
    A name with a list of URLs takes the next URL of its list each time."""
    latencies: dict[str, list[float]] = {name: [] for name in urls}
    errors = 0
    lock = threading.Lock()
    names = list(urls)

    def worker(offset: int) -> None:
        nonlocal errors
        with httpx.Client(base_url=base, timeout=60) as client:
            i = offset
            while not until():
                name = names[i % len(names)]
                i += 1
                url = urls[name]
                if not isinstance(url, str):
                    url = url[(i // len(names)) % len(url)]
                start = time.perf_counter()
                r = client.get(url)
                ms = (time.perf_counter() - start) * 1000
                with lock:
                    if r.status_code == 200:
                        latencies[name].append(ms)
                    else:
                        errors += 1

    started = time.perf_counter()
    pool = [threading.Thread(target=worker, args=(k,)) for k in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return latencies, time.perf_counter() - started, errors


def report(title: str, latencies: dict[str, list[float]], seconds: float, errors: int,
           large: bool = False) -> None:
    total = sum(len(v) for v in latencies.values())
    print(f"\n{title}: {total} requests in {seconds:.1f} s = {total / seconds:.1f} req/s "
          f"({errors} errors)")
    print(f"  {'endpoint':<18}{'requests':>9}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}"
          f"{'max ms':>9}")
    for name, values in latencies.items():
        if not values:
            print(f"  {name:<18}{0:>9}")
            continue
        q = statistics.quantiles(values, n=100, method="inclusive")
        verdict = ""
        if large:
            met = q[49] < TARGET_P50_MS and q[98] < TARGET_P99_MS
            verdict = "  target met" if met else (
                f"  target MISSED (p50 {q[49] - TARGET_P50_MS:+.0f} ms, "
                f"p99 {q[98] - TARGET_P99_MS:+.0f} ms against {TARGET_P50_MS}/{TARGET_P99_MS})")
        print(f"  {name:<18}{len(values):>9}{len(values) / seconds:>8.1f}{q[49]:>9.1f}"
              f"{q[98]:>9.1f}{max(values):>9.1f}{verdict}")
    if large and "dossier (API)" not in latencies:
        print(f"  {'dossier (API)':<18} not measured: none of the stories asked for has a "
              f"stored cross-check (run `corroborate crosscheck --db` on the store)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--idle-seconds", type=float, default=10.0)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--max-seconds", type=float, default=180.0)
    parser.add_argument("--store", type=Path, default=None,
                        help="a large store (benchmarks/build_large_store.py) to load instead")
    parser.add_argument("--idle-only", action="store_true",
                        help="stop after the idle phase (no ingest job)")
    parser.add_argument("--serve", nargs=2, metavar=("DB", "PORT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve[0], int(args.serve[1]))
        return

    from ingest import build_jsonl  # benchmarks/ingest.py: BASIL bodies, distinct openings

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "web.db"
        if args.store and args.idle_only:
            db = args.store  # read only: served as it is
        elif args.store:
            print(f"copying {args.store} ...", flush=True)
            shutil.copy(args.store, db)
        else:
            print("building the database (example corpus + seeds, analysed and clustered)...")
            build_db(db)
        jsonl = Path(tmp) / "basil.jsonl"
        # a large store holds the BASIL texts under seed 2's openings: other openings here
        build_jsonl(jsonl, args.articles, seed=7 if args.store else 2)
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen([sys.executable, __file__, "--serve", str(db), str(port)])
        try:
            _wait_up(base)
            stories = httpx.get(f"{base}/api/v1/stories", params={"sort": "articles"},
                                timeout=60).json()["items"]
            story = stories[0]
            if args.store:
                urls = large_store_urls(base, story["id"])
            else:
                urls = {
                    "story page": f"/stories/{story['id']}",
                    "dossier (API)": f"/api/v1/stories/{story['id']}/dossier",
                    "search fulltext": "/api/v1/search?q=warehouse+fire",
                    "search semantic": "/api/v1/search?q=how+many+people+died&mode=semantic",
                }
            for url in urls.values():  # warm: embedding model loaded, dossiers read once
                if isinstance(url, str):
                    httpx.get(base + url, timeout=300).raise_for_status()
            print(f"story {story['id']} ({story['articles']} articles); "
                  f"{args.threads} client threads; "
                  f"{'no ingest' if args.idle_only else f'{args.articles} articles to ingest'}")

            stop = time.monotonic() + args.idle_seconds
            report("idle server", *load(base, urls, args.threads,
                                        lambda: time.monotonic() > stop),
                   large=args.store is not None)
            if args.idle_only:
                return

            with jsonl.open("rb") as fh:
                r = httpx.post(f"{base}/api/v1/ingest", timeout=60,
                               files={"files": ("basil.jsonl", fh, "application/x-ndjson")})
            r.raise_for_status()
            job_id = r.json()["id"]
            state: dict[str, Any] = {"done": False, "job": r.json()}
            deadline = time.monotonic() + args.max_seconds

            def poll() -> None:
                while not state["done"]:
                    job = httpx.get(f"{base}/api/v1/jobs/{job_id}", timeout=30).json()
                    state["job"] = job
                    if job["status"] in ("done", "failed") or time.monotonic() > deadline:
                        state["done"] = True
                    time.sleep(0.25)

            poller = threading.Thread(target=poll)
            t0 = time.perf_counter()
            poller.start()
            result = load(base, urls, args.threads, lambda: state["done"])
            poller.join()
            job = state["job"]
            report(f"during the ingest job ({job['status']} after {time.perf_counter() - t0:.1f}"
                   f" s: {job['counts']['ingested']} ingested, {job['processed']} inputs, "
                   f"clustering {json.dumps(job['clustering'])})", *result,
                   large=args.store is not None)
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
