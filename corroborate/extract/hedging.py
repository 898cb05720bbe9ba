"""How sure a claim is: asserted, hedged, conditional, denied or questioned, and why.

Corroboration weighs "North Korea sent 6,700 containers" differently from "the ministry
estimated that…" or "North Korea could receive… if it sent…". The certainty is read off
the parse of the claim's own clause (modal auxiliaries, "is expected to", "appears to",
hedging adverbs, an "if" clause, "whether") and off the frames it is reported through
("estimates", "accused", "denied", "asked"). `cues` keeps every word that counted, so a
conditional claim that is also hedged says both.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from corroborate.extract.attribution import CueKind
from corroborate.extract.spans import Range, roots
from corroborate.records import Certainty

_HEDGE_MODALS = frozenset({"could", "may", "might", "would", "can't", "might've"})
# "are expected to", "is believed to", "is said to": passive hedges with no source named
_PASSIVE_HEDGES = frozenset({
    "expect", "believe", "think", "say", "report", "rumor", "rumour", "estimate", "allege",
    "suspect", "understand", "project", "predict", "presume", "suppose", "claim", "fear",
    "consider", "anticipate", "forecast", "tip",
})
_RAISING = frozenset({"appear", "seem", "look"})  # "appears to be seeking"
_HEDGE_VERBS = frozenset({"suggest", "indicate", "imply", "hint"})
_HEDGE_ADVERBS = frozenset({
    "reportedly", "allegedly", "possibly", "probably", "likely", "perhaps", "maybe",
    "apparently", "supposedly", "seemingly", "potentially", "presumably", "purportedly",
    "ostensibly", "conceivably", "arguably", "roughly", "unofficially", "reputedly",
})
_HEDGE_ADJECTIVES = frozenset({"likely", "unlikely", "possible", "probable", "expected",
                               "plausible"})
_DOUBT_ADJECTIVES = frozenset({"unclear", "uncertain", "unknown", "doubtful", "unconfirmed",
                               "questionable", "debatable", "unsure"})
_DOUBT_NOUNS = frozenset({"doubt", "question", "uncertainty"})
_CONDITION_MARKS = frozenset({"if", "unless", "provided", "providing", "assuming"})
_SOURCE_HEDGES = frozenset({"unofficial", "unconfirmed", "anonymous", "unnamed", "rumor",
                            "rumour", "rumors", "rumours", "speculation", "unverified"})
_RANK = (Certainty.DENIED, Certainty.QUESTIONED, Certainty.CONDITIONAL, Certainty.HEDGED)


@dataclass(frozen=True, slots=True)
class Through:
    """A frame a claim is reported through, as far as certainty is concerned."""

    kind: CueKind
    cue: str  # "estimates", "denied"
    negated: bool
    past: bool  # the cue verb is in the past tense: "would" under it is a reported "will"
    source: str = ""


def assess(doc: Doc, piece: Range, through: Sequence[Through] = ()) -> tuple[Certainty,
                                                                            tuple[str, ...]]:
    """Certainty of the clause in `piece`, reported through `through` (outermost first)."""
    found: dict[Certainty, list[str]] = {c: [] for c in _RANK}
    for frame in through:
        _frame_cues(frame, found)
    backshifted = bool(through) and through[-1].kind is CueKind.SPEECH and through[-1].past
    start, end = piece
    for tok in _main_path(doc, start, end):
        _token_cues(tok, start, end, backshifted, found)
    for i in range(start, end):
        tok = doc[i]
        lower = tok.lower_
        if lower in ("reportedly", "allegedly", "purportedly", "supposedly", "unofficially"):
            _add(found, Certainty.HEDGED, tok.text)
        elif lower in ("estimated", "approximated") and tok.dep_ in ("amod", "advmod"):
            _add(found, Certainty.HEDGED, tok.text)  # "an estimated 6,700"
    if _is_question(doc, start, end):
        _add(found, Certainty.QUESTIONED, "?")
    cues: list[str] = []
    for certainty in _RANK:
        for cue in found[certainty]:
            if cue.lower() not in (c.lower() for c in cues):
                cues.append(cue)
    for certainty in _RANK:
        if found[certainty]:
            return certainty, tuple(cues)
    return Certainty.ASSERTED, ()


def _frame_cues(frame: Through, found: dict[Certainty, list[str]]) -> None:
    if frame.negated:
        if frame.kind is not CueKind.DENIAL:  # "did not confirm": not vouched for
            _add(found, Certainty.QUESTIONED, f"not {frame.cue}")
        return
    if frame.kind in (CueKind.BELIEF, CueKind.ALLEGATION):
        _add(found, Certainty.HEDGED, frame.cue)
    elif frame.kind is CueKind.DENIAL:
        _add(found, Certainty.DENIED, frame.cue)
    elif frame.kind is CueKind.QUESTION:
        _add(found, Certainty.QUESTIONED, frame.cue)
    words = frame.source.lower().split()
    for word in words:
        if word in _SOURCE_HEDGES:
            _add(found, Certainty.HEDGED, word)


def _main_path(doc: Doc, start: int, end: int) -> list[Token]:
    """The clause's head words: its roots and what they chain to without a new clause.

    A modal in a relative clause ("technologies which could…") hedges only that part; the
    claim's own predicate runs root → xcomp ("expected to help rebuild") and → conj
    verbs that share its subject.
    """
    path: list[Token] = []
    todo = roots(doc, start, end, 8)
    while todo and len(path) < 32:
        tok = todo.pop()
        path.append(tok)
        for c in tok.children:
            if start <= c.i < end and (
                    c.dep_ == "xcomp" or (c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")
                                          and not _own_subject(c))
                    or (c.dep_ == "ccomp" and tok.lemma_ == "be")):
                todo.append(c)
    return path


def _token_cues(tok: Token, start: int, end: int, backshifted: bool,
                found: dict[Certainty, list[str]]) -> None:
    lemma = tok.lemma_.lower()
    for c in tok.children:
        dep, clower = c.dep_, c.lower_
        if dep == "aux" and c.tag_ == "MD" and clower in _HEDGE_MODALS:
            if clower == "would" and backshifted and not _has_condition(tok):
                continue  # "reported that the forces would assist": a reported "will"
            _add(found, Certainty.HEDGED, c.text)
        elif (dep == "advmod" and clower in _HEDGE_ADVERBS) or (
                dep == "acomp" and clower in _HEDGE_ADJECTIVES):
            _add(found, Certainty.HEDGED, c.text)
        elif dep == "acomp" and clower in _DOUBT_ADJECTIVES:
            _add(found, Certainty.QUESTIONED, c.text)
        elif dep == "advcl" and _condition_mark(c) is not None:
            _add(found, Certainty.CONDITIONAL, _condition_mark(c) or "if")
        elif dep == "mark" and clower == "whether" and tok.i == _clause_root(tok, start, end):
            _add(found, Certainty.QUESTIONED, c.text)
        elif dep in ("attr", "nsubj", "dobj") and c.lemma_.lower() in _DOUBT_NOUNS and (
                clower.endswith("s") or any(g.lower_ in ("whether", "about", "over")
                                            for g in c.children)):
            _add(found, Certainty.QUESTIONED, c.text)  # "there are doubts", "questions over"
    if tok.tag_ == "VBN" and lemma in _PASSIVE_HEDGES and any(
            c.dep_ == "auxpass" for c in tok.children) and any(
            c.dep_ in ("xcomp", "ccomp") for c in tok.children):
        _add(found, Certainty.HEDGED, tok.text)  # "are expected to help", "is said to"
    elif (lemma in _RAISING and any(c.dep_ in ("xcomp", "ccomp", "acomp")
                                    for c in tok.children)) or (
            lemma in _HEDGE_VERBS and tok.pos_ == "VERB"):
        _add(found, Certainty.HEDGED, tok.text)


def _condition_mark(clause: Token) -> str | None:
    for c in clause.children:
        if c.dep_ == "mark" and c.lower_ in _CONDITION_MARKS:
            return c.text
        if (c.dep_ in ("mark", "advmod") and c.lower_ == "case") or (
                c.lower_ == "in" and c.i + 1 < len(c.doc) and c.doc[c.i + 1].lower_ == "case"):
            return "in case"
    return None


def _has_condition(tok: Token) -> bool:
    return any(c.dep_ == "advcl" and _condition_mark(c) for c in tok.children)


def _clause_root(tok: Token, start: int, end: int) -> int:
    node = tok
    while start <= node.head.i < end and node.head.i != node.i:
        node = node.head
    return node.i


def _own_subject(tok: Token) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for c in tok.children)


def _is_question(doc: Doc, start: int, end: int) -> bool:
    """A clause ending in a question mark, inside or just after its closing quotation mark."""
    last = doc[end - 1]
    if last.text == "?" or (last.is_quote and end - 2 >= start and doc[end - 2].text == "?"):
        return True
    nxt = end
    if nxt < len(doc) and doc[nxt].is_quote:
        nxt += 1
    return nxt < len(doc) and doc[nxt].text == "?"


def _add(found: dict[Certainty, list[str]], certainty: Certainty, cue: str) -> None:
    if cue not in found[certainty]:
        found[certainty].append(cue)
