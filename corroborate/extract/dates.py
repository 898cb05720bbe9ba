"""Dates and times in an article, resolved against its publication date.

Why neither spaCy's DATE entities nor dateparser alone: spaCy misses times and some formats
("Jun 27, 2024 - 06:30") and now and then tags a count or a modal "May"; dateparser gives a
bare "July" a guessed year and knows nothing of "as early as" or "at the end of". So the
rules of `date_rules.py` find and parse the expressions; the parse vetoes false friends (a
modal "May", "2000 people", "Theresa May") and tells whether the sentence speaks of the
future; a year named earlier in the same sentence anchors bare months and days ("Last year,
... he met Putin in September" is 2023-09); and dateparser, cached, only sees the spaCy
DATE/TIME entities the rules left alone. Calendar conventions are documented in
`date_rules.py`.

The year of a bare month or day ("in July", "on 26 June"): a year anchor in the sentence if
there is one; else, if the governing verb speaks of the future (a modal or "will", "expected
/ planned / set to"), the first such month or day not before publication ("may deploy as
early as July", published 27 June 2024: 2024-07; "will vote in March": 2025-03); else the
most recent one not after publication ("in June": 2024-06, "in September": 2023-09).
A bare weekday is, by news convention, the most recent such day on or before publication,
or the next one on or after it in a future sentence.

A clock time with no day in its sentence is on the publication day, unless that would put
it after the publication itself in a sentence that does not speak of the future: "the fire
broke out at 11 p.m." published at 08:10 happened the night before. When the publication
time is unknown (a date alone, read as midnight), the publication day stays. A clock time
that names its zone ("07:30 GMT") is compared with the publication seen in that zone.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from typing import TYPE_CHECKING

from corroborate.extract.date_rules import (
    UNRESOLVED,
    Candidate,
    Resolution,
    day_period,
    month_period,
    resolve,
    scan,
    year_period,
)
from corroborate.records import Granularity, TimeMention

if TYPE_CHECKING:
    from dateparser.date import DateDataParser
    from spacy.tokens import Doc, Token

# words before a bare month or year that make it a date ("in June", "since 2022")
_MONTH_CONTEXT = frozenset({
    "in", "since", "by", "until", "till", "from", "to", "through", "throughout", "during",
    "before", "after", "between", "for", "around", "about", "last", "next", "this", "early",
    "late", "mid",
})
_YEAR_CONTEXT = frozenset({
    "in", "since", "by", "until", "till", "from", "to", "through", "throughout", "during",
    "before", "after", "between", "year", "early", "late", "mid", "and", "or",
})
_SEASON_CONTEXT = frozenset({
    "in", "during", "over", "throughout", "since", "by", "until", "till", "before", "after",
    "through", "for",
})
_MONTH_ALONE_OK = frozenset(range(1, 13)) - {3, 5}  # spaCy's DATE vouches, except March, May
_NOT_A_MONTH_ENTS = frozenset({"PERSON", "ORG", "WORK_OF_ART", "FAC", "PRODUCT"})
_NOT_A_YEAR_ENTS = frozenset({
    "MONEY", "PERCENT", "QUANTITY", "ORG", "PRODUCT", "LAW", "WORK_OF_ART", "FAC",
})
_LIST_BEFORE = re.compile(
    r"(?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december|\d{4})\s*(?:,|and|or|to|through|until|-|–)\s*$",
    re.IGNORECASE,
)

_MODALS = frozenset({
    "will", "'ll", "shall", "may", "might", "could", "can", "should", "would", "must", "wo",
    "ca", "'d",
})
_PERFECT = frozenset({"have", "has", "had", "'ve"})
_PAST_AUX = frozenset({"was", "were", "did", "had"})
_FUTURE_LEMMAS = frozenset({
    "expect", "plan", "intend", "schedule", "set", "due", "aim", "hope", "prepare", "seek",
    "want", "threaten", "promise", "pledge", "vow", "propose", "go", "likely",
})

# what dateparser may see: a capitalised month or weekday, a relative word, a numeric date
_DATEPARSER_GATE = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|Monday|Tuesday|Wednesday|"
    r"Thursday|Friday|Saturday|Sunday)\b|\b(?:ago|yesterday|today|tomorrow|tonight|"
    r"fortnight|noon|midnight)\b|\d{1,2}[:/.]\d{1,2}"
)
_WORD = re.compile(r"[\w']+")
_RANGE_GLUE = re.compile(r"\s*(?:-|–|—|to|until|till|through|and|or|,)\s*", re.IGNORECASE)
_HAS_YEAR = re.compile(r"(?<!\d)(?:1[89]|2[01])\d\d(?!\d)")
_HAS_TIME = re.compile(r"\d:\d\d|\d\s*[ap]\.?m\b|noon|midnight", re.IGNORECASE)
_DAY_BEFORE = "day before publication assumed"
_PUB_DAY = "publication day assumed"


def find_times(doc: Doc, published: datetime | None) -> list[TimeMention]:
    """Dates and times in a parsed article, in text order, resolved against `published`.

    Offsets are character offsets into `doc.text`. Without a publication date, absolute
    dates still resolve; relative ones come back with earliest/latest None and the label
    "unresolved: no publication date".
    """
    text = doc.text  # spaCy rebuilds it on every access: read it once
    if not text.strip():
        return []
    pub = _as_date(published)
    ctx = _Context(doc, text)
    kept, taken, vetoed = _select(scan(text), ctx)
    resolved = _resolve_all(kept, pub, ctx, published)
    mentions = [_mention(text, c.start, c.end, resolved[i]) for i, c in enumerate(kept)
                if i in resolved]
    mentions.extend(_from_entities(doc, pub, ctx, taken, vetoed))
    mentions.sort(key=lambda m: (m.start, m.end))
    return mentions


def _select(candidates: list[Candidate], ctx: _Context
            ) -> tuple[list[Candidate], bytearray, bytearray]:
    """Longest plausible candidates first, none overlapping; returns them in text order,
    with the characters they cover and those where the parse vetoed a pattern's match."""
    taken = bytearray(len(ctx.text))
    vetoed = bytearray(len(ctx.text))
    kept: list[Candidate] = []
    for c in sorted(candidates, key=lambda c: (c.start - c.end, c.priority, c.start)):
        if any(taken[c.start:c.end]):
            continue
        if not _plausible(c, ctx):
            vetoed[c.start:c.end] = b"\x01" * (c.end - c.start)
            continue
        taken[c.start:c.end] = b"\x01" * (c.end - c.start)
        kept.append(c)
    kept.sort(key=lambda c: c.start)
    return kept, taken, vetoed


