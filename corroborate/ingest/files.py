"""Local files to raw documents: one reader per format, all streaming and size-capped.

A bad file never stops a run: each reader yields `Skip` records with a reason for what it
cannot read, and JSONL goes on past a bad line to the good ones (WARC archives: `warc.py`;
opening only regular files, with capped reads: `opening.py`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from corroborate.errors import InputRejected
from corroborate.ingest.opening import MAX_DOC_BYTES, MB, open_input, read_capped
from corroborate.records import DocFormat, RawDocument, Skip

_SIDECAR_MAX_BYTES = 1_000_000

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
TEXT_SUFFIXES = {".txt", ".text"}
FEED_SUFFIXES = {".rss", ".atom", ".xml"}
JSON_SUFFIXES = {".json"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
WARC_SUFFIXES = {".warc", ".arc"}
URL_LIST_SUFFIXES = {".urls"}
SIDECAR_SUFFIX = ".meta.json"

_TEXT_KEYS = ("maintext", "text", "body", "content", "article", "articleBody")
_PARAGRAPH_KEYS = ("body-paragraphs", "body_paragraphs", "paragraphs")
_HTML_KEYS = ("html", "raw_html", "content_html")
_META_KEYS = {
    "outlet": ("outlet", "source_domain", "source", "site_name", "sitename", "publisher"),
    "url": ("url", "link", "source_url"),
    "published": ("published", "date_publish", "date", "published_at", "datePublished"),
    "title": ("title", "headline"),
    "author": ("author", "authors", "byline"),
    "language": ("language", "lang"),
}


def kind_of(path: Path) -> str | None:
    """The reader a file needs, from its name ("html", "text", ...), or None if unknown."""
    name = path.name.lower()
    if name.endswith(SIDECAR_SUFFIX):
        return "sidecar"
    suffixes = [s for s in path.suffixes[-2:] if s]
    suffix = suffixes[-1].lower() if suffixes else ""
    if suffix == ".gz" and len(suffixes) == 2:
        suffix = suffixes[0].lower()
    for kind, group in (
        ("html", HTML_SUFFIXES),
        ("text", TEXT_SUFFIXES),
        ("feed", FEED_SUFFIXES),
        ("json", JSON_SUFFIXES),
        ("jsonl", JSONL_SUFFIXES),
        ("warc", WARC_SUFFIXES),
        ("urls", URL_LIST_SUFFIXES),
    ):
        if suffix in group:
            return kind
    return None


def read_sidecar(path: Path) -> dict[str, str]:
    """Metadata for a bare file from `NAME.meta.json` or `STEM.meta.json` beside it."""
    for candidate in (path.with_name(path.name + SIDECAR_SUFFIX),
                      path.with_name(path.name.split(".")[0] + SIDECAR_SUFFIX)):
        if candidate.is_file():
            try:
                data = json.loads(read_capped(candidate, _SIDECAR_MAX_BYTES))
            except (InputRejected, OSError, ValueError, RecursionError):
                return {}  # metadata is a bonus: a bad sidecar costs it, not the article
            return record_meta(data) if isinstance(data, dict) else {}
    return {}


def record_meta(record: dict[str, Any]) -> dict[str, str]:
    """Normalize a JSON record's metadata keys (news-please, our own, common variants)."""
    meta: dict[str, str] = {}
    for key, names in _META_KEYS.items():
        for name in names:
            value = record.get(name)
            if isinstance(value, list):
                value = ", ".join(str(v) for v in value if v)
            if isinstance(value, dict):
                value = value.get("name")
            if value not in (None, ""):
                meta[key] = _valid_text(str(value).strip())
                break
    return meta


def _valid_text(text: str) -> str:
    """`text` without lone surrogates (JSON's "\\ud800"), which no UTF-8 store can hold."""
    return text.encode("utf-8", "replace").decode("utf-8")


def document_from_record(record: Any, source: str) -> RawDocument | Skip:
    """A JSON article record (news-please style or ours) as a raw document."""
    if not isinstance(record, dict):
        return Skip(source, f"not an article record: a JSON {type(record).__name__}")
    meta = record_meta(record)
    for key in _HTML_KEYS:
        if isinstance(record.get(key), str) and record[key].strip():
            return RawDocument(source, record[key].encode("utf-8", "replace"), DocFormat.HTML,
                               meta.get("url"), meta)
    body = next((record[k] for k in _TEXT_KEYS if isinstance(record.get(k), str)), None)
    if body is None:
        paragraphs = next((record[k] for k in _PARAGRAPH_KEYS if isinstance(record.get(k), list)),
                          None)
        if paragraphs is not None:
            # BASIL-style: a paragraph may itself be a list of sentences.
            body = "\n\n".join(" ".join(map(str, p)) if isinstance(p, list) else str(p)
                                 for p in paragraphs if p)
    if not body or not body.strip():
        return Skip(source, "record has no article text (no maintext/text/body field)")
    # The title goes first, as on a page, so the text cleaner treats it the same way.
    title = meta.get("title")
    content = f"{title}\n\n{body}" if title else body
    return RawDocument(source, content.encode("utf-8", "replace"), DocFormat.TEXT,
                       meta.get("url"), meta)


def read_json(path: Path) -> Iterator[RawDocument | Skip]:
    """A `.json` file: one article record, or a list of them."""
    source = str(path)
    try:
        data = json.loads(read_capped(path))
    except ValueError as exc:  # UnicodeDecodeError included
        yield Skip(source, f"invalid JSON: {exc}")
        return
    except RecursionError:
        yield Skip(source, "invalid JSON: nested too deeply")
        return
    if isinstance(data, list):
        if not data:
            yield Skip(source, "an empty JSON list: no article records")
        for i, record in enumerate(data):
            yield document_from_record(record, f"{source}#{i}")
    else:
        yield document_from_record(data, source)


def read_jsonl(path: Path) -> Iterator[RawDocument | Skip]:
    """A `.jsonl` file, streamed line by line; a bad line is skipped, the rest go on."""
    lines = 0
    with open_input(path) as fh:
        for number, line in enumerate(_capped_lines(fh), start=1):
            source = f"{path}:{number}"
            if line is not None and not line.strip():
                continue
            lines += 1
            if line is None:
                yield Skip(source, f"line longer than {MAX_DOC_BYTES / MB:.0f} MB")
                continue
            try:
                record = json.loads(line)
            except ValueError as exc:  # UnicodeDecodeError included
                yield Skip(source, f"invalid JSON on this line: {exc}")
                continue
            except RecursionError:
                yield Skip(source, "invalid JSON on this line: nested too deeply")
                continue
            yield document_from_record(record, source)
    if not lines:
        yield Skip(str(path), "no records: the file holds only blank lines")


def _capped_lines(fh: Any) -> Iterator[bytes | None]:
    """Lines of a binary file, with None standing for a line over the size cap."""
    while True:
        line = fh.readline(MAX_DOC_BYTES + 1)
        if not line:
            return
        if len(line) > MAX_DOC_BYTES and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):  # skip the rest of the monster line
                line = fh.readline(MAX_DOC_BYTES)
            yield None
            continue
        yield line
