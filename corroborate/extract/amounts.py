"""Amounts in an article: sums of money, counts of things, and percentages.

A corroboration engine compares these numbers across outlets ("up to £88 million a year"
against "up to $115 million annually"), so a false amount costs more than a missed one: a
year, a date, a clock time, a model number or a duration read as an amount would show up
as a conflict between outlets that agree. The rules below lean that way on purpose.

Why rules on characters plus the spaCy parse, and not spaCy's MONEY/CARDINAL entities or
quantulum3:

* spaCy's tokenizer splits glued forms unpredictably ("$5m-$7m" becomes "$", "5m-$7", "m";
  "1.2bn" is one token, "88m" two), and its small model labels "between 10 and 20 million
  dollars" a DATE. So the surface form of an amount (currency, number, scale, range,
  percent) is read with one regular expression over `doc.text`, which sees every form the
  same way whatever the tokenizer did.
* What the characters cannot tell, the parse can: which noun a number counts ("10
  engineering brigades"), and whether a number is a label ("Article 5", "Boeing 737") or a
  year ("the 2022 invasion"). Those decisions use the tokens' part of speech, dependency
  and entity labels.
* quantulum3 knows physical units well but not news counts, hedges or currency words, and
  its shipped classifier does not load; it is not used.

Each rule is one small function with its reason in the docstring.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from datetime import datetime

from spacy.attrs import IDX
from spacy.tokens import Doc, Token

from corroborate.extract import money
from corroborate.records import AmountKind, AmountMention, Bound

# --- vocabulary -------------------------------------------------------------------------------

_UNITS = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_WORD_VALUE = {w: i for i, w in enumerate(_UNITS)} | {w: 20 + 10 * i for i, w in enumerate(_TENS)}
_MULTIPLIER = {"hundred": 100, "dozen": 12}  # multiply the group they follow
_SCALE = {
    "thousand": 1e3, "k": 1e3,
    "million": 1e6, "mn": 1e6, "mln": 1e6, "m": 1e6,
    "billion": 1e9, "bn": 1e9, "bln": 1e9, "b": 1e9,
    "trillion": 1e12, "tn": 1e12, "trn": 1e12,
}  # fmt: skip
_BIG = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}

# Symbols and prefixes. "$" alone is read as USD and "¥" as JPY: the usual meaning in
# English-language news; "CN¥"/"RMB" and "C$", "HK$"... say otherwise.
_PREFIX_CURRENCY = {
    "US$": "USD", "U.S.$": "USD", "$": "USD", "£": "GBP", "€": "EUR", "₩": "KRW",
    "¥": "JPY", "CN¥": "CNY", "RMB": "CNY", "₽": "RUB", "₹": "INR", "₴": "UAH",
    "C$": "CAD", "CA$": "CAD", "A$": "AUD", "AU$": "AUD", "HK$": "HKD", "NZ$": "NZD",
    "S$": "SGD", "R$": "BRL",
}  # fmt: skip
_CODES = [
    "USD", "EUR", "GBP", "JPY", "CNY", "KRW", "KPW", "RUB", "UAH", "INR", "CHF", "CAD", "AUD",
    "NZD", "HKD", "SGD", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "RON", "BGN", "TRY", "ILS",
    "ZAR", "BRL", "MXN", "IDR", "MYR", "THB", "ISK", "IRR", "SAR", "AED", "QAR", "KWD", "EGP",
    "NGN", "KES", "PKR", "BDT", "VND", "TWD", "CLP", "BYN", "KZT", "AZN",
]  # not COP, PHP, AMD, PEN, GEL, ARS: "COP28", "PHP 8", "AMD" are not money
# Currency words after the number, with the adjectives that pick a country's currency.
_CURRENCY_WORD = {
    "dollar": "USD", "euro": "EUR", "pound": "GBP", "sterling": "GBP", "won": "KRW",
    "ruble": "RUB", "rouble": "RUB", "yuan": "CNY", "renminbi": "CNY", "yen": "JPY",
    "rupee": "INR", "hryvnia": "UAH", "franc": "CHF", "zloty": "PLN", "krona": "SEK",
    "kronor": "SEK", "krone": "NOK", "kroner": "NOK", "lira": "TRY", "rand": "ZAR",
    "shekel": "ILS", "reais": "BRL", "riyal": "SAR", "dirham": "AED", "rial": "IRR",
}  # fmt: skip
_COUNTRY_CURRENCY = {
    ("us", "dollar"): "USD", ("u.s.", "dollar"): "USD", ("american", "dollar"): "USD",
    ("canadian", "dollar"): "CAD", ("australian", "dollar"): "AUD",
    ("hong kong", "dollar"): "HKD", ("new zealand", "dollar"): "NZD",
    ("singapore", "dollar"): "SGD", ("taiwan", "dollar"): "TWD",
    ("taiwanese", "dollar"): "TWD", ("north korean", "won"): "KPW",
    ("belarusian", "ruble"): "BYN", ("belarusian", "rouble"): "BYN",
    ("pakistani", "rupee"): "PKR", ("danish", "krone"): "DKK", ("danish", "kroner"): "DKK",
    ("egyptian", "pound"): "EGP", ("iranian", "rial"): "IRR", ("swedish", "krona"): "SEK",
    ("mexican", "peso"): "MXN", ("argentine", "peso"): "ARS", ("argentinian", "peso"): "ARS",
    ("chilean", "peso"): "CLP", ("colombian", "peso"): "COP", ("philippine", "peso"): "PHP",
}  # fmt: skip

_TIME_UNITS = frozenset((
    "year", "month", "week", "day", "hour", "minute", "second", "decade", "century", "night",
    "fortnight", "weekend", "millennium", "yr", "hr", "min", "sec",
))
# Nouns that follow a number without being what it counts.
_NOT_A_UNIT = frozenset((
    "time", "am", "pm", "a.m.", "p.m.", "o'clock", "gmt", "utc", "bst", "cet", "est", "h",
    "hrs", "plus", "odd",
))
# Entity labels under which a number is part of a name, not an amount.
_NAME_LABELS = frozenset((
    "LAW", "PRODUCT", "ORG", "WORK_OF_ART", "FAC", "EVENT", "GPE", "PERSON", "LOC", "LANGUAGE",
    "OUTLET",
))

# --- the surface pattern ----------------------------------------------------------------------


def _alt(words: list[str] | set[str] | dict[str, object]) -> str:
    """A regex alternation, longest first so that "US$" wins over "$"."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_SMALL = (
    rf"(?:(?:{_alt(_TENS)})(?:[-\s](?:{_alt(_UNITS[1:10])}))?|(?:{_alt(_UNITS)}))\b"
)
_BIGW = r"(?:hundred|thousand|million|billion|trillion|dozen)\b"
_AFTER_BIG = r"(?:(?<=hundred)|(?<=thousand)|(?<=million)|(?<=billion)|(?<=trillion))"
_WORDS = (
    rf"(?i:(?:(?:\ba|\ban)\s+{_BIGW}|\b{_SMALL})(?:(?:\s+|-){_BIGW})*"
    rf"(?:{_AFTER_BIG}\s+(?:and\s+)?{_SMALL}(?:\s+{_BIGW})*)*)"
)
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![.,]?\d)(?![:/]\d)"  # not 07:52, 9/11
# the scale word after a space or a hyphen: "$2.6 million", "$2.6-million", "$2.6m"
_SCALES = rf"(?:(?:\s*|-)(?i:{_alt(_BIG)}|bn|bln|mn|mln|tn|trn)\b|(?i:m|k|b)\b)"
_PREFIX = (
    rf"(?:(?:{_alt(_PREFIX_CURRENCY)})\s?|(?:{_alt(_CODES)})(?:\s|(?=\d)))"
)
_PCT = r"(?:\s*%|\s+(?i:per\s?cent|percent|pct)\b)"


