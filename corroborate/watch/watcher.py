"""The watcher: rounds of poll → ingest → cluster → cross-check → alerts → webhooks.

All its state is in the store, so a new `Watcher` over the same store (a restarted process)
carries on where the last one stopped. Each feed's new items are stored in one transaction
that also marks them seen and moves the feed's validators on: a crash before that commit
leaves the feed to be read again in full, a crash after it finds the items seen. Alerts are
raised in one transaction per story with the story's new baseline (alerts.py), so they too
are neither lost nor repeated.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from corroborate import pipeline
from corroborate.ingest.fetch import FetchPolicy
from corroborate.ingest.options import IngestOptions
from corroborate.records import IngestEvent, Outcome, RawDocument, Skip
from corroborate.store import Store, StoreWriter
from corroborate.store.watch import Alert
from corroborate.watch.alerts import changes, digest
from corroborate.watch.config import FeedConfig, WatchConfig
from corroborate.watch.polling import HostGate, PoliteFetcher, Poll, Stopped, backoff_s, poll_feed
from corroborate.watch.watchlists import matches
from corroborate.watch.webhooks import deliver_due

log = logging.getLogger(__name__)
BeforeCommit = Callable[[FeedConfig, list[RawDocument | Skip]], None]


@dataclass(slots=True)
class Round:
    """What one round did."""

    polled: int = 0
    not_modified: int = 0
    failed: int = 0
    stored: int = 0  # new articles
    alerts: list[Alert] = field(default_factory=list)
    delivered: int = 0
    undelivered: int = 0


class Watcher:
    """Polls the configured feeds into `store`, raising alerts for its watchlists.

    `before_commit(feed, items)` runs inside each feed's store transaction just before it
    commits (a test injects a crash there); `clock` gives unix seconds (tests step it).
    """

    def __init__(self, store: Store, config: WatchConfig, *,
                 stop: threading.Event | None = None,
                 before_commit: BeforeCommit | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.config = config
        self.stop = stop or threading.Event()
        self.before_commit = before_commit
        self.clock = clock
        self.gate = HostGate(config.per_host_interval_s, self.stop)
        self.fetcher = PoliteFetcher(FetchPolicy(allow_private=config.allow_private,
                                                 respect_robots=config.respect_robots),
                                     self.gate)
        self.options = IngestOptions(allow_private=config.allow_private,
                                     respect_robots=config.respect_robots,
                                     workers=config.workers)

    def close(self) -> None:
        self.fetcher.close()

    def __enter__(self) -> Watcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- rounds --------------------------------------------------------------------------

    def run_forever(self, on_round: Callable[[Round], None] | None = None) -> None:
        """Rounds until `stop` is set (SIGTERM): a round in progress finishes its current
        step; a failed round is logged and the next one tries again."""
        while not self.stop.is_set():
            try:
                done = self.run_once()
                if on_round is not None:
                    on_round(done)
            except Stopped:
                break
            except Exception:
                log.exception("a watch round failed; trying again next round")
            self.stop.wait(max(0.5, min(60.0, self.next_due() - self.clock())))

    def run_once(self, *, force: bool = False) -> Round:
        """Poll the feeds that are due (all of them with `force`), store what is new, and
        raise and deliver the alerts it leads to."""
        done = Round()
        polls = self.poll(self.due_feeds(force))
        for p in polls:
            done.polled += 1
            done.not_modified += p.not_modified
            done.failed += p.error is not None
            done.stored += self._store(p)
        if done.stored:
            pipeline.cluster_stored(self.store)
        pipeline.recompute_stale(self.store, should_stop=self.stop.is_set)
        done.alerts = self.raise_alerts()
        done.delivered, done.undelivered = deliver_due(
            self.store, self.config.base_url, allow_private=self.config.allow_private,
            now=self.clock())
        return done

    def due_feeds(self, force: bool = False) -> list[FeedConfig]:
        states = self.store.watch.feed_states()
        now = self.clock()
        return [f for f in self.config.feeds
                if force or f.url not in states or states[f.url].next_due <= now]

    def next_due(self) -> float:
        states = self.store.watch.feed_states()
        return min((states[f.url].next_due if f.url in states else 0.0)
                   for f in self.config.feeds)

    def poll(self, feeds: list[FeedConfig]) -> list[Poll]:
        """Poll feeds concurrently (bounded by the config), in config order."""
        states = self.store.watch.feed_states()

        def one(feed: FeedConfig) -> Poll:
            state = states.get(feed.url)
            seen = lambda keys: self.store.watch.seen(feed.url, keys)  # noqa: E731
            return poll_feed(feed, self.fetcher, seen, state.etag if state else None,
                             state.last_modified if state else None)

        # an in-memory store is one connection, which threads must not share
        if len(feeds) <= 1 or self.config.concurrency <= 1 or self.store.path == ":memory:":
            return [one(f) for f in feeds]
        with ThreadPoolExecutor(max_workers=self.config.concurrency) as pool:
            return list(pool.map(one, feeds))

    def _store(self, poll: Poll) -> int:
        """Store a poll's items, marking them seen and saving the feed's state, in one
        transaction; the number of new articles."""
        states = self.store.watch.feed_states()
        old = states.get(poll.feed.url)
        failures = (old.failures + 1 if old else 1) if poll.error else 0
        now = self.clock()
        keep_old = poll.error is not None or not poll.complete
        etag = (old.etag if old else None) if keep_old else poll.etag
        modified = (old.last_modified if old else None) if keep_old else poll.last_modified
        status = poll.error or ("not modified" if poll.not_modified else "ok")
        if poll.error:
            log.warning("polling %s failed (%d in a row): %s", poll.feed.url, failures,
                        poll.error)

        def record(w: StoreWriter, done: list[tuple[RawDocument | Skip, IngestEvent]]) -> None:
            for item, event in done:
                # stored, a duplicate, or refused by the cleaner for good: seen. An item whose
                # page could not be fetched is a Skip here, not marked: the next poll retries.
                if isinstance(item, RawDocument):
                    w.watch.mark_seen(poll.feed.url, item.meta.get("item") or item.source,
                                      event.article_id)
            w.watch.save_feed(poll.feed.url, etag=etag, last_modified=modified,
                              next_due=now + backoff_s(poll.feed, failures,
                                                       self.config.max_backoff_s),
                              failures=failures, status=status)
            if self.before_commit is not None:
                self.before_commit(poll.feed, poll.items)

        events = pipeline.ingest_documents(poll.items, self.store, self.options, record)
        return sum(e.outcome in (Outcome.INGESTED, Outcome.NEAR_DUPLICATE) for e in events)

    # -- alerts --------------------------------------------------------------------------

    def raise_alerts(self) -> list[Alert]:
        """Alerts for every story whose stored cross-check moved on since its last alerts,
        each story's alerts and new baseline in one transaction; the new alerts, in order."""
        watchlists = self.store.watch.watchlists()
        raised: list[int] = []
        for story_id, state in self.store.watch.changed_stories():
            story = self.store.stories.get(story_id)
            if story is None:
                continue
            stored = self.store.checks.of_story(story)
            if stored.check is None:
                continue
            before = self.store.watch.baseline(story.id)
            found = changes(before, story, stored.check)
            watching = [wl for wl in watchlists if matches(wl, story, stored.check)]
            with self.store.writer() as w:
                for wl in watching:
                    if before is not None:  # a story that newly matches is new to the list
                        found_here = [*changes(None, story, stored.check), *found]
                    else:
                        found_here = found
                    for change in found_here:
                        alert_id = w.watch.add_alert(
                            f"w{wl.id}:s{story.id}:{change.key}", wl, story.id, change.kind,
                            change.title, change.detail, change.evidence)
                        if alert_id is not None:
                            raised.append(alert_id)
                w.watch.save_baseline(story.id, digest(story, stored.check), state)
        by_id = {a.id: a for a in self.store.watch.alerts(limit=max(1, len(raised)) + 100)}
        return [by_id[i] for i in raised if i in by_id]

