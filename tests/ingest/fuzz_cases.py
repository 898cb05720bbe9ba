"""Random and mutated inputs for every reader, seeded, for the fuzz test and its benchmark.

Each format starts from a few valid samples (so mutations land in real structure: WARC
headers, JSON nesting, feed items) and mutates them: flipped, cut, repeated, spliced bytes,
tokens that parsers treat specially, gzip wrappers that are themselves damaged. One case in
ten is plain random bytes. `check_case` ingests one case the way a run does and returns
what went wrong, or None when every input was either stored or skipped with a reason.
"""

from __future__ import annotations

import functools
import gzip
import io
import json
import random
from collections.abc import Iterator
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from corroborate.errors import FetchError
from corroborate.ingest.fetch import FetchResult
from corroborate.ingest.sources import iter_sources
from corroborate.pipeline import IngestOptions, _Pending, _store_batch, prepare
from corroborate.records import Outcome, RawDocument
from corroborate.store import Store

FORMATS = ("html", "text", "json", "jsonl", "warc", "rss", "atom", "urls")
SUFFIXES = {"html": ".html", "text": ".txt", "json": ".json", "jsonl": ".jsonl",
            "warc": ".warc", "rss": ".rss", "atom": ".atom", "urls": ".urls"}
GZIPPABLE = {"html", "text", "json", "jsonl", "warc"}

_PARAGRAPH = ("The harbour authority closed the swing bridge on Tuesday after engineers found "
              "hairline cracks in the steel girders of its main span, officials said. ")
_TOKENS = (b"<", b"</", b">", b"<![CDATA[", b"]]>", b"&#0;", b"&#x110000;", b"\x00", b"{",
           b"}", b"[", b"]", b'"', b"\\u0000", b"\\ud800", b"\r\n", b"\r\n\r\n",
           b"Content-Length: 99999999", b"Content-Length: -5", b"WARC/1.0\r\n",
           b"WARC-Type: response\r\n", b"HTTP/1.1 200 OK\r\n", b"<rss>", b"<item>",
           b"<entry>", b"<link>", b"http://", b"https://x/", b"1e999999", b"-1",
           b"99999999999999999999999", b"\xff\xfe", b"\xef\xbb\xbf", b"\xc3\x28", b"[" * 3000,
           b"{\"a\":" * 2000, b"<div>" * 2000, b"<!--", b"<?xml version=\"1.0\"?>",
           b"<pubDate>Mon, 99 Foo 99999 99:99:99 +9999</pubDate>",
           b"<published>99999-01-01T00:00:00Z</published>")


def _page(i: int) -> str:
    body = "".join(f"<p>{_PARAGRAPH}Item {i}, paragraph {k}.</p>" for k in range(6))
    return (f"<!DOCTYPE html><html><head><title>Bridge closed {i}</title></head>"
            f"<body><article><h1>Bridge closed {i}</h1>{body}</article></body></html>")


def _warc(pages: int) -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=False)
    for i in range(pages):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                   protocol="HTTP/1.1")
        fixed = {"WARC-Record-ID": f"<urn:uuid:00000000-0000-0000-0000-{i:012d}>",
                 "WARC-Date": "2024-07-02T10:00:00Z"}  # the same bytes every run
        writer.write_record(writer.create_warc_record(
            f"https://example.com/{i}", "response", payload=io.BytesIO(_page(i).encode()),
            http_headers=headers, warc_headers_dict=fixed))
    return buf.getvalue()


def _rss() -> bytes:
    items = "".join(
        f"<item><title>Bridge {i}</title><link>https://example.com/{i}</link>"
        f"<pubDate>Tue, 0{i + 1} Jul 2024 10:00:00 GMT</pubDate>"
        f"<description><![CDATA[{_PARAGRAPH * (12 if i else 1)}]]></description></item>"
        for i in range(3))
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour News</title>'
            f"{items}</channel></rss>").encode()


def _atom() -> bytes:
    entries = "".join(
        f'<entry><title>Bridge {i}</title><link href="https://example.com/{i}"/>'
        f"<updated>2024-07-0{i + 1}T10:00:00Z</updated><author><name>M. Olsen</name></author>"
        f'<content type="html">{_PARAGRAPH * (12 if i else 1)}</content></entry>'
        for i in range(3))
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>Harbour News</title>{entries}</feed>").encode()


