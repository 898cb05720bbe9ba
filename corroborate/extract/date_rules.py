"""Date grammar and calendar arithmetic for `dates.py`, with no spaCy in sight.

Why a rule layer in front of dateparser: the expressions that matter most in news are the
qualified ones ("as early as July", "at the end of February this year", "mid-2023", "for the
first time in 24 years"), and dateparser either misses them or silently guesses a year for a
bare month. These patterns say what the words mean and keep the qualifier; choosing the year
of a bare "July" needs the parse (tense, a "last year" earlier in the sentence), so the caller
passes that context in to `resolve()`.

Calendar conventions (the windows reported as earliest/latest):
- a month is its first..last day; a year Jan 1..Dec 31; a decade its ten years;
- "early"/"mid"/"late" (and "the beginning/middle/end of") a month: days 1-10, 10-20,
  20-end (fuzzy words, so neighbouring windows share a day); of a year: Jan-Apr, May-Aug,
  Sep-Dec; of a decade: years 0-3, 4-6, 7-9; of anything else: its thirds;
- weeks run Monday..Sunday; seasons are meteorological, northern hemisphere (spring Mar-May,
  summer Jun-Aug, autumn Sep-Nov, winter Dec-Feb, labelled "winter 2024/25");
- "as early as X" is "not before": earliest = start of X, latest open (None);
  "by X" is "not after": earliest open, latest = end of X; "since X" and "until X" likewise;
- a duration ("24 years") is anchored to the publication date only where the words look
  back from it ("for the first time in 24 years", "the past three years": pub - 24 years ..
  pub); otherwise ("for two years") its earliest/latest are None.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from corroborate.records import Granularity

UNRESOLVED = "unresolved: no publication date"

# --- vocabulary ---------------------------------------------------------------------------------

_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)
MONTHS = {name[:3]: i for i, name in enumerate(_MONTH_NAMES, start=1)}
WEEKDAYS = {
    name: i
    for i, name in enumerate(
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    )
}
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
}
_QUALIFIERS = {
    "as early as": "not before", "as soon as": "not before", "no earlier than": "not before",
    "not earlier than": "not before", "not before": "not before",
    "by": "not after", "no later than": "not after", "not later than": "not after",
    "since": "since", "until": "until", "till": "until",
    "around": "about", "about": "about", "approximately": "about", "roughly": "about",
    "circa": "about", "c.": "about",
}
_PARTS = {
    "early": "early", "beginning of": "early", "start of": "early", "early part of": "early",
    "mid": "mid", "middle of": "mid",
    "late": "late", "end of": "late", "close of": "late", "latter part of": "late",
    "first half of": "first half", "second half of": "second half",
    "latter half of": "second half",
}
SEASON_START = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}

# --- regular expressions ------------------------------------------------------------------------

_MON_FULL = "|".join(_MONTH_NAMES)
_MON_ABBR = "jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec"
_WD = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_NUM = r"\d{1,3}|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
_UNIT = r"(?P<unit>day|week|month|year|decade)s?\b"


def _mon(group: str = "mon") -> str:
    return rf"(?P<{group}>(?:{_MON_FULL})|(?:{_MON_ABBR})\.?)(?![a-z])"


_START = r"(?<![\w$£€#@./:'’-])"  # not inside a word, a number, an amount or a path
_PRE = (
    r"(?:(?P<pre>as\s+early\s+as|as\s+soon\s+as|no\s+earlier\s+than|not\s+earlier\s+than|"
    r"not\s+before|no\s+later\s+than|not\s+later\s+than|since|until|till|by|around|about|"
    r"approximately|roughly|circa|c\.)\s+)?"
)
_PART = (
    r"(?:(?:the\s+)?(?P<part>(?:very\s+)?(?:end|beginning|start|middle|close|first\s+half|"
    r"second\s+half|latter\s+half|latter\s+part|early\s+part)\s+of|early|mid|late)"
    r"(?:\s*-\s*|\s+))?"
)
_DAY = r"(?P<day>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d:%]|,\d{3}(?!\d)|\.\d)"
_YEAR = r"(?P<year>(?:1[89]|2[01])\d\d)(?![\d%]|s\b|\s*per\s?cent|-\d|\.\d|,\d{3}(?!\d))"
_AMPM = r"[ap]\.?\s?m\b\.?"
_TZ = (
    r"(?:\s*\(?(?P<tz>(?:GMT|UTC|BST|CET|CEST|EET|EEST|MSK|KST|JST|EST|EDT|CST|CDT|PST|PDT|ET|PT)"
    r"(?:\s*[+-]\s*\d{1,2}(?::?\d\d)?)?)\b\)?)?"
)
# Hours from UTC of the zone names above; "ET"/"PT" switch with daylight saving (no offset)
_ZONE_HOURS = {"GMT": 0, "UTC": 0, "BST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3, "MSK": 3,
               "KST": 9, "JST": 9, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "PST": -8,
               "PDT": -7}
_ZONE = re.compile(r"([A-Z]+)(?:\s*([+-])\s*(\d{1,2})(?::?(\d\d))?)?")
_TIME = (
    rf"(?:(?P<hh>[01]?\d|2[0-3]):(?P<mm>[0-5]\d)(?::[0-5]\d)?(?:\s*(?P<ampm>{_AMPM}))?"
    rf"|(?P<hh2>1[0-2]|0?[1-9])\s*(?P<ampm2>{_AMPM})|(?P<nm>noon|midday|midnight)\b)"
    rf"{_TZ}(?![\d:])"
)
_TIME_AFTER = rf"(?:(?:T|\s*,?\s*(?:[-–—|]\s*)?(?:at\s+)?){_TIME})?"
_WD_BEFORE = rf"(?:(?:{_WD}),?\s+)?"

_FLAGS = re.IGNORECASE


@dataclass(frozen=True, slots=True)
class Candidate:
    """One date expression found by a pattern, parsed but not yet placed on the calendar.

    `guard` names what only the parse can still veto ("month": is "May" a modal verb here?
    "year": is "2000" a count? "season": is "the fall" a season?); `key` is the character
    offset of the word that guard looks at.
    """

    start: int
    end: int
    kind: str
    priority: int
    guard: str | None = None
    key: int = 0
    year: int | None = None
    month: int | None = None
    day: int | None = None
    hour: int | None = None
    minute: int | None = None
    utc_offset: int | None = None  # minutes east of UTC, when a clock time names its zone
    n: int | None = None
    unit: str | None = None
    rel: int | None = None
    weekday: int | None = None
    part: str | None = None
    qualifier: str | None = None
    direction: str | None = None
    has_context: bool = False  # a prefix, part or suffix already says "this is a date"

    @property
    def needs_year(self) -> bool:
        """True when the year must come from context (sentence anchor, tense, publication)."""
        bare = self.kind in ("month", "season", "quarter") and self.year is None
        return self.kind == "monthday" or (bare and self.rel is None)


def _norm(text: str | None) -> str:
    return " ".join(text.lower().split()) if text else ""


def _month_of(word: str) -> int:
    return MONTHS[word.lower().rstrip(".")[:3]]


def _number(word: str) -> int:
    word = _norm(word)
    return int(word) if word.isdigit() else _NUMBER_WORDS[word]


def _time_of(m: re.Match[str]) -> tuple[int | None, int | None]:
    """Hour and minute of the optional time group, 24-hour."""
    if m.group("hh") is not None:
        hour, minute, ampm = int(m.group("hh")), int(m.group("mm")), m.group("ampm")
    elif m.group("hh2") is not None:
        hour, minute, ampm = int(m.group("hh2")), 0, m.group("ampm2")
    elif m.group("nm") is not None:
        return (0 if m.group("nm").lower() == "midnight" else 12), 0
    else:
        return None, None
    if ampm:
        if hour > 12 or hour == 0:
            return None, None
        hour = hour % 12 + (12 if ampm.lower().startswith("p") else 0)
    return hour, minute


def _common(m: re.Match[str]) -> dict[str, object]:
    """Prefix qualifier and part, shared by every pattern that accepts them."""
    groups = m.groupdict()
    pre = _norm(groups.get("pre"))
    part = _norm(groups.get("part")).removeprefix("very ")
    return {
        "qualifier": _QUALIFIERS.get(pre) if pre else None,
        "part": _PARTS.get(part) if part else None,
    }


def _capitalised(m: re.Match[str], group: str) -> bool:
    """Month and weekday names count only capitalised: "a protest march", "they may"."""
    word = m.group(group)
    return word is not None and word[0].isupper()


# Each handler turns a match into a Candidate, or None when the words are not a date after all.
_Handler = Callable[[re.Match[str], int], "Candidate | None"]


def _full(m: re.Match[str], prio: int) -> Candidate | None:
    if not _capitalised(m, "mon"):
        return None
    hour, minute = _time_of(m)
    return Candidate(
        m.start(), m.end(), "abs", prio, year=int(m.group("year")), month=_month_of(m["mon"]),
        day=int(m.group("day")), hour=hour, minute=minute, has_context=True, **_common(m),
    )


def _iso(m: re.Match[str], prio: int) -> Candidate | None:
    hour = int(m.group("ih")) if m.group("ih") else None
    minute = int(m.group("im")) if m.group("im") else None
    return Candidate(
        m.start(), m.end(), "abs", prio, year=int(m.group("year")), month=int(m.group("im_")),
        day=int(m.group("id")), hour=hour, minute=minute, has_context=True, **_common(m),
    )


def _numeric(m: re.Match[str], prio: int) -> Candidate | None:
    """d.m.yyyy is European; d/m/yyyy is read only where one number cannot be a month."""
    a, b = int(m.group("a")), int(m.group("b"))
    if m.group("sep") == "." or a > 12:
        day, month = a, b
    elif b > 12:
        day, month = b, a
    else:
        return None  # 03/04/2024: US or European? Not guessed.
    if not 1 <= month <= 12:
        return None
    return Candidate(
        m.start(), m.end(), "abs", prio, year=int(m.group("year")), month=month, day=day,
        has_context=True, **_common(m),
    )


def _monthday(m: re.Match[str], prio: int) -> Candidate | None:
    if not _capitalised(m, "mon"):
        return None
    hour, minute = _time_of(m)
    return Candidate(
        m.start(), m.end(), "monthday", prio, month=_month_of(m["mon"]), day=int(m["day"]),
        hour=hour, minute=minute, key=m.start("mon"), has_context=True, **_common(m),
    )


def _month_year(m: re.Match[str], prio: int) -> Candidate | None:
    if not _capitalised(m, "mon"):
        return None
    return Candidate(
        m.start(), m.end(), "abs", prio, year=int(m.group("year")), month=_month_of(m["mon"]),
        has_context=True, **_common(m),
    )


_REL_WORDS = {
    "last": -1, "this": 0, "next": 1, "the previous": -1, "the following": 1,
    "coming": 1, "the coming": 1, "current": 0, "the current": 0, "the": 0, "past": -1,
}


def _bare_month(m: re.Match[str], prio: int) -> Candidate | None:
    word = m.group("mon")
    if not _capitalised(m, "mon"):
        return None
    if len(word.rstrip(".")) <= 4 and word.lower().rstrip(".") not in (
        "may", "june", "july", "sept"
    ):
        return None  # "Mar", "Jan", "Dec" alone are names and words, not months
    ry = _norm(m.group("ry"))
    common = _common(m)
    rel = None if ry in ("", "the same") else _REL_WORDS[ry]
    return Candidate(
        m.start(), m.end(), "month", prio, guard="month", key=m.start("mon"),
        month=_month_of(word), rel=rel,
        has_context=bool(ry or common["qualifier"] or common["part"]), **common,
    )


def _bare_year(m: re.Match[str], prio: int) -> Candidate | None:
    common = _common(m)
    # "about 2000" / "by 2000" are often counts; only these words vouch for a year by themselves
    vouching = common["part"] is not None or _norm(m.group("pre")) in (
        "as early as", "as soon as", "no earlier than", "not earlier than", "not before",
        "no later than", "not later than", "since", "until", "till",
    )
    return Candidate(
        m.start(), m.end(), "abs", prio, guard="year", key=m.start("year"),
        year=int(m.group("year")), has_context=vouching or bool(m.group("the_year")),
        **common,
    )


def _decade(m: re.Match[str], prio: int) -> Candidate | None:
    common = _common(m)
    if m.group("dy"):
        return Candidate(m.start(), m.end(), "decade", prio, year=int(m["dy"]), **common)
    return Candidate(m.start(), m.end(), "decade", prio, n=int(m["ds"]) * 10, **common)


_REL_DAYS = {
    "the day before yesterday": -2, "yesterday": -1, "today": 0, "tonight": 0,
    "this morning": 0, "this afternoon": 0, "this evening": 0, "tomorrow": 1,
    "the day after tomorrow": 2,
}


def _rel_day(m: re.Match[str], prio: int) -> Candidate | None:
    return Candidate(
        m.start(), m.end(), "rel", prio, unit="day", rel=_REL_DAYS[_norm(m["rday"])],
        **_common(m),
    )


def _rel_unit(m: re.Match[str], prio: int) -> Candidate | None:
    rel_word, unit, common = _norm(m["rel"]), _norm(m["runit"]), _common(m)
    if m["runit"].istitle():
        return None  # ABC's "This Week", "Last Week Tonight": a title, not a time
    if rel_word == "the" and common["part"] is None:
        return None  # "the year" alone is no date; "the end of the year" is
    if rel_word == "past" or (rel_word == "the" and unit in SEASON_START):
        return None  # "past year" is a rolling window (another pattern); "the summer" too
    if unit in SEASON_START:
        return Candidate(
            m.start(), m.end(), "season", prio, unit=unit, rel=_REL_WORDS[rel_word], **common
        )
    return Candidate(m.start(), m.end(), "rel", prio, unit=unit, rel=_REL_WORDS[rel_word],
                     **common)


def _window(m: re.Match[str], prio: int) -> Candidate | None:
    return Candidate(
        m.start(), m.end(), "window", prio, unit=_norm(m["wunit"]),
        direction=_norm(m["el"]), **_common(m),
    )


def _rolling(m: re.Match[str], prio: int) -> Candidate | None:
    word = _norm(m["dir"])
    if m.group("n") is None and word not in ("past", "the past", "the last"):
        return None  # "last year" is the calendar year; "the previous year" needs its referent
    n = _number(m["n"]) if m.group("n") else 1
    word = word.removeprefix("the ")
    return Candidate(
        m.start(), m.end(), "rolling", prio, n=n, unit=_norm(m["unit"]),
        direction="forward" if word in ("next", "coming") else "back",
    )


def _ago(m: re.Match[str], prio: int) -> Candidate | None:
    return Candidate(
        m.start(), m.end(), "ago", prio, n=_number(m["n"]), unit=_norm(m["unit"]), **_common(m)
    )


def _weekday(m: re.Match[str], prio: int) -> Candidate | None:
    if not _capitalised(m, "wd"):
        return None
    hour, minute = _time_of(m)
    rel = _REL_WORDS[_norm(m["wrel"])] if m.group("wrel") else None
    return Candidate(
        m.start(), m.end(), "weekday", prio, weekday=WEEKDAYS[m["wd"].lower()], rel=rel,
        hour=hour, minute=minute, **_common(m),
    )


def _season(m: re.Match[str], prio: int) -> Candidate | None:
    season = m["season"].lower()
    year = int(m["year"]) if m.group("year") else None
    if year is None and (season == "fall" or not (m.group("the") or m.group("part"))):
        return None  # "the fall of Kabul", "summer heat"
    return Candidate(
        m.start(), m.end(), "season", prio, guard=None if year else "season",
        key=m.start("season"), unit=season, year=year, **_common(m),
    )


_QUARTER_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "final": 4}


def _quarter(m: re.Match[str], prio: int) -> Candidate | None:
    q = int(m["q"]) if m.group("q") else _QUARTER_WORDS[m["qw"].lower()]
    year = int(m["year"]) if m.group("year") else None
    rel = _REL_WORDS[_norm(m["ry"])] if m.group("ry") else None
    if year is None and rel is None:
        return None  # "the first quarter" of a match, a fiscal year, a city...
    return Candidate(
        m.start(), m.end(), "quarter", prio, month=3 * q - 2, year=year, rel=rel, **_common(m)
    )


def _duration(direction: str | None) -> _Handler:
    def handler(m: re.Match[str], prio: int) -> Candidate | None:
        return Candidate(
            m.start("dur"), m.end("dur"), "duration", prio, n=_number(m["n"]),
            unit=_norm(m["unit"]), direction=direction,
        )

    return handler


def _time(m: re.Match[str], prio: int) -> Candidate | None:
    hour, minute = _time_of(m)
    if hour is None:
        return None
    return Candidate(m.start(), m.end(), "time", prio, hour=hour, minute=minute,
                     utc_offset=zone_offset(m.group("tz")))


def is_zone(name: str) -> bool:
    """Is this a time zone's name ("GMT", "UTC+3", "ET"), as written after a clock time?"""
    m = _ZONE.fullmatch(name.strip().upper())
    return m is not None and (m[1] in _ZONE_HOURS or m[1] in ("ET", "PT"))


