"""RSS and Atom feeds to raw documents, with feedparser.

A feed item that carries the article (full `content:encoded`) is taken as it is; one that
carries only a link and a teaser is fetched, when a fetcher is given. Either way the feed's
title, date and author travel with the item as metadata.
"""

from __future__ import annotations

import calendar
import html
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import feedparser

from corroborate.errors import FetchError
from corroborate.ingest.fetch import Fetcher
from corroborate.records import DocFormat, RawDocument, Skip

_FULL_CONTENT_CHARS = 1000  # less than this in the feed is a teaser: fetch the page


def looks_like_feed(content: bytes) -> bool:
    """True when the bytes start like an RSS/Atom/RDF document."""
    head = content[:2048].lstrip().lower()
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    return (head.startswith(b"<?xml") or head.startswith(b"<rss") or head.startswith(b"<feed")) \
        and (b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head)


def read_feed(
    content: bytes, source: str, fetcher: Fetcher | None = None,
    seen: Callable[[list[str]], set[str]] | None = None,
) -> Iterator[RawDocument | Skip]:
    """The articles of a feed; a document that is not a feed is one skip with the reason.

    `seen` is asked, once per feed, which of the items' sources are taken in already: those
    are left out before any page is fetched (the watcher polls the same feed again and again).
    """
    try:
        parsed = feedparser.parse(content)
    except (ValueError, RecursionError) as exc:  # e.g. a character reference past U+10FFFF
        yield Skip(source, f"not a readable feed: {type(exc).__name__}: {exc}")
        return
    if not parsed.entries:
        problem = parsed.get("bozo_exception")
        reason = f"not a feed: {problem}" if problem else "not a feed (no items found)"
        yield Skip(source, reason)
        return
    outlet = parsed.feed.get("title")
    sources = [entry.get("link") or f"{source}#item{i}" for i, entry in enumerate(parsed.entries)]
    known = seen(sources) if seen is not None else set()
    for i, entry in enumerate(parsed.entries):
        link = entry.get("link")
        item_source = sources[i]
        if item_source in known:
            continue
        meta = _entry_meta(entry, outlet)
        body = _entry_content(entry)
        if len(_strip_tags(body)) >= _FULL_CONTENT_CHARS or (body and not (link and fetcher)):
            yield RawDocument(item_source, _as_page(body, meta).encode("utf-8"),
                              DocFormat.HTML, link, meta)
        elif link and fetcher is not None:
            try:
                result = fetcher.fetch(link)
            except FetchError as exc:
                yield Skip(item_source, exc.reason)
                continue
            meta["url"] = result.url
            meta["item"] = item_source  # the feed's name for it, whatever the redirects
            if result.charset:
                meta["charset"] = result.charset
            yield RawDocument(result.url, result.content, DocFormat.HTML, result.url, meta)
        else:
            yield Skip(item_source, "feed item has neither content nor a link to fetch")


def _entry_meta(entry: Any, outlet: str | None) -> dict[str, str]:
    meta: dict[str, str] = {}
    if outlet:
        meta["outlet"] = outlet
    if entry.get("link"):
        meta["url"] = entry["link"]
    if entry.get("title"):
        meta["title"] = html.unescape(entry["title"])
    if entry.get("author"):
        meta["author"] = entry["author"]
    parsed_time = entry.get("published_parsed") or entry.get("updated_parsed")
    if parsed_time:
        # feedparser normalizes item dates to UTC struct_time.
        meta["published"] = datetime.fromtimestamp(calendar.timegm(parsed_time), UTC).isoformat()
    return meta


def _entry_content(entry: Any) -> str:
    contents = entry.get("content") or []
    best = max((c.get("value", "") for c in contents), key=len, default="")
    return best or entry.get("summary", "") or ""


def _as_page(body: str, meta: dict[str, str]) -> str:
    """Wrap a feed item's HTML fragment as a page so the HTML cleaner treats it like one."""
    title = html.escape(meta.get("title", ""))
    return (f"<!DOCTYPE html><html><head><title>{title}</title></head>"
            f"<body><article><h1>{title}</h1>{body}</article></body></html>")


def _strip_tags(fragment: str) -> str:
    return re.sub(r"<[^>]+>", " ", fragment).strip()
