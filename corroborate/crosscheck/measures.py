"""What each figure of a claim measures, in comparable units: one measured thing per fact.

A lead that gives a quake's magnitude, its dead and its injured makes three facts, not one
fact whose figures are compared with each other. Each figure gets a *measure*: what is
counted or measured (dead = killed = died = death toll; injured; missing; evacuated; arrested;
a person's age; a quake's magnitude; a distance, with its bearing; a duration; a speed;
money; a percentage; else the counted noun), and a *scope* when it counts a part of a total
("9 tourists" among the dead is "dead: tourists", never a conflict with the dead). Values are
intervals in one unit per measure (metres, seconds, km/h, years), hedges as bounds.

The extract stage's amounts (money with its conversions, counts with their nouns, number
words) are used as they are; what it does not know (ages, magnitudes, measured distances,
durations, speeds, "no one was hurt") is read here from the claim's words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from corroborate.records import AmountKind, AmountMention, Bound, TimeMention

# Verbs and nouns that say what a count of people is.
CASUALTY_WORDS: dict[str, tuple[str, ...]] = {
    "dead": ("killed", "kill", "kills", "killing", "dead", "died", "die", "dies", "death",
             "deaths", "toll", "fatalities", "fatality", "lives", "bodies", "perished",
             "fatal", "drowned", "murdered"),
    "injured": ("injured", "injuring", "injuries", "wounded", "wounding", "hurt", "injures",
                "hospitalised", "hospitalized", "treated"),
    "missing": ("missing", "unaccounted"),
    "evacuated": ("evacuated", "evacuation", "evacuate", "displaced", "fled", "homeless"),
    "arrested": ("arrested", "arrests", "detained", "detention", "custody", "captured",
                 "apprehended", "held"),
    "rescued": ("rescued", "saved", "rescue"),
    # the size of a protest: "20,000 people took to the streets", "100,000 marchers"
    "crowd": ("protesters", "protestors", "demonstrators", "marchers", "rallied", "marched",
              "protested", "demonstrated", "streets", "rally", "rallies", "crowd", "crowds",
              "turnout", "march", "marches", "protest", "protests", "demonstration",
              "demonstrations"),
}
_CASUALTY = {w: m for m, ws in CASUALTY_WORDS.items() for w in ws}
GENERIC_PEOPLE = frozenset({"people", "person", "persons", "other", "others", "individual",
                            "individuals", "victim", "victims", "dead", "casualty", "more",
                            "casualties", "injured", "toll", "death", "deaths", ""})
# Nouns for people, so that only people are counted dead, hurt or arrested ("captured three
# boats" counts boats, not arrests). Agent suffixes below catch most others ("tourists").
PEOPLE_NOUNS = frozenset({
    "man", "men", "woman", "women", "child", "children", "kid", "baby", "girl", "boy",
    "adult", "teenager", "teen", "toddler", "infant", "student", "pupil", "worker", "employee",
    "staff", "crew", "crewman", "crewmember", "passenger", "pilot", "sailor", "fisherman",
    "soldier", "troop", "officer", "policeman", "police", "guard", "civilian", "resident",
    "villager", "citizen", "national", "foreigner", "tourist", "visitor", "migrant",
    "refugee", "immigrant", "pirate", "militant", "fighter", "rebel", "insurgent", "gunman",
    "attacker", "suspect", "prisoner", "inmate", "detainee", "hostage", "survivor", "patient",
    "climber", "hiker", "miner", "farmer", "driver", "protester", "demonstrator", "rioter",
    "journalist", "reporter", "member", "official", "firefighter", "rescuer", "volunteer",
    "doctor", "nurse", "teacher", "family", "relative", "spectator", "fan", "player",
    "athlete", "worshipper", "pilgrim", "shopper", "customer", "guest", "occupant", "crewmen",
    "brit", "briton", "american", "somali", "australian", "european", "african", "asian",
})
_PEOPLE_SUFFIXES = ("man", "men", "woman", "women", "people", "person", "ist", "ian", "eer",
                    "ee", "ant", "ent", "er", "or")
_THINGS = frozenset({"tree", "degree", "fee", "plant", "grant", "restaurant", "percent",
                     "cent", "event", "incident", "accident", "segment", "apartment", "tent",
                     "container", "helicopter", "computer", "trailer", "paper", "number",
                     "letter", "tower", "center", "centre", "layer", "matter", "power", "water",
                     "order", "corner", "chapter", "liter", "litre", "meter", "metre", "quarter",
                     "floor", "door", "sector", "vector", "motor", "reactor", "tractor",
                     "monitor", "generator", "elevator", "corridor", "decibel", "kilometer",
                     "character", "filter", "tanker", "carrier", "fighter jet", "launcher",
                     "counter", "shelter", "border", "river", "cluster", "poster", "banner",
                     "boulder", "container ship", "dollar", "euro", "pound", "hour", "year"})
NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "a dozen": 12, "dozen": 12,
}
# Vague amounts as intervals (the gold convention: dozens 24-99, hundreds 200-999, ...).
VAGUE = {"dozens": (24, 99), "scores": (40, 99), "hundreds": (200, 999),
         "thousands": (2000, 9999), "several": (3, 9), "a few": (2, 5),
         "tens of thousands": (20000, 99999), "hundreds of thousands": (200000, 999999)}
TO_METRES = {"km": 1000.0, "kilometre": 1000.0, "kilometer": 1000.0, "mi": 1609.344,
             "mile": 1609.344, "m": 1.0, "metre": 1.0, "meter": 1.0, "ft": 0.3048,
             "foot": 0.3048, "feet": 0.3048, "yard": 0.9144, "yd": 0.9144}
TO_SECONDS = {"second": 1.0, "sec": 1.0, "minute": 60.0, "min": 60.0, "hour": 3600.0,
              "hr": 3600.0, "day": 86400.0, "week": 604800.0}
TO_KMH = {"mph": 1.609344, "km/h": 1.0, "kph": 1.0, "kmh": 1.0, "knot": 1.852,
          "miles per hour": 1.609344, "kilometres per hour": 1.0, "kilometers per hour": 1.0}

_NUM = r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_WORDNUM = "(" + "|".join(sorted((w for w in NUMBER_WORDS if " " not in w), key=len,
                                  reverse=True)) + ")"
_HEDGE_BEFORE = re.compile(
    r"(?i)\b(about|around|approximately|roughly|some|nearly|almost|close to|an estimated|"
    r"at least|more than|over|upwards of|up to|as many as|at most|under|less than|"
    r"just under|just over|fewer than)\s*$")
_DIST_UNITS = r"(kilomet(?:re|er)s?|km|miles?|mi|met(?:re|er)s?|m|feet|foot|ft|yards?|yds?)"
_DISTANCE = re.compile(
    rf"(?<![\w.]){_NUM}(?:\s*(?:to|-|–)\s*{_NUM})?\s?-?{_DIST_UNITS}(?![\w/])", re.IGNORECASE)
# "35 miles southwest of the port of Bandar Abbas": a bearing, then a place's capitalised name
_BEARING = re.compile(
    r"^\s*(?:\([^)]*\)\s*)?((?i:(?:north|south|east|west)(?:[- ]?(?:north|south|east|west))?)|"
    r"(?:N|S|E|W|NE|NW|SE|SW|NNE|ENE|ESE|SSE|SSW|WSW|WNW|NNW))\s+(?i:of)\s+(?:(?i:the)\s+)?"
    r"(?:(?i:port|city|town|village|island|capital|coast|region|province)\s+(?i:of)\s+)?"
    r"([A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)*)")
_COMPASS = {"n": "north", "s": "south", "e": "east", "w": "west"}
_AGE = [
    re.compile(rf"\b(?:{_NUM}|{_WORDNUM})[- ]years?[- ]old\b", re.IGNORECASE),
    re.compile(rf"\baged\s+(?:{_NUM}|{_WORDNUM})\b", re.IGNORECASE),
    re.compile(r"\b(?:[A-Z][a-z'-]+(?:\s+[A-Z][a-z'.-]+)*|girl|boy|man|woman|child|baby|"
               r"teenager|toddler|son|daughter|victim),\s+(\d{1,3}),"),
]
_AGE_DECADE = re.compile(r"\bin (?:his|her|their) (early|mid|mid-|late)?\s*(\d)0s\b",
                         re.IGNORECASE)
_MAGNITUDE = [
    re.compile(r"\bmagnitude(?:\s+of)?[- ](\d(?:\.\d)?)\b", re.IGNORECASE),
    re.compile(r"\b(\d(?:\.\d)?)[- ]magnitude\b", re.IGNORECASE),
    re.compile(r"\bM\s?(\d\.\d)\b"),
    re.compile(r"\b(\d(?:\.\d)?)\s+on the Richter scale\b", re.IGNORECASE),
    re.compile(r"\b(\d\.\d)[- ](?:strength|degree|point)\s+(?:quake|earthquake|tremor|temblor)\b",
               re.IGNORECASE),
]
_DURATION = re.compile(
    rf"\b(?:{_NUM}|{_WORDNUM})[- ](seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?)"
    r"\b(?![- ](?:old|ago|earlier|later|before|after))", re.IGNORECASE)
_SPEED = re.compile(
    rf"\b{_NUM}\s?(mph|km/h|kph|kmh|knots?|miles per hour|kilomet(?:re|er)s per hour)\b",
    re.IGNORECASE)
_ZERO = re.compile(
    r"\b(?:no (?:one|body) (?:was|were|has been|had been) (killed|hurt|injured)|"
    r"nobody (?:was|were|has been) (killed|hurt|injured)|"
    r"no (casualties|deaths|fatalities|injuries|dead|victims))\b", re.IGNORECASE)
_VAGUE = re.compile(r"\b(tens of thousands|hundreds of thousands|dozens|scores|hundreds|"
                    r"thousands|several|a few)\s+(?:of\s+)?(\w+(?:\s?-\s?\w+)*)(?:\s+(\w+))?",
                    re.IGNORECASE)  # "dozens of open-ended questions": the noun after a compound
_WORD = re.compile(r"[a-z]+", re.IGNORECASE)
# How many live in a place: "home to 120,000 people", "a population of more than 100,000",
# "has about 200,000 residents" (a count of residents with no casualty verb is read below)
_HEDGES = r"(?:(?:about|around|some|roughly|nearly|almost|over|more than|an estimated)\s+)?"
_POPULATION = re.compile(
    rf"\b(?:home to|population of|populated by|inhabited by)\s+{_HEDGES}{_NUM}"
    rf"(?:\s*(million|thousand|m|k)\b)?(?:\s+(?:people|residents|inhabitants|souls))?",
    re.IGNORECASE)
_SCALE = {"million": 1e6, "m": 1e6, "thousand": 1e3, "k": 1e3}
_CURRENCY_AFTER = re.compile(r"\s*(?:euros?|dollars?|pounds?|sterling|yen|yuan|rupees?|"
                             r"francs?|roubles?|rubles?|pesos?)\b", re.IGNORECASE)
_SUM = r"[$€£¥]?\s?\d[\d.,]*\s?(?:m|bn|k|million|billion|[A-Z]{3}|euros?|dollars?|pounds?)?"
_MONEY_CONVERSION = re.compile(
    rf"(?:\d|\b(?:million|billion|thousand))[^()\d]{{0,20}}"
    rf"\(\s*(?:(?:about|around|approx\.?|some|or|roughly)\s+)?"
    rf"(?:{_SUM}\s*[;,/]\s*(?:or\s+)?)*$", re.IGNORECASE)
_LISTED = re.compile(r"^\s*(?:,\s*(?:and\s+)?|and\s+)$")
_SENTENCE_END = re.compile(r"[.;:]\s")
_CLAUSE_END = re.compile(r"[,;:()]|\s[—–-]\s")
_NOT_NOUNS = frozenset({"was", "is", "has", "were", "are", "have", "had", "in", "on", "at",
                        "of", "and", "or", "to", "for", "by", "with", "from", "as"})
_PART_BEFORE = frozenset({"including", "among", "incl", "includes", "included"})
_PART_AFTER = frozenset({"of them", "of whom", "among them", "among the", "were among"})
_WINDOW = 60  # characters either side of a count searched for what it counts


@dataclass(frozen=True, slots=True)
class Measured:
    """One figure of a claim as a measured thing: what it measures, of what, how much."""

    measure: str  # "dead", "injured", "age", "distance", "magnitude", "money", "count:house"
    scope: str | None  # a part of the total ("tourist"), or a bearing ("south-west of Bam")
    amount: AmountMention  # low/high in the measure's unit, bound as hedged
    start: int  # offsets into the claim text
    end: int
    noun: str | None = None  # what a count counts ("pirate"), whatever class it was given
    time: TimeMention | None = None  # the date or time itself, for the measure "when"

    @property
    def key(self) -> str:
        return f"{self.measure}:{self.scope}" if self.scope and self.measure != "distance" \
            else self.measure


def measures(claim_text: str, claim_start: int,
             amounts: Sequence[AmountMention]) -> list[Measured]:
    """Every measured figure of one claim, in text order (a conversion in brackets, "60
    metres (200 feet)", is the same figure and not counted twice)."""
    text = claim_text
    found: list[Measured] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    def add(m: Measured) -> None:
        if free(m.start, m.end):
            found.append(m)
            taken.append((m.start, m.end))

    for pattern in _MAGNITUDE:
        for m in pattern.finditer(text):
            value = float(m.group(1))
            if 0 < value < 10.5:
                add(Measured("magnitude", None, _amount(m, value, value, Bound.EXACT,
                                                          "magnitude"), m.start(), m.end()))
    for m in _AGE_DECADE.finditer(text):
        decade = int(m.group(2)) * 10
        part = (m.group(1) or "").rstrip("-").casefold()
        low, high = {"early": (decade, decade + 3), "mid": (decade + 3, decade + 6),
                     "late": (decade + 6, decade + 9)}.get(part, (decade, decade + 9))
        add(Measured("age", None, _amount(m, low, high, Bound.EXACT, "years"),
                     m.start(), m.end()))
    for pattern in _AGE:
        for m in pattern.finditer(text):
            value = _value(m)
            if value is not None and 0 < value < 120:
                add(Measured("age", None, _amount(m, value, value, Bound.EXACT, "years"),
                             m.start(), m.end()))
    for m in _SPEED.finditer(text):
        unit = m.group(2).casefold().rstrip("s") if m.group(2).casefold() != "mph" else "mph"
        factor = TO_KMH.get(unit, TO_KMH.get(m.group(2).casefold(), 1.0))
        value = _float(m.group(1)) * factor
        add(Measured("speed", None, _amount(m, value, value,
                                            _measured_hedge(text, m.start(), m.group(1)), "km/h"),
                     m.start(), m.end()))
    for m in _DISTANCE.finditer(text):
        unit = _unit(m.group(3))
        if unit not in TO_METRES or (unit == "m" and (_money_before(text, m.start())
                                                      or _CURRENCY_AFTER.match(text, m.end()))):
            continue
        low = _float(m.group(1)) * TO_METRES[unit]
        high = _float(m.group(2)) * TO_METRES[unit] if m.group(2) else low
        if _conversion(text, m.start()):
            taken.append((m.start(), m.end()))
            continue
        bearing = _BEARING.match(text[m.end():])
        scope = f"{_compass(bearing.group(1))} of {bearing.group(2)}" if bearing else None
        hedge = _measured_hedge(text, m.start(), m.group(1)) if not m.group(2) \
            else _hedge(text, m.start())
        add(Measured("distance", scope, _amount(m, low, high, hedge, "m"), m.start(), m.end()))
    for m in _DURATION.finditer(text):
        value = _value(m)
        unit = _unit(m.group(m.lastindex or 1))
        factor = next((f for u, f in TO_SECONDS.items() if unit.startswith(u)), None)
        if value is None or factor is None:
            continue
        seconds = value * factor
        hedge = _measured_hedge(text, m.start(), m.group(1) or "") if m.group(1) \
            else _hedge(text, m.start())
        add(Measured("duration", None, _amount(m, seconds, seconds, hedge, "seconds"),
                     m.start(), m.end()))
    for m in _POPULATION.finditer(text):
        value = _float(m.group(1)) * _SCALE.get((m.group(2) or "").casefold(), 1)
        add(Measured("population", None,
                     _amount(m, value, value, _measured_hedge(text, m.start(1), m.group(1)),
                             "people"), m.start(), m.end()))
    for m in _ZERO.finditer(text):
        word = next(g for g in m.groups() if g).casefold()
        measure = "dead" if word in ("killed", "deaths", "fatalities", "dead", "victims") \
            else "injured" if word in ("hurt", "injured", "injuries") else "casualties"
        add(Measured(measure, None, _amount(m, 0, 0, Bound.EXACT, "people"),
                     m.start(), m.end()))
    for m in _VAGUE.finditer(text):
        low, high = VAGUE[m.group(1).casefold()]
        noun, then = m.group(2).casefold(), (m.group(3) or "").casefold()
        end = m.end(2)
        if then and then not in _NOT_NOUNS and (
                "-" in noun or (not noun.endswith("s") and then.endswith("s"))):
            noun, end = then, m.end(3)  # "tens of thousands of union members"
        measure, scope = _counted(text, m.start(), end, noun)
        add(Measured(measure, scope, replace(_amount(m, low, high, Bound.EXACT, noun),
                                             end=end, text=text[m.start():end]),
                     m.start(), end, _singular(noun)))
    for a in amounts:
        s, e = a.start - claim_start, a.end - claim_start
        if s < 0 or e > len(text) or not free(s, e):
            continue
        if a.kind is AmountKind.MONEY:
            if _money_conversion(text, s):
                taken.append((s, e))  # "2m euros (£1.7m; $2.6m)": one sum, given thrice
                continue
            add(Measured("money", a.per, a, s, e))
        elif a.kind is AmountKind.PERCENT:
            add(Measured("percent", None, a, s, e))
        else:
            unit = (a.unit or "").casefold()
            head = unit.split()[-1] if unit else ""
            if head in TO_METRES or head in ("metre", "meter", "kilometre", "kilometer"):
                continue  # a distance the patterns above read (or chose not to)
            measure, scope = _counted(text, s, e, head)
            if measure == "crowd" and a.bound is Bound.EXACT:
                a = replace(a, bound=Bound.APPROXIMATE)  # a crowd's size is an estimate
            add(Measured(measure, scope, a, s, e, _singular(head)))
    return _parts_listed(text, sorted(found, key=lambda m: m.start))


def when(claim_text: str, claim_start: int,
         times: Sequence[TimeMention]) -> list[Measured]:
    """The dates and times a claim gives for what it reports: the measure "when" (a quake
    "struck at 1353", a climber "died on Friday"). A span of time ("24 years") is a
    duration, not a when."""
    out = []
    for t in times:
        s, e = t.start - claim_start, t.end - claim_start
        if s < 0 or e > len(claim_text) or not t.earliest or t.qualifier == "duration":
            continue
        amount = AmountMention(t.start, t.end, t.text, AmountKind.COUNT, 0.0, 0.0,
                               Bound.EXACT, "when")
        out.append(Measured("when", None, amount, s, e, time=t))
    return out


def _parts_listed(text: str, found: list[Measured]) -> list[Measured]:
    """Counts of kinds of people listed together are parts of a toll, each its own measure:
    "two women and one man died" is no toll of two, nor of one."""
    out = list(found)
    for i in range(len(out) - 2, -1, -1):  # from the last: the verb follows the list
        a, b = out[i], out[i + 1]
        measure = b.measure if b.measure in CASUALTY_WORDS else a.measure
        if measure in CASUALTY_WORDS and a.noun and b.noun and a.noun != b.noun \
                and not {a.noun, b.noun} & GENERIC_PEOPLE \
                and is_people(a.noun) and is_people(b.noun) \
                and _LISTED.match(text[a.end:b.start]):
            out[i] = replace(a, measure=measure, scope=a.scope or a.noun)
            out[i + 1] = replace(b, measure=measure, scope=b.scope or b.noun)
    return out


def _singular(noun: str) -> str:
    noun = noun.casefold()
    return noun[:-1] if noun.endswith("s") and not noun.endswith("ss") else noun


def _counted(text: str, start: int, end: int, noun: str) -> tuple[str, str | None]:
    """What a count of `noun` is: a casualty class from the words around it (with the noun
    as its scope when the noun names a part: "tourists"), else the noun itself."""
    noun = noun.casefold()
    singular = noun[:-1] if noun.endswith("s") and not noun.endswith("ss") else noun
    own = _CASUALTY.get(singular, _CASUALTY.get(noun))
    if own is not None and own != "crowd":
        return own, None
    before = _WORD.findall(text[max(0, start - _WINDOW):start].casefold())[-6:]
    after = _WORD.findall(text[end:end + _WINDOW].casefold())[:6]
    clause = []  # the words after the count up to the next coordinated clause or comma
    # ("killing at least 10 people, injuring dozens more": the 10 were killed)
    for w in _WORD.findall(_CLAUSE_END.split(text[end:end + _WINDOW], 1)[0].casefold())[:6]:
        if w in ("and", "but", "while", "whereas", "including", "among"):
            break
        clause.append(w)
    # "seven people were killed" (the verb after, in the count's own clause), else "killed
    # seven people" (the nearest verb before it), else "... and injured 40 others"
    # a part of a total only where the text says so: "including 9 tourists", "9 of them",
    # "among the dead were 9 tourists"; "two workers died" is the toll itself
    part = bool(set(before[-3:]) & _PART_BEFORE) or " ".join(after[:2]) in _PART_AFTER
    generic = noun in GENERIC_PEOPLE or singular in GENERIC_PEOPLE
    # a count of people in general takes a verb after an aside: "Three people, one of them a
    # pregnant woman, were killed"
    wider = _WORD.findall(_SENTENCE_END.split(text[end:end + 2 * _WINDOW], 1)[0].casefold())
    if singular in ("resident", "inhabitant") and not any(
            w in _CASUALTY for w in clause + before[-3:] + wider[:12]):
        return "population", None  # "the island, which has about 200,000 residents"
    if not generic and not is_people(singular):
        return f"count:{singular}", None  # boats are captured, not arrested
    # past its own clause, a casualty word only classes a count of people in general ("and
    # injured 40 others"): "flattening seven villages and killing 10" counts no dead villages
    if own is not None:  # a crowd noun: "50 protesters marched", "three protesters were
        # killed", "police arrested 12 protesters": its own verb, else the crowd
        for w in clause + before[-3:][::-1]:
            if w in _CASUALTY:
                return _CASUALTY[w], None
        return own, None
    for w in clause + before[::-1] + (wider[:12] if generic else []):
        if w in _CASUALTY:
            return _CASUALTY[w], singular if part and not generic else None
    return f"count:{singular or 'thing'}", None


def is_people(noun: str) -> bool:
    """Whether a counted noun (singular, lower case, maybe with modifiers) is people."""
    head = noun.split()[-1] if noun.split() else ""
    if not head or noun in _THINGS or head in _THINGS:
        return not head
    return head in PEOPLE_NOUNS or head in GENERIC_PEOPLE or (
        len(head) > 4 and head.endswith(_PEOPLE_SUFFIXES))


def _amount(m: re.Match[str], low: float, high: float, bound: Bound,
            unit: str) -> AmountMention:
    return AmountMention(m.start(), m.end(), m.group(0), AmountKind.COUNT, float(low),
                         float(high), bound, unit)


def _value(m: re.Match[str]) -> float | None:
    for g in m.groups():
        if g is None:
            continue
        if g.casefold() in NUMBER_WORDS:
            return float(NUMBER_WORDS[g.casefold()])
        try:
            return _float(g)
        except ValueError:
            continue
    return None


def _float(text: str) -> float:
    return float(text.replace(",", ""))


def _unit(word: str) -> str:
    w = word.casefold().rstrip(".")
    if w in ("feet", "foot", "ft"):
        return "ft"
    if w in ("m", "km", "mi", "yd", "yds"):
        return w.rstrip("s")
    for u in ("kilometre", "kilometer", "metre", "meter", "mile", "yard", "second", "minute",
              "hour", "day", "week", "sec", "min", "hr"):
        if w.startswith(u):
            return u
    return w


def _hedge(text: str, start: int) -> Bound:
    m = _HEDGE_BEFORE.search(text[max(0, start - 25):start])
    if not m:
        return Bound.EXACT
    word = m.group(1).casefold()
    if word in ("at least", "more than", "over", "upwards of", "just over"):
        return Bound.LOWER
    if word in ("up to", "as many as", "at most", "under", "less than", "just under",
                "fewer than", "nearly", "almost"):
        return Bound.UPPER
    return Bound.APPROXIMATE


def _compass(bearing: str) -> str:
    """ "south west", "south-west", "southwest", "SW" → "south-west"."""
    b = bearing.casefold()
    if re.fullmatch(r"[nsew]{1,3}", b):
        parts = [_COMPASS[c] for c in b]
    else:
        parts = re.findall(r"north|south|east|west", b)
    return "-".join(parts)


def _measured_hedge(text: str, start: int, number: str) -> Bound:
    """A measurement given to one significant figure ("60km", "2,000ft", "six hours" is
    not: small numbers are counted) is a rounded one: approximate unless hedged otherwise."""
    bound = _hedge(text, start)
    digits = number.replace(",", "").split(".")[0].lstrip("0")
    if bound is Bound.EXACT and len(digits) >= 2 and digits[1:].strip("0") == "" \
            and "." not in number:
        return Bound.APPROXIMATE
    return bound


def _conversion(text: str, start: int) -> bool:
    """A figure in brackets right after another: "60 metres (200 feet)"."""
    return bool(re.search(r"\d[^()]{0,20}\(\s*(?:about|around|some|approx\.?)?\s*$",
                          text[max(0, start - 40):start]))


def _money_conversion(text: str, start: int) -> bool:
    """A sum in brackets right after another sum, alone or in a list of its conversions:
    "2 million euros ($2.6 million)", "2m euros (£1.7m; $2.6m)"."""
    return bool(_MONEY_CONVERSION.search(text[max(0, start - 60):start]))


def _money_before(text: str, start: int) -> bool:
    """ "$2.6m" is money, not metres."""
    return bool(re.search(r"[$€£¥]\s*$", text[max(0, start - 2):start]))


def with_measure(a: Measured) -> AmountMention:
    """The figure as the comparison sees it (its unit the measure's)."""
    return replace(a.amount, unit=a.amount.unit if a.measure in ("money", "percent")
                   else a.measure)
