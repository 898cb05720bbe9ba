"""The story's timeline: every dated event its articles mention, and when each was published.

Dates come resolved from the extract stage (against each article's publication date), so
"19 June" in one article and "June" in another are placed, not guessed; one entry gathers the
articles that mention the same interval, with the outlets and primary sources behind them.

Not every date in a page is part of the story. A copyright line ("© 2019", "Copyright 2023
The Associated Press") dates the page's boilerplate, not an event: it is dropped. A relative
date ("on Monday", "last week") resolved after the article's publication, in a sentence that
does not speak of the future, was resolved against the wrong day: dropped too; so is one
resolved decades before it (no relative expression reaches that far). The report splits what
remains into the story's own events and the background its articles recall
(report/dossier.py `is_background`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from corroborate.crosscheck.statements import firm, naive_utc
from corroborate.records import (
    ArticleRef,
    Extraction,
    Granularity,
    StoredArticle,
    TimelineEntry,
    TimelineKind,
    TimeMention,
)

_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)]?\s+|\n+")
# "© 2019", "(c) 2012-2023", "Copyright 2023", "Copr. 2001": a page's boilerplate year
_COPYRIGHT = re.compile(r"(?:©|\(c\)|\bcopyright\b|\bcopr\.)[\s\d,–-]*$", re.IGNORECASE)
_RIGHTS = re.compile(r"all rights reserved|\bcopyright\b|©", re.IGNORECASE)
_YEAR = re.compile(r"\b\d{4}\b")
# words that put a sentence in the future: a date after publication is then a plan, not a slip
_FUTURE = re.compile(
    r"\b(?:will|shall|would|\w+'ll|is to|are to|was to|were to|(?:is|are) due|due to|"
    r"going to|set to|plans?|planned|scheduled|expected|expects?|next|upcoming|until|"
    r"(?:is|are) (?:slated|poised|likely))\b", re.IGNORECASE)
DECADES = 20  # years before publication past which a relative date is a misreading


@dataclass(slots=True)
class _Entry:
    first: TimeMention
    what: str
    mentions: list[str] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    article_ids: list[int] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)


def build_timeline(articles: Sequence[tuple[StoredArticle, Extraction]],
                   refs: Sequence[ArticleRef],
                   claim_facts: dict[tuple[int, int], list[str]],
                   claim_sources: dict[tuple[int, int], str]) -> tuple[TimelineEntry, ...]:
    """Events then publications, in time order.

    `claim_facts` and `claim_sources` map (article id, claim start) to the facts a claim is a
    version of and the primary source it rests on. Syndicated copies add no events (their
    original mentions them) but have their publication entry.
    """
    by_id = {stored.id: (stored, extraction) for stored, extraction in articles}
    entries: dict[tuple[str | None, str | None, str | None, str | None], _Entry] = {}
    for ref in refs:
        stored, extraction = by_id[ref.article_id]
        if ref.copy_of is not None or extraction.skipped is not None:
            continue
        published = naive_utc(ref.published)
        text = stored.article.text
        for i, t in enumerate(extraction.times):
            if not firm(t, published) or boilerplate(text, t) or \
                    implausible(text, t, published):
                continue
            key = (t.earliest, t.latest, t.granularity, t.qualifier)
            claims = [c for c in extraction.claims if i in c.times] or [
                c for c in extraction.claims  # "estimated at the end of February that ..."
                if c.sentence_start <= t.start < c.sentence_end]
            sentence = (text[claims[0].sentence_start:claims[0].sentence_end] if claims
                        else _sentence_around(text, t.start, t.end))
            entry = entries.setdefault(key, _Entry(t, sentence))
            _add(entry.mentions, t.text)
            _add(entry.outlets, ref.outlet)
            if ref.article_id not in entry.article_ids:
                entry.article_ids.append(ref.article_id)
            for c in claims:
                source = claim_sources.get((ref.article_id, c.start))
                if source:
                    _add(entry.sources, source)
                for fact in claim_facts.get((ref.article_id, c.start), []):
                    _add(entry.facts, fact)
    out = [TimelineEntry(
        kind=TimelineKind.EVENT,
        earliest=e.first.earliest,
        latest=e.first.latest,
        granularity=e.first.granularity,
        label=e.first.label,
        what=e.what,
        mentions=tuple(e.mentions),
        outlets=tuple(e.outlets),
        sources=tuple(e.sources),
        article_ids=tuple(e.article_ids),
        facts=tuple(e.facts),
    ) for e in entries.values()]
    for ref in refs:
        when = naive_utc(ref.published)
        if when is None:
            continue
        stamp = when.isoformat(timespec="minutes")
        label = when.strftime("%Y-%m-%d %H:%M") + (" UTC" if ref.published and
                                                    ref.published.tzinfo else "")
        what = ref.title or f"article {ref.article_id}"
        if ref.copy_of is not None:
            what += f" (syndicated copy of article {ref.copy_of})"
        out.append(TimelineEntry(TimelineKind.PUBLICATION, stamp, stamp, Granularity.MINUTE,
                                 label, what, (), (ref.outlet,), (), (ref.article_id,), ()))
    return tuple(sorted(out, key=_order))


def boilerplate(text: str, t: TimeMention) -> bool:
    """A copyright year: "© 2019", "Copyright 2023 The Associated Press", or any year in a
    line that says "All rights reserved"."""
    if _COPYRIGHT.search(text[max(0, t.start - 24):t.start]) or _RIGHTS.search(t.text):
        return True
    line_start = text.rfind("\n", 0, t.start) + 1
    line_end = text.find("\n", t.end)
    line = text[line_start:line_end if line_end >= 0 else len(text)]
    return len(line) < 200 and bool(_RIGHTS.search(line))


def relative(t: TimeMention) -> bool:
    """Written without a year ("on Monday", "last week", "19 June"): resolved against the
    publication date, so only as right as that date and the tense of its sentence."""
    return not _YEAR.search(t.text)


def implausible(text: str, t: TimeMention, published: datetime | None) -> bool:
    """A relative date resolved after publication in a sentence that does not speak of the
    future, or decades before publication."""
    if published is None or t.earliest is None or not relative(t):
        return False
    day = published.date().isoformat()
    if t.earliest[:10] > day:
        return not _FUTURE.search(_sentence_around(text, t.start, t.end))
    return t.earliest[:4].isdigit() and published.year - int(t.earliest[:4]) >= DECADES


def _order(e: TimelineEntry) -> tuple[str, int, str, str, str]:
    start = (e.earliest or "")[:16]
    return (start, 0 if e.kind is TimelineKind.EVENT else 1, e.latest or "~", e.label, e.what)


def _add(items: list[str], value: str) -> None:
    if value not in items:
        items.append(value)


def _sentence_around(text: str, start: int, end: int) -> str:
    left = 0
    for m in _SENTENCE_END.finditer(text, 0, start):
        left = m.end()
    m = _SENTENCE_END.search(text, end)
    right = m.start() if m else len(text)
    return text[left:right].strip()


def group_by_article(items: Sequence[tuple[int, int, str]]) -> dict[tuple[int, int], list[str]]:
    out: dict[tuple[int, int], list[str]] = defaultdict(list)
    for article_id, start, value in items:
        if value not in out[(article_id, start)]:
            out[(article_id, start)].append(value)
    return out
