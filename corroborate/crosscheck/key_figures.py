"""Key figures: one fact per measured thing, aligned across outlets by measure and context.

A claim's figures (measures.py) are *atoms*: "150 metres" of a fall, the climber's "36" years.
Atoms of one measure from different outlets are one fact when their claims speak of the same
thing: the claims' embedding cosine (computed once by align.py), their shared entities, and
agreeing values as a small bonus, merged by average linkage. Two atoms of one article with
different values are two facts (the two climbers' falls), never one. Only figures of the same
measure are compared, so a quake's magnitude is never weighed against its dead.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import combinations

import numpy as np

from corroborate.crosscheck.align import Similarity, average_linkage
from corroborate.crosscheck.compare import Figure, Outcome, compare_figures, overlaps
from corroborate.crosscheck.events import Marker
from corroborate.crosscheck.facts import Draft, build_fact
from corroborate.crosscheck.measures import (
    GENERIC_PEOPLE,
    Measured,
    measures,
    when,
    with_measure,
)
from corroborate.crosscheck.statements import Statement
from corroborate.records import Bound, Fact, Granularity, Verdict

MEASURE_THRESHOLD = 0.45  # average linkage score at which two groups of atoms are one fact
W_ENTITIES = 0.15  # entity keys of the two sentences in common (Jaccard)
W_SAME_VALUE = 0.05  # their values agree
W_SAME_FIGURE = 0.15  # ... and both say how much (not "over $300"): most likely one figure
W_COMPANION = 0.15  # the claims' other figures of one measure agree ("36-year-old" in both)
P_COMPANION = 0.30  # ... or disagree: the 36-year-old's fall is not the 32-year-old's
W_PERSON = 0.10  # the claims name the same person; P_PERSON: both name people, none shared
P_PERSON = 0.15
# Figures that tell whose figure it is (a person's age): outlets rarely differ on them, so
# different values mean different people. Distances and sums differ between outlets
# reporting one event, so they say nothing of whose it is.
IDENTIFYING = frozenset({"age"})
STATIC_MEASURES = frozenset({"age", "population"})  # figures that do not move as news breaks
# Measures of the event itself (a quake's dead, its magnitude): a story reports one of each
# for its own event, so its outlets' figures are one fact however differently the sentences
# are put, and a background event's (an earlier quake's) never joins them (events.py).
# A crowd is not one: a story of protests counts the crowds of several cities.
EVENT_MEASURES = frozenset({"dead", "injured", "missing", "evacuated", "arrested", "rescued",
                            "magnitude", "casualties"})
W_OWN_EVENT = 0.15
# Measures of a place: a population, a crowd (the march in Athens, another in Thessaloniki):
# figures of sentences naming only different places are never one fact, of one place likely.
PLACED_MEASURES = frozenset({"population", "crowd"})
# Measures of a moment: one quake has one magnitude, so an article giving two for the
# story's own quake on two sources' word quotes two agencies (5.9 from Iran, 6.1 from the
# USGS): one fact, in conflict, where two different tolls of one article may be two places'
# or two days', and two magnitudes on one source's word two quakes (a 7.8 and a 7.5).
INSTANT_MEASURES = frozenset({"magnitude"})
P_OTHER_VALUE = 0.20
FAR_APART = 10.0  # one figure's outlets differ by less: a tenth of it is likely another thing
# Outlets of one aligned claim that must give its measure before their figures are judged as
# the claim's own (BASIL, read by hand: with two, 5 of 6 such conflicts were false).
CLAIM_FIGURE_OUTLETS = 3  # two values of an identifying measure (ages): likely two people
# Measures so common that sharing one says little ("money": a watch's price and the total
# spent): their figures must also share a word around them, in their own clauses ("$43,000
# Rolex watch" vs "$750,000 in campaign cash" share none), or they are never one fact.
# (Chosen on BASIL's false conflicts, read by hand: a penalty of 0.25 instead left 41
# conflicts where this leaves 37, at one gold fact's cost.)
GENERIC_MEASURES = ("money", "percent", "count:", "duration", "when")
LOCAL_WORDS = 8  # words either side of a figure that say what it is the figure of
_STOP = frozenset({"the", "a", "an", "of", "in", "on", "at", "to", "for", "and", "or", "by",
                   "with", "from", "that", "this", "was", "were", "is", "are", "be", "been",
                   "has", "have", "had", "it", "its", "he", "she", "they", "his", "her",
                   "their", "said", "about", "some", "more", "than", "up", "as", "which",
                   "who", "million", "billion", "thousand", "percent", "per", "cent",
                   "over", "also", "when", "spent", "spend", "spending", "paid", "pay",
                   "total", "just", "after", "before", "since", "into", "will", "would",
                   "could", "not", "but", "all", "out", "new", "last", "first", "year",
                   "years", "nearly", "almost", "around", "another", "other", "only", "now",
                   "including", "least", "most", "much", "many", "well", "still",
                   # words that go with any sum: "used the money", "$9,587.64 worth of"
                   "money", "cash", "funds", "fund", "used", "use", "worth", "cost", "costs",
                   "buy", "bought", "like", "such", "things", "items", "estimated"})
LOCAL_WORDS_MONEY = 12  # words after a sum, to the next figure: what it bought, and where
_STRONG_CLAUSE = re.compile(r"[;:()—–]|\bbut\b|\bwhile\b|\bwhich\b"
                            r"|,\s+(?:according|the\s+\w+\s+said|said)\b")
_CLAUSE = re.compile(r"[,;:()—–]|\band\b|\bbut\b|\bwhile\b|\bwhich\b")
_LOCAL_WORD = re.compile(r"[A-Za-z]+")
# Publication times that do not say when the outlet published: guessed from the page by
# htmldate (often a crawl or modification date). A figure moving over such times may be an
# update or a conflict; an article with no time at all has no place in a trend anyway.
UNTRUSTED_TIMES = frozenset({"htmldate"})
LABELS = {"dead": "dead", "injured": "injured", "missing": "missing", "evacuated": "evacuated",
          "arrested": "arrested", "rescued": "rescued", "age": "age", "distance": "distance",
          "magnitude": "magnitude", "duration": "duration", "speed": "speed",
          "money": "money", "percent": "percentage", "casualties": "casualties",
          "crowd": "crowd size", "when": "when", "population": "population"}


@dataclass(frozen=True, slots=True)
class Atom:
    statement: Statement
    measured: Measured


# A generic sentence says what a kind of thing can do ("A magnitude-6.0 quake can cause
# severe damage"): its figure is of no event, so it is no figure of the story's.
_GENERIC = re.compile(r"(?:A|An|Any)\s[^,;:]*?\bcan\b")


def atoms_of(statements: Sequence[Statement]) -> list[Atom]:
    """Every measured figure of every asserting claim that reports something."""
    out = []
    for s in statements:
        if s.denies or s.anaphoric or _GENERIC.match(s.claim.text):
            continue
        for m in measures(s.claim.text, s.claim.start, s.amounts):
            out.append(Atom(s, m))
        if not s.is_copy:
            out.extend(Atom(s, m) for m in when(s.claim.text, s.claim.start, s.times))
    return out


def _one_class_per_noun(atoms: Sequence[Atom]) -> list[Atom]:
    """A count the story elsewhere gives a class ("captured 26 pirates": arrested) is of that
    class wherever its noun is counted without a verb ("26 Somali pirates")."""
    classes: dict[str, dict[str, int]] = {}
    for a in atoms:
        m = a.measured
        if m.noun and not m.measure.startswith("count:") and m.scope is None \
                and m.measure not in ("money", "percent"):
            votes = classes.setdefault(m.noun, {})
            votes[m.measure] = votes.get(m.measure, 0) + 1
    out = []
    for a in atoms:
        m = a.measured
        votes = classes.get(m.noun or "")
        if m.measure.startswith("count:") and votes and m.noun not in GENERIC_PEOPLE:
            # ("people" counted without a verb may be anyone: "11 people remain in hospital")
            best = max(sorted(votes), key=lambda k: votes[k])
            a = Atom(a.statement, replace(m, measure=best))
        out.append(a)
    return out


def classed_atoms(statements: Sequence[Statement]) -> list[Atom]:
    """Every measured figure of the story, counts given the class the story gives them."""
    return _one_class_per_noun(atoms_of(statements))


def group_atoms(atoms: Sequence[Atom], similarity: Similarity,
                markers: dict[int, Marker] | None = None,
                instant_markers: dict[int, Marker] | None = None) -> list[list[Atom]]:
    """Atoms of one measure that report one figure, each group in statement order (`atoms`
    as `classed_atoms` gives them; `markers`: each statement's event, events.py;
    `instant_markers`: the same for measures of a moment, `event_markers(..., instant=True)`)."""
    by_key: dict[str, list[Atom]] = {}
    for a in atoms:
        by_key.setdefault(a.measured.key, []).append(a)
    companions = _companions(atoms)
    groups: list[list[Atom]] = []
    for members in by_key.values():
        instant = members[0].measured.measure in INSTANT_MEASURES
        chosen = (instant_markers if instant and instant_markers is not None else markers) or {}
        groups.extend(_cluster(members, similarity, companions, chosen))
    return sorted(groups, key=lambda g: (g[0].statement.index, g[0].measured.start))


def _companions(atoms: Sequence[Atom]) -> dict[int, list[Atom]]:
    """Each statement's atoms, so that an atom's other figures can tell whose figure it is."""
    out: dict[int, list[Atom]] = {}
    for a in atoms:
        out.setdefault(a.statement.index, []).append(a)
    return out


def _local(atom: Atom) -> frozenset[str]:
    """Stems of the common words around a figure, within its clause: what it is the figure
    of. Names before it are left out (they say whose: "Mr. Jackson spent $X"), names after
    it kept (they say on what: "$X at Best Buy", "$Y on the Holistic Retreat"), and so are
    words that go with any figure ("over", "spent", "total")."""
    text = atom.statement.claim.text
    before = _CLAUSE.split(text[:atom.measured.start])[-1]
    if atom.measured.measure == "money":
        # what a sum bought runs on past commas ("$10,977.74 worth of televisions, DVD
        # players and DVDs at Best Buy"), up to the next figure of the list
        claim = atom.statement.claim
        upto = min((a.start - claim.start for a in atom.statement.amounts
                    if a.start - claim.start >= atom.measured.end), default=len(text))
        after = _STRONG_CLAUSE.split(text[atom.measured.end:upto])[0]
        limit = LOCAL_WORDS_MONEY
    else:
        after = _CLAUSE.split(text[atom.measured.end:])[0]
        limit = LOCAL_WORDS
    words = [w for w in _LOCAL_WORD.findall(before)[-LOCAL_WORDS:] if not w[0].isupper()]
    words += _LOCAL_WORD.findall(after)[:limit]
    return frozenset(w.casefold()[:5] for w in words
                     if len(w) > 2 and w.casefold() not in _STOP)


def _same_context(a: Atom, b: Atom) -> bool:
    """Two figures of a common measure share a word around them, or one stands bare in a
    list ("six rifles, 12 magazines"), where its measure's own noun says what it is."""
    la, lb = _local(a), _local(b)
    if la & lb:
        return True
    return a.measured.measure.startswith("count:") and (not la or not lb)


