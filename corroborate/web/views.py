"""What pages and the API show, computed from the records: no HTML here, no SQL either.

Templates escape every string they print; these helpers only cut text into pieces (so a claim
can be wrapped in a highlight) and put figures into words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from corroborate.records import AmountMention, Claim, Fact, StoredArticle, Story
from corroborate.store import Store
from corroborate.store.checks import CheckSummary
from corroborate.store.stories import StoryQuery
from corroborate.web.dossiers import VERDICT_ORDER

MAX_QUERY_HITS = 200  # full-text hits a story list's q= filter looks through


@dataclass(frozen=True, slots=True)
class Piece:
    """A stretch of article text; `claim` indexes Extraction.claims when it is one."""

    text: str
    claim: int | None = None
    certainty: str | None = None


def highlight(text: str, claims: Sequence[Claim]) -> list[Piece]:
    """The text cut at claim boundaries (overlapping claims: the earlier one wins)."""
    pieces: list[Piece] = []
    at = 0
    for index, claim in sorted(enumerate(claims), key=lambda ic: (ic[1].start, -ic[1].end)):
        if claim.start < at or claim.end > len(text) or claim.start >= claim.end:
            continue
        if claim.start > at:
            pieces.append(Piece(text[at:claim.start]))
        pieces.append(Piece(text[claim.start:claim.end], index, claim.certainty.value))
        at = claim.end
    if at < len(text):
        pieces.append(Piece(text[at:]))
    return pieces


def in_context(sentence: str, start: int, end: int) -> tuple[str, str, str]:
    """A sentence split around the claim it contains: (before, claim, after)."""
    start, end = max(0, start), min(len(sentence), max(start, end))
    return sentence[:start], sentence[start:end], sentence[end:]


def amount_label(a: AmountMention) -> str:
    """"up to £88 million annually = upper 88,000,000 GBP per year (≈ $111.3M, €103.9M)"."""
    value = f"{a.low:,.10g}" + (f"–{a.high:,.10g}" if a.high != a.low else "")
    label = f"{a.bound.value} {value} {a.unit}" + (f" per {a.per}" if a.per else "")
    conversions = []
    if a.usd and a.unit != "USD":
        conversions.append("$" + _money(a.usd))
    if a.eur and a.unit != "EUR":
        conversions.append("€" + _money(a.eur))
    if conversions:
        label += " (≈ " + ", ".join(conversions) + (f"; {a.rate_note}" if a.rate_note else "") \
            + ")"
    return label


def _money(pair: tuple[float, float]) -> str:
    low, high = pair
    fmt = (lambda v: f"{v / 1e6:,.1f}M") if max(low, high) >= 1e6 else (lambda v: f"{v:,.0f}")
    return fmt(low) + (f"–{fmt(high)}" if high != low else "")


def facts_in_order(facts: Sequence[Fact]) -> list[Fact]:
    """Conflicts first, then disputes, developing figures, single-outlet facts, agreements."""
    return sorted(facts, key=lambda f: (VERDICT_ORDER.get(f.verdict, 9), _fact_number(f.id)))


def _fact_number(fact_id: str) -> int:
    digits = "".join(ch for ch in fact_id if ch.isdigit())
    return int(digits) if digits else 0


@dataclass(frozen=True, slots=True)
class StoryFilters:
    entity: str | None = None
    place: str | None = None
    outlet: str | None = None
    since: date | None = None
    until: date | None = None
    q: str | None = None

    @property
    def any(self) -> bool:
        return any(v not in (None, "") for v in asdict(self).values())


def find_stories(store: Store, filters: StoryFilters, limit: int, offset: int,
                 sort: str = "newest") -> tuple[list[Story], int]:
    """One page of stories (newest first by their latest article, unless `sort` says
    otherwise), filtered as asked, and how many match in all.

    The store answers from its story listing: no story is loaded beyond the page, and a
    full-text filter looks through the best MAX_QUERY_HITS articles only.
    """
    article_ids = None
    if filters.q:
        article_ids = tuple(h.article.id for h in store.search(filters.q, MAX_QUERY_HITS))
    query = StoryQuery(
        entity=filters.entity, place=filters.place, outlet=filters.outlet,
        since=filters.since.isoformat() if filters.since else None,
        until=filters.until.isoformat() if filters.until else None,
        article_ids=article_ids, sort=sort)
    return store.stories.page(query, limit, offset)


def story_row(story: Story, summary: CheckSummary | None) -> dict[str, Any]:
    """One row of the stories list; sources and conflicts from the stored cross-check
    (None until one is stored: lists never compute one)."""
    return {
        "id": story.id,
        "title": story.title,
        "articles": story.size,
        "outlets": summary.outlets if summary is not None else len(story.outlets),
        "outlet_names": list(story.outlets),
        "independent_sources": summary.origins if summary is not None else None,
        "conflicts": summary.conflicts + summary.disputed if summary is not None else None,
        "check_current": summary.current if summary is not None else None,
        "first_seen": iso(story.first_seen),
        "last_seen": iso(story.last_seen),
        "entities": list(story.entities),
        "places": list(story.places),
    }


def iso(when: datetime | None) -> str | None:
    return when.isoformat() if when is not None else None


def day(when: datetime | None) -> str:
    return when.date().isoformat() if when is not None else "—"


def when(value: datetime | None) -> str:
    """A publication time: minutes only where the source gave a time (as the dossier)."""
    if value is None:
        return "date unknown"
    if (value.hour, value.minute) == (0, 0):
        return value.date().isoformat()
    return value.strftime("%Y-%m-%d %H:%M")


def public_source(source: str) -> str:
    """Where an article came from, as the server may show it: an http(s) URL as it is, a
    file by its name alone ("lowlands-daily.jsonl:2"): the server's folders are no one's
    business, and an upload's temporary folder means nothing to anyone."""
    if _WEB_URL.match(source):
        return source
    return _PATH_PARTS.split(source)[-1] or source


