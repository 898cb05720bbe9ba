"""The watcher's state (migrations 0012 and 0013): polled feeds, items seen, watchlists,
alert baselines, alerts and webhook deliveries.

Everything `corroborate watch` must remember across a restart lives here, so a killed
watcher loses and repeats nothing: an item is marked seen in the transaction that stores its
article; a story's alert baseline moves on in the transaction that records its alerts; an
alert's key is unique, so the same alert is never raised twice.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine

from corroborate.store.dialect import marks

WATCHLIST_KINDS = ("entity", "place", "outlet", "words", "similar", "story")


@dataclass(frozen=True, slots=True)
class FeedState:
    """What the watcher remembers of one polled feed."""

    url: str
    etag: str | None
    last_modified: str | None
    next_due: float  # unix seconds
    failures: int  # consecutive failed polls: the back-off grows with them
    last_status: str
    last_polled: str | None


@dataclass(frozen=True, slots=True)
class Watchlist:
    """A saved query over stories; alerts are raised per watchlist."""

    id: int
    name: str
    kind: str  # one of WATCHLIST_KINDS
    query: str
    created_at: str
    webhook_url: str | None = None
    webhook_secret: str | None = None


@dataclass(frozen=True, slots=True)
class Alert:
    """One alert as stored: what happened to which story, with the evidence."""

    id: int
    key: str
    watchlist_id: int
    story_id: int
    kind: str
    title: str
    detail: str
    evidence: tuple[dict[str, Any], ...]
    created_at: str


@dataclass(frozen=True, slots=True)
class Delivery:
    """A webhook post owed for an alert."""

    alert: Alert
    url: str
    secret: str
    attempts: int


class WatchReads:
    """Read-only queries (one short connection each)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def feed_states(self) -> dict[str, FeedState]:
        with self.engine.connect() as conn:
            rows = conn.exec_driver_sql(f"SELECT {_FEED_COLUMNS} FROM watch_feeds").all()
        return {r[0]: FeedState(*r) for r in rows}

    def seen(self, feed_url: str, keys: Iterable[str]) -> set[str]:
        """Which of these item keys of a feed are stored already."""
        keys = list(keys)
        if not keys:
            return set()
        with self.engine.connect() as conn:
            rows = conn.exec_driver_sql(
                "SELECT item_key FROM watch_seen WHERE feed_url = ? AND item_key IN "
                f"({marks(len(keys))})", (feed_url, *keys)).all()
        return {r[0] for r in rows}

    def seen_count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.exec_driver_sql("SELECT COUNT(*) FROM watch_seen").scalar() or 0)

    def watchlists(self) -> list[Watchlist]:
        with self.engine.connect() as conn:
            rows = conn.exec_driver_sql(
                f"SELECT {_WATCHLIST_COLUMNS} FROM watchlists ORDER BY id").all()
        return [Watchlist(*r) for r in rows]

    def watchlist(self, watchlist_id: int) -> Watchlist | None:
        with self.engine.connect() as conn:
            row = conn.exec_driver_sql(
                f"SELECT {_WATCHLIST_COLUMNS} FROM watchlists WHERE id = ?",
                (watchlist_id,)).first()
        return Watchlist(*row) if row else None

    def changed_stories(self) -> list[tuple[int, str]]:
        """(story id, check state) of live stories whose current stored cross-check differs
        from what their alerts were last computed from (or that never had alerts computed)."""
        with self.engine.connect() as conn:
            rows = conn.exec_driver_sql(
                "SELECT c.story_id, c.version || ':' || c.state FROM story_checks c "
                "LEFT JOIN watch_baselines b ON b.story_id = c.story_id "
                "LEFT JOIN story_checks_stale q ON q.story_id = c.story_id "
                "WHERE q.story_id IS NULL "
                "AND c.story_id IN (SELECT story_id FROM story_members) "
                "AND (b.story_id IS NULL OR b.computed_at != c.version || ':' || c.state) "
                "ORDER BY c.story_id").all()
        return [(r[0], r[1]) for r in rows]

    def baseline(self, story_id: int) -> dict[str, Any] | None:
        """The digest alerts were last computed from; for a story that absorbed others
        (merges), the newest of theirs."""
        with self.engine.connect() as conn:
            data = conn.exec_driver_sql(
                "SELECT digest FROM watch_baselines WHERE story_id = ?", (story_id,)).scalar()
            if data is None:
                data = conn.exec_driver_sql(
                    "SELECT b.digest FROM watch_baselines b JOIN stories s ON s.id = b.story_id "
                    "WHERE s.merged_into = ? ORDER BY b.story_id DESC LIMIT 1",
                    (story_id,)).scalar()
        return json.loads(data) if data else None

    def alerts(self, watchlist_id: int | None = None, *, after: int = 0,
               limit: int = 100) -> list[Alert]:
        """Newest first; `after` gives only alerts with a larger id."""
        where, args = "WHERE id > ?", [after]
        if watchlist_id is not None:
            where += " AND watchlist_id = ?"
            args.append(watchlist_id)
        with self.engine.connect() as conn:
            rows = conn.exec_driver_sql(
                f"SELECT {_ALERT_COLUMNS} FROM alerts {where} ORDER BY id DESC LIMIT ?",
                (*args, limit)).all()
        return [_alert(r) for r in rows]

    def due_deliveries(self, now: float, limit: int = 100) -> list[Delivery]:
        """Webhook posts not yet delivered whose next try is due, oldest alert first."""
        with self.engine.connect() as conn:
            rows = conn.exec_driver_sql(
                f"SELECT {_PREFIXED_ALERT_COLUMNS}, d.url, "
                "COALESCE(w.webhook_secret, ''), d.attempts FROM alert_deliveries d "
                "JOIN alerts a ON a.id = d.alert_id JOIN watchlists w ON w.id = a.watchlist_id "
                "WHERE d.delivered_at IS NULL AND d.next_try <= ? ORDER BY a.id LIMIT ?",
                (now, limit)).all()
        return [Delivery(_alert(r[:9]), r[9], r[10], r[11]) for r in rows]

    def deliveries(self, alert_id: int) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.exec_driver_sql(
                "SELECT url, attempts, delivered_at, last_error FROM alert_deliveries "
                "WHERE alert_id = ?", (alert_id,)).all()
        return [dict(r._mapping) for r in rows]


