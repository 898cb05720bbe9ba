"""Figures and dates of one fact compared across its versions, with the reason in words.

Numbers are compared as what they say, not as written: money in one currency (each amount
converted at the ECB rate of its own publication day, as the extract stage recorded), bounds
as bounds ("up to" is a ceiling that a lower exact figure does not contradict), ranges as
intervals, and a tolerance that says why two figures count as the same:

- 5 % between amounts converted from different currencies: reporters round a converted
  figure and may take another day's rate ("up to £88 million" ≈ $111.3 million vs "up to
  $115 million": 3.2 % apart);
- 10 % when either figure is approximate ("about 1,200");
- 1 % otherwise (rounding of the same figure: "40 million" vs "40.2 million").

Figures that differ but move in one direction with publication time (a death toll 2 → 4)
are a developing figure, not a conflict, when something says the figure moves: a version
speaks of change ("rose to four", "the death toll", "so far"), or the same source gave both
values. Two sources giving 1,200 and 3,000 an hour apart, with no such word, disagree.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from corroborate.records import AmountKind, AmountMention, Bound, TimeMention

TOLERANCE_CONVERSION = 0.05
TOLERANCE_APPROXIMATE = 0.10
TOLERANCE_ROUNDING = 0.01

# Count units that name any group of people: comparable with "workers" or "residents".
GENERIC_UNITS = frozenset({"people", "person", "persons", "individual", "individuals",
                           "death toll", "toll", "tally", "casualty", "casualties", "victim"})

CHANGE_WORDS = re.compile(
    r"\b(?:rose|risen|rises|rising|climbed|climbs|increased|increases|jumped|grew|grown|"
    r"fell|fallen|dropped|revised|updated|toll|tally|so far|now stands?|has reached|"
    r"had reached|raising|bringing the)\b", re.IGNORECASE)

_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}
# Hedges that put the figure strictly below or above the number given: "almost four dozen"
# is fewer than 48, "more than 50" is not 50. Against an exact figure they are read with the
# usual tolerance ("nearly 300" vs "300" is one rounded toll); against the opposite bound
# they are exact: "almost four dozen" and "at least four dozen" cannot both be true (two
# strict hedges, "over nearly $100 billion" vs "over a hundred billion", are left tolerant).
_BELOW = re.compile(r"^\W*(?:almost|nearly|just under|under|less than|fewer than|not quite)\b",
                    re.IGNORECASE)
_ABOVE = re.compile(r"^\W*(?:more than|over|just over|upwards of|in excess of)\b",
                    re.IGNORECASE)


class Outcome(StrEnum):
    AGREE = "agree"
    CONFLICT = "conflict"
    DEVELOPING = "developing"


@dataclass(frozen=True, slots=True)
class Comparison:
    outcome: Outcome
    reason: str


@dataclass(frozen=True, slots=True)
class Figure:
    """One version's figure for a quantity: the amount, who gave it, and when."""

    amount: AmountMention
    outlet: str
    published: datetime | None  # naive UTC
    source: str = ""  # the independent source it rests on
    changing: bool = False  # its sentence speaks of a change ("rose to", "toll", "so far")


@dataclass(frozen=True, slots=True)
class Dated:
    """One version's dates: the mentions (own or from its paragraph), who gave them."""

    times: tuple[TimeMention, ...]
    outlet: str
    outlet_id: str
    inherited: bool
    action: str | None = None  # the claim's main verb ("meet"), None when not known


def quantity(a: AmountMention) -> str:
    """What a figure counts: money per period, a percentage, or the head noun of the unit."""
    if a.kind is AmountKind.MONEY:
        return f"money/{a.per or ''}"
    if a.kind is AmountKind.PERCENT:
        return "percent"
    return a.unit.casefold().split()[-1] if a.unit else ""


def same_quantity(a: AmountMention, b: AmountMention) -> bool:
    if a.kind is not b.kind:
        return False
    if a.kind is not AmountKind.COUNT:
        return quantity(a) == quantity(b)
    ua, ub = a.unit.casefold(), b.unit.casefold()
    return quantity(a) == quantity(b) or ua in GENERIC_UNITS or ub in GENERIC_UNITS