def _resolve_all(kept: list[Candidate], pub: date | None, ctx: _Context,
                 published: datetime | date | None = None) -> dict[int, Resolution]:
    """Resolve in three passes, each feeding the next its anchors; `published` gives the
    publication's clock, when known, for lone clock times."""
    # pass 1: what needs no context; collects the year anchors of each sentence
    resolved: dict[int, Resolution] = {}
    anchors: dict[int, list[tuple[int, int]]] = {}  # sentence -> [(end offset, year)]
    for i, c in enumerate(kept):
        if c.needs_year or c.kind in ("time", "weekday"):
            continue
        r = resolve(c, pub)
        if r is None:
            continue
        resolved[i] = r
        year = _anchor_year(c, r, ctx)
        if year is not None:
            anchors.setdefault(ctx.sentence(c.start), []).append((c.end, year))
    # pass 2: bare months, days, seasons and weekdays, with anchor and tense
    for i, c in enumerate(kept):
        if not (c.needs_year or c.kind == "weekday"):
            continue
        anchor = None
        if c.needs_year:
            anchor = _range_year(ctx.text, kept, i) or _anchor_before(
                anchors.get(ctx.sentence(c.start), []), c.start)
        future = ctx.future(c.key or c.start) if pub is not None and anchor is None else False
        r = resolve(c, pub, anchor_year=anchor, future=future)
        if r is not None:
            resolved[i] = r
    # pass 3: lone clock times take the day named nearest in their sentence, else the
    # last one of the sentence before
    days: dict[int, list[tuple[int, date]]] = {}  # sentence -> [(start offset, day)]
    for i, c in enumerate(kept):
        r = resolved.get(i)
        if r is not None and r.earliest and r.granularity in (
            Granularity.DAY, Granularity.MINUTE
        ) and r.earliest[:10] == (r.latest or "")[:10]:
            days.setdefault(ctx.sentence(c.start), []).append(
                (c.start, date.fromisoformat(r.earliest[:10])))
    for i, c in enumerate(kept):
        if c.kind == "time":
            sent = ctx.sentence(c.start)
            day = _nearest_day(days.get(sent, []), c.start)
            if day is None and sent > 0 and "\n" not in ctx.text[ctx.bounds(sent - 1)[0]:c.start]:
                # "The fire broke out on Monday. At 11 p.m. crews arrived.": the day named
                # last in the sentence before, in the same paragraph
                earlier = days.get(sent - 1, [])
                day = earlier[-1][1] if earlier else None
            local_day, clock = _publication_seen_from(c, pub, published)
            if day is None and _before_publication(c, local_day, clock, ctx):
                assert local_day is not None
                r = resolve(c, pub, anchor_day=local_day - timedelta(days=1))
                if r is not None:
                    r = replace(r, qualifier=_DAY_BEFORE)
            elif day is None and local_day != pub:  # the publication day, seen in its zone
                r = resolve(c, pub, anchor_day=local_day)
                if r is not None:
                    r = replace(r, qualifier="; ".join(filter(None, (r.qualifier, _PUB_DAY))))
            else:
                r = resolve(c, pub, anchor_day=day)
            if r is not None:
                resolved[i] = r
    return resolved