class WatchWrites:
    """Writes inside the caller's transaction (a `Store.writer()` block)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def save_feed(self, url: str, *, etag: str | None, last_modified: str | None,
                  next_due: float, failures: int, status: str) -> None:
        self.conn.exec_driver_sql(
            "INSERT INTO watch_feeds (url, etag, last_modified, next_due, failures, "
            "last_status, last_polled) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (url) DO UPDATE "
            "SET etag = excluded.etag, last_modified = excluded.last_modified, "
            "next_due = excluded.next_due, failures = excluded.failures, "
            "last_status = excluded.last_status, last_polled = excluded.last_polled",
            (url, etag, last_modified, next_due, failures, status, _now()))

    def mark_seen(self, feed_url: str, key: str, article_id: int | None) -> None:
        self.conn.exec_driver_sql(
            "INSERT INTO watch_seen (feed_url, item_key, article_id, seen_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING", (feed_url, key, article_id, _now()))

    def add_watchlist(self, name: str, kind: str, query: str, *,
                      webhook_url: str | None = None, webhook_secret: str | None = None) -> int:
        return int(self.conn.exec_driver_sql(
            "INSERT INTO watchlists (name, kind, query, created_at, webhook_url, "
            "webhook_secret) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            (name, kind, query, _now(), webhook_url, webhook_secret)).scalar_one())

    def remove_watchlist(self, watchlist_id: int) -> bool:
        self.conn.exec_driver_sql(
            "DELETE FROM alert_deliveries WHERE alert_id IN "
            "(SELECT id FROM alerts WHERE watchlist_id = ?)", (watchlist_id,))
        self.conn.exec_driver_sql("DELETE FROM alerts WHERE watchlist_id = ?", (watchlist_id,))
        return bool(self.conn.exec_driver_sql(
            "DELETE FROM watchlists WHERE id = ?", (watchlist_id,)).rowcount)

    def save_baseline(self, story_id: int, digest: dict[str, Any], state: str) -> None:
        self.conn.exec_driver_sql(
            "INSERT INTO watch_baselines (story_id, digest, computed_at) VALUES (?, ?, ?) "
            "ON CONFLICT (story_id) DO UPDATE SET digest = excluded.digest, "
            "computed_at = excluded.computed_at",
            (story_id, json.dumps(digest, ensure_ascii=False), state))

    def add_alert(self, key: str, watchlist: Watchlist, story_id: int, kind: str, title: str,
                  detail: str, evidence: Sequence[dict[str, Any]]) -> int | None:
        """Record an alert (and its webhook delivery, if the watchlist has one); None when
        an alert with this key exists already."""
        alert_id = self.conn.exec_driver_sql(
            "INSERT INTO alerts (key, watchlist_id, story_id, kind, title, detail, "
            "evidence, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT DO NOTHING RETURNING id",
            (key, watchlist.id, story_id, kind, title, detail,
             json.dumps(list(evidence), ensure_ascii=False), _now())).scalar()
        if alert_id is None:
            return None
        if watchlist.webhook_url:
            self.conn.exec_driver_sql(
                "INSERT INTO alert_deliveries (alert_id, url) VALUES (?, ?) "
                "ON CONFLICT DO NOTHING",
                (alert_id, watchlist.webhook_url))
        return alert_id

    def delivered(self, alert_id: int, url: str) -> None:
        self.conn.exec_driver_sql(
            "UPDATE alert_deliveries SET delivered_at = ?, attempts = attempts + 1, "
            "last_error = '' WHERE alert_id = ? AND url = ?", (_now(), alert_id, url))

    def delivery_failed(self, alert_id: int, url: str, error: str, next_try: float) -> None:
        self.conn.exec_driver_sql(
            "UPDATE alert_deliveries SET attempts = attempts + 1, last_error = ?, "
            "next_try = ? WHERE alert_id = ? AND url = ?", (error[:500], next_try, alert_id, url))


_FEED_COLUMNS = "url, etag, last_modified, next_due, failures, last_status, last_polled"
_WATCHLIST_COLUMNS = "id, name, kind, query, created_at, webhook_url, webhook_secret"
_ALERT_COLUMNS = "id, key, watchlist_id, story_id, kind, title, detail, evidence, created_at"
_PREFIXED_ALERT_COLUMNS = ", ".join(f"a.{c}" for c in _ALERT_COLUMNS.split(", "))


def _alert(row: Any) -> Alert:
    return Alert(row[0], row[1], row[2], row[3], row[4], row[5], row[6],
                 tuple(json.loads(row[7])), row[8])


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