def group_figures(per_version: Sequence[Sequence[Figure]]) -> list[list[Figure]]:
    """Figures of the same quantity across versions: each version gives its first figure of
    each quantity (the one it leads with), so a side figure ("after two firefighters died")
    does not stand for the fact's figure.
    """
    groups: list[list[Figure]] = []
    for figures in per_version:
        used: set[int] = set()
        for f in figures:
            matches = [g for g, group in enumerate(groups)
                       if same_quantity(_anchor(group).amount, f.amount)]
            free = [g for g in matches if g not in used]
            if free:
                groups[free[0]].append(f)
                used.add(free[0])
            elif not matches:
                groups.append([f])
                used.add(len(groups) - 1)
    return groups


def _anchor(group: Sequence[Figure]) -> Figure:
    """The group's first figure with a specific unit ("workers" rather than "people")."""
    specific = [x for x in group if x.amount.unit.casefold() not in GENERIC_UNITS]
    return specific[0] if specific else group[0]


# --- numbers -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Value:
    low: float
    high: float
    bound: Bound
    converted: bool  # compared in USD, converted from another currency
    below: bool = False  # strictly below `high` ("almost 48")
    above: bool = False  # strictly above `low` ("more than 48")


def _value(a: AmountMention, in_usd: bool) -> _Value:
    below, above = bool(_BELOW.match(a.text)), bool(_ABOVE.match(a.text))
    if in_usd and a.usd is not None:
        low, high = a.usd
        return _Value(low, high * _truncated(a), a.bound, a.unit != "USD", below, above)
    return _Value(a.low, a.high * _truncated(a), a.bound, False, below, above)


# A whole number of millions or billions is how reporters shorten a precise sum, cutting it
# rather than rounding it as often as not: "$43 million" for $43,885,310 (BASIL).
_WHOLE_SCALED = re.compile(r"(?<![\d.,])(\d{2,3})(?:\s+|-)?"
                           r"(?:million|billion|trillion|mn|bn|m|b)\b", re.IGNORECASE)


def _truncated(a: AmountMention) -> float:
    """How far above itself an exact whole number of millions may reach: 43 million is
    43 to 44 million; anything else, itself (and "2 million", which would reach 50 % higher:
    a one-digit figure is coarse already, and cut or not it is compared as said)."""
    m = _WHOLE_SCALED.search(a.text)
    whole = int(m.group(1)) if m else 0
    if a.bound is not Bound.EXACT or a.low != a.high or whole < 10:
        return 1.0
    return (whole + 1) / whole


def _representative(v: _Value) -> float:
    if v.bound is Bound.UPPER:
        return v.high
    if v.bound is Bound.LOWER:
        return v.low
    return (v.low + v.high) / 2


def relative_difference(a: float, b: float) -> float:
    top = max(abs(a), abs(b))
    return abs(a - b) / top if top else 0.0


def _tolerance(a: _Value, b: _Value) -> tuple[float, str]:
    if a.converted != b.converted or (a.converted and b.converted):
        return TOLERANCE_CONVERSION, "conversion"
    if Bound.APPROXIMATE in (a.bound, b.bound):
        return TOLERANCE_APPROXIMATE, "approximate-figure"
    return TOLERANCE_ROUNDING, "rounding"


def _compatible(a: _Value, b: _Value) -> bool:
    for x, y in ((a, b), (b, a)):
        if x.below and y.bound is Bound.LOWER and not y.above and y.low >= x.high:
            return False  # "almost 48" vs "at least 48"
        if x.above and y.bound is Bound.UPPER and not y.below and y.high <= x.low:
            return False  # "more than 48" vs "up to 48"
    tol, _ = _tolerance(a, b)
    if a.bound is b.bound and a.bound in (Bound.UPPER, Bound.LOWER):
        edge_a = a.high if a.bound is Bound.UPPER else a.low
        edge_b = b.high if b.bound is Bound.UPPER else b.low
        return relative_difference(edge_a, edge_b) <= tol
    if a.bound is Bound.UPPER or b.bound is Bound.UPPER:
        ceiling, other = (a, b) if a.bound is Bound.UPPER else (b, a)
        return other.low <= ceiling.high * (1 + tol)
    if a.bound is Bound.LOWER or b.bound is Bound.LOWER:
        floor, other = (a, b) if a.bound is Bound.LOWER else (b, a)
        return other.high >= floor.low * (1 - tol)
    gap = max(0.0, b.low - a.high, a.low - b.high)  # between the closest ends of the ranges
    top = max(abs(a.high), abs(b.high))
    return gap <= tol * top if top else True