def _number(i: int) -> str:
    return (
        rf"(?P<c{i}>{_PREFIX})?"
        rf"(?:(?P<d{i}>{_DIGITS})(?P<s{i}>{_SCALES})?|(?P<w{i}>{_WORDS}))"
        rf"(?![^\W\d_])(?P<p{i}>{_PCT})?"
    )


# Adjectives before a currency word; with the word they name a currency (_COUNTRY_CURRENCY),
# and where they do not ("Russian rubles") the word alone does.
_COUNTRY = (
    r"us|u\.s\.|american|canadian|australian|hong kong|new zealand|singapore|taiwanese|"
    r"taiwan|north korean|south korean|korean|belarusian|pakistani|indian|danish|norwegian|"
    r"swedish|egyptian|iranian|russian|chinese|japanese|ukrainian|swiss|british|turkish|"
    r"south african|israeli|brazilian|polish|saudi|mexican|argentine|argentinian|chilean|"
    r"colombian|philippine"
)
_CURWORD = (
    rf"(?P<cw>(?:\s+|-)(?i:(?P<cadj>{_COUNTRY})\s+)?"
    r"(?P<cword>(?i:dollars?|euros?|pounds?(?:\s+sterling)?|sterling|won|rubles?|roubles?|"
    r"yuan|renminbi|yen|rupees?|hryvnias?|francs?|zlotys?|zloty|kronor|krona|kroner|krone|"
    r"liras?|rand|shekels?|reais|riyals?|dirhams?|rials?|pesos?))\b"
    rf"|\s*(?P<code>{_alt(_CODES)})\b)"
)
_AMOUNT = re.compile(
    r"(?<![\w.,/#@:+\-$£€₩¥₽₹₴])"
    + _number(1)
    + rf"(?:(?P<sep>\s*[-–—]\s*|\s+(?:to|or|and)\s+){_number(2)})?"
    + rf"{_CURWORD}?"
)