def _publication_seen_from(c: Candidate, pub: date | None, published: datetime | date | None
                           ) -> tuple[date | None, tuple[int, int] | None]:
    """The publication's day and clock in the zone a clock time names ("07:30 GMT" in a
    report stamped 09:10 +03:00 is 06:10 GMT: earlier, so the same day), else as printed."""
    if (c.utc_offset is not None and isinstance(published, datetime)
            and published.tzinfo is not None and _clock(published) is not None):
        local = published.astimezone(timezone(timedelta(minutes=c.utc_offset)))
        return local.date(), (local.hour, local.minute)
    return pub, _clock(published)


def _before_publication(c: Candidate, pub: date | None, clock: tuple[int, int] | None,
                        ctx: _Context) -> bool:
    """Is a lone clock time later in the day than the publication, in a sentence that does
    not speak of the future? Then it was the day before ("broke out at 11 p.m.")."""
    if pub is None or clock is None or c.hour is None or c.minute is None:
        return False
    return (c.hour, c.minute) > clock and not ctx.future(c.start)


def _clock(published: datetime | date | None) -> tuple[int, int] | None:
    """The publication's time of day, in its own zone; None for a date alone (midnight)."""
    if not isinstance(published, datetime):
        return None
    if (published.hour, published.minute, published.second, published.microsecond) == (
            0, 0, 0, 0):
        return None
    return published.hour, published.minute


def _as_date(published: datetime | date | None) -> date | None:
    """The publication day as the outlet printed it (an aware datetime keeps its own zone)."""
    if published is None:
        return None
    if isinstance(published, datetime):
        return published.date()
    return published


def _mention(text: str, start: int, end: int, r: Resolution) -> TimeMention:
    return TimeMention(
        start=start, end=end, text=text[start:end], earliest=r.earliest, latest=r.latest,
        granularity=r.granularity, qualifier=r.qualifier, label=r.label,
    )


class _Context:
    """Lookups into the parse, computed once per document and only when asked for."""

    def __init__(self, doc: Doc, text: str) -> None:
        self.doc = doc
        self.text = text
        self._token_starts: list[int] | None = None
        self.has_dep = doc.has_annotation("DEP")
        # sentences, cut again at line breaks: a headline or dateline has no full stop, and
        # spaCy runs it into the next paragraph
        if doc.has_annotation("SENT_START") or self.has_dep:
            starts = {sent.start_char for sent in doc.sents}
        else:  # no parser: split where a sentence visibly ends
            starts = {m.end() for m in re.finditer(r"[.!?]\s+(?=[A-Z\"“])", text)}
        starts.update(m.end() for m in re.finditer(r"\n\s*", text))
        starts.add(0)
        self._sent_starts = sorted(starts)
        self._first_modal: dict[int, int] = {}  # sentence -> offset of its first modal word

    def sentence(self, char: int) -> int:
        return bisect_right(self._sent_starts, char) - 1

    def bounds(self, sent: int) -> tuple[int, int]:
        end = (self._sent_starts[sent + 1] if sent + 1 < len(self._sent_starts)
               else len(self.text))
        return self._sent_starts[sent], end

    def token(self, char: int) -> Token:
        if self._token_starts is None:
            self._token_starts = self.doc.to_array("IDX").tolist()
        return self.doc[max(bisect_right(self._token_starts, char) - 1, 0)]

    def future(self, char: int) -> bool:
        """Does the clause around this character speak of the future?"""
        if len(self.doc) == 0:
            return False
        sent = self.sentence(char)
        lo, hi = self.bounds(sent)
        if self.has_dep:
            verdict = _governing_verb_is_future(self.token(char), lo, hi)
            if verdict is not None:
                return verdict
        # no parse, or one that runs out of the sentence: is there a modal before the date?
        if sent not in self._first_modal:
            self._first_modal[sent] = next(
                (lo + m.start() for m in _WORD.finditer(self.text[lo:hi])
                 if m.group().lower() in _MODALS), hi)
        return self._first_modal[sent] < char