def _sibling_fits_better(a: Atom, b: Atom, companions: dict[int, list[Atom]]) -> bool:
    """Another figure of a's claim, of the same measure, agrees with b where a does not:
    b is that figure's counterpart ("$447 billion, of which a $35 billion piece"). A sum of a
    common measure must also be of the same thing: "over $300 at Build-A-Bear" contains
    $5,587.75 but is not the counterpart of "a $5,587.75 vacation at the Retreat"."""
    generic = a.measured.key.startswith(GENERIC_MEASURES)
    return any(c is not a and c.measured.key == a.measured.key and _agree(c, b)
               and (not generic or _same_context(c, b))
               for c in companions.get(a.statement.index, ()))


def _context(a: Atom, b: Atom, companions: dict[int, list[Atom]]) -> float:
    """What the claims' other figures and named people say about two atoms being one."""
    score = 0.0
    others_a = [c for c in companions.get(a.statement.index, ())
                if c.measured.key != a.measured.key]
    others_b = [c for c in companions.get(b.statement.index, ())
                if c.measured.key != b.measured.key]
    pairs = [(x, y) for x in others_a for y in others_b if x.measured.key == y.measured.key
             and x.measured.measure in IDENTIFYING]
    if pairs:
        score += W_COMPANION if all(_agree(x, y) for x, y in pairs) else -P_COMPANION
    pa = {k for k in a.statement.sentence_entities if k.startswith("person:")}
    pb = {k for k in b.statement.sentence_entities if k.startswith("person:")}
    if pa and pb:
        score += W_PERSON if pa & pb else -P_PERSON
    return score


