"""Which event a statement speaks of: the story's own, or a background event.

Reports of a quake recall earlier quakes ("In February, a quake in Zarand killed 612
people"), reports of a heist earlier heists. Their figures are of the same measure as the
story's own (dead, magnitude) but of another event, so they must never be weighed against
the story's figures, and the story's own figures, however differently worded, are one fact
per measure. The story's own event is where and when most of its outlets place it: the day
its statements name most often, and the countries most of its articles name. A statement
dated over a week away from that day, or naming only other countries, is background.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from datetime import date, timedelta

from corroborate.crosscheck.statements import Statement

NEAR_DAYS = 7  # a date this close to the story's day is the story's own event
MAIN_COUNTRY_SHARE = 0.5  # a country named by over this share of the articles naming the top one

Marker = tuple[str, str] | None  # None: the story's own event
_REFERS_BACK = re.compile(r"(?:It|Its|This|That|They|Their|The (?:quake|earthquake|attack|"
                          r"blast|storm|fire|crash|raid|robbery|heist|theft))\b")


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text[:10]) if text and len(text) >= 10 else None
    except ValueError:
        return None


def _bounds(earliest: str | None, latest: str | None) -> tuple[date, date] | None:
    """A time mention as days (a month "2005-02" spans its days)."""
    def parse(text: str | None, end: bool) -> date | None:
        if not text:
            return None
        if len(text) >= 10:
            return _day(text)
        try:
            year, month = int(text[:4]), int(text[5:7]) if len(text) >= 7 else (12 if end else 1)
        except ValueError:
            return None
        if not end:
            return date(year, month, 1)
        following = date(year + (month == 12), month % 12 + 1, 1)
        return following - timedelta(days=1)
    low, high = parse(earliest, False), parse(latest or earliest, True)
    return (low, high) if low and high else None


def _countries(statement: Statement) -> frozenset[str]:
    out = set()
    for key in statement.sentence_entities:
        if key.startswith("country:"):
            out.add(key.split(":", 1)[1])
        elif key.startswith("place:") and key.count(":") >= 2:
            out.add(key.rsplit(":", 1)[1])
    return frozenset(c for c in out if c)


def story_day(statements: Sequence[Statement]) -> date | None:
    """The day the story's statements name most often (each article counted once a day)."""
    votes: Counter[date] = Counter()
    for s in statements:
        if s.is_copy:
            continue
        for t in s.times:
            if t.granularity == "day" and (d := _day(t.earliest)):
                votes[(s.article_id, d)] += 1
    days = Counter(d for _, d in votes)
    return max(sorted(days), key=lambda d: days[d]) if days else None


def story_countries(statements: Sequence[Statement]) -> frozenset[str]:
    """The countries most of the story's articles name."""
    per_article: dict[int, set[str]] = {}
    for s in statements:
        if not s.is_copy:
            per_article.setdefault(s.article_id, set()).update(_countries(s))
    counts = Counter(c for found in per_article.values() for c in found)
    if not counts:
        return frozenset()
    top = max(counts.values())
    return frozenset(c for c, n in counts.items() if n == top or n > top * MAIN_COUNTRY_SHARE)


def event_markers(statements: Sequence[Statement],
                  instant: bool = False) -> dict[int, Marker]:
    """Each statement's event: None for the story's own, else what sets it apart: the
    month it is dated ("time", "2005-02") or the countries it names ("place", "CN").

    `instant`: markers for measures of a moment (a quake's magnitude), where a statement
    its own words date to another day of the week is another event ("a quake measuring 3.8
    on Monday", the day after the story's quake: an aftershock), marked ("day", "2005-11-28");
    a toll counted on another day is still the story's own."""
    day = story_day(statements)
    main = story_countries(statements)
    out: dict[int, Marker] = {}
    previous: Statement | None = None
    for s in statements:
        marker: Marker = None
        if day is not None:
            for t in s.dated:
                span = _bounds(t.earliest, t.latest)
                if span and (span[1] < day - timedelta(days=NEAR_DAYS)
                             or span[0] > day + timedelta(days=NEAR_DAYS)):
                    marker = ("time", (t.earliest or "")[:7])
                    break
        if marker is None and instant and day is not None:
            days = {d for t in s.times if t.granularity == "day" and (d := _day(t.earliest))}
            if days and day not in days:
                marker = ("day", min(days).isoformat())
        if marker is None and main:
            named = _countries(s)
            if named and not named & main:
                marker = ("place", ",".join(sorted(named)))
        if marker is None and previous is not None and previous.article_id == s.article_id \
                and _REFERS_BACK.match(s.claim.text):
            marker = out[previous.index]  # "It killed 612 people": the quake just named
        out[s.index] = marker
        previous = s
    return out