def _governing_verb_is_future(token: Token, lo: int, hi: int) -> bool | None:
    """Walk up to the verb the date hangs on and read its tense and auxiliaries.

    Infinitives and participles ("expected to help rebuild ... in July", "his promise to
    vote ... on Feb. 8" in a "will" sentence) pass the question up to the verb they depend
    on. None when the walk leaves the sentence [lo, hi): the parse is not to be trusted there.
    """
    verb: Token | None = _verb_above(token, lo, hi)
    for _ in range(6):
        if verb is None:
            return None
        words = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
        if words & _PERFECT:
            return False
        if words & _MODALS:
            return True
        past = verb.tag_ == "VBD" or bool(words & _PAST_AUX)
        if _future_lemma(verb) and not past:
            return True
        if past:
            return False
        # "to vote", and the passive "to be arraigned" (a participle after "to be")
        infinitive = "to" in words and (verb.tag_ == "VB" or "be" in words)
        if not (infinitive or verb.dep_ in ("xcomp", "advcl", "conj")) or verb.head.i == verb.i:
            return False
        if infinitive and verb.head.pos_ == "ADJ" and _future_lemma(verb.head):
            # "is due / likely to be arraigned on Thursday"; "was due to" tells of the past
            return verb.head.head.tag_ != "VBD"
        verb = _verb_above(verb.head, lo, hi)
    return False


def _verb_above(token: Token, lo: int, hi: int) -> Token | None:
    """The first verb at or above a token, or None once the walk leaves [lo, hi)."""
    for _ in range(10):
        if not lo <= token.idx < hi:
            return None
        if token.pos_ in ("VERB", "AUX") or token.head.i == token.i:
            return token
        token = token.head
    return token


def _future_lemma(verb: Token) -> bool:
    """"expected / planned / set to", "is going to"; but "had planned", "went"."""
    lemma = verb.lemma_.lower()
    return lemma in _FUTURE_LEMMAS and (lemma != "go" or verb.tag_ == "VBG")


def _plausible(c: Candidate, ctx: _Context) -> bool:
    """The parse's veto: is this month, year or season word really a date here?"""
    if c.kind in ("month", "monthday"):
        tok = ctx.token(c.key)
        if tok.tag_ == "MD" or tok.ent_type_ in _NOT_A_MONTH_ENTS:
            return False  # "North Korea may deploy", "Theresa May said"
    if c.guard is None or c.has_context:
        return True
    text = ctx.text
    before = text[max(0, c.key - 30):c.key]
    prev_word = before.split()[-1].lower().strip("\"'“”‘’([") if before.split() else ""
    if c.guard == "month":
        assert c.month is not None
        if prev_word in _MONTH_CONTEXT or _LIST_BEFORE.search(before):
            return True
        return c.month in _MONTH_ALONE_OK and ctx.token(c.key).ent_type_ == "DATE"
    if c.guard == "year":
        tok = ctx.token(c.key)
        if tok.ent_type_ in _NOT_A_YEAR_ENTS:
            return False
        nxt = ctx.doc[tok.i + 1] if tok.i + 1 < len(ctx.doc) else None
        if nxt is not None and nxt.ent_type_ != "DATE" and (
            nxt.tag_ == "NNS" or (tok.ent_type_ != "DATE" and nxt.pos_ in ("NOUN", "PROPN"))
        ):
            return False  # "in 2000 cases", "2024 dollars" (spaCy calls some of these DATE)
        if tok.ent_type_ == "DATE":
            return True
        return prev_word in _YEAR_CONTEXT or bool(_LIST_BEFORE.search(before))
    if c.guard == "season":
        the_at = text.rfind("the", c.start, c.key)
        before_the = text[max(0, the_at - 20):the_at].split() if the_at >= 0 else []
        return bool(before_the) and before_the[-1].lower() in _SEASON_CONTEXT
    return True


def _anchor_year(c: Candidate, r: Resolution, ctx: _Context) -> int | None:
    """A year that bare months later in the sentence belong to: "In 2022", "Last year";
    not a year that qualifies a noun ("potential 2012 Republican candidates")."""
    if c.qualifier or r.granularity != Granularity.YEAR or r.earliest is None:
        return None
    if c.kind == "rel" and c.unit == "year":
        return int(r.earliest[:4])
    if c.kind == "abs" and c.month is None:
        tok = ctx.token(c.end - 1)
        nxt = ctx.doc[tok.i + 1] if tok.i + 1 < len(ctx.doc) else None
        if nxt is None or nxt.pos_ not in ("NOUN", "PROPN", "ADJ"):
            return int(r.earliest[:4])
    return None