def _cluster(atoms: Sequence[Atom], similarity: Similarity,
             companions: dict[int, list[Atom]],
             markers: dict[int, Marker]) -> list[list[Atom]]:
    n = len(atoms)
    if n == 1:
        return [list(atoms)]
    score = np.zeros((n, n))
    forbid = np.zeros((n, n), dtype=bool)
    placed = atoms[0].measured.measure in PLACED_MEASURES
    names = _place_names(atoms) if placed else []
    where = [_place_words(a.statement, names) for a in atoms] if placed else []
    for i in range(n):
        for j in range(i + 1, n):
            a, b = atoms[i], atoms[j]
            same = _agree(a, b)
            differ = not same and not _incomparable(a, b)
            event = a.measured.measure in EVENT_MEASURES
            ma, mb = markers.get(a.statement.index), markers.get(b.statement.index)
            one_moment = a.measured.measure in INSTANT_MEASURES and ma is None and mb is None \
                and a.statement.path != b.statement.path  # two sources' readings, not two quakes
            # Dates of a story's different events abound ("the 2003 invasion", "the 2001
            # invasion") and nothing around a date says which event it dates: two dates that
            # differ are never one "when" fact (BASIL, read: 46 of 61 conflicts were such
            # pairs when they could be); a claim its outlets date differently is judged with
            # the claim, whose dates are compared there.
            if a.statement.index == b.statement.index or (event and ma != mb) or \
                    (a.measured.time is not None and not same) or \
                    (a.statement.article_id == b.statement.article_id and not same
                     and not one_moment) or \
                    (differ and (_sibling_fits_better(a, b, companions)
                                 or _sibling_fits_better(b, a, companions))) or \
                    (a.measured.key.startswith(GENERIC_MEASURES)
                     and not (not differ and _closed(a) and _closed(b))
                     and not _same_context(a, b)) or \
                    (placed and not _same_place(where[i], where[j])):
                forbid[i, j] = forbid[j, i] = True
                continue
            s = similarity.get(a.statement.index, b.statement.index)
            ea, eb = a.statement.sentence_entities, b.statement.sentence_entities
            if ea and eb:
                s += W_ENTITIES * len(ea & eb) / len(ea | eb)
            if same:
                s += W_SAME_VALUE
                if a.measured.time is None and _closed(a) and _closed(b):
                    s += W_SAME_FIGURE
            elif a.measured.measure in IDENTIFYING or \
                    (not event and _apart(a, b) > FAR_APART):
                # 32 and 36 years old: more likely two people than a slip; "hundreds of
                # anarchists" and "20,000 marched": two crowds, not one misreported
                s -= P_OTHER_VALUE
            s += _context(a, b, companions)
            if event and ma is None:  # both of the story's own event: its one toll, however put
                s += W_OWN_EVENT
            if placed and where[i] & where[j]:
                s += W_OWN_EVENT  # one place's population, one city's march
            score[i, j] = score[j, i] = s
    groups = average_linkage(score, forbid, MEASURE_THRESHOLD)
    return [[atoms[k] for k in sorted(g)] for g in groups]