def zone_offset(zone: str | None) -> int | None:
    """Minutes east of UTC of a zone as written after a clock time ("GMT", "UTC+3"), or None
    when there is none or it is ambiguous ("ET" is -5 or -4 by season)."""
    m = _ZONE.fullmatch(zone.strip().upper()) if zone else None
    if m is None or m[1] not in _ZONE_HOURS:
        return None
    shift = int(m[3]) * 60 + int(m[4] or 0) if m[2] else 0
    offset = _ZONE_HOURS[m[1]] * 60 + (shift if m[2] != "-" else -shift)
    # real offsets run from -12:00 to +14:00; "GMT+99" is a typo, not a zone
    return offset if -12 * 60 <= offset <= 14 * 60 and int(m[4] or 0) < 60 else None


_DUR = rf"(?P<dur>(?P<n>{_NUM})\s+{_UNIT})"
_SUPERLATIVE = (
    r"first|highest|lowest|biggest|largest|worst|best|longest|strongest|weakest|deadliest|"
    r"record"
)

# (pattern, handler, trigger); earlier patterns win ties between candidates of equal length.
_PATTERNS: list[tuple[re.Pattern[str], _Handler, str]] = [
    (re.compile(
        _START + _PRE + _PART + _WD_BEFORE + rf"(?:the\s+)?{_DAY}(?:\s+of)?\s+{_mon()},?\s+"
        + _YEAR + _TIME_AFTER, _FLAGS), _full, "month"),
    (re.compile(
        _START + _PRE + _PART + _WD_BEFORE + rf"{_mon()}\s+{_DAY},?\s+{_YEAR}" + _TIME_AFTER,
        _FLAGS), _full, "month"),
    (re.compile(
        _START + _PRE + r"(?P<year>(?:1[89]|2[01])\d\d)-(?P<im_>0[1-9]|1[0-2])-(?P<id>[0-3]\d)"
        r"(?:[T\s](?P<ih>[01]\d|2[0-3]):(?P<im>[0-5]\d)(?::[0-5]\d(?:\.\d+)?)?"
        r"(?:Z|[+-]\d\d:?\d\d)?)?(?![\d-])", _FLAGS), _iso, "digit"),
    (re.compile(
        _START + _PRE + r"(?P<a>[0-3]?\d)(?P<sep>[./])(?P<b>[01]?\d)(?P=sep)"
        r"(?P<year>(?:1[89]|2[01])\d\d)(?![\d./])", _FLAGS), _numeric, "digit"),
    (re.compile(
        _START + _PRE + _PART + _WD_BEFORE + rf"(?:the\s+)?{_DAY}(?:\s+of)?\s+{_mon()}"
        + _TIME_AFTER, _FLAGS), _monthday, "month"),
    (re.compile(
        _START + _PRE + _PART + _WD_BEFORE + rf"{_mon()}\s+(?:the\s+(?=\d\d?(?:st|nd|rd|th)\b))?"
        + _DAY + _TIME_AFTER, _FLAGS), _monthday, "month"),
    (re.compile(_START + _PRE + _PART + rf"{_mon()}(?:\s+of)?,?\s+{_YEAR}", _FLAGS),
     _month_year, "month"),
    (re.compile(
        _START + _PRE + _PART + _mon() + r"(?:\s+(?:of\s+)?(?P<ry>this|last|next|the\s+same|"
        r"the\s+previous|the\s+following)\s+year\b)?", _FLAGS), _bare_month, "month"),
    (re.compile(_START + _PRE + _PART + r"(?P<the_year>the\s+year\s+)?" + _YEAR, _FLAGS),
     _bare_year, "digit"),
    (re.compile(
        _START + _PRE + _PART + r"(?:the\s+)?(?:(?P<dy>(?:1\d|20)\d0)s|['’](?P<ds>\d)0s)\b",
        _FLAGS), _decade, "digit"),
    (re.compile(
        _START + _PRE + _PART + r"(?P<rday>the\s+day\s+before\s+yesterday|the\s+day\s+after\s+"
        r"tomorrow|yesterday|today|tonight|tomorrow|this\s+(?:morning|afternoon|evening))\b",
        _FLAGS), _rel_day, "word"),
    (re.compile(
        _START + _PRE + _PART + r"(?P<rel>last|this|next|coming|current|past|the\s+coming|"
        r"the\s+current|the)\s+(?P<runit>week|weekend|month|year|decade|summer|winter|spring|"
        r"autumn|fall)\b", _FLAGS), _rel_unit, "word"),
    (re.compile(
        _START + r"(?P<el>earlier|later)\s+(?:this|in\s+the)\s+(?P<wunit>week|month|year)\b",
        _FLAGS), _window, "word"),
    (re.compile(
        _START + r"(?P<dir>(?:the\s+)?(?:past|last|previous|next|coming))\s+(?:(?P<n>"
        + _NUM + r")\s+)?" + _UNIT, _FLAGS), _rolling, "word"),
    (re.compile(_START + _PRE + rf"(?P<n>{_NUM})\s+{_UNIT}\s+ago\b", _FLAGS), _ago, "word"),
    (re.compile(
        _START + _PRE + _PART + rf"(?:(?P<wrel>last|this|next|coming)\s+)?(?P<wd>{_WD})\b"
        r"(?:\s+(?:morning|afternoon|evening|night))?" + _TIME_AFTER, _FLAGS), _weekday, "weekday"),
    (re.compile(
        _START + _PRE + _PART + r"(?P<the>the\s+)?(?P<season>spring|summer|autumn|fall|winter)\b"
        rf"(?:\s+(?:of\s+)?{_YEAR})?", _FLAGS), _season, "word"),
    (re.compile(
        _START + _PRE + _PART + r"(?:Q(?P<q>[1-4])|(?:the\s+)?(?P<qw>first|second|third|fourth|"
        rf"final)\s+quarter)(?:\s*(?:of\s+)?{_YEAR}|\s+of\s+(?P<ry>this|last|next)\s+year\b)?",
        _FLAGS), _quarter, "word"),
    (re.compile(
        rf"\b(?:{_SUPERLATIVE})\b[^.;!?\n]{{0,60}}?\bin\s+(?:(?:nearly|almost|more\s+than|over|"
        rf"about|some)\s+)?{_DUR}(?!\s+(?:ago|old|from|later|earlier))", _FLAGS),
     _duration("back"), "word far"),
    (re.compile(
        rf"\b(?:for|over|in|within|during)\s+(?:(?:nearly|almost|more\s+than|over|about|some|"
        rf"around)\s+)?{_DUR}(?!\s+(?:ago|old|from|later|earlier|of\s+age))", _FLAGS),
     _duration(None), "word"),
    (re.compile(rf"(?<![\w:.,/$£€-]){_TIME}", _FLAGS), _time, "clock"),
]