_WEB_URL = re.compile(r"https?://", re.IGNORECASE)
_PATH_PARTS = re.compile(r"[/\\]")


def article_summary(s: StoredArticle) -> dict[str, Any]:
    a = s.article
    return {
        "id": s.id, "title": a.title, "outlet": a.outlet, "author": a.author, "url": a.url,
        "published": iso(a.published), "language": a.language,
        "source": public_source(a.source),
        "near_duplicate_of": s.near_duplicate_of, "ingested_at": iso(s.ingested_at),
    }


@dataclass(frozen=True, slots=True)
class FactFilter:
    """What the story page's filter form asks for (empty: everything). Names come back as
    the page sent them, bidi-isolated (FSI ... PDI): the marks are dropped here."""

    verdict: str = ""
    outlet: str = ""
    source: str = ""

    def __post_init__(self) -> None:
        for name in ("verdict", "outlet", "source"):
            object.__setattr__(self, name, _unisolated(getattr(self, name)))

    @property
    def any(self) -> bool:
        return bool(self.verdict or self.outlet or self.source)

    def keeps(self, fact: Fact) -> bool:
        return ((not self.verdict or fact.verdict.value == self.verdict)
                and (not self.outlet or self.outlet in fact.outlets)
                and (not self.source or self.source in _source_names(fact)))


@dataclass(frozen=True, slots=True)
class FactSections:
    """A story's facts in the order an analyst reads them: key figures (measured things two
    or more outlets give), conflicts and disputes, agreed facts, then the single-outlet
    background, which the page keeps collapsed."""

    key_figures: tuple[Fact, ...]
    discrepancies: tuple[Fact, ...]
    agreed: tuple[Fact, ...]
    background: tuple[Fact, ...]
    verdicts: tuple[tuple[str, int], ...]  # (verdict, facts) for the filter, in order
    outlets: tuple[str, ...]
    sources: tuple[str, ...]


def fact_sections(facts: Sequence[Fact]) -> FactSections:
    ordered = facts_in_order(facts)
    key = tuple(f for f in ordered if f.measure and len(f.outlets) > 1)
    rest = [f for f in ordered if f not in key]
    discrepancies = tuple(f for f in rest if f.verdict.value in
                          ("conflict", "disputed", "developing"))
    agreed = tuple(f for f in rest if f.verdict.value == "agree")
    background = tuple(f for f in rest if f not in discrepancies and f not in agreed)
    counts: dict[str, int] = {}
    for f in ordered:
        counts[f.verdict.value] = counts.get(f.verdict.value, 0) + 1
    return FactSections(
        key, discrepancies, agreed, background, tuple(counts.items()),
        tuple(sorted({o for f in facts for o in f.outlets}, key=str.casefold)),
        tuple(sorted({s for f in facts for s in _source_names(f)}, key=str.casefold)))


def _unisolated(text: str) -> str:
    return text.removeprefix("\u2068").removesuffix("\u2069")


def _source_names(fact: Fact) -> tuple[str, ...]:
    return tuple(s.name for s in fact.sources)


def fact_data(fact: Fact, field: str) -> str:
    """A fact's outlets or sources for the filter script, one per line, each bidi-isolated
    as the filter's options are (untrusted names: a U+202E must not flip the page)."""
    values = fact.outlets if field == "outlets" else _source_names(fact)
    return "\n".join(f"\u2068{v}\u2069" for v in values)