_BOUND_BEFORE = re.compile(
    r"(?i:\b(?P<upper>up to|as (?:much|many|high) as|at most|no more than|not more than|"
    r"a maximum of|maximum of|(?:just |slightly )?(?:under|below|less than|fewer than))"
    r"|\b(?P<lower>at least|more than|over|in excess of|upwards of|no fewer than|"
    r"no less than|not less than|a minimum of|minimum of|above|exceeding|greater than|"
    r"as (?:little|few|low) as|(?:just |slightly )?(?:over|above|more than))"
    r"|\b(?P<approx>about|around|approximately|approx\.|roughly|some|nearly|almost|"
    r"an estimated|close to|circa|c\.|just about)"
    r"|(?P<tilde>~))\s*$"
)
_BETWEEN = re.compile(r"(?i:\bbetween)\s*$")
_FROM = re.compile(r"(?i:\bfrom)\s*$")
# "rose 0.5% to 3.2%" is a change and its new level, not a range.
_CHANGE = re.compile(
    r"(?i:\b(?:rose|rise[sn]?|rising|fell|fall(?:s|en|ing)?|grew|grow(?:s|n|ing)?|"
    r"increas\w*|decreas\w*|jump\w*|climb\w*|drop\w*|declin\w*|gain\w*|slump\w*|surg\w*|"
    r"soar\w*|plung\w*|cut|rais\w*|reduc\w*|by))\s*$"
)
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_MONTH_BEFORE = re.compile(rf"(?i:\b{_MONTH})\.?,?\s*$")
_MONTH_AFTER = re.compile(rf"\s*(?:of\s+)?(?i:{_MONTH})\b")
_CLOCK_AFTER = re.compile(
    r"\s*(?:(?i:a\.m\.|p\.m\.|am|pm|o'clock|hrs)|GMT|UTC|BST|CET|CEST|EST|EDT|PST|MSK|KST)"
    r"(?![^\W\d_])"
)
_WON_VERB = re.compile(
    r"\s+(?:the|a|an|his|her|their|its|our|by|over|back|out|re-?election|\d)\b", re.I
)

_RATE_WORD = {"annually": "year", "yearly": "year", "monthly": "month", "weekly": "week",
              "daily": "day", "p.a.": "year"}
_RATE_NOUN = {"year": "year", "annum": "year", "month": "month", "week": "week", "day": "day"}
_RATE_DET = frozenset({"a", "an", "per", "each", "every", "/"})
_NOT_RATE_AFTER = frozenset({"ago", "earlier", "later", "before", "after", "old", "long"})
_NOT_RATE_BEFORE = frozenset({"for", "in", "within", "after", "than", "over"})
_RATE_WINDOW = 6  # tokens searched after an amount for its rate ("... from Russia annually")


@dataclass(slots=True)
class _Part:
    """One number of an expression: where it is and what it says."""

    start: int
    end: int
    raw: float  # the number as written, before any scale
    scale: float  # 1.0, or the multiplier of "million", "bn", "m", ...
    letter_scale: bool  # a bare glued "m"/"k"/"b": million only when context says money
    words: bool  # spelled out ("three")
    year_like: bool  # four digits, 1000-2199, no comma: probably a year
    currency: str | None
    percent: bool

    @property
    def value(self) -> float:
        return self.raw * self.scale


@dataclass(frozen=True, slots=True)
class _Parsed:
    """The document with its text and token offsets computed once.

    `Doc.text` rebuilds the string on every access, and offsets are searched with bisect,
    so both are taken once per document.
    """

    doc: Doc
    text: str
    starts: list[int]  # character offset of each token


# --- public API --------------------------------------------------------------------------------


