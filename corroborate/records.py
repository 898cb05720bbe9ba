"""Typed records that flow between the pipeline stages.

Each stage reads the records of earlier stages and returns its own; nothing here imports
another corroborate module, so every stage (and every test) can build these by hand.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class DocFormat(StrEnum):
    """How a raw document's bytes are to be read by the cleaner."""

    HTML = "html"
    TEXT = "text"  # scraped plain text, noise and all


@dataclass(frozen=True, slots=True)
class RawDocument:
    """One input document as it arrived, before any cleaning.

    `meta` carries what the container told us about it (a sidecar file, a feed item, a
    news-please record): keys among outlet, url, published, title, author, language.
    """

    source: str  # where it came from: a path, "path:line", a URL, "archive.warc#offset"
    content: bytes
    format: DocFormat
    url: str | None = None
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def sha256(self) -> str:
        """Identity of the input itself: the same bytes from the same place are ingested once."""
        h = hashlib.sha256(self.source.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
        h.update(self.content)
        return h.hexdigest()


@dataclass(frozen=True, slots=True)
class Removal:
    """A piece of the input the cleaner dropped, kept so a user can audit the cleaning."""

    text: str
    reason: str


@dataclass(frozen=True, slots=True)
class Article:
    """A cleaned article: main text plus the metadata the cleaner could establish."""

    source: str
    format: DocFormat
    text: str
    title: str | None = None
    author: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: datetime | None = None
    published_via: str | None = None  # which evidence gave the date: "json-ld", "byline", ...
    language: str | None = None
    removed: tuple[Removal, ...] = ()
    extractor: str = ""
    raw_sha256: str = ""

    @property
    def text_hash(self) -> str:
        """Hash of the normalized text: equal for exact duplicates whatever their whitespace."""
        return hashlib.sha256(normalize_for_hash(self.text).encode("utf-8")).hexdigest()


def normalize_for_hash(text: str) -> str:
    """Case-folded words only, so re-wrapped or re-punctuated copies hash the same."""
    return " ".join(_WORDS.findall(text.casefold()))


_WORDS = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class Skip:
    """An input that was not ingested, and why (shown in the summary, fatal under --strict)."""

    source: str
    reason: str


class Outcome(StrEnum):
    INGESTED = "ingested"
    DUPLICATE = "duplicate"  # same normalized text as a stored article: not stored again
    NEAR_DUPLICATE = "near_duplicate"  # stored, linked to its original
    UNCHANGED = "unchanged"  # this very input was ingested before
    SKIPPED = "skipped"


@dataclass(frozen=True, slots=True)
class IngestEvent:
    """What happened to one input."""

    source: str
    outcome: Outcome
    article_id: int | None = None
    original_id: int | None = None  # for duplicates and near-duplicates
    similarity: float | None = None
    reason: str | None = None


@dataclass(slots=True)
class IngestSummary:
    """Counts per outcome plus every skip with its reason.

    Only counts and skips are kept, so memory does not grow with the number of inputs.
    """

    counts: dict[Outcome, int] = field(default_factory=lambda: dict.fromkeys(Outcome, 0))
    skipped: list[IngestEvent] = field(default_factory=list)

    def add(self, event: IngestEvent) -> None:
        self.counts[event.outcome] += 1
        if event.outcome is Outcome.SKIPPED:
            self.skipped.append(event)

    def count(self, outcome: Outcome) -> int:
        return self.counts[outcome]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """An article as the store returns it: the clean record plus its identity and links."""

    id: int
    article: Article
    text_hash: str
    near_duplicate_of: int | None
    near_duplicate_similarity: float | None
    ingested_at: datetime