# Every match of a pattern contains one of its trigger words. Finding the triggers is one
# cheap pass; the patterns (slow: optional prefixes tried at every character) then run only
# in windows around them. A match starts at most _BEFORE characters before its trigger
# ("no earlier than the beginning of"; _FAR_BEFORE for "the first time in 24 years") and
# ends within _AFTER characters after its last one.
_TRIGGERS = {
    "month": re.compile(rf"\b(?:{_MON_FULL}|{_MON_ABBR})\b", _FLAGS),
    "weekday": re.compile(rf"\b(?:{_WD})\b", _FLAGS),
    "digit": re.compile(r"\d+"),
    "clock": re.compile(r"\d+|\b(?:noon|midday|midnight)\b", _FLAGS),
    "word": re.compile(
        r"\b(?:yesterday|today|tonight|tomorrow|day|week|weekend|month|year|decade|summer|"
        r"winter|spring|autumn|fall|quarter|q[1-4]|earlier|later|ago)", _FLAGS),
}
_BEFORE, _FAR_BEFORE, _AFTER = 50, 110, 60


def _windows(text: str, trigger: re.Pattern[str], before: int) -> list[tuple[int, int]]:
    windows: list[tuple[int, int]] = []
    for m in trigger.finditer(text):
        lo, hi = max(0, m.start() - before), min(len(text), m.end() + _AFTER)
        if windows and lo <= windows[-1][1]:
            windows[-1] = (windows[-1][0], hi)
        else:
            windows.append((lo, hi))
    return windows