@functools.cache
def samples(fmt: str) -> list[bytes]:
    """Valid inputs of one format, the starting points of mutation."""
    record = {"title": "Bridge closed", "maintext": _PARAGRAPH * 8, "url": "https://e.com/1",
              "date_publish": "2024-07-02 10:00:00", "source_domain": "e.com",
              "authors": ["M. Olsen"]}
    basil = {"title": "Bridge closed", "body-paragraphs": [[_PARAGRAPH, _PARAGRAPH]] * 4,
             "source": "e.com", "date": "2024-07-02"}
    return {
        "html": [_page(0).encode(), _page(1).encode("utf-16")],
        "text": [("Bridge closed\n\n" + _PARAGRAPH * 8).encode(),
                 ("Pont fermé\n\n" + _PARAGRAPH * 6).encode("latin-1", "replace")],
        "json": [json.dumps(record).encode(), json.dumps([record, basil, 3, None]).encode()],
        "jsonl": [b"\n".join(json.dumps(r).encode() for r in (record, basil, record))],
        "warc": [_warc(3), _warc(1)],
        "rss": [_rss()],
        "atom": [_atom()],
        "urls": [b"# list\nhttps://example.com/a\nhttps://example.com/b\n\nhttp://e.org/c\n"],
    }[fmt]


def _mutate(data: bytes, rng: random.Random) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(7)
        at = rng.randint(0, len(buf))
        if op == 0 and buf:  # flip bytes
            for _ in range(rng.randint(1, 8)):
                buf[rng.randrange(len(buf))] = rng.randrange(256)
        elif op == 1:  # cut a slice
            del buf[at : at + rng.randint(1, max(1, len(buf) // 4))]
        elif op == 2:  # insert random bytes
            buf[at:at] = rng.randbytes(rng.randint(1, 64))
        elif op == 3:  # repeat a slice
            piece = buf[at : at + rng.randint(1, 200)]
            buf[at:at] = piece * rng.randint(2, 20)
        elif op == 4:  # truncate
            del buf[at:]
        else:  # a token parsers treat specially
            buf[at:at] = rng.choice(_TOKENS)
    return bytes(buf)


def cases(fmt: str, count: int, seed: int = 0) -> Iterator[tuple[str, bytes]]:
    """`count` (file name, content) cases for one format, the same for the same seed."""
    rng = random.Random(f"{fmt}:{seed}")
    starts = samples(fmt)
    for i in range(count):
        roll = rng.random()
        if roll < 0.1:
            data = rng.randbytes(rng.randint(0, 4096))
        else:
            data = _mutate(rng.choice(starts), rng)
        name = f"case{i:05d}{SUFFIXES[fmt]}"
        if fmt in GZIPPABLE and roll > 0.85:
            data = gzip.compress(data)
            if rng.random() < 0.5:
                data = _mutate(data, rng)  # a damaged gzip wrapper
            name += ".gz"
        yield name, data


class RandomFetcher:
    """Stands in for the HTTP fetcher: answers each URL with mutated HTML or feed bytes, or
    a fetch error, so URL lists and link-only feed items reach their readers offline."""

    def __init__(self, seed: int, budget: int = 4) -> None:
        self.rng = random.Random(seed)
        self.budget = budget  # a mutated list may repeat a URL hundreds of times

    def fetch(self, url: str) -> FetchResult:
        self.budget -= 1
        roll = self.rng.random()
        if roll < 0.2 or self.budget < 0:
            raise FetchError("refused by the test fetcher")
        fmt = "html" if roll < 0.7 else self.rng.choice(("rss", "atom"))
        body = _mutate(self.rng.choice(samples(fmt)), self.rng)
        ctype = self.rng.choice(("text/html", "application/rss+xml", "", "image/png"))
        return FetchResult(url, body, ctype, self.rng.choice((None, "utf-8", "no-such")))

    def close(self) -> None:
        pass


def check_case(path: Path, fetcher: RandomFetcher | None, store: Store) -> str | None:
    """Ingest one case as a run does (read, clean, dedupe, store; no extraction). None when
    every document ended stored or skipped with a reason, else what went wrong. Exceptions
    propagate: a crash is the failure being looked for."""
    items = list(iter_sources([str(path)], fetcher))  # type: ignore[arg-type]
    if not items:
        return "no document and no skip: the input vanished silently"
    raws = [item for item in items if isinstance(item, RawDocument)]
    known = store.known_inputs([r.sha256 for r in raws])
    todo = [r for r in raws if r.sha256 not in known]
    pending = _Pending(items, known, iter([prepare(r, extract=False) for r in todo]))
    for event in _store_batch(pending, store, IngestOptions(fetch=False, workers=1)):
        if event.outcome is Outcome.SKIPPED:
            if not (isinstance(event.reason, str) and event.reason.strip()):
                return f"skip without a reason: {event!r}"
        elif event.article_id is None:
            return f"{event.outcome} without an article: {event!r}"
    return None
