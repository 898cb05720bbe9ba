"""Claims: content spans, attribution chains outermost first, certainty, odd input."""

from __future__ import annotations

import re
import time
from functools import lru_cache
from pathlib import Path

import pytest
from spacy.tokens import Doc

from corroborate.extract.claims import find_claims
from corroborate.models import spacy_pipeline
from corroborate.records import Certainty, Claim, EntityKind, EntityMention

OUTLET = "Test Outlet"
# Entity mentions as the entity stage would give them (built by hand: the claims stage must
# not depend on how that stage finds them).
_NAMES = (
    ("TV Chosun", EntityKind.OUTLET, "outlet:tv chosun", "TV Chosun"),
    ("KCNA", EntityKind.OUTLET, "outlet:kcna", "KCNA"),
    ("Institute for the Study of War", EntityKind.ORGANIZATION, "org:isw",
     "Institute for the Study of War"),
    ("ISW", EntityKind.ORGANIZATION, "org:isw", "Institute for the Study of War"),
    ("South Korean Defence Ministry", EntityKind.ORGANIZATION, "org:kr-mnd",
     "South Korean Defence Ministry"),
    ("Pentagon", EntityKind.ORGANIZATION, "org:pentagon", "Pentagon"),
    ("North Korea", EntityKind.COUNTRY, "country:KP", "North Korea"),
    ("South Korea", EntityKind.COUNTRY, "country:KR", "South Korea"),
    ("Russia", EntityKind.COUNTRY, "country:RU", "Russia"),
    ("United States", EntityKind.COUNTRY, "country:US", "United States"),
    ("Vladimir Putin", EntityKind.PERSON, "person:vladimir putin", "Vladimir Putin"),
)


def mentions(text: str) -> list[EntityMention]:
    """Every occurrence of the names above, longest match first, no overlaps."""
    found: list[EntityMention] = []
    taken: set[int] = set()
    for name, kind, key, canonical in sorted(_NAMES, key=lambda n: -len(n[0])):
        for m in re.finditer(rf"\b{re.escape(name)}\b", text):
            if taken.isdisjoint(range(m.start(), m.end())):
                taken.update(range(m.start(), m.end()))
                found.append(EntityMention(m.start(), m.end(), name, kind, key, canonical))
    return sorted(found, key=lambda m: m.start)


@lru_cache(maxsize=8)
def parse(text: str) -> Doc:
    return spacy_pipeline()(text)


def claims_of(text: str, entities: list[EntityMention] | None = None) -> list[Claim]:
    return find_claims(parse(text), mentions(text) if entities is None else entities, OUTLET)


def only(claims: list[Claim], words: str) -> Claim:
    hits = [c for c in claims if words in c.text]
    assert len(hits) == 1, (words, [c.text for c in claims])
    return hits[0]


def sources(claim: Claim) -> list[str]:
    return [a.source for a in claim.chain]


@pytest.fixture
def seed0(seed_files: list[Path]) -> list[Claim]:
    return claims_of(seed_files[0].read_text(encoding="utf-8"))


@pytest.fixture
def seed1(seed_files: list[Path]) -> list[Claim]:
    return claims_of(seed_files[1].read_text(encoding="utf-8"))


# --- the seeds ------------------------------------------------------------------------------


def test_seed_115_million_rests_on_outlet_then_tv_chosun_then_official(
        seed1: list[Claim]) -> None:
    claim = only(seed1, "$115 million")
    assert claim.chain[0].source == OUTLET and claim.chain[0].cue is None
    assert claim.chain[1].key == "outlet:tv chosun" and claim.chain[1].name == "TV Chosun"
    assert claim.chain[1].cue == "estimates"
    assert claim.chain[2].source == "a South Korean government official"
    assert len(claim.chain) == 3
    assert claim.text.startswith("North Korea could receive up to $115 million")
    assert "estimates" not in claim.text  # the content only, not the "X estimates" frame


def test_seed_88_million_is_tv_chosuns_through_the_television_channel(
        seed0: list[Claim]) -> None:
    claim = only(seed0, "£88 million")
    assert sources(claim) == [OUTLET, "The South Korean television channel"]
    assert claim.chain[1].key == "outlet:tv chosun"
    assert claim.chain[1].name == "TV Chosun"
    assert claim.certainty is Certainty.CONDITIONAL
    assert {"could", "if", "estimates"} <= set(claim.cues)
    assert claim.text.startswith("North Korea could receive")
    assert claim.text.endswith("occupied regions of Ukraine")