def _same_place(pa: set[str], pb: set[str]) -> bool:
    """Two populations (two crowds) are of one place unless their sentences name only other
    places ("Qeshm island, home to 120,000" is not "Bandar Abbas, home to 500,000"); `pa`,
    `pb`: each sentence's place words (`_place_words`)."""
    return not pa or not pb or bool(pa & pb)


def _place_words(s: Statement, named: Sequence[str] = ()) -> set[str]:
    """The words of the places a sentence names ("place:qeshm:IR" and "place:qeshm island"
    are both Qeshm), kinds of place left out: the places the tagger found, names after a
    preposition of place ("the streets of Athens", "in Thessaloniki": the tagger takes some
    cities for organisations or their countries), and the place names the measure's other
    sentences give (`named`), as the tagger misses a place now and then ("Qeshm, a
    1,500-square-kilometer island")."""
    names = {k.split(":")[1] for k in s.sentence_entities if k.startswith("place:")}
    names.update(m.casefold() for m in _AFTER_PREPOSITION.findall(s.sentence)
                 if m not in _NOT_PLACES)
    if named:
        text = " " + " ".join(_LOCAL_WORD.findall(s.sentence.casefold())) + " "
        names.update(n for n in named if f" {n} " in text)
    return {w for n in names for w in n.split() if w not in _PLACE_KINDS}


