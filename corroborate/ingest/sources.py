"""What the user names on the command line to a stream of raw documents.

A source is a file, a folder (walked in sorted order, so runs are reproducible), a URL or a
feed URL. Everything is read lazily, one document at a time, so memory stays flat however
many inputs there are; whatever cannot be read becomes a `Skip` with the reason. A reader
that fails part-way (a damaged archive, a parser bug on hostile bytes) costs its own input
only: the documents it read before the failure stay, the rest is one skip saying why.

`count_inputs` tells beforehand how many documents (events) a run will meet, walking the same
paths by the same rules, so that a progress bar has its total before the first is read.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path

from corroborate.errors import FetchError, InputRejected
from corroborate.ingest.feeds import looks_like_feed, read_feed
from corroborate.ingest.fetch import Fetcher
from corroborate.ingest.files import (
    NOT_ARTICLE,
    is_url_list,
    kind_of,
    not_article,
    read_json,
    read_jsonl,
    read_sidecar,
)
from corroborate.ingest.opening import (
    MAX_DOC_BYTES,
    check_regular,
    failure_reason,
    open_input,
    read_capped,
)
from corroborate.ingest.warc import read_warc
from corroborate.records import DocFormat, RawDocument, Skip

log = logging.getLogger(__name__)

_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.I)


def is_url(spec: str) -> bool:
    return bool(_SCHEME.match(spec))


def iter_sources(specs: Iterable[str], fetcher: Fetcher | None,
                 exclude: tuple[str, ...] = ()) -> Iterator[RawDocument | Skip]:
    """Every raw document the given paths and URLs lead to, in a stable order; folder walks
    leave out what the `exclude` globs match."""
    for spec in specs:
        yield from _guarded(_from_spec(spec, fetcher, exclude), spec)


@dataclass(frozen=True, slots=True)
class InputRef:
    """One input to read: a URL, a file named on the command line (`named`), or a file met
    in a folder walk. What `iter_sources` reads, split so that a batch runner can hand each
    input to another process (`read_input`) while the walk stays in one place."""

    path: str
    named: bool


def input_refs(specs: Iterable[str], exclude: tuple[str, ...] = ()) -> Iterator[InputRef | Skip]:
    """The inputs the given paths and URLs lead to, in `iter_sources`' order; folders walked
    by the same rules (a missing path or unreadable folder is a skip)."""
    for spec in specs:
        if is_url(spec):
            yield InputRef(spec, named=True)
            continue
        path = Path(spec).expanduser()
        if path.is_dir():
            for found in walk(path, exclude):
                yield found if isinstance(found, Skip) else InputRef(str(found), named=False)
        elif path.exists() or path.is_symlink():
            yield InputRef(spec, named=True)
        else:
            yield Skip(spec, "no such file or folder")


def read_input(ref: InputRef, fetcher: Fetcher | None) -> Iterator[RawDocument | Skip]:
    """The raw documents of one input, exactly as `iter_sources` reads them; a reader that
    fails part-way costs the rest of this input only."""
    return _guarded(_read_ref(ref, fetcher), ref.path)


def _guarded(items: Iterator[RawDocument | Skip], source: str) -> Iterator[RawDocument | Skip]:
    """`items`, with any failure of the reader behind them turned into a last skip for `source`.

    Whatever the reader raises (warcio's AttributeError on a damaged record included), the run
    and the web job go on: a hostile input must cost that input, never the run.
    """
    read = 0
    try:
        for item in items:
            read += isinstance(item, RawDocument)
            yield item
    except Exception as exc:
        reason = failure_reason(exc)
        if read:
            reason += f" ({read} document{'s' if read > 1 else ''} read before it kept)"
        if not isinstance(exc, InputRejected):
            log.warning("reading %s failed: %s", source, reason)
        yield Skip(source, reason)


def _from_spec(spec: str, fetcher: Fetcher | None,
               exclude: tuple[str, ...] = ()) -> Iterator[RawDocument | Skip]:
    for ref in input_refs([spec], exclude):
        if isinstance(ref, Skip):
            yield ref
        elif ref.named:
            yield from _read_ref(ref, fetcher)
        else:
            yield from read_input(ref, fetcher)


def _read_ref(ref: InputRef, fetcher: Fetcher | None) -> Iterator[RawDocument | Skip]:
    if is_url(ref.path):
        return _from_url(ref.path, fetcher)
    path = Path(ref.path).expanduser() if ref.named else Path(ref.path)
    return _from_file(path, fetcher, named=ref.named)


def walk(root: Path, exclude: tuple[str, ...] = ()) -> Iterator[Path | Skip]:
    """The files under `root` in sorted order, hidden ones and those `exclude` matches (by
    name or by path under `root`) left out; a folder that cannot be read is a skip."""
    unreadable: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable.append,
                                                followlinks=False):
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".")
                             and not _excluded(here / d, root, exclude))
        for name in sorted(filenames):
            path = here / name
            if not name.startswith(".") and not _excluded(path, root, exclude):
                yield path
    for exc in unreadable:
        yield Skip(str(exc.filename or root), f"cannot read folder: {exc.strerror or exc}")


def _excluded(path: Path, root: Path, exclude: tuple[str, ...]) -> bool:
    if not exclude:
        return False
    relative = path.relative_to(root).as_posix()
    return any(fnmatch(path.name, glob) or fnmatch(relative, glob) for glob in exclude)


def _from_file(path: Path, fetcher: Fetcher | None, *, named: bool) -> Iterator[RawDocument | Skip]:
    """One file. In a folder walk, unknown types are reported; sidecars are metadata only.

    Only regular files are opened: a FIFO, a device or a socket is skipped without reading.
    """
    kind = kind_of(path)
    if kind == "sidecar" and not named:
        return
    if kind is None and not named:
        yield Skip(str(path.absolute()),
                   f"{NOT_ARTICLE}: unsupported file type '{path.suffix or path.name}'")
        return
    try:
        check_regular(path)
    except (InputRejected, OSError) as exc:
        yield Skip(str(path.absolute()), failure_reason(exc))
        return
    source = str(path.resolve())
    # Named explicitly, an unknown type is sniffed rather than refused.
    yield from _guarded(_read_file(path, source, kind or "text", fetcher, named), source)


def _read_file(
    path: Path, source: str, kind: str, fetcher: Fetcher | None, named: bool = True
) -> Iterator[RawDocument | Skip]:
    if kind == "jsonl":
        yield from read_jsonl(path)
    elif kind == "warc":
        yield from read_warc(path)
    elif kind == "json":
        yield from read_json(path)
    else:
        content = read_capped(path)
        # met in a folder, a text file may be the folder's README or an annotation listing
        why = not_article(path, content) if kind == "text" and not named else None
        if why is not None:
            yield Skip(source, why)
            return
        yield from _from_bytes(content, source, kind, read_sidecar(path), fetcher)


def _from_bytes(
    content: bytes, source: str, kind: str, meta: dict[str, str], fetcher: Fetcher | None
) -> Iterator[RawDocument | Skip]:
    if kind == "feed" or looks_like_feed(content):
        yield from read_feed(content, source, fetcher)
    elif kind == "urls" or (kind == "text" and is_url_list(content)):
        yield from _from_url_list(content, source, fetcher)
    elif kind == "html":
        yield RawDocument(source, content, DocFormat.HTML, meta.get("url"), meta)
    else:
        fmt = DocFormat.HTML if _looks_like_html(content) else DocFormat.TEXT
        yield RawDocument(source, content, fmt, meta.get("url"), meta)


def _looks_like_html(content: bytes) -> bool:
    head = content[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html"))


def _from_url_list(
    content: bytes, source: str, fetcher: Fetcher | None
) -> Iterator[RawDocument | Skip]:
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        yield Skip(source, f"URL list is not UTF-8 text: {exc}")
        return
    urls = [url for url in (line.strip() for line in text.splitlines())
            if url and not url.startswith("#")]
    if not urls:
        yield Skip(source, "URL list holds no URL")
    for url in urls:
        yield from _from_url(url, fetcher)


def _from_url(url: str, fetcher: Fetcher | None) -> Iterator[RawDocument | Skip]:
    if fetcher is None:
        yield Skip(url, "URL given but fetching is disabled")
        return
    try:
        result = fetcher.fetch(url)
    except FetchError as exc:
        yield Skip(url, exc.reason)
        return
    if len(result.content) > MAX_DOC_BYTES:
        yield Skip(url, "response over the per-article size limit")
        return
    if "xml" in result.content_type or "rss" in result.content_type \
            or looks_like_feed(result.content):
        yield from read_feed(result.content, result.url, fetcher)
        return
    meta = {"url": result.url}
    if result.charset:
        meta["charset"] = result.charset
    if "html" in result.content_type or _looks_like_html(result.content) \
            or not result.content_type:
        yield RawDocument(result.url, result.content, DocFormat.HTML, result.url, meta)
    elif result.content_type.startswith("text/"):
        yield RawDocument(result.url, result.content, DocFormat.TEXT, result.url, meta)
    else:
        yield Skip(url, f"unsupported content type {result.content_type}")


def count_inputs(specs: Iterable[str], exclude: tuple[str, ...] = ()) -> int:
    """How many documents (stored or skipped: events) `iter_sources` will yield, found by
    walking the same paths by the same rules, without cleaning anything.

    Exact for files and folders of articles, JSON and JSONL (their records are counted);
    a URL, a feed or a WARC archive counts as one, as its items are only known once read.
    """
    total = 0
    for spec in specs:
        if is_url(spec):
            total += 1
            continue
        path = Path(spec).expanduser()
        if path.is_dir():
            total += sum(1 if isinstance(found, Skip) else _count_file(found, named=False)
                         for found in walk(path, exclude))
        elif path.exists() or path.is_symlink():
            total += _count_file(path, named=True)
        else:
            total += 1
    return total


def _count_file(path: Path, *, named: bool) -> int:
    kind = kind_of(path)
    if kind == "sidecar" and not named:
        return 0
    if kind not in ("jsonl", "json", "urls", "text") or not path.is_file():
        return 1
    try:
        if kind == "jsonl":
            with open_input(path) as fh:
                lines = sum(1 for line in fh if line.strip())
            return max(lines, 1)
        content = read_capped(path)
        if kind == "json":
            data = json.loads(content)
            return max(len(data), 1) if isinstance(data, list) else 1
        if kind == "urls" or (named and is_url_list(content)):
            urls = [ln for ln in (raw.strip() for raw in content.splitlines())
                    if ln and not ln.startswith(b"#")]
            return max(len(urls), 1)
    except (InputRejected, OSError, ValueError, RecursionError):
        return 1
    return 1