def compare_figures(figures: Sequence[Figure]) -> Comparison | None:
    """Agree, conflict or developing for one quantity given by two or more versions."""
    if len(figures) < 2:
        return None
    currencies = {f.amount.unit for f in figures if f.amount.kind is AmountKind.MONEY}
    in_usd = len(currencies) > 1
    if in_usd and any(f.amount.usd is None for f in figures):
        return None  # no rate for one of them: say nothing rather than guess
    values = [_value(f.amount, in_usd) for f in figures]
    n = len(values)
    clash = [(i, j) for i in range(n) for j in range(i + 1, n)
             if not _compatible(values[i], values[j])]
    stages = _distinct(figures, values)
    if not clash:
        return Comparison(Outcome.AGREE, _agree_reason(stages))
    trend = _trend(figures, values)
    if trend and _moves(figures, values):
        return Comparison(Outcome.DEVELOPING, _developing_reason(figures, values, trend))
    return Comparison(Outcome.CONFLICT, _conflict_reason(stages))


def _moves(figures: Sequence[Figure], values: Sequence[_Value]) -> bool:
    """Evidence that the figure changes rather than that versions disagree."""
    if any(f.changing for f in figures):
        return True
    n = len(figures)
    return all(figures[i].source and figures[i].source == figures[j].source
               for i in range(n) for j in range(i + 1, n)
               if not _compatible(values[i], values[j]))


def _trend(figures: Sequence[Figure], values: Sequence[_Value]) -> str | None:
    """"rises"/"falls" when every disagreement is ordered by publication time one way."""
    times = [f.published for f in figures]
    if any(t is None for t in times) or len(set(times)) < 2:
        return None
    for direction, better in (("rises", lambda a, b: a < b), ("falls", lambda a, b: a > b)):
        ok = True
        for i in range(len(values)):
            for j in range(len(values)):
                if i == j or _compatible(values[i], values[j]):
                    continue
                ti, tj = times[i], times[j]
                assert ti is not None and tj is not None
                if ti == tj or (ti < tj and not better(_representative(values[i]),
                                                       _representative(values[j]))):
                    ok = False
        if ok:
            return direction
    return None


@dataclass(slots=True)
class _Stage:
    """Figures saying the same value, with the outlets that gave it."""

    figure: Figure
    value: _Value
    outlets: list[str]


def _distinct(figures: Sequence[Figure], values: Sequence[_Value]) -> list[_Stage]:
    stages: list[_Stage] = []
    for f, v in zip(figures, values, strict=True):
        for s in stages:
            same = (s.value.low, s.value.high, s.value.bound) == (v.low, v.high, v.bound)
            if same and s.figure.amount.unit == f.amount.unit:
                if f.outlet not in s.outlets:
                    s.outlets.append(f.outlet)
                break
        else:
            stages.append(_Stage(f, v, [f.outlet]))
    return stages


def describe(a: AmountMention, in_usd: bool = False) -> str:
    """ "up to £88 million annually (≈ $111.3 million at the ECB rate of 2024-06-27)"."""
    text = a.text
    if in_usd and a.kind is AmountKind.MONEY and a.unit != "USD" and a.usd is not None:
        low, high = a.usd
        amount = money(low, "USD") if low == high else \
            f"{money(low, 'USD')}–{money(high, 'USD')}"
        rate = a.rate_note or (f"ECB rate of {a.rate_date}" if a.rate_date else "ECB rate")
        text += f" (≈ {amount} at the {rate})"
    return text


def money(value: float, currency: str) -> str:
    symbol = _SYMBOLS.get(currency, currency + " ")
    for size, word in ((1e9, "billion"), (1e6, "million")):
        if abs(value) >= size:
            return f"{symbol}{value / size:.1f} {word}".replace(".0 ", " ")
    return f"{symbol}{value:,.0f}"


def _stage_text(s: _Stage, in_usd: bool, outlets: bool) -> str:
    text = describe(s.figure.amount, in_usd)
    return f"{text} ({', '.join(s.outlets)})" if outlets else text


def _spread(stages: Sequence[_Stage]) -> tuple[float, float, str]:
    """Largest relative difference between the stages that clash (all of them when none
    does), and the tolerance that applies to that pair."""
    pairs = [(a, b) for i, a in enumerate(stages) for b in stages[i + 1:]]
    clashing = [(a, b) for a, b in pairs if not _compatible(a.value, b.value)] or pairs
    worst = (0.0, TOLERANCE_ROUNDING, "rounding")
    for a, b in clashing:
        diff = relative_difference(_representative(a.value), _representative(b.value))
        tol, kind = _tolerance(a.value, b.value)
        worst = max(worst, (diff, tol, kind))
    return worst


