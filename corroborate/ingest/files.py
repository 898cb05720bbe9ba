"""Local files to raw documents: one reader per format, all streaming and size-capped.

A bad file never stops a run: each reader yields `Skip` records with a reason for what it
cannot read, and JSONL goes on past a bad line to the good ones (WARC archives: `warc.py`;
opening only regular files, with capped reads: `opening.py`).

Dataset folders hold more than articles: READMEs, licences, source notes, annotation files.
A folder walk skips them by general rules on the name and the content (`not_article`), with
reasons that start with NOT_ARTICLE so that a summary can count them in one line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from corroborate.errors import InputRejected
from corroborate.ingest.opening import MAX_DOC_BYTES, MB, open_input, read_capped
from corroborate.records import DocFormat, RawDocument, Skip

_SIDECAR_MAX_BYTES = 1_000_000

NOT_ARTICLE = "not an article"  # how every skip of a file that holds no article begins

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
        return Skip(source, f"{NOT_ARTICLE}: a JSON {type(record).__name__}, not a record")
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
        return Skip(source, f"{NOT_ARTICLE}: the record has no article text (no "
                            "maintext/text/body field)")
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


# Names that by convention hold notes about a folder, not articles (README.txt, LICENSE,
# COPYING-CC.TXT, SOURCE.txt, LICENSEDATA.TXT, CHANGELOG.txt, CITATION.txt).
NOTE_NAMES = ("readme", "license", "licence", "copying", "copyright", "notice", "source",
              "sources", "authors", "contributors", "changelog", "changes", "history",
              "install", "manifest", "citation", "provenance", "credits")
RECORD_SHARE = 0.6  # lines that look like records, of a file's lines, for it to be a listing
_RECORD_MIN_LINES = 3
_WORD_SPLIT = re.compile(r"[-_ .]")
_HTTP_LINE = re.compile(r"^https?://\S+$", re.I)


def note_name(path: Path) -> bool:
    """A name that says "notes about this folder": the whole name before the suffix is one of
    NOTE_NAMES in any case (readme.txt), or its first word is in capitals and begins with one
    (LICENSE-Apache2.txt, LICENSEDATA.TXT). An article slug that starts with such a word
    ("license-fees-rise.txt") is not one."""
    stem = path.name.split(".")[0]
    first = _WORD_SPLIT.split(stem)[0]
    if first.isupper():
        return first.casefold().startswith(NOTE_NAMES)
    return stem.casefold() in NOTE_NAMES


def is_url_list(content: bytes) -> bool:
    """A text file whose every non-blank, non-comment line is an http(s) URL."""
    try:
        lines = [ln.strip() for ln in content.decode("utf-8").splitlines()]
    except UnicodeDecodeError:
        return False
    lines = [ln for ln in lines if ln and not ln.startswith("#")]
    return bool(lines) and all(_HTTP_LINE.match(ln) for ln in lines)


def _record_line(line: str) -> bool:
    """A line of a listing rather than of prose: tab-separated fields (brat standoff
    "T1<TAB>Cue 33 47<TAB>said", TSV), or one that opens with an identifier holding digits
    and a path or id separator ("2017/47a2..._3_ann/3rd item: change ...")."""
    if "\t" in line:
        return True
    first = line.split(maxsplit=1)[0].rstrip(":")
    return any(c.isdigit() for c in first) and any(c in "/_|" for c in first)


def not_article(path: Path, content: bytes) -> str | None:
    """Why a text file met in a folder walk is plainly not an article, or None if it may be.

    General rules, not a list of one dataset's files: a note's name, a list of URLs (named on
    the command line it is fetched; met in a folder it is a dataset's index), or lines that
    are mostly records (annotations, tables, change lists) rather than sentences.
    """
    if note_name(path):
        return f"{NOT_ARTICLE}: a note about the folder, by its name ({path.name})"
    if is_url_list(content):
        return (f"{NOT_ARTICLE}: a list of URLs (name the file itself on the command line to "
                "fetch them)")
    text = content[:200_000].decode("utf-8", "replace")
    lines = [ln for ln in (raw.strip() for raw in text.splitlines()) if ln]
    if len(lines) >= _RECORD_MIN_LINES and \
            sum(map(_record_line, lines)) >= RECORD_SHARE * len(lines):
        return f"{NOT_ARTICLE}: lines of records (annotations or a table), not prose"
    return None


def is_not_article_skip(reason: str) -> bool:
    """A skip of an input that holds no article (a note, an annotation file, XML that is not
    a feed), as opposed to an article that could not be read: the first kind is counted in
    one line, the second listed one by one."""
    return reason.startswith((NOT_ARTICLE, "not a feed"))