def test_seed_estimate_sentence_splits_into_two_claims_at_and(seed0: list[Claim]) -> None:
    brigades = only(seed0, "10 engineering brigades")
    assert brigades.text == "the North Korean army has 10 engineering brigades"
    assert brigades.certainty is Certainty.HEDGED and brigades.cues == ("estimates",)
    assert brigades.chain[1].key == "outlet:tv chosun"


def test_seed_could_receive_claims_are_hedged_and_conditional(
        seed0: list[Claim], seed1: list[Claim]) -> None:
    receiving = [c for c in seed0 + seed1 if "could receive" in c.text]
    assert len(receiving) == 2
    for claim in receiving:
        assert claim.certainty is Certainty.CONDITIONAL
        assert "could" in claim.cues and "if" in claim.cues


def test_seed_weapons_allegation_is_denied_by_russia_and_north_korea(
        seed0: list[Claim]) -> None:
    allegation = only(seed0, "supplying weapons to Russia")
    assert allegation.certainty is Certainty.DENIED
    assert allegation.cues[0] == "denied" and "accused" in allegation.cues
    assert allegation.chain[-1].source == "The United States and South Korea"
    assert allegation.chain[-1].cue == "accused"
    denial = only(seed0, "these allegations")
    assert denial.chain[-1].source == "Russia and North Korea"
    assert denial.chain[-1].name == "Russia and North Korea"
    assert denial.chain[-1].cue == "denied"
    assert denial.certainty is Certainty.DENIED
    assert denial.start > allegation.end


def test_seed_isw_quote_with_speaker_after_is_the_isws(seed1: list[Claim]) -> None:
    claim = only(seed1, "Russia appears to be seeking")
    assert claim.chain[-1].source == "the ISW" and claim.chain[-1].cue == "reported"
    assert claim.chain[-1].key == "org:isw"
    assert claim.certainty is Certainty.HEDGED and "appears" in claim.cues
    assert not claim.text.startswith("“") and "reported" not in claim.text


def test_seed_fronted_content_reports_tv_chosun_is_hedged(seed0: list[Claim]) -> None:
    claim = only(seed0, "expected to help rebuild infrastructure")
    assert sources(claim) == [OUTLET, "TV Chosun"]
    assert claim.chain[1].cue == "reports" and claim.chain[1].key == "outlet:tv chosun"
    assert claim.certainty is Certainty.HEDGED and "expected" in claim.cues
    assert claim.text.endswith("in eastern Ukraine")


def test_seed_defence_ministry_estimate_is_the_ministrys_and_hedged(
        seed0: list[Claim]) -> None:
    claim = only(seed0, "6,700 containers")
    assert claim.chain[-1].source == "The South Korean Defence Ministry"
    assert claim.chain[-1].cue == "estimated" and claim.chain[-1].key == "org:kr-mnd"
    assert claim.certainty is Certainty.HEDGED and "estimated" in claim.cues
    assert "country:KP" in claim.entities and "country:RU" in claim.entities


def test_seed_report_from_a_channel_named_later_carries_its_declared_source(
        seed1: list[Claim]) -> None:
    # "South Korean TV channel reports that…. The channel cites a South Korean government
    # official as its source." then "TV Chosun reported…": the same channel throughout.
    claim = only(seed1, "may deploy large-scale")
    assert claim.chain[1].source == "South Korean TV channel"
    assert claim.chain[1].key == "outlet:tv chosun"
    assert claim.chain[2].source == "a South Korean government official"


def test_seed_citing_adds_the_official_behind_tv_chosun(seed1: list[Claim]) -> None:
    claim = only(seed1, "would assist in rebuilding")
    assert [(a.source, a.cue) for a in claim.chain[1:]] == [
        ("TV Chosun", "reported"), ("a South Korean government official", "citing")]


def test_seed_according_to_at_the_end_wraps_the_whole_sentence(seed1: list[Claim]) -> None:
    claim = only(seed1, "cannon fodder")
    assert [a.source for a in claim.chain] == [OUTLET, "the report", "The Pentagon"]
    assert claim.certainty is Certainty.HEDGED


def test_seed_unattributed_statement_rests_on_the_outlet_alone(seed0: list[Claim]) -> None:
    claim = only(seed0, "Vladimir Putin visited North Korea")
    assert sources(claim) == [OUTLET]
    assert claim.certainty is Certainty.ASSERTED and claim.cues == ()
    assert claim.entities == ("person:vladimir putin", "country:KP")


