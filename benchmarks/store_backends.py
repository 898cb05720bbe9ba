"""SQLite vs PostgreSQL under the same work: ingest (clean, dedupe, store; no extraction, so the
store's share is what differs) of the seeds and the ../shared/data/extraction pages, then a
full-text search's latency on each.

    python benchmarks/store_backends.py [--pg postgresql://user@host:port/db] [--only NAME]

Without --pg a throwaway PostgreSQL server is started (scripts/pg-test-server) and stopped;
with it, a fresh database is made on that server (and left there).
Prints articles/s for each store and the median / p95 latency of each query (warm, 20 runs).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

from corroborate.pipeline import IngestOptions, ingest
from corroborate.store import Store
from corroborate.store.dialect import create_database

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
QUERIES = ("police said", "election", "the government announced on Monday")
RUNS = 20


def _measure(label: str, db: str, sources: list[str]) -> None:
    options = IngestOptions(fetch=False, extract=False, workers=2)
    with Store(db) as store:
        started = time.perf_counter()
        events = ingest(sources, store, options)
        seconds = time.perf_counter() - started
        stored = store.count_articles()
        inputs = sum(events.counts.values())
        print(f"{label}: ingest {inputs} inputs -> {stored} articles in {seconds:.1f} s: "
              f"{stored / seconds:.1f} articles/s")
        for query in QUERIES:
            store.search(query)  # warm
            times = []
            for _ in range(RUNS):
                t = time.perf_counter()
                hits = store.search(query)
                times.append((time.perf_counter() - t) * 1000)
            times.sort()
            print(f"{label}: search {query!r}: {store.count_matches(query)} matches, "
                  f"{len(hits)} shown; median {statistics.median(times):.1f} ms, "
                  f"p95 {times[int(0.95 * RUNS) - 1]:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", help="a PostgreSQL server URL (a fresh database is made there)")
    parser.add_argument("--only", choices=("sqlite", "postgresql"), help="measure one store")
    args = parser.parse_args()
    sources = [str(SHARED / "seeds"), str(SHARED / "data" / "extraction")]
    print(f"load average {os.getloadavg()[0]:.1f} at the start")
    server = REPO / "scripts" / "pg-test-server"
    server_dir = Path(f"/tmp/corroborate-bench-pg-{os.getpid()}")  # the server's user reads it
    with tempfile.TemporaryDirectory() as folder:
        if args.only != "postgresql":
            _measure("sqlite", str(Path(folder) / "bench.db"), sources)
        if args.only == "sqlite":
            return
        url = args.pg or subprocess.run([str(server), "start", str(server_dir), "55498"],
                                        check=True, capture_output=True, text=True
                                        ).stdout.strip()
        name = f"bench_{uuid.uuid4().hex[:8]}"
        create_database(url, name)
        try:
            _measure("postgresql", url.rsplit("/", 1)[0] + "/" + name, sources)
        finally:
            if args.pg is None:
                subprocess.run([str(server), "stop", str(server_dir)], check=False)
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
