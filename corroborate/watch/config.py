"""The watcher's config file (TOML): which feeds and URL lists to poll, how often, and how
politely. Read once at start-up; errors name the file and the entry."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corroborate.errors import UsageError

KINDS = ("feed", "urls")  # an RSS/Atom feed, or a text file listing article URLs


@dataclass(frozen=True, slots=True)
class FeedConfig:
    url: str
    kind: str = "feed"
    interval_s: float = 900.0  # how often to poll it


@dataclass(frozen=True, slots=True)
class WatchConfig:
    feeds: tuple[FeedConfig, ...]
    per_host_interval_s: float = 1.0  # at most one request per host this often
    concurrency: int = 8  # feeds polled at once
    max_backoff_s: float = 6 * 3600.0  # a failing feed is retried at most this rarely
    allow_private: bool = False  # loopback/private addresses (tests, intranets)
    respect_robots: bool = True
    base_url: str = "http://127.0.0.1:8000"  # where the web app serves stories (alert links)
    workers: int = 1  # processes cleaning and extracting new items
    extra: dict[str, Any] = field(default_factory=dict)


def load_config(path: str | Path) -> WatchConfig:
    """Read and check a watch config file."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"cannot read watch config {path}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"watch config {path} is not valid TOML: {exc}") from None
    return config_from_dict(data, str(path))


def config_from_dict(data: dict[str, Any], where: str = "config") -> WatchConfig:
    watch = data.get("watch", {})
    default_interval = float(watch.get("interval", 900))
    feeds = []
    for i, entry in enumerate(data.get("feed", [])):
        url = entry.get("url")
        kind = entry.get("kind", "feed")
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise UsageError(f"{where}: [[feed]] #{i + 1} needs an http(s) url")
        if kind not in KINDS:
            raise UsageError(f"{where}: [[feed]] {url}: kind must be one of {', '.join(KINDS)}")
        interval = float(entry.get("interval", default_interval))
        if interval <= 0:
            raise UsageError(f"{where}: [[feed]] {url}: interval must be positive")
        feeds.append(FeedConfig(url, kind, interval))
    if not feeds:
        raise UsageError(f"{where}: no [[feed]] entries: nothing to watch")
    return WatchConfig(
        tuple(feeds),
        per_host_interval_s=float(watch.get("per_host_interval", 1.0)),
        concurrency=max(1, int(watch.get("concurrency", 8))),
        max_backoff_s=float(watch.get("max_backoff", 6 * 3600)),
        allow_private=bool(watch.get("allow_private", False)),
        respect_robots=bool(watch.get("respect_robots", True)),
        base_url=str(watch.get("base_url", "http://127.0.0.1:8000")).rstrip("/"),
        workers=int(watch.get("workers", 1)),
    )
