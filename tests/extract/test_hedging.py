"""Certainty of claims: asserted, hedged, conditional, denied, questioned, and the cues."""

from __future__ import annotations

from functools import lru_cache

import pytest

from corroborate.extract.attribution import CueKind
from corroborate.extract.claims import find_claims
from corroborate.extract.hedging import Through, assess
from corroborate.models import spacy_pipeline
from corroborate.records import Certainty, Claim


@lru_cache(maxsize=64)
def claims(text: str) -> tuple[Claim, ...]:
    return tuple(find_claims(spacy_pipeline()(text), [], "Outlet"))


def claim(text: str, words: str) -> Claim:
    hits = [c for c in claims(text) if words in c.text]
    assert len(hits) == 1, [c.text for c in claims(text)]
    return hits[0]


@pytest.mark.parametrize(("text", "cue"), [
    ("The company may close the plant next year.", "may"),
    ("The company could close the plant next year.", "could"),
    ("The company might close the plant next year.", "might"),
    ("The plant would close without new orders.", "would"),
    ("Kim's soldiers are expected to help rebuild the roads.", "expected"),
    ("The hackers are believed to work for the state.", "believed"),
    ("The minister is said to favour a deal.", "said"),
    ("Russia appears to be seeking a coalition of friendly states.", "appears"),
    ("The deal reportedly includes a gas pipeline.", "reportedly"),
    ("The mayor allegedly took bribes from builders.", "allegedly"),
    ("The talks will likely resume in May.", "likely"),
    ("The plant is likely to close next year.", "likely"),
    ("An estimated 6,700 containers reached the port.", "estimated"),
])
def test_hedges_make_a_claim_hedged(text: str, cue: str) -> None:
    (c,) = claims(text)
    assert c.certainty is Certainty.HEDGED
    assert cue in c.cues


@pytest.mark.parametrize("text", [
    "The factory closed in May.",
    "North Korea receives Russian technologies which could help its missile programme.",
    "The union will strike on Monday.",
])
def test_plain_statements_are_asserted(text: str) -> None:
    (c,) = claims(text)
    assert c.certainty is Certainty.ASSERTED and c.cues == ()


def test_would_in_reported_past_speech_is_a_reported_will() -> None:
    c = claim("TV Chosun reported that the forces would assist in rebuilding roads.",
              "the forces would assist")
    assert c.certainty is Certainty.ASSERTED


def test_estimating_source_hedges_its_content() -> None:
    c = claim("The ministry estimates that 6,700 containers were sent.", "containers")
    assert c.certainty is Certainty.HEDGED and c.cues == ("estimates",)


def test_unofficial_source_hedges_its_content() -> None:
    c = claim("Unofficial media reports indicate that the army will move north.", "army")
    assert c.certainty is Certainty.HEDGED and "unofficial" in c.cues


def test_if_clause_makes_a_claim_conditional_and_keeps_the_hedge() -> None:
    c = claim("North Korea could receive $100 million if it sent three brigades.",
              "receive")
    assert c.certainty is Certainty.CONDITIONAL
    assert c.cues[0] == "if" and "could" in c.cues


def test_unless_is_a_condition() -> None:
    c = claim("The union will strike on Monday unless the company raises wages.", "strike")
    assert c.certainty is Certainty.CONDITIONAL and "unless" in c.cues


def test_condition_inside_a_relative_clause_does_not_condition_the_claim() -> None:
    c = claim("The talks, which could resume if both sides agree, ended on Friday.", "ended")
    assert c.certainty is Certainty.ASSERTED


@pytest.mark.parametrize(("text", "words", "cue"), [
    ("It is unclear whether the plant will reopen.", "the plant will reopen", "unclear"),
    ("Will the plant reopen next year?", "plant reopen", "?"),
    ("Analysts questioned whether the deal would hold.", "the deal would hold",
     "questioned"),
    ("Reporters asked whether the talks had failed.", "the talks had failed", "asked"),
    ("The ministry did not confirm that troops were sent.", "troops were sent",
     "not confirm"),
])
def test_questions_and_doubts_are_questioned(text: str, words: str, cue: str) -> None:
    c = claim(text, words)
    assert c.certainty is Certainty.QUESTIONED
    assert cue in c.cues


def test_denied_outranks_the_hedge_of_the_allegation() -> None:
    text = ("Seoul accused Pyongyang of supplying shells to Russia. "
            "Pyongyang denied the accusation.")
    c = claim(text, "supplying shells")
    assert c.certainty is Certainty.DENIED
    assert c.cues == ("denied", "accused")


def test_assess_ranks_denied_questioned_conditional_hedged() -> None:
    doc = spacy_pipeline()("North Korea could receive money if it sent brigades.")
    piece = (0, len(doc) - 1)
    assert assess(doc, piece)[0] is Certainty.CONDITIONAL
    asked = Through(CueKind.QUESTION, "asked", negated=False, past=True)
    assert assess(doc, piece, [asked])[0] is Certainty.QUESTIONED
    denied = Through(CueKind.DENIAL, "denied", negated=False, past=True)
    certainty, cues = assess(doc, piece, [asked, denied])
    assert certainty is Certainty.DENIED
    assert cues[0] == "denied" and {"asked", "if", "could"} <= set(cues)


def test_negated_denial_is_not_a_denial() -> None:
    doc = spacy_pipeline()("The troops were sent.")
    not_denied = Through(CueKind.DENIAL, "deny", negated=True, past=True)
    assert assess(doc, (0, len(doc) - 1), [not_denied]) == (Certainty.ASSERTED, ())