def find_amounts(doc: Doc, published: datetime | None) -> list[AmountMention]:
    """Money, counts and percentages in a parsed article, in text order.

    Offsets are characters into `doc.text`; a mention covers its bound words ("up to"), the
    unit noun of a count, and a rate word that follows at once ("annually"). Money gets USD
    and EUR at the ECB rate of the publication day; with no publication date it is not
    converted (a rate of another day could make agreeing outlets look in conflict).
    """
    text = doc.text
    if not text:
        return []
    d = _Parsed(doc, text, doc.to_array(IDX).tolist())
    found: list[AmountMention] = []
    pos = 0
    while True:
        m = _AMOUNT.search(text, pos)
        if m is None:
            break
        pos = m.end()
        for mention in _mentions(d, m, published):
            found.append(mention)
    return found


# --- from a match to mentions -----------------------------------------------------------------


def _mentions(
    d: _Parsed, m: re.Match[str], published: datetime | None
) -> list[AmountMention]:
    """The mentions a surface match stands for: one, two (not a range), or none."""
    text = d.text
    first = _part(m, 1)
    second = _part(m, 2) if m.group("sep") else None
    if first is None:
        return []
    word_currency = _word_currency(m, first, second)
    # "2020 won the election", "300 pounds of explosives": not money; the word is no unit.
    end = m.start("cw") if word_currency is None and m.group("cw") else m.end()
    bound, begin = _bound(text, first.start)
    if second is None:
        one = _finish(d, [first], begin, end, bound, first.currency or word_currency,
                      published)
        return [one] if one is not None else []

    before = text[max(0, begin - 30) : begin]
    sep = (m.group("sep") or "").strip().lower()
    if first.scale == 1.0 and second.scale != 1.0 and first.raw <= second.raw:
        first.scale = second.scale  # "£5-7 million", "between 10 and 20 million"
        first.letter_scale = second.letter_scale
    verdict = _range_verdict(first, second, sep, before)
    if verdict == "none":
        return []
    if verdict == "two":
        # "from $5m to $7m", "rose 0.5% to 3.2%": two values; the first takes the unit the
        # second states ("from 5 to 7 million dollars", "from 10 to 20 soldiers"), unless
        # it is a year ("cut by 2030 to 32 percent").
        b = _finish(d, [second], second.start, end, Bound.EXACT,
                    second.currency or word_currency, published)
        currency, shared = first.currency, None
        if not first.year_like:
            first.percent = first.percent or second.percent
            currency = currency or second.currency or word_currency
            shared = b.unit if b is not None and b.kind is AmountKind.COUNT else None
        a = _finish(d, [first], begin, first.end, bound, currency, published,
                    shared_unit=shared, rate_ok=False)
        return [x for x in (a, b) if x is not None]
    first.percent = first.percent or second.percent  # "10-12%"
    between = _BETWEEN.search(before)
    if between is not None and bound is Bound.EXACT:
        begin = begin - len(before) + between.start()  # the mention reads "between 10 and 20"
    currency = first.currency or second.currency or word_currency
    one = _finish(d, [first, second], begin, end, bound, currency, published)
    return [one] if one is not None else []


def _part(m: re.Match[str], i: int) -> _Part | None:
    """The number in slot `i` of a match, scaled, with its own currency and percent sign."""
    if m.group(f"d{i}") is None and m.group(f"w{i}") is None:
        return None
    prefix = m.group(f"c{i}")
    currency = _PREFIX_CURRENCY.get(prefix.strip()) if prefix else None
    if prefix and currency is None:
        currency = prefix.strip()  # an ISO code
    digits = m.group(f"d{i}")
    if digits is not None:
        raw = float(digits.replace(",", ""))
        scale_word = (m.group(f"s{i}") or "").strip().lstrip("-").lower()
        scale = _SCALE.get(scale_word, 1.0)
        letter = scale_word in ("m", "k", "b")
        year_like = bool(re.fullmatch(r"1\d{3}|2[01]\d{2}", digits)) and not scale_word
        words = False
    else:
        value = _words_value(m.group(f"w{i}"))
        if value is None:
            return None
        raw, scale, letter, year_like, words = value, 1.0, False, False, True
    start = m.start(f"c{i}") if prefix else m.start(f"d{i}") if digits else m.start(f"w{i}")
    end = m.end(f"p{i}") if m.group(f"p{i}") else max(
        m.end(g) for g in (f"d{i}", f"s{i}", f"w{i}") if m.group(g) is not None
    )
    return _Part(start=start, end=end, raw=raw, scale=scale, letter_scale=letter, words=words,
                 year_like=year_like, currency=currency, percent=m.group(f"p{i}") is not None)