_AFTER_PREPOSITION = re.compile(r"\b(?:in|of|at|near|outside|across)\s+"
                                r"([A-Z][a-z]+(?:[ -][A-Z][a-z]+)*)")
_NOT_PLACES = frozenset({"January", "February", "March", "April", "May", "June", "July",
                         "August", "September", "October", "November", "December", "Monday",
                         "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
                         "Mr", "Mrs", "Ms", "Dr", "President", "Prime Minister"})


def _place_names(atoms: Sequence[Atom]) -> list[str]:
    """The place names the atoms' sentences give (as the tagger found them)."""
    return sorted({k.split(":")[1] for a in atoms for k in a.statement.sentence_entities
                   if k.startswith("place:")})


_PLACE_KINDS = frozenset({"island", "islands", "city", "town", "village", "province", "county",
                          "state", "region", "district", "port", "the", "of", "north", "south",
                          "east", "west", "northern", "southern", "eastern", "western"})


def _closed(a: Atom) -> bool:
    """A figure that says how much, not only a bound: two such of one measure that agree
    are one figure, whatever words surround them ("four men rammed" / "four men drove");
    "over $300" agrees with any larger sum and says nothing of being the same."""
    t = a.measured.time
    if t is not None:  # "in 2009" overlaps every day of that year
        return t.granularity in (Granularity.DAY, Granularity.MINUTE)
    return a.measured.amount.bound in (Bound.EXACT, Bound.APPROXIMATE)


def _apart(a: Atom, b: Atom) -> float:
    """How many times the larger figure is the smaller (1.0 where either is zero, a date, or
    a sum in another currency: a zero against a figure is a conflict, whatever the ratio)."""
    x, y = a.measured.amount, b.measured.amount
    if a.measured.time is not None or b.measured.time is not None \
            or (a.measured.measure == "money" and x.unit != y.unit) or min(x.low, y.low) <= 0:
        return 1.0
    return max(x.high, y.high) / min(x.low, y.low)


def _incomparable(a: Atom, b: Atom) -> bool:
    """Sums in two currencies, one of them unconverted (an undated page has no exchange
    rate): neither agreeing nor differing, so nothing to keep them apart by."""
    x, y = a.measured.amount, b.measured.amount
    return a.measured.measure == "money" and x.unit != y.unit and (x.usd is None or y.usd is None)


def _agree(a: Atom, b: Atom) -> bool:
    if a.measured.time is not None and b.measured.time is not None:
        return overlaps(a.measured.time, b.measured.time)
    result = compare_figures([Figure(with_measure(a.measured), "", None),
                              Figure(with_measure(b.measured), "", None)])
    return result is not None and result.outcome is Outcome.AGREE