def _pct(x: float) -> str:
    return f"{x * 100:.1f} %".replace(".0 %", " %")


def _agree_reason(stages: Sequence[_Stage]) -> str:
    in_usd = any(s.value.converted for s in stages)
    if len(stages) == 1:
        return f"{stages[0].figure.amount.text}: the same in every version"
    many = len(stages) > 2 or any(len(s.outlets) > 1 for s in stages)
    listed = " vs ".join(_stage_text(s, in_usd, many) for s in stages)
    diff, tol, kind = _spread(stages)
    bounded = any(s.value.bound in (Bound.UPPER, Bound.LOWER) for s in stages) and \
        len({s.value.bound for s in stages}) > 1
    if bounded and diff > tol:
        return f"{listed}: consistent, the figures lie within the stated bound"
    if diff > tol:  # a range ("dozens") that holds the other figure
        return f"{listed}: consistent, the figures' ranges overlap"
    return f"{listed}: {_pct(diff)} apart, within the {_pct(tol)} {kind} tolerance"


def _conflict_reason(stages: Sequence[_Stage]) -> str:
    in_usd = any(s.value.converted for s in stages)
    listed = " vs ".join(_stage_text(s, in_usd, True) for s in stages)
    diff, tol, kind = _spread(stages)
    if diff <= tol:  # close figures whose bounds exclude each other ("over 50" vs "50")
        return (f"{listed}: {_pct(diff)} apart, but their bounds exclude each other, "
                "and not a change over time")
    return (f"{listed}: {_pct(diff)} apart, beyond the {_pct(tol)} {kind} tolerance, "
            "and not a change over time")


def _developing_reason(figures: Sequence[Figure], values: Sequence[_Value], trend: str) -> str:
    order = sorted(range(len(figures)), key=lambda i: (figures[i].published, i))
    steps: list[tuple[_Value, list[str]]] = []
    for i in order:
        f = figures[i]
        when = f.published.strftime("%Y-%m-%d %H:%M") if f.published else "undated"
        said = f"{f.amount.text} ({f.outlet}, {when})"
        if steps and _compatible(steps[-1][0], values[i]):
            steps[-1][1].append(said)
        else:
            steps.append((values[i], [said]))
    chain = " → ".join("; ".join(s) for _, s in steps)
    return f"{chain}: the figure {trend} with publication time, a developing figure, " \
        "not a conflict"


# --- dates -------------------------------------------------------------------------------------


def overlaps(a: TimeMention, b: TimeMention) -> bool:
    a0, a1 = (a.earliest or "")[:10], (a.latest or "9999")[:10]
    b0, b1 = (b.earliest or "")[:10], (b.latest or "9999")[:10]
    return a0 <= b1 and b0 <= a1


def compare_dates(dated: Sequence[Dated]) -> Comparison | None:
    """Do the dates that different outlets give for one fact overlap? Dates of two different
    acts (the claims' main verbs differ) are not weighed against each other: loosely aligned
    claims often date different events of one story."""
    with_dates = [d for d in dated if d.times]
    outlets = {d.outlet_id for d in with_dates}
    if len(outlets) < 2:
        return None
    for i, a in enumerate(with_dates):
        for b in with_dates[i + 1:]:
            if a.outlet_id == b.outlet_id or a.inherited or b.inherited:
                continue
            if a.action and b.action and a.action != b.action:
                continue  # "spoke on Wednesday" and "signed on Thursday": two acts, two days
            if not any(overlaps(x, y) for x in a.times for y in b.times):
                return Comparison(Outcome.CONFLICT,
                                  f"dates differ: {_dates_text(a)} vs {_dates_text(b)}")
    seen: dict[str, Dated] = {}
    for d in with_dates:
        seen.setdefault(d.outlet_id, d)
    listed = " and ".join(_dates_text(d) for d in seen.values())
    return Comparison(Outcome.AGREE, f"dates agree: {listed}")


def _dates_text(d: Dated) -> str:
    times = ", ".join(f"{t.text} → {t.label}" for t in d.times)
    via = ", from its paragraph" if d.inherited else ""
    return f"{times} ({d.outlet}{via})"
