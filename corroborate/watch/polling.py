"""Polling feeds politely: per-host spacing, conditional GET, back-off on errors.

Every request to a host (robots.txt, the feed, the pages its items link to, redirects) goes
through one `HostGate`, so however many feeds share a host and however many threads poll,
that host sees at most one request per `per_host_interval_s`. The fetcher is ingest's own,
so the SSRF guard, robots.txt and size caps apply unchanged.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import httpx

from corroborate.errors import FetchError
from corroborate.ingest.feeds import looks_like_feed, read_feed
from corroborate.ingest.fetch import Fetcher, FetchPolicy, FetchResult
from corroborate.records import DocFormat, RawDocument, Skip
from corroborate.watch.config import FeedConfig


class Stopped(Exception):
    """The watcher was asked to stop while a poll waited for its turn at a host."""


class HostGate:
    """Hands out request slots per host, `interval_s` apart, to any number of threads."""

    def __init__(self, interval_s: float, stop: threading.Event | None = None) -> None:
        self.interval_s = interval_s
        self.stop = stop or threading.Event()
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, host: str) -> None:
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._next.get(host, 0.0))
            self._next[host] = slot + self.interval_s
        if slot > now and self.stop.wait(slot - now):
            raise Stopped


class PoliteFetcher(Fetcher):
    """Ingest's fetcher, each request waiting for its host's slot."""

    def __init__(self, policy: FetchPolicy, gate: HostGate) -> None:
        super().__init__(policy)
        self.gate = gate

    def _get_once(self, url: httpx.URL, headers: dict[str, str] | None = None
                  ) -> tuple[str | None, FetchResult | None]:
        self.gate.wait(url.host.lower())
        return super()._get_once(url, headers)


@dataclass(slots=True)
class Poll:
    """One feed's poll: its new items and the validators to keep once they are stored."""

    feed: FeedConfig
    items: list[RawDocument | Skip] = field(default_factory=list)
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    error: str | None = None  # the feed itself failed (the poll backs off)

    @property
    def complete(self) -> bool:
        """Every item was read: the validators may move on (else the next poll must read
        the whole feed again, to retry the item pages that failed)."""
        return not any(isinstance(item, Skip) for item in self.items)


Seen = Callable[[list[str]], set[str]]


def poll_feed(feed: FeedConfig, fetcher: Fetcher, seen: Seen, etag: str | None,
              last_modified: str | None) -> Poll:
    """Fetch a feed (conditionally) and the items not seen yet; never raises FetchError."""
    poll = Poll(feed, etag=etag, last_modified=last_modified)
    try:
        result = fetcher.fetch(feed.url, etag=etag, last_modified=last_modified)
    except FetchError as exc:
        poll.error = exc.reason
        return poll
    if result.not_modified:
        poll.not_modified = True
        return poll
    poll.etag, poll.last_modified = result.etag, result.last_modified
    if feed.kind == "urls":
        poll.items = list(_read_url_list(result.content, fetcher, seen))
    else:
        items = list(read_feed(result.content, feed.url, fetcher, seen))
        if len(items) == 1 and isinstance(items[0], Skip) and items[0].source == feed.url:
            if not (looks_like_feed(result.content) and "no items" in items[0].reason):
                poll.error = items[0].reason  # not a feed at all (an empty one is fine)
        else:
            poll.items = items
    return poll


def _read_url_list(content: bytes, fetcher: Fetcher, seen: Seen
                   ) -> Iterator[RawDocument | Skip]:
    urls = [line.strip() for line in content.decode("utf-8", "replace").splitlines()]
    urls = list(dict.fromkeys(u for u in urls if u.startswith(("http://", "https://"))))
    known = seen(urls)
    for url in urls:
        if url in known:
            continue
        try:
            page = fetcher.fetch(url)
        except FetchError as exc:
            yield Skip(url, exc.reason)
            continue
        meta = {"url": page.url}
        if page.charset:
            meta["charset"] = page.charset
        yield RawDocument(url, page.content, DocFormat.HTML, page.url, meta)


def backoff_s(feed: FeedConfig, failures: int, cap_s: float) -> float:
    """How long to wait before polling a feed again after `failures` failures in a row."""
    if failures <= 0:
        return feed.interval_s
    return min(feed.interval_s * 2 ** min(failures, 16), cap_s)