def scan(text: str) -> list[Candidate]:
    """Every candidate of every pattern; overlaps are settled by the caller."""
    windows = {name: _windows(text, trigger, _BEFORE) for name, trigger in _TRIGGERS.items()}
    windows["word far"] = [(max(0, lo - _FAR_BEFORE + _BEFORE), hi) for lo, hi in windows["word"]]
    found: list[Candidate] = []
    for prio, (pattern, handler, trigger) in enumerate(_PATTERNS):
        for lo, hi in windows[trigger]:
            for m in pattern.finditer(text, lo, hi):
                c = handler(m, prio)
                if c is not None:
                    found.append(c)
    return found


# --- calendar -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Period:
    """A resolved interval before qualifiers: what the words name on the calendar."""

    granularity: Granularity
    start: date
    end: date
    label: str
    at: datetime | None = None  # for MINUTE


@dataclass(frozen=True, slots=True)
class Resolution:
    """The TimeMention fields that `resolve()` decides."""

    earliest: str | None
    latest: str | None
    granularity: Granularity | None
    qualifier: str | None
    label: str


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _shift_month(year: int, month: int, k: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + k
    return index // 12, index % 12 + 1


def _shift(d: date, n: int, unit: str) -> date:
    """d moved by n units (negative: back), clamping the day at month ends."""
    if unit == "day":
        return d + timedelta(days=n)
    if unit == "week":
        return d + timedelta(weeks=n)
    months = n * {"month": 1, "year": 12, "decade": 120}[unit]
    y, m = _shift_month(d.year, d.month, months)
    return date(y, m, min(d.day, _last_day(y, m)))


def month_period(year: int, month: int) -> Period:
    return Period(Granularity.MONTH, date(year, month, 1),
                  date(year, month, _last_day(year, month)), f"{year:04d}-{month:02d}")


def year_period(year: int) -> Period:
    return Period(Granularity.YEAR, date(year, 1, 1), date(year, 12, 31), f"{year:04d}")


def day_period(d: date) -> Period:
    return Period(Granularity.DAY, d, d, d.isoformat())


def _minute_period(d: date, hour: int, minute: int) -> Period:
    at = datetime(d.year, d.month, d.day, hour, minute)
    return Period(Granularity.MINUTE, d, d, at.strftime("%Y-%m-%d %H:%M"), at)


def _day_or_minute(d: date, c: Candidate) -> Period:
    if c.hour is not None and c.minute is not None:
        return _minute_period(d, c.hour, c.minute)
    return day_period(d)


def _week(monday: date) -> Period:
    return Period(Granularity.DAY, monday, monday + timedelta(days=6),
                  f"week of {monday.isoformat()}")


def _season_period(season: str, year: int) -> Period:
    first = SEASON_START[season]
    y2, m2 = _shift_month(year, first, 2)
    label = f"{season} {year}" if season != "winter" else f"winter {year}/{(year + 1) % 100:02d}"
    return Period(Granularity.MONTH, date(year, first, 1), date(y2, m2, _last_day(y2, m2)), label)


def _year_for(month: int, day: int, pub: date, future: bool) -> int:
    """The year of a month (and day) given without one.

    News convention: the most recent such date not after publication ("in June", "on 26
    June"); where the sentence speaks of the future (a modal or future verb, "expected to"),
    the first such date not before publication ("may deploy ... as early as July").
    """
    if future:
        return pub.year if (month, day) >= (pub.month, pub.day) else pub.year + 1
    return pub.year if (month, day) <= (pub.month, pub.day) else pub.year - 1


def _period(c: Candidate, pub: date | None, anchor_year: int | None,
            anchor_day: date | None, future: bool) -> Period | None:
    """The interval a candidate names; None when it needs a publication date we lack.

    Raises ValueError for impossible dates (31 June), which the caller drops.
    """
    kind = c.kind
    if kind == "abs":
        assert c.year is not None
        if c.month is None:
            return year_period(c.year)
        if c.day is None:
            return month_period(c.year, c.month)
        return _day_or_minute(date(c.year, c.month, c.day), c)
    if kind == "monthday":
        assert c.month is not None and c.day is not None
        if anchor_year is not None:
            return _day_or_minute(date(anchor_year, c.month, c.day), c)
        if pub is None:
            return None
        year = _year_for(c.month, c.day, pub, future)
        if c.month == 2 and c.day == 29 and not calendar.isleap(year):
            year = next(y for y in range(year - 1, year - 9, -1) if calendar.isleap(y))
        return _day_or_minute(date(year, c.month, c.day), c)
    if kind == "month":
        assert c.month is not None
        if c.rel is not None:
            return None if pub is None else month_period(pub.year + c.rel, c.month)
        if anchor_year is not None:
            return month_period(anchor_year, c.month)
        if pub is None:
            return None
        # a whole month: compare months only, so "in June" published 27 June is this June
        return month_period(_year_for(c.month, 31 if future else 1, pub, future), c.month)
    if kind == "decade":
        if c.year is not None:
            start = c.year
        elif pub is None:
            return None
        else:  # "the '90s": the most recent such decade that has begun
            assert c.n is not None
            start = 2000 + c.n if 2000 + c.n <= pub.year else 1900 + c.n
        return Period(Granularity.DECADE, date(start, 1, 1), date(start + 9, 12, 31),
                      f"{start}s")
    if kind == "season":
        assert c.unit is not None
        if c.year is not None:
            return _season_period(c.unit, c.year)
        if c.rel is None and anchor_year is not None:
            return _season_period(c.unit, anchor_year)
        if pub is None:
            return None
        options = [_season_period(c.unit, y) for y in range(pub.year - 2, pub.year + 2)]
        if c.rel == -1:
            return [p for p in options if p.end < pub][-1]
        if c.rel == 1:
            return next(p for p in options if p.start > pub)
        if c.rel == 0:
            return next(p for p in options if p.end >= pub)
        if future:
            return next(p for p in options if p.end >= pub)
        return [p for p in options if p.start <= pub][-1]
    if kind == "quarter":
        assert c.month is not None
        year = c.year
        if year is None:
            if pub is None:
                return None
            year = pub.year + (c.rel or 0)
        end_month = c.month + 2
        return Period(Granularity.MONTH, date(year, c.month, 1),
                      date(year, end_month, _last_day(year, end_month)),
                      f"{year}-Q{(c.month + 2) // 3}")
    if kind == "time":
        day = anchor_day or pub
        if day is None or c.hour is None or c.minute is None:
            return None
        return _minute_period(day, c.hour, c.minute)
    if pub is None:
        return None
    # everything below counts from the publication date
    if kind == "rel":
        assert c.rel is not None
        if c.unit == "day":
            return day_period(pub + timedelta(days=c.rel))
        if c.unit == "week":
            return _week(pub - timedelta(days=pub.weekday()) + timedelta(weeks=c.rel))
        if c.unit == "weekend":
            saturday = pub - timedelta(days=pub.weekday()) + timedelta(days=5)
            if c.rel == -1:  # the weekend that ended most recently before publication
                sunday = pub - timedelta(days=(pub.weekday() - 6) % 7 or 7)
                saturday = sunday - timedelta(days=1)
            elif c.rel == 1:
                saturday += timedelta(weeks=1)
            return Period(Granularity.DAY, saturday, saturday + timedelta(days=1),
                          f"weekend of {saturday.isoformat()}")
        if c.unit == "month":
            return month_period(*_shift_month(pub.year, pub.month, c.rel))
        if c.unit == "year":
            return year_period(pub.year + c.rel)
        if c.unit == "decade":
            start = pub.year // 10 * 10 + 10 * c.rel
            return Period(Granularity.DECADE, date(start, 1, 1), date(start + 9, 12, 31),
                          f"{start}s")
    if kind == "window":
        unit_period = {
            "week": lambda: _week(pub - timedelta(days=pub.weekday())),
            "month": lambda: month_period(pub.year, pub.month),
            "year": lambda: year_period(pub.year),
        }[c.unit or "year"]()
        if c.direction == "earlier":
            return Period(unit_period.granularity, unit_period.start, pub,
                          f"earlier in {unit_period.label}")
        return Period(unit_period.granularity, pub, unit_period.end,
                      f"later in {unit_period.label}")
    if kind == "ago":
        assert c.n is not None and c.unit is not None
        then = _shift(pub, -c.n, c.unit)
        if c.unit in ("day", "week"):
            return day_period(then)
        if c.unit == "month":
            return month_period(then.year, then.month)
        return year_period(then.year)
    if kind == "weekday":
        assert c.weekday is not None
        delta = (pub.weekday() - c.weekday) % 7
        if c.rel == 0:  # "this Tuesday": in the publication week
            day = pub - timedelta(days=pub.weekday()) + timedelta(days=c.weekday)
        elif c.rel == 1 or (c.rel is None and future):
            ahead = (c.weekday - pub.weekday()) % 7
            day = pub + timedelta(days=ahead or (7 if c.rel == 1 else 0))
        elif c.rel == -1:  # "last Tuesday": strictly before publication
            day = pub - timedelta(days=delta or 7)
        else:  # news convention: the most recent such day, the publication day included
            day = pub - timedelta(days=delta)
        return _day_or_minute(day, c)
    raise ValueError(f"unknown kind {kind}")


def _narrow(p: Period, part: str) -> Period:
    """The early / mid / late (or first / second half) window of a period."""
    if p.granularity in (Granularity.DAY, Granularity.MINUTE) and p.start == p.end:
        return Period(p.granularity, p.start, p.end, f"{part} {p.label}", p.at)
    y, s, e = p.start.year, p.start, p.end
    if p.granularity == Granularity.MONTH and s.day == 1 and (s.year, s.month) == (
        e.year, e.month
    ):
        spans = {"early": (1, 10), "mid": (10, 20), "late": (20, e.day),
                 "first half": (1, 15), "second half": (16, e.day)}
        a, b = spans[part]
        start, end = s.replace(day=a), s.replace(day=b)
    elif p.granularity == Granularity.YEAR and s == date(y, 1, 1) and e == date(y, 12, 31):
        months = {"early": (1, 4), "mid": (5, 8), "late": (9, 12),
                  "first half": (1, 6), "second half": (7, 12)}[part]
        start, end = date(y, months[0], 1), date(y, months[1], _last_day(y, months[1]))
    elif p.granularity == Granularity.DECADE:
        years = {"early": (0, 3), "mid": (4, 6), "late": (7, 9),
                 "first half": (0, 4), "second half": (5, 9)}[part]
        start, end = date(y + years[0], 1, 1), date(y + years[1], 12, 31)
    else:
        days = (e - s).days
        cut = {"early": (0, days // 3), "mid": (days // 3, 2 * days // 3),
               "late": (2 * days // 3, days), "first half": (0, days // 2),
               "second half": (days // 2 + 1, days)}[part]
        start, end = s + timedelta(days=cut[0]), s + timedelta(days=cut[1])
    return Period(p.granularity, start, end, f"{part} {p.label}")


def _unit_granularity(unit: str) -> Granularity:
    return {"day": Granularity.DAY, "week": Granularity.DAY, "month": Granularity.MONTH,
            "year": Granularity.YEAR, "decade": Granularity.DECADE}[unit]


def _plural(n: int, unit: str) -> str:
    return f"{n} {unit}" + ("" if n == 1 else "s")


def _iso_of(p: Period, end: bool) -> str:
    if p.at is not None:
        return p.at.strftime("%Y-%m-%dT%H:%M")
    return (p.end if end else p.start).isoformat()


def resolve(c: Candidate, pub: date | None, *, anchor_year: int | None = None,
            anchor_day: date | None = None, future: bool = False) -> Resolution | None:
    """Place a candidate on the calendar; None when the words name no real date."""
    if c.kind in ("duration", "rolling"):
        assert c.n is not None and c.unit is not None
        gran = _unit_granularity(c.unit)
        if c.kind == "rolling":
            label = ("past " if c.direction == "back" else "next ") + (
                c.unit if c.n == 1 else _plural(c.n, c.unit))
        else:
            label = _plural(c.n, c.unit)
        if pub is None or c.direction is None:
            return Resolution(None, None, gran, "duration", label)
        other = _shift(pub, c.n if c.direction == "forward" else -c.n, c.unit)
        lo, hi = sorted((pub, other))
        return Resolution(lo.isoformat(), hi.isoformat(), gran, "duration", label)
    try:
        period = _period(c, pub, anchor_year, anchor_day, future)
    except (ValueError, StopIteration, IndexError, OverflowError):
        return None
    qualifiers = [q for q in (c.part, c.qualifier) if q]
    if c.kind == "window":
        qualifiers.insert(0, c.direction or "")
    if c.kind == "time" and anchor_day is None and period is not None:
        qualifiers.append("publication day assumed")
    if period is None:
        gran = {"monthday": Granularity.DAY, "month": Granularity.MONTH,
                "season": Granularity.MONTH, "quarter": Granularity.MONTH,
                "decade": Granularity.DECADE, "time": Granularity.MINUTE,
                "weekday": Granularity.DAY, "ago": None, "window": None,
                "rel": _unit_granularity(c.unit) if c.unit in (
                    "day", "month", "year", "decade") else Granularity.DAY}.get(c.kind)
        return Resolution(None, None, gran, "; ".join(qualifiers) or "unresolved", UNRESOLVED)
    if c.part:
        period = _narrow(period, c.part)
    earliest: str | None = _iso_of(period, end=False)
    latest: str | None = _iso_of(period, end=True)
    label = period.label
    if c.qualifier in ("not before", "since"):
        latest = None
    elif c.qualifier in ("not after", "until"):
        earliest = None
    if c.qualifier in ("not before", "not after"):
        label = f"{label} ({c.qualifier})"
    elif c.qualifier:
        label = f"{c.qualifier} {label}"
    return Resolution(earliest, latest, period.granularity, "; ".join(qualifiers) or None, label)
