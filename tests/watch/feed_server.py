"""Local HTTP servers for the watch tests: a feed server publishing the four steps of
story_steps.py (with ETag / Last-Modified, so conditional GETs get 304s) and a webhook
receiver keeping what it was posted. Both on 127.0.0.1, each in a thread."""

from __future__ import annotations

import hashlib
import html
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from story_steps import STEPS, article_html


def slug(outlet: str) -> str:
    return outlet.lower().replace(" ", "-")


def rss(outlet: int, step: int) -> bytes:
    """One outlet's feed after `step` steps (its article once its step has come): full text
    in content:encoded, the link on the outlet's own (unresolvable) host, as real feeds."""
    s = STEPS[outlet]
    host = slug(s.outlet) + ".example"
    item = "" if step <= outlet else (
        f"<item><title>{html.escape(s.title)}</title>"
        f"<link>https://{host}/{s.slug}</link><guid>{s.slug}</guid>"
        f"<pubDate>{s.published}</pubDate>"
        f"<content:encoded>{html.escape(article_html(s))}</content:encoded></item>")
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>{html.escape(s.outlet)}</title><link>https://{host}/</link>"
        f"<description>News</description>{item}</channel></rss>"
    ).encode()


FEED_PATHS = {f"/{slug(s.outlet)}.xml": i for i, s in enumerate(STEPS)}


class FeedServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _FeedHandler)
        self.step = 0
        self.requests: Counter[str] = Counter()
        self.not_modified = 0
        self.bodies: dict[str, bytes] = {}  # extra paths: path -> body

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def feed_urls(self) -> list[str]:
        return [self.base + path for path in FEED_PATHS]


class _FeedHandler(BaseHTTPRequestHandler):
    server: FeedServer

    def do_GET(self) -> None:
        self.server.requests[self.path] += 1
        if self.path in FEED_PATHS:
            body = rss(FEED_PATHS[self.path], self.server.step)
        elif self.path in self.server.bodies:
            body = self.server.bodies[self.path]
        else:
            self.send_error(404)
            return
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        modified = f"Tue, 03 Mar 2026 {8 + self.server.step:02d}:00:00 GMT"
        if self.headers.get("If-None-Match") == etag:
            self.server.not_modified += 1
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", modified)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


class HookServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, fail_first: int = 0) -> None:
        super().__init__(("127.0.0.1", 0), _HookHandler)
        self.posts: list[tuple[dict[str, str], bytes]] = []
        self.fail_first = fail_first  # answer 503 to this many posts first
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hook"


class _HookHandler(BaseHTTPRequestHandler):
    server: HookServer

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with self.server.lock:
            if self.server.fail_first > 0:
                self.server.fail_first -= 1
                self.send_response(503)
                self.end_headers()
                return
            self.server.posts.append((dict(self.headers.items()), body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@contextmanager
def serving(server: ThreadingHTTPServer) -> Iterator[Any]:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