def test_seed_headings_and_bylines_without_verbs_are_not_claims(seed0: list[Claim]) -> None:
    texts = {c.text for c in seed0}
    assert not any("North Korean soldiers on the Ukrainian front" in t for t in texts)
    assert not any("27 June 2024" in t or "Karina" in t for t in texts)


def test_seed_offsets_point_into_the_text(seed_files: list[Path]) -> None:
    text = seed_files[1].read_text(encoding="utf-8")
    for claim in claims_of(text):
        assert text[claim.start:claim.end] == claim.text
        assert claim.sentence_start <= claim.start < claim.end <= claim.sentence_end


# --- patterns, one sentence each --------------------------------------------------------------


@pytest.mark.parametrize(("text", "source", "cue", "content"), [
    ("The minister said that prices rose by five percent last year.",
     "The minister", "said", "prices rose by five percent last year"),
    ("“Prices will rise again,” the minister said.",
     "the minister", "said", "Prices will rise again"),
    ("Prices rose sharply last year, said the bank's chief economist.",
     "the bank's chief economist", "said", "Prices rose sharply last year"),
    ("Prices rose sharply last year, reports Reuters.",
     "Reuters", "reports", "Prices rose sharply last year"),
    ("According to the police, three people were injured in the crash.",
     "the police", "according to", "three people were injured in the crash"),
    ("Three people were injured in the crash, according to the police.",
     "the police", "according to", "Three people were injured in the crash"),
    ("The mayor told reporters that the bridge would reopen in May.",
     "The mayor", "told", "the bridge would reopen in May"),
    ("The union announced that the strike had ended.",
     "The union", "announced", "the strike had ended"),
    ("Analysts warned that the currency could fall further.",
     "Analysts", "warned", "the currency could fall further"),
    ("The company stated on Monday that its profits had doubled.",
     "The company", "stated", "its profits had doubled"),
])
def test_speech_patterns_give_source_cue_and_content_only(
        text: str, source: str, cue: str, content: str) -> None:
    claim = only(claims_of(text, []), content)
    assert claim.text == content
    assert claim.chain[0].source == OUTLET
    assert (claim.chain[-1].source, claim.chain[-1].cue) == (source, cue)


def test_nested_reporting_gives_a_chain_outermost_first() -> None:
    claim = only(claims_of("Reuters reported that the minister said the talks had failed.",
                           []), "the talks had failed")
    assert sources(claim) == [OUTLET, "Reuters", "the minister"]


def test_citing_puts_the_cited_source_behind_the_reporter() -> None:
    text = "The newspaper reported, citing two officials, that the talks had collapsed."
    claim = only(claims_of(text, []), "the talks had collapsed")
    assert [(a.source, a.cue) for a in claim.chain] == [
        (OUTLET, None), ("The newspaper", "reported"), ("two officials", "citing")]


def test_declared_source_applies_to_claims_before_and_after_it() -> None:
    text = ("Yonhap reported that the talks had collapsed. The agency cites a senior diplomat "
            "as its source. The agency said that a new round was unlikely before May.")
    ents = [EntityMention(0, 6, "Yonhap", EntityKind.OUTLET, "outlet:yonhap", "Yonhap")]
    claims = claims_of(text, ents)
    for words in ("the talks had collapsed", "a new round was unlikely"):
        claim = only(claims, words)
        assert claim.chain[1].key == "outlet:yonhap"
        assert claim.chain[2].source == "a senior diplomat"


def test_definite_description_resolves_to_the_earlier_outlet() -> None:
    text = "TV Chosun reported that the plant had closed. The broadcaster said that 300 jobs went."
    ents = [EntityMention(0, 9, "TV Chosun", EntityKind.OUTLET, "outlet:tv chosun",
                          "TV Chosun")]
    claim = only(claims_of(text, ents), "300 jobs went")
    assert claim.chain[1].source == "The broadcaster"
    assert claim.chain[1].key == "outlet:tv chosun" and claim.chain[1].name == "TV Chosun"


def test_pronoun_source_resolves_to_the_person_before() -> None:
    text = "Jane Smith said that the mill would close. She added that 40 people would lose jobs."
    ents = [EntityMention(0, 10, "Jane Smith", EntityKind.PERSON, "person:jane smith",
                          "Jane Smith")]
    claim = only(claims_of(text, ents), "40 people")
    assert claim.chain[1].source == "She" and claim.chain[1].key == "person:jane smith"