def _range_year(text: str, kept: list[Candidate], i: int) -> int | None:
    """The year of a range's far end: "from May to July 2023", "3 and 5 March 2024"."""
    for j in (i + 1, i + 2):
        if j >= len(kept):
            return None
        between = text[kept[j - 1].end:kept[j].start]
        if not _RANGE_GLUE.fullmatch(between):
            return None
        if kept[j].kind == "abs" and kept[j].month is not None:
            return kept[j].year
    return None


def _anchor_before(anchors: list[tuple[int, int]], start: int) -> int | None:
    """The year anchor ending last before `start` (anchors are in text order)."""
    k = bisect_right(anchors, (start, 10_000)) - 1
    return anchors[k][1] if k >= 0 else None


def _nearest_day(days: list[tuple[int, date]], start: int) -> date | None:
    """The single day named nearest to a clock time in its sentence, the one before
    winning a tie ("on 19 June, at 20:00", "at 20:00 on 19 June")."""
    k = bisect_right(days, (start, date.max))
    before = days[k - 1] if k > 0 else None
    after = days[k] if k < len(days) else None
    if before is None or (after is not None and after[0] - start < start - before[0]):
        return after[1] if after else None
    return before[1]


# --- dateparser, for what the rules did not cover -------------------------------------------------


def _from_entities(doc: Doc, pub: date | None, ctx: _Context, taken: bytearray,
                   vetoed: bytearray) -> list[TimeMention]:
    """spaCy DATE/TIME entities no rule took or vetoed, resolved by dateparser."""
    out: list[TimeMention] = []
    text = ctx.text
    for ent in doc.ents:
        if ent.label_ not in ("DATE", "TIME"):
            continue
        start, end = ent.start_char, ent.end_char
        while end > start and not text[end - 1].isalnum():
            end -= 1
        phrase = text[start:end]
        if (end - start > 60 or any(taken[start:end]) or any(vetoed[start:end])
                or not _DATEPARSER_GATE.search(phrase)):
            continue
        prefer = "future" if pub is not None and ctx.future(start) else "past"
        r = _dateparser_resolution(phrase, pub, prefer)
        if r is not None:
            out.append(_mention(text, start, end, r))
            taken[start:end] = b"\x01" * (end - start)
    return out


def _dateparser_resolution(phrase: str, pub: date | None, prefer: str) -> Resolution | None:
    absolute = bool(_HAS_YEAR.search(phrase))
    found = _dateparser(phrase, (pub or date(2000, 1, 1)).isoformat(), prefer)
    if found is None:
        return None
    period, when = found
    if not 1000 <= when.year <= 2200:
        return None
    granularity = {"year": Granularity.YEAR, "month": Granularity.MONTH}.get(
        period, Granularity.MINUTE if _HAS_TIME.search(phrase) else Granularity.DAY)
    if pub is None and not absolute:
        return Resolution(None, None, granularity, "unresolved", UNRESOLVED)
    if granularity == Granularity.YEAR:
        p = year_period(when.year)
    elif granularity == Granularity.MONTH:
        p = month_period(when.year, when.month)
    elif granularity == Granularity.DAY:
        p = day_period(when.date())
    else:
        stamp = when.strftime("%Y-%m-%dT%H:%M")
        return Resolution(stamp, stamp, granularity, None, stamp.replace("T", " "))
    return Resolution(p.start.isoformat(), p.end.isoformat(), granularity, None, p.label)


@lru_cache(maxsize=4096)
def _dateparser(phrase: str, base: str, prefer: str) -> tuple[str, datetime] | None:
    """dateparser's reading of one phrase; slow, so each (phrase, base) is parsed once."""
    data = _date_data_parser(base, prefer).get_date_data(phrase)
    if data is None or data.date_obj is None:
        return None
    return data.period or "day", data.date_obj


@lru_cache(maxsize=64)
def _date_data_parser(base: str, prefer: str) -> DateDataParser:
    from dateparser.date import DateDataParser  # imported late: most articles never need it

    return DateDataParser(languages=["en"], settings={
        "RELATIVE_BASE": datetime.fromisoformat(base),
        "PREFER_DATES_FROM": prefer,
        "RETURN_AS_TIMEZONE_AWARE": False,
        "PREFER_DAY_OF_MONTH": "first",
    })