def _words_value(words: str) -> float | None:
    """ "twenty-five" -> 25, "a dozen" -> 12, "one hundred and fifty" -> 150."""
    total = 0.0
    group = 0.0
    for w in re.split(r"[\s-]+", words.lower()):
        if w in ("a", "an", "and"):
            continue
        if w in _WORD_VALUE:
            group += _WORD_VALUE[w]
        elif w in _MULTIPLIER:
            group = (group or 1) * _MULTIPLIER[w]
        elif w in _BIG:
            total += (group or 1) * _BIG[w]
            group = 0.0
        else:
            return None
    return total + group


def _word_currency(m: re.Match[str], first: _Part, second: _Part | None) -> str | None:
    """The currency a word or code after the number names, or None if it is not money.

    "won" is also a verb ("the party 3 won the seat") and "pounds" also a weight ("300
    pounds of explosives"); a year before a currency word is a year ("in 2015 dollars").
    """
    if (second or first).year_like:
        return None  # "in 2015 dollars", "in 2020 won the election": a year
    if m.group("code"):
        return m.group("code")
    word = (m.group("cword") or "").lower()
    if not word:
        return None
    adj = re.sub(r"\s+", " ", (m.group("cadj") or "").lower())
    base = word.split()[0].rstrip("s") if word not in ("reais", "kronor") else word
    if base in ("liras", "lira"):
        base = "lira"
    rest = m.string[m.end():]
    if base == "won" and not adj and _WON_VERB.match(rest):
        return None
    if base == "pound" and re.match(r"\s+of\b", rest):
        return None
    return _COUNTRY_CURRENCY.get((adj, base)) or _CURRENCY_WORD.get(base)


def _bound(text: str, start: int) -> tuple[Bound, int]:
    """The hedge or bound words right before an amount, and where they begin."""
    window = text[max(0, start - 40) : start]
    b = _BOUND_BEFORE.search(window)
    if b is None:
        return Bound.EXACT, start
    begin = start - len(window) + b.start()
    if b.group("upper"):
        return Bound.UPPER, begin
    if b.group("lower"):
        return Bound.LOWER, begin
    return Bound.APPROXIMATE, begin


def _range_verdict(first: _Part, second: _Part, sep: str, before: str) -> str:
    """Whether "X sep Y" is one amount between X and Y ("range"), two amounts ("two"), or
    no amount at all ("none").

    "and" makes a range only after "between"; "from X to Y" and "rose X to Y" are two
    values, a change ("rose 10-12%" is still a range); so are two currencies ("£88m or
    $111m") and two percentages ("12% or 12 per cent"). A hyphen between a larger and a
    smaller number is a score, a season or a code ("won 2-1", "2022-23"), not an amount.
    """
    descending = first.value > second.value
    if sep in ("-", "–", "—") and first.value >= second.value:
        return "none"  # "won 2-1", "a 4-4 tie", "the 2022-23 season"
    if sep == "and" and not _BETWEEN.search(before):
        return "two"
    if sep == "to" and (_FROM.search(before) or _CHANGE.search(before)):
        return "two"
    if first.currency and second.currency and first.currency != second.currency:
        return "two"
    if sep == "or" and (first.percent or first.currency):
        return "two"
    return "two" if descending else "range"


def _finish(
    d: _Parsed,
    parts: list[_Part],
    begin: int,
    end: int,
    bound: Bound,
    currency: str | None,
    published: datetime | None,
    shared_unit: str | None = None,
    rate_ok: bool = True,
) -> AmountMention | None:
    """Decide the kind, reject dates, times, labels and durations, find unit and rate.

    `begin` includes the bound words; `end` is where the number (with its currency word or
    percent sign) ends. A count also takes the noun it counts, and `shared_unit` is the noun
    of the next amount when this one has none of its own ("from 10 to 20 soldiers").
    """
    text = d.text
    first, last = parts[0], parts[-1]
    if currency:
        kind, unit = AmountKind.MONEY, currency
    elif any(p.percent for p in parts):
        kind, unit = AmountKind.PERCENT, "%"
    else:
        if _looks_like_date_or_label(d, parts, bound, end):
            return None
        found = _count_unit(d, end, spelled=first.words)
        if found is None and shared_unit is None:
            tally = _tally_unit(d, first.start, last.end)
            if tally is None:
                return None
            found = (tally, end, True)
        unit, end, plural = found if found is not None else (shared_unit, end, True)
        if any(p.letter_scale for p in parts) and not plural:
            return None  # "a 100m sprint", "5k run": metres and kilometres, not millions
        if unit.split()[-1] in _TIME_UNITS:
            return None  # a duration ("for the first time in 24 years")
        if first.words and len(parts) == 1 and first.value == 1 and bound is Bound.EXACT:
            return None  # "one official said", "one cup of coffee": not a figure to check
        kind = AmountKind.COUNT
    per, rate_start, rate_end = _rate(d, end) if rate_ok else (None, 0, 0)
    if per is not None and rate_start == _tok_start(d, end):
        end = rate_end  # "£88 million annually": the rate is part of what was said
    low, high = first.value, last.value
    usd = eur = rate_date = rate_note = None
    if kind is AmountKind.MONEY:
        usd, eur, rate_date, rate_note = _money(low, high, unit, published)
    return AmountMention(
        start=begin, end=end, text=text[begin:end], kind=kind, low=low, high=high,
        bound=bound, unit=unit, per=per, usd=usd, eur=eur, rate_date=rate_date,
        rate_note=rate_note,
    )