def test_and_joined_clauses_with_different_attribution_are_two_claims() -> None:
    claims = claims_of("The factory closed in May, and the union said it would appeal.", [])
    closed = only(claims, "The factory closed")
    assert closed.text == "The factory closed in May" and sources(closed) == [OUTLET]
    appeal = only(claims, "appeal")
    assert sources(appeal) == [OUTLET, "the union"]


def test_semicolon_joined_clauses_with_different_certainty_are_two_claims() -> None:
    claims = claims_of("The bank raised its rates; inflation may fall next year.", [])
    assert only(claims, "raised its rates").certainty is Certainty.ASSERTED
    assert only(claims, "inflation may fall").certainty is Certainty.HEDGED


def test_denial_with_that_clause_is_a_denied_claim_of_the_denier() -> None:
    claim = only(claims_of("The company denied that it had closed the plant.", []),
                 "it had closed the plant")
    assert claim.certainty is Certainty.DENIED and claim.cues == ("denied",)
    assert claim.chain[-1].source == "The company"


def test_denial_of_the_claims_marks_the_reported_claim_before() -> None:
    text = ("Critics claimed that the mayor had hidden the report. "
            "The mayor rejected the claims on Tuesday.")
    claims = claims_of(text, [])
    claimed = only(claims, "hidden the report")
    assert claimed.certainty is Certainty.DENIED and "rejected" in claimed.cues
    assert only(claims, "the claims").chain[-1].source == "The mayor"


def test_a_which_denial_denies_the_accusation_and_is_no_link_of_its_chain() -> None:
    claims = claims_of("The drivers' union has accused the operator of cutting corners on "
                       "maintenance, which the operator denies.", [])
    accusation = only(claims, "cutting corners")
    assert accusation.text == "the operator of cutting corners on maintenance"
    assert sources(accusation) == [OUTLET, "The drivers' union"]
    assert accusation.certainty is Certainty.DENIED
    assert accusation.cues[0] == "denies" and "accused" in accusation.cues
    denial = only(claims, "which")
    assert sources(denial) == [OUTLET, "the operator"] and denial.chain[-1].cue == "denies"
    assert denial.certainty is Certainty.DENIED


def test_denying_the_claims_reaches_back_over_the_reported_sentences() -> None:
    text = ("Shops closed early on Friday. The drivers' union told the paper that the brakes "
            "had not been checked for a year. “We raised this in March,” union delegate Tom "
            "Ferris said.\nThe operator rejected the claims.")
    claims = claims_of(text, [])
    for words in ("brakes had not been checked", "We raised this in March"):
        claim = only(claims, words)
        assert claim.certainty is Certainty.DENIED and claim.cues == ("rejected",)
    assert only(claims, "Shops closed").certainty is Certainty.ASSERTED  # the outlet's own


def test_denying_one_claim_answers_the_nearest_reported_sentence() -> None:
    text = ("The drivers' union told the paper that the brakes had not been checked for a "
            "year. “We raised this in March,” union delegate Tom Ferris said.\n"
            "The operator rejected the claim.")
    claims = claims_of(text, [])
    assert only(claims, "We raised this").certainty is Certainty.DENIED
    assert only(claims, "brakes had not").certainty is Certainty.ASSERTED


def test_a_denier_does_not_deny_its_own_words() -> None:
    text = ("The operator said that the trains were safe. The union said that the brakes "
            "were worn.\nThe operator rejected the claims.")
    claims = claims_of(text, [])
    assert only(claims, "brakes were worn").certainty is Certainty.DENIED
    assert only(claims, "trains were safe").certainty is Certainty.ASSERTED


@pytest.mark.parametrize(("text", "key"), [
    ("Dutch media reported that the minister would resign.", "media:dutch"),
    ("Unofficial press reports suggest that the talks have failed.", "media:unnamed"),
    ("Ferries could sail again in July\nDutch media reports ferries could sail again as "
     "early as July.", "media:dutch"),
    ("Dutch media: ferries could sail again in July", "media:dutch"),
])
def test_unnamed_media_are_a_link_with_a_key_of_their_own(text: str, key: str) -> None:
    claim = [c for c in claims_of(text, []) if len(c.chain) > 1][-1]
    assert claim.chain[-1].key == key and claim.chain[-1].name is None