def key_figure_fact(fact_id: str, group: Sequence[Atom]) -> Fact:
    """One measured thing across its versions: verdict on its figures alone."""
    seen: set[int] = set()
    members: list[Statement] = []
    for atom in group:
        if atom.statement.index in seen:
            continue
        seen.add(atom.statement.index)
        if atom.measured.time is not None:  # a when: judged as dates are
            members.append(replace(atom.statement, amounts=(), times=(atom.measured.time,),
                                   context_times=(), negated=False, predicate=None))
            continue
        members.append(replace(atom.statement, amounts=(with_measure(atom.measured),),
                               times=(), context_times=(), negated=False, predicate=None))
    fact = build_fact(fact_id, Draft(tuple(members), (), members[0]), None)
    measured = group[0].measured
    label = LABELS.get(measured.measure, measured.measure.replace("count:", "number of "))
    if measured.scope and measured.measure != "distance":
        label += f" ({measured.scope})"
    verdict, reason = fact.verdict, fact.reason
    if verdict is Verdict.DEVELOPING and measured.measure in STATIC_MEASURES:
        verdict = Verdict.CONFLICT  # a town's population does not move in a day
        reason = f"the figures differ, and a {LABELS[measured.measure]} is no update: {reason}"
    elif verdict is Verdict.DEVELOPING:
        unsure = sorted({s.ref.outlet for s in members
                         if s.ref.published_via in UNTRUSTED_TIMES})
        if unsure:  # a guessed time cannot order an update: say what it might be
            verdict = Verdict.CONFLICT
            reason = (f"possibly an update, but the publication times of {', '.join(unsure)} "
                      f"are guessed, not read from the page's metadata, byline or URL: {reason}")
    places = {a.measured.scope for a in group if a.measured.measure == "distance"}
    if len(places) > 1 and None not in places and verdict is Verdict.AGREE:
        verdict = Verdict.CONFLICT
        where = ", ".join(sorted(p for p in places if p))
        reason = f"the same distance from different bearings or places: {where}; {reason}"
    return replace(fact, statement=f"{label}: {fact.statement}", verdict=verdict, reason=reason,
                   measure=measured.key)


def claim_figures_verdict(members: Sequence[Statement],
                          atoms: Sequence[Atom]) -> tuple[Verdict, str] | None:
    """Conflict (or developing) when the outlets of one aligned claim give one measure's
    figure differently: "where another 20,000 people marched" vs "approximately 50,000".

    The claim's alignment says the sentences report one thing, so one figure of one measure
    in each (a sentence with two is left out: which one is whose is not known) is one figure,
    when at least CLAIM_FIGURE_OUTLETS outlets give it there (two loosely aligned sentences
    that each mention some seats or debates are not evidence enough: their key-figure facts
    judge them); common measures must also share a word around them, except a count of a
    named thing ("questions"), which its noun already says. None when nothing differs."""
    indices = {s.index for s in members if not s.is_copy and not s.denies}
    per_key: dict[str, dict[int, list[Atom]]] = {}
    for a in atoms:
        if a.statement.index in indices:
            per_key.setdefault(a.measured.key, {}).setdefault(a.statement.index, []).append(a)
    for key in sorted(per_key):
        if key == "when":
            continue  # the claim's own dates are judged with the claim
        by_statement = per_key[key]
        if any(len(found) > 1 for found in by_statement.values()):
            continue
        group = [found[0] for found in by_statement.values()]
        if len({a.statement.outlet_id for a in group}) < CLAIM_FIGURE_OUTLETS:
            continue
        counted = key.startswith("count:") and key[6:] not in GENERIC_PEOPLE | {"thing"}
        if key.startswith(GENERIC_MEASURES) and not counted and \
                not all(_same_context(a, b) for a, b in combinations(group, 2)):
            continue
        figure = key_figure_fact("", sorted(group, key=lambda a: a.statement.index))
        if figure.verdict in (Verdict.CONFLICT, Verdict.DEVELOPING):
            label = figure.statement.split(":", 1)[0]
            return figure.verdict, f"the outlets' {label} differs: {figure.reason}"
    return None