def _money(
    low: float, high: float, currency: str, published: datetime | None
) -> tuple[tuple[float, float] | None, tuple[float, float] | None, str | None, str | None]:
    """USD/EUR values and the rate used, or why there are none."""
    if published is None:
        return None, None, None, "no publication date: not converted"
    day = published.date() if isinstance(published, datetime) else published
    conv = money.convert(low, high, currency, day)
    if conv is None:
        if money.supported(currency):
            why = f"no ECB rate for {currency} on or before {day.isoformat()}: not converted"
            return None, None, None, why
        return None, None, None, f"{currency} has no ECB reference rate: not converted"
    return conv.usd, conv.eur, conv.rate_date, conv.rate_note


def _looks_like_date_or_label(
    d: _Parsed, parts: list[_Part], bound: Bound, end: int
) -> bool:
    """Whether a bare number is a date, a clock time, a year, an ID or a name.

    Only counts reach here (money and percents carry their own proof). "19 June",
    "June 19", "07:52", "7 pm", "in 2022", "Article 5", "Boeing 737", "Su-25", a phone
    number's digit groups: all are numbers without being amounts.
    """
    doc, starts, text = d.doc, d.starts, d.text
    first = parts[0]
    before = text[max(0, first.start - 20) : first.start]
    after = text[end : end + 20]
    day_or_year = all(p.year_like or (p.raw == int(p.raw) <= 31 and p.scale == 1.0)
                      for p in parts)  # "in March 3,000 soldiers" is no date
    if day_or_year and (_MONTH_BEFORE.search(before) or _MONTH_AFTER.match(after)):
        return True
    if _CLOCK_AFTER.match(after):
        return True
    if re.search(r"[^\W\d_][-/]$|(?i:\bno\.?|#)\s*$", before):
        return True  # "Su-25", "No. 10", "#3"
    if re.search(r"\d\s*[x×]\s*$", before) or re.match(r"\s*[x×]\s*\d", after):
        return True  # a "4×4" (a vehicle), a "2 x 4" (a plank, a size): no count of anything
    grouped = "," in text[first.start : first.end] or first.scale != 1.0
    if not grouped and (re.search(r"\d\s*$", before) or re.match(r"\s\d", after)):
        return True  # digit groups of a phone number or a table row: "+44 20 7946 0958"
    tokens = _tokens(d, first.start, end)
    for t in tokens:
        if t.ent_type_ in _NAME_LABELS:
            return True
    if any(p.year_like for p in parts) and not any(
        t.ent_type_ in ("CARDINAL", "QUANTITY") for t in tokens if t.like_num
    ):
        return True
    i = bisect_left(starts, first.start) - 1
    if bound is Bound.EXACT and i >= 0:
        prev = doc[i]
        if prev.idx + len(prev.text) == first.start - 1 and prev.pos_ in ("PROPN", "NOUN") \
                and not _MONTH_BEFORE.search(prev.text):
            return True  # "Article 5", "Resolution 2231", "brigade 10"; not "in March 3,000"
    return False


def _tokens(d: _Parsed, begin: int, end: int) -> list[Token]:
    """The tokens overlapping characters [begin, end)."""
    doc, starts = d.doc, d.starts
    i = max(0, bisect_left(starts, begin + 1) - 1)
    out = []
    while i < len(doc) and doc[i].idx < end:
        if doc[i].idx + len(doc[i].text) > begin:
            out.append(doc[i])
        i += 1
    return out


