"""Polling, against local servers: conditional GET (304), per-host spacing under concurrency,
back-off on a failing feed, robots.txt, URL lists, and the SSRF guard kept by default."""

from __future__ import annotations

import threading
import time
from itertools import pairwise
from pathlib import Path

from feed_server import FEED_PATHS, FeedServer, serving

from corroborate.ingest.fetch import Fetcher, FetchPolicy
from corroborate.store import Store
from corroborate.watch.config import FeedConfig, config_from_dict
from corroborate.watch.polling import HostGate, PoliteFetcher, backoff_s, poll_feed
from corroborate.watch.watcher import Watcher

ALLOW = FetchPolicy(allow_private=True)


def _none_seen(_keys: list[str]) -> set[str]:
    return set()


def test_conditional_get_answers_not_modified_until_the_feed_changes() -> None:
    with serving(FeedServer()) as server, Fetcher(ALLOW) as fetcher:
        server.step = 1
        url = server.feed_urls()[0]
        first = fetcher.fetch(url)
        assert first.etag and first.last_modified and not first.not_modified
        again = fetcher.fetch(url, etag=first.etag, last_modified=first.last_modified)
        assert again.not_modified and again.content == b""
        server.step = 0  # the feed changes: a body again
        changed = fetcher.fetch(url, etag=first.etag)
        assert not changed.not_modified and changed.etag != first.etag


def test_host_gate_spaces_requests_to_one_host_across_threads() -> None:
    with serving(FeedServer()) as server:
        times: list[float] = []
        lock = threading.Lock()

        class Timed(PoliteFetcher):
            def _get_once(self, url, headers=None):  # type: ignore[no-untyped-def]
                result = super()._get_once(url, headers)
                with lock:
                    times.append(time.monotonic())
                return result

        gate = HostGate(0.1)
        with Timed(FetchPolicy(allow_private=True, respect_robots=False), gate) as fetcher:
            threads = [threading.Thread(target=fetcher.fetch, args=(url,))
                       for url in server.feed_urls() * 2]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        times.sort()
        gaps = [b - a for a, b in pairwise(times)]
        assert len(times) == 8
        assert min(gaps) >= 0.08, gaps  # one host: never two requests within the interval


def test_a_failing_feed_backs_off_and_keeps_its_state(db_path: Path) -> None:
    with serving(FeedServer()) as server:
        feed = {"url": server.base + "/missing.xml", "interval": 60}
        config = config_from_dict({"watch": {"allow_private": True, "per_host_interval": 0,
                                             "max_backoff": 3600}, "feed": [feed]})
        now = [1000.0]
        with Store(db_path) as store, Watcher(store, config, clock=lambda: now[0]) as w:
            for expected_failures in (1, 2, 3):
                done = w.run_once(force=True)
                assert done.failed == 1
                state = store.watch.feed_states()[feed["url"]]
                assert state.failures == expected_failures
                assert state.next_due == now[0] + 60 * 2 ** expected_failures
                assert "404" in state.last_status
        assert backoff_s(FeedConfig("u", interval_s=60), 20, 3600) == 3600
        assert backoff_s(FeedConfig("u", interval_s=60), 0, 3600) == 60


def test_robots_txt_and_the_ssrf_guard_apply_to_feeds() -> None:
    with serving(FeedServer()) as server:
        server.bodies["/robots.txt"] = b"User-agent: *\nDisallow: /the-alpine-courier.xml\n"
        feed = FeedConfig(server.feed_urls()[0])
        with Fetcher(ALLOW) as fetcher:
            poll = poll_feed(feed, fetcher, _none_seen, None, None)
        assert poll.error and "robots.txt" in poll.error
        with Fetcher(FetchPolicy()) as fetcher:  # the default: loopback refused
            poll = poll_feed(FeedConfig(server.feed_urls()[1]), fetcher, _none_seen, None, None)
        assert poll.error and poll.error.startswith("refused")


def test_a_url_list_fetches_each_new_url_once() -> None:
    with serving(FeedServer()) as server:
        server.step = 4
        page = b"<html><body><article>" + b"<p>Some words of an article.</p>" * 5 + \
            b"</article></body></html>"
        server.bodies["/a.html"] = page
        server.bodies["/list.txt"] = (f"{server.base}/a.html\n# a comment\n"
                                      f"{server.base}/gone.html\n").encode()
        feed = FeedConfig(server.base + "/list.txt", kind="urls")
        with Fetcher(ALLOW) as fetcher:
            poll = poll_feed(feed, fetcher, _none_seen, None, None)
            assert [type(i).__name__ for i in poll.items] == ["RawDocument", "Skip"]
            assert not poll.complete  # the failed page: the validators must not move on
            seen = poll_feed(feed, fetcher, lambda keys: set(keys), None, None)
            assert seen.items == []
        assert server.requests["/a.html"] == 1
        assert len(FEED_PATHS) == 4
