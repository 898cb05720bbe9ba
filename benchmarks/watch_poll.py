"""Polling 200 local feeds with bounded concurrency: polls per second, memory, politeness.

Usage:
    .venv/bin/python benchmarks/watch_poll.py [--feeds 200] [--hosts 10] [--concurrency 16]
        [--per-host-interval 0.05] [--items 5]

Serves `--feeds` RSS feeds (each `--items` items with full text) from `--hosts` local
servers, one per loopback address (127.0.0.1, 127.0.0.2, ...: Linux routes all of 127/8 to
the loopback interface), and polls them all twice with the watcher's poller: round 1 reads
every feed (200 OK, items parsed), round 2 is conditional (every feed answers 304). Prints
polls per second of each round, the items read, Python's peak allocation (tracemalloc)
and the process's peak RSS, and, counted at the servers, the most requests one host got
within one second, against the rate the config allows (1 / per-host interval). Nothing is
stored: this measures the poller, not the pipeline behind it.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import resource
import sys
import tempfile
import threading
import time
import tracemalloc
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from corroborate.store import Store
from corroborate.watch.config import config_from_dict
from corroborate.watch.watcher import Watcher

PARAGRAPH = ("The regional council said on Tuesday that the new bridge over the river would "
             "open in the spring, after two years of works that cost more than planned. ")


def feed_body(feed: int, items: int) -> bytes:
    entries = "".join(
        f"<item><title>Item {i} of feed {feed}</title>"
        f"<link>https://outlet{feed}.example/news/{i}</link>"
        f"<pubDate>Tue, 03 Mar 2026 0{i % 10}:00:00 +0000</pubDate>"
        f"<content:encoded>{html.escape('<p>' + PARAGRAPH * 8 + '</p>')}</content:encoded>"
        "</item>" for i in range(items))
    return ('<?xml version="1.0"?><rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
            f"<title>Outlet {feed}</title><link>https://outlet{feed}.example/</link>"
            f"<description>d</description>{entries}</channel></rss>").encode()


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, address: str, items: int) -> None:
        super().__init__((address, 0), Handler)
        self.items = items
        self.hits: Counter[int] = Counter()  # requests per wall-clock second
        self.lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    server: Server
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        with self.server.lock:
            self.server.hits[int(time.time())] += 1
        if not self.path.startswith("/feed/"):
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = feed_body(int(self.path.rsplit("/", 1)[1].split(".")[0]), self.server.items)
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("ETag", etag)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--hosts", type=int, default=10)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--per-host-interval", type=float, default=0.05)
    parser.add_argument("--items", type=int, default=5)
    args = parser.parse_args()

    servers = [Server(f"127.0.0.{h + 1}", args.items) for h in range(args.hosts)]
    for s in servers:
        threading.Thread(target=s.serve_forever, daemon=True).start()
    urls = [f"http://127.0.0.{f % args.hosts + 1}:{servers[f % args.hosts].server_address[1]}"
            f"/feed/{f}.xml" for f in range(args.feeds)]
    config = config_from_dict({
        "watch": {"allow_private": True, "concurrency": args.concurrency,
                  "per_host_interval": args.per_host_interval},
        "feed": [{"url": u, "interval": 60} for u in urls]})
    tracemalloc.start()
    # a file store: its pool gives each polling thread its own connection (":memory:" is one)
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "watch.db") as store, \
            Watcher(store, config) as watcher:
        rounds = []
        for label in ("round 1 (200 OK, items parsed)", "round 2 (conditional, 304)"):
            started = time.perf_counter()
            polls = watcher.poll(list(config.feeds))
            seconds = time.perf_counter() - started
            errors = [p.error for p in polls if p.error]
            items = sum(len(p.items) for p in polls)
            rounds.append((label, len(polls), seconds, items,
                           sum(p.not_modified for p in polls), errors))
            with store.writer() as w:  # keep the validators, as the watcher does
                for p in polls:
                    w.watch.save_feed(p.feed.url, etag=p.etag, last_modified=p.last_modified,
                                      next_due=0, failures=0, status="ok")
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for s in servers:
        s.shutdown()

    print(f"{args.feeds} feeds on {args.hosts} hosts, concurrency {args.concurrency}, "
          f"per-host interval {args.per_host_interval:g} s")
    for label, n, seconds, items, not_modified, errors in rounds:
        print(f"{label}: {n} polls in {seconds:.2f} s = {n / seconds:.1f} polls/s, "
              f"{items} items, {not_modified} not modified, {len(errors)} errors"
              + (f" (first: {errors[0]})" if errors else ""))
    allowed = 1 / args.per_host_interval
    busiest = max(max(s.hits.values(), default=0) for s in servers)
    print(f"busiest host-second: {busiest} requests (allowed {allowed:g}/s, so at most "
          f"{int(allowed) + 1} in a clock second)")
    print(f"memory: tracemalloc peak {peak / 1e6:.1f} MB, max RSS {rss_mb:.0f} MB")
    ok = busiest <= int(allowed) + 1 and not any(r[5] for r in rounds)
    print("politeness: OK" if ok else "politeness or errors: FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