def _tok_start(d: _Parsed, char: int) -> int:
    """Character offset of the first non-space token at or after `char`."""
    doc, starts = d.doc, d.starts
    i = bisect_left(starts, char)
    while i < len(doc) and doc[i].is_space:
        i += 1
    return doc[i].idx if i < len(doc) else len(d.text)


_RUN_POS = frozenset({"ADJ", "NOUN", "PROPN"})


def _count_unit(d: _Parsed, end: int, spelled: bool) -> tuple[str, int, bool] | None:
    """What a number counts: (singular lowercased noun phrase, its end, plural?) or None.

    The noun is the one the number modifies ("10 engineering brigades" -> "engineering
    brigade"): the parse's `nummod` head when it lies just after, else the last noun of the
    noun run that follows. Compound modifiers stay ("engineering", "T-72"), adjectives and
    names go ("North Korean soldiers", "two New Jersey police officers" -> "soldier",
    "police officer"), so outlets that phrase it differently still align. A number in
    digits glued to a noun counts it ("a 28-nation bloc" -> "nation"); `spelled` numbers
    glued so are idioms ("two-way") and are not counts.
    """
    doc, starts, text = d.doc, d.starts, d.text
    i = bisect_left(starts, end)
    if i >= len(doc):
        return None
    if doc[i].text in ("-", "‐") and doc[i].idx == end:
        if spelled or i + 1 == len(doc):
            return None  # "two-way race", "a three-judge panel": idiom more than figure
        noun = doc[i + 1]
        if noun.lower_ in _TIME_UNITS:
            return noun.lower_, noun.idx + len(noun.text), False  # "24-year-old": a duration
        if noun.pos_ != "NOUN" or noun.lower_ in _NOT_A_UNIT:
            return None
        return _lemma(noun), noun.idx + len(noun.text), noun.tag_ == "NNS"
    if text[end : doc[i].idx].count("\n"):
        return None  # a number ending a line (a headline, a list) does not count the next
    run: list[Token] = []
    j = i
    while j < len(doc) and j < i + 5:
        t = doc[j]
        if t.pos_ in _RUN_POS or t.dep_ == "compound" or t.tag_ in ("VBG", "VBN") \
                or (t.text == "-" and run) or _DESIGNATION.fullmatch(t.text) \
                or (t.like_num and run and run[-1].text.isupper()):  # "AK 47 rifles"
            run.append(t)
            j += 1
            continue
        break
    if not run:
        return None
    number = doc[i - 1] if i > 0 else None
    head = None
    if number is not None and number.dep_ == "nummod" and number.head in run:
        head = number.head
    if head is None:
        nouns = [k for k, t in enumerate(run) if t.pos_ == "NOUN"]
        if not nouns:
            return None
        k = nouns[0]
        while (k + 1 < len(run) and run[k + 1].pos_ in ("NOUN", "PROPN")) or (
            k + 1 < len(run) and run[k + 1].dep_ == "compound"
        ):
            k += 1
        head = run[k]
    if head.pos_ != "NOUN" or head.lower_ in _NOT_A_UNIT or head.lemma_.lower() in _NOT_A_UNIT:
        return None
    mods: list[str] = []
    k = head.i - 1
    while k >= i and doc[k].dep_ == "compound" and doc[k].head == head \
            and doc[k].pos_ != "PROPN":
        mods.append(doc[k].lower_)
        k -= 1
    unit = " ".join([*reversed(mods), _lemma(head)])
    return unit, head.idx + len(head.text), head.tag_ in ("NNS", "NNPS")


# A model's designation between a number and its noun: "six AK-47 rifles", "two F-16 jets".
_DESIGNATION = re.compile(r"[A-Za-z]{1,4}-?\d{1,4}[A-Za-z]?")

# Nouns whose value is a count of something else: "the death toll", "the number of injured".
_TALLY_NOUNS = frozenset(("toll", "number", "tally", "count", "total"))
# Verbs that give a tally its new value through a preposition ("rose to four", "stood at 12")
# or as their object ("reached 40"), and verbs that set a tally named as their object
# ("bringing the death toll to nine", "put the toll at 12").
_CHANGE_VERBS = frozenset((
    "rise", "climb", "fall", "drop", "increase", "decrease", "grow", "jump", "surge", "soar",
    "decline", "go", "stand", "mount", "edge", "creep", "swell", "shrink", "reach",
))
_REACH_VERBS = frozenset(("reach", "hit", "top", "pass", "exceed", "surpass"))
_SET_VERBS = frozenset(("bring", "raise", "push", "take", "lift", "put", "increase"))


