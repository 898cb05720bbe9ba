"""Scraped plain text to a clean article: title, byline, dateline, body, and what was cut.

Copy-pasted or scraped article text carries the page around the article: a navigation word
glued to the headline ("NewsNorth Korea's ..."), the headline repeated, image captions and
credits, section labels, "Read also:" and "Related content" markers, donation appeals. These
rules find that noise by its shape and position, never by the article's own wording, and every
line they drop is recorded with the rule's reason so a user can audit the cleaning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from dateutil import parser as dateutil_parser

from corroborate.clean.decode import decode_text
from corroborate.clean.language import detect_language
from corroborate.clean.pubdate import parse_iso_date
from corroborate.errors import InputRejected
from corroborate.records import Article, DocFormat, RawDocument, Removal

EXTRACTOR = "corroborate text cleaner"

_HEADER_ZONE = 15  # lines: title, dek, byline and dateline live at the top
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_YEAR = re.compile(r"\b(19[89]\d|20\d\d)\b")
_DATE_NOISE = re.compile(r"^(published|updated|posted|last updated|date)\s*:?\s*", re.I)
_DATE_SEPARATORS = re.compile(r"\s*[-–—|•·,]\s*")
_CREDIT = re.compile(
    r"^(images?|photos?|pictures?|foto|source of (the )?(image|photo))\s*(source|credit)?s?\s*:"
    r"|^(image|photo|picture)\s+(source|credit|by)\b"
    r"|^©|\b(getty images|shutterstock|reuters/|ap photo|afp via)\b",
    re.I,
)
_MARKER = re.compile(
    r"^(read (also|more|next)|see also|related( content| articles| stories| news)?|"
    r"more on this( topic)?|recommended( for you)?|you may also like|most read|"
    r"advertisement|share this( article)?|tags?)\s*:?\s*$",
    re.I,
)
_APPEAL = re.compile(
    r"\bbecome an? (patron|member|subscriber|supporter)\b|\bdonat(e|ion|ions|ing)\b|"
    r"\bpatreon\b|\bsupport (us|our (work|journalism|reporting|newsroom))\b|"
    r"\bsupport of (our )?readers\b|\bsubscribe (now|today|to (our|the) newsletter)\b|"
    r"\bsign up for (our|the) newsletter\b|\bjoin our community\b|\bclose this page\b|"
    r"\bcup of coffee\b|\bother ways to support\b",
    re.I,
)
_NAME_TOKEN = re.compile(r"^[A-ZÀ-ÖØ-ÞĀ-Ž][\w'’.\-]*$")
_BY = re.compile(r"^(by|written by|author:?)\s+", re.I)
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)]*$")


@dataclass(slots=True)
class _Lines:
    """Lines still in play, and the removals made so far."""

    lines: list[str]
    removed: list[Removal] = field(default_factory=list)

    def drop(self, index: int, reason: str) -> None:
        self.removed.append(Removal(self.lines[index], reason))
        self.lines[index] = ""


@dataclass(frozen=True, slots=True)
class CleanText:
    """What the plain-text cleaner established about one article."""

    title: str | None
    author: str | None
    published: datetime | None
    body: str
    removed: tuple[Removal, ...]


def clean_scraped_text(text: str) -> CleanText:
    """Split scraped article text into title, byline, dateline and body, dropping the noise."""
    state = _Lines([_SPACES.sub(" ", line).strip() for line in text.splitlines()])
    title = _take_title(state)
    _drop_credits_and_captions(state)
    _drop_repeats(state, title)
    author, published, header_end = _take_byline_and_dateline(state)
    _drop_markers_and_appeals(state)
    _drop_header_labels(state, header_end)
    paragraphs = [line for line in state.lines if line]
    return CleanText(title, author, published, "\n\n".join(paragraphs), tuple(state.removed))


def clean_text_document(raw: RawDocument) -> Article:
    """Clean a scraped-text input into an Article, or raise InputRejected saying why."""
    cleaned = clean_scraped_text(decode_text(raw.content))
    if not cleaned.body.strip():
        raise InputRejected("no article text left after cleaning")
    meta = raw.meta
    meta_date = parse_iso_date(meta.get("published"))
    published = meta_date or cleaned.published
    return Article(
        source=raw.source,
        format=DocFormat.TEXT,
        text=cleaned.body,
        title=meta.get("title") or cleaned.title,
        author=meta.get("author") or cleaned.author,
        outlet=meta.get("outlet"),
        url=raw.url or meta.get("url"),
        published=published,
        published_via="metadata" if meta_date else ("dateline" if published else None),
        language=meta.get("language") or detect_language(cleaned.body),
        removed=cleaned.removed,
        extractor=EXTRACTOR,
        raw_sha256=raw.sha256,
    )


def _first_nonempty(lines: list[str], start: int = 0) -> int | None:
    return next((i for i in range(start, len(lines)) if lines[i]), None)


def _take_title(state: _Lines) -> str | None:
    """The first line is the headline; a nav word glued to its front is cut off.

    Scrapers that flatten a page join the last navigation item and the headline with no
    space ("NewsNorth Korea's ..."); when the next line is the headline alone, the glued
    prefix is a short word, and we keep the clean headline.
    """
    first = _first_nonempty(state.lines)
    if first is None:
        return None
    title = state.lines[first]
    nxt = _first_nonempty(state.lines, first + 1)
    if nxt is not None:
        candidate = state.lines[nxt]
        if title != candidate and title.endswith(candidate) and len(title) - len(candidate) <= 20:
            state.removed.append(Removal(title[: len(title) - len(candidate)],
                                         "navigation word glued to the headline"))
            state.drop(first, "headline with navigation word glued on (clean copy follows)")
            return candidate
    if _SENTENCE_END.search(title) and len(title.split()) > 25:
        return None  # no headline: the text starts with a paragraph
    state.lines[first] = ""
    return title


def _drop_credits_and_captions(state: _Lines) -> None:
    """Image credits, and the caption lines right above a credit, in the header zone."""
    for i, line in enumerate(state.lines):
        if not line or not _CREDIT.search(line) or len(line) > 200:
            continue
        state.drop(i, "image credit")
        j = i - 1
        while j >= 0 and state.lines[j] and len(state.lines[j]) <= 300 and i - j <= 3:
            state.drop(j, "image caption (directly above an image credit)")
            j -= 1


def _drop_repeats(state: _Lines, title: str | None) -> None:
    """A line seen before (the headline again, a duplicated paragraph) is kept once."""
    seen = {_key(title)} if title else set()
    for i, line in enumerate(state.lines):
        if not line:
            continue
        key = _key(line)
        if key in seen and len(key) > 3:
            state.drop(i, "repeated headline" if key == _key(title or "") else "repeated line")
        seen.add(key)


def _key(line: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", line.casefold()).split())


def _take_byline_and_dateline(state: _Lines) -> tuple[str | None, datetime | None, int]:
    """Byline and dateline in the header zone; returns where the header ends (a line index)."""
    author: str | None = None
    published: datetime | None = None
    header_end = -1
    for i in _header_indexes(state):
        line = state.lines[i]
        if published is None and (when := parse_dateline(line)) is not None:
            published = when
            state.removed.append(Removal(line, "dateline (kept as publication date)"))
            state.lines[i] = ""
            header_end = i
        elif author is None and (name := parse_byline(line)) is not None:
            author = name
            state.removed.append(Removal(line, "byline (kept as author)"))
            state.lines[i] = ""
            header_end = i
    return author, published, header_end


def _header_indexes(state: _Lines) -> list[int]:
    nonempty = [i for i, line in enumerate(state.lines) if line]
    return nonempty[:_HEADER_ZONE]


def parse_dateline(line: str) -> datetime | None:
    """A short line that is only a date (and time): "27 June 2024 07:52", "Jun 27, 2024 - 06:30"."""
    if len(line) > 60 or not _YEAR.search(line):
        return None
    text = _DATE_SEPARATORS.sub(" ", _DATE_NOISE.sub("", line)).strip()
    if len(re.findall(r"[A-Za-z]{3,}", text)) > 3:
        return None
    try:
        return dateutil_parser.parse(text, fuzzy=False, dayfirst=True)
    except (ValueError, OverflowError):
        return None


def parse_byline(line: str) -> str | None:
    """A line that is just a person's name ("Karina Strzelińska", "By Jane Doe")."""
    name = _BY.sub("", line).strip()
    tokens = name.split()
    if not 2 <= len(tokens) <= 4 or len(name) > 50:
        return None
    if not all(_NAME_TOKEN.match(t) and not any(ch.isdigit() for ch in t) for t in tokens):
        return None
    if _SENTENCE_END.search(name) and not tokens[-1].rstrip(".").isupper():
        return None
    return name


def _drop_markers_and_appeals(state: _Lines) -> None:
    """ "Read also:", "Related content" and donation appeals; a link title after a marker."""
    for i, line in enumerate(state.lines):
        if not line:
            continue
        if _MARKER.match(line):
            state.drop(i, "related-content marker")
            nxt = _first_nonempty(state.lines, i + 1)
            if nxt is not None and _is_link_title(state.lines[nxt]):
                state.drop(nxt, "related-article link after a marker")
        elif _APPEAL.search(line):
            state.drop(i, "donation or subscription appeal")


def _is_link_title(line: str) -> bool:
    return len(line.split()) <= 20 and not _SENTENCE_END.search(line)


def _drop_header_labels(state: _Lines, header_end: int) -> None:
    """Short label lines (section, tag) between the header and the first paragraph."""
    for i in _header_indexes(state):
        line = state.lines[i]
        if i < header_end:
            continue
        if _is_prose(line):
            break
        if len(line.split()) <= 6 and not _SENTENCE_END.search(line):
            state.drop(i, "section or tag label above the article")


def _is_prose(line: str) -> bool:
    return len(line.split()) >= 8 and bool(_SENTENCE_END.search(line) or line.endswith(":"))