def test_unofficial_reports_keep_their_hedge() -> None:
    claim = only(claims_of("Unofficial media reports indicate that the army will move north.",
                           []), "army")
    assert claim.chain[-1].key == "media:unnamed"
    assert claim.certainty is Certainty.HEDGED and "unofficial" in claim.cues


def test_a_trailing_speech_tag_after_a_place_names_the_speaker() -> None:
    claim = only(claims_of("Some 200 families were evacuated from Kallo, an official at the "
                           "provincial crisis office said.", []), "families")
    assert claim.text == "Some 200 families were evacuated from Kallo"
    assert sources(claim) == [OUTLET, "an official at the provincial crisis office"]


def test_according_to_a_broadcaster_which_cited_someone_is_two_links() -> None:
    text = ("According to the regional broadcaster TV Chosun, which cited a harbour official, "
            "the bridge will stay closed until May.")
    claim = only(claims_of(text), "bridge")
    assert sources(claim) == [OUTLET, "the regional broadcaster TV Chosun",
                              "a harbour official"]
    assert [a.cue for a in claim.chain] == [None, "according to", "cited"]


def test_a_belief_reported_by_a_closing_speech_tag_rests_on_both() -> None:
    claim = only(claims_of("The mayor thinks the tax is unfair, her spokesman said on Monday.",
                           []), "unfair")
    assert sources(claim) == [OUTLET, "her spokesman", "The mayor"]
    assert claim.certainty is Certainty.HEDGED and claim.cues == ("thinks",)


def test_question_is_questioned() -> None:
    claim = only(claims_of("Will the plant reopen next year?", []), "the plant reopen")
    assert claim.certainty is Certainty.QUESTIONED and "?" in claim.cues


def test_reader_address_is_not_a_claim() -> None:
    assert claims_of("You could join our community and help us.", []) == []


# --- odd input ------------------------------------------------------------------------------


def test_empty_doc_has_no_claims() -> None:
    assert find_claims(spacy_pipeline()(""), [], None) == []
    assert find_claims(spacy_pipeline()("   \n\n  "), [], OUTLET) == []


def test_doc_without_parse_or_sentences_has_no_claims() -> None:
    import spacy

    assert find_claims(spacy.blank("en")("The minister said prices rose."), [], None) == []


def test_outlet_missing_is_the_outlet() -> None:
    claim = find_claims(parse("Prices rose sharply last year."), [], None)[0]
    assert claim.chain == (claim.chain[0],) and claim.chain[0].source == "the outlet"


def test_ten_thousand_word_sentence_finishes_fast() -> None:
    words = ["officials", "said", "that", "prices", "rose", "and", "the", "bank", "warned",
             "that", "rates", "could", "climb", "while", "analysts", "believe"]
    text = " ".join(words[i % len(words)] for i in range(10_000))
    doc = spacy_pipeline()(text)
    start = time.perf_counter()
    claims = find_claims(doc, [], OUTLET)
    # a guard against work growing with the square of the sentence (far longer), not a
    # speed target (~0.7 s on 2 busy cores): loose enough for a loaded machine
    assert time.perf_counter() - start < 6.0
    assert all(text[c.start:c.end] == c.text for c in claims)


def test_non_english_text_does_not_crash() -> None:
    for text in ("Der Minister sagte, dass die Preise im letzten Jahr gestiegen sind.",
                 "Министр заявил, что цены выросли. 部长说价格上涨了。", "!!! ??? ;;; “ ” \""):
        for claim in find_claims(spacy_pipeline()(text), [], OUTLET):
            assert text[claim.start:claim.end] == claim.text


def test_description_with_its_own_modifier_is_not_a_later_name() -> None:
    """ "the city's crisis centre" is neither the company named after it nor before it."""
    text = ("The death toll rose to four on Tuesday, the city's crisis centre said. "
            "The fire broke out at a warehouse operated by Scheldt Bulk Storage. "
            "Eleven people remain in hospital, the crisis centre said in its evening update.")
    entities = [EntityMention(m.start(), m.end(), m.group(), EntityKind.ORGANIZATION,
                              "org:scheldt bulk storage", "Scheldt Bulk Storage")
                for m in re.finditer("Scheldt Bulk Storage", text)]
    claims = claims_of(text, entities)
    for words in ("death toll", "Eleven people"):
        chain = only(claims, words).chain
        assert "crisis centre" in chain[-1].source
        assert chain[-1].key != "org:scheldt bulk storage"