def _tally_unit(d: _Parsed, begin: int, end: int) -> str | None:
    """What a number counts when it is a tally's new value and has no noun of its own.

    "the death toll ... rose to four", "the number of injured climbed to 12", "bringing the
    death toll to nine": the number is the object of "to"/"at"/"from" after a verb of
    change, of "reached", or of "is"; and the subject (or the object of "bring"/"put") is a
    tally noun. The unit is what the tally counts (`_tallied`). Any other subject ("prices
    rose to 40") is not a count, and the number stays unread.
    """
    number = _number_token(d, begin, end)
    if number is None:
        return None
    head = number.head
    if number.dep_ == "pobj" and head.lower_ in ("to", "at", "from") and head.dep_ == "prep":
        verb = head.head  # "rose to four", "stood at 12", "rose from two to four"
    elif (number.dep_ == "dobj" and head.lemma_.lower() in _REACH_VERBS) or (
            number.dep_ == "attr" and head.lemma_.lower() == "be"):
        verb = head  # "has reached 40", "the toll is now four"
    else:
        return None
    lemma = verb.lemma_.lower()
    tally = None
    if lemma in _SET_VERBS:
        tally = next((c for c in verb.children if c.dep_ == "dobj"), None)
    if tally is None and (lemma in _CHANGE_VERBS or lemma in _REACH_VERBS or lemma == "be"):
        tally = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if tally is None or tally.lemma_.lower() not in _TALLY_NOUNS:
        return None
    return _tallied(tally)


def _number_token(d: _Parsed, begin: int, end: int) -> Token | None:
    """The token a number's words hang from ("five" in "twenty-five")."""
    tokens = _tokens(d, begin, end)
    inside = {t.i for t in tokens}
    return next((t for t in tokens if t.head.i not in inside or t.head.i == t.i), None)


def _tallied(tally: Token) -> str | None:
    """What a tally noun counts: "number of injured" -> "injured"; a toll keeps its own
    name ("death toll", "casualty toll"), the unit the crosscheck stage compares with any
    group of people; a bare "toll" is, in news, a death toll."""
    of = next((c for c in tally.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    counted = next((c for c in of.children if c.dep_ == "pobj"), None) if of else None
    if counted is not None and counted.pos_ != "PROPN":
        mods = [c.lower_ for c in counted.lefts if c.dep_ == "compound" and c.pos_ == "NOUN"]
        word = _lemma(counted) if counted.pos_ == "NOUN" else counted.lower_
        return " ".join([*mods, word])
    if tally.lemma_.lower() != "toll":
        return None  # "the number rose to 12": a number of what, the text does not say
    compound = [c for c in tally.lefts if c.dep_ == "compound" and c.pos_ == "NOUN"]
    return f"{_lemma(compound[-1]) if compound else 'death'} toll"


def _lemma(t: Token) -> str:
    """Singular, lowercased; the lemmatizer knows "brigades" -> "brigade"."""
    return (t.lemma_ or t.text).lower()


def _rate(d: _Parsed, end: int) -> tuple[str | None, int, int]:
    """The period of a rate said just after an amount, and where its words begin and end.

    Searched over the next few tokens of the clause ("up to £88 million annually", "$115m
    from Russia each year"), stopping at punctuation or another number so that one amount's
    rate is not given to its neighbour. "a year ago" and "for a year" are not rates.
    """
    doc, starts = d.doc, d.starts
    i = bisect_left(starts, end)
    stop = min(len(doc), i + _RATE_WINDOW)
    j = i
    while j < stop:
        t = doc[j]
        if j > i and (t.is_sent_start or t.like_num or t.is_currency):
            break
        low = t.lower_
        if t.is_punct and low not in ("/", "p.a."):
            break
        if low in _RATE_WORD:
            return _RATE_WORD[low], t.idx, t.idx + len(t.text)
        if low in _RATE_DET and j + 1 < len(doc) and doc[j + 1].lower_ in _RATE_NOUN:
            nxt = doc[j + 2].lower_ if j + 2 < len(doc) else ""
            prev = doc[j - 1].lower_ if j > 0 else ""
            if nxt not in _NOT_RATE_AFTER and prev not in _NOT_RATE_BEFORE:
                noun = doc[j + 1]
                return _RATE_NOUN[noun.lower_], t.idx, noun.idx + len(noun.text)
        j += 1
    return None, 0, 0


__all__ = ["find_amounts"]
