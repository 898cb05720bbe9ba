"""Shared origin below the article: wire credits, families of articles, one sentence carried."""

from __future__ import annotations

from datetime import datetime

from small_reports import report

from corroborate.crosscheck import crosscheck
from corroborate.crosscheck.origins import SentenceMatcher, article_origins, sentences, wire_credit

MORNING = datetime(2025, 3, 4, 8)
NOON = datetime(2025, 3, 4, 12)
EVENING = datetime(2025, 3, 4, 18)

# An agency story of our own, and two light edits of it as client outlets print them.
WIRE = (
    "Flood waters forced the evacuation of 2,300 residents from the river town of Eastmere on "
    "Tuesday, a regional civil protection official said.\n"
    "The official, who asked not to be named, said the levee north of the town gave way shortly "
    "after midnight and that three pumping stations had failed.\n"
    "Rescue teams in boats were still searching the lower streets of the old quarter by noon, "
    "and the regional hospital said it had treated 14 people for hypothermia.")
EDIT_1 = (
    "Flood waters forced the evacuation of 2,300 residents from the riverside town of Eastmere "
    "on Tuesday, a regional civil protection official said.\n"
    "The official, who asked not to be named, said the levee north of the town gave way soon "
    "after midnight and that three pumping stations had failed.\n"
    "Rescue teams in boats were still searching the lower streets of the old quarter at midday.")
EDIT_2 = (
    "EASTMERE — Flood waters have forced the evacuation of 2,300 residents from the river town "
    "of Eastmere, a regional civil protection official said on Tuesday.\n"
    "The official, who asked not to be named, said the levee north of the town gave way "
    "shortly after midnight and that three pumping stations had failed.\n"
    "Rescue teams in boats were still searching the lower streets of the old quarter by noon, "
    "and the regional hospital said it had treated 14 people for hypothermia.")


def _evacuation_fact(result):  # type: ignore[no-untyped-def]
    return next(f for f in result.facts if any("2,300" in v.claim for v in f.versions))


def test_an_agency_story_carried_by_three_outlets_with_light_edits_is_one_source() -> None:
    result = crosscheck([report(1, "Valley Courier", WIRE, MORNING),
                         report(2, "Eastmere Gazette", EDIT_1, NOON),
                         report(3, "The Northern Post", EDIT_2, EVENING)])
    fact = _evacuation_fact(result)
    assert len(fact.outlets) == 3
    assert fact.independent_sources == 1, [s.name for s in fact.sources]
    (source,) = fact.sources
    assert set(source.outlets) == {"Valley Courier", "Eastmere Gazette", "The Northern Post"}
    assert any("carry the same sentences" in w or "carry one sentence" in w
               for w in source.why), source.why
    # none of the three copies another: they carry one text
    assert all(a.copy_of is None for a in result.articles)
    assert {a.origin for a in result.articles} == {"shared:1"}


def test_a_credited_wire_names_the_origin_of_its_clients_text() -> None:
    credited = "EASTMERE (Reuters) - " + WIRE
    result = crosscheck([report(1, "Valley Courier", credited, MORNING),
                         report(2, "Eastmere Gazette", EDIT_1, NOON)])
    fact = _evacuation_fact(result)
    assert fact.independent_sources == 1
    assert fact.sources[0].key in ("outlet:reuters", "anon:regional civil protection official"
                                   "@outlet:reuters")
    assert {a.origin for a in result.articles} == {"outlet:reuters"}
    assert any("Reuters" in w for w in fact.sources[0].why)


def test_two_outlets_writing_their_own_texts_are_two_sources() -> None:
    result = crosscheck([
        report(1, "Valley Courier", "The town council approved a new ferry line to the island "
               "on Monday, its chairwoman Mara Lind said.", MORNING),
        report(2, "Eastmere Gazette", "A new ferry line to the island was approved by the town "
               "council, according to the harbour master Piet Oster.", NOON),
    ])
    fact = next(f for f in result.facts if len(f.outlets) == 2)
    assert fact.independent_sources == 2


def test_wire_credits_are_read_from_datelines_sign_offs_copyright_and_bylines() -> None:
    assert wire_credit("LIMA, Peru (AP) — The quake struck at dawn.")[0] == "outlet:ap"
    assert wire_credit("Text of the story.\n— AFP")[0] == "outlet:afp"
    assert wire_credit("Text.\nCopyright 2013 The Associated Press. All rights reserved.")[0] \
        == "outlet:ap"
    assert wire_credit("Text.\nReuters contributed to this report.")[0] == "outlet:reuters"
    assert wire_credit("By Jane Roe, Associated Press\nText.")[0] == "outlet:ap"
    assert wire_credit("Washington (AFP) – Text.")[0] == "outlet:afp"
    # a wire inside a sentence is that sentence's attribution, not the article's credit
    assert wire_credit("The governor told AFP that ten people had died.") is None
    assert wire_credit("The AP style book was updated.") is None


def test_one_shared_sentence_is_not_a_family_but_ties_those_two_versions() -> None:
    shared = ("Qeshm, a 1,500-square-kilometre island off the coast, has a population of about "
              "120,000 people living in 60 villages.")
    origins = article_origins([
        (1, "Site A", f"{shared}\nThe agency reported damage in four villages on Sunday night.",
         None),
        (2, "Site B", f"Officials toured the island on Monday morning with rescue teams.\n"
                      f"{shared}", None),
    ])
    assert origins == {}
    matcher = SentenceMatcher()
    assert matcher.same(shared, shared.replace("kilometre", "kilometer"))
    assert not matcher.same(shared, "The island has 120,000 people in 60 villages, officials said.")


def test_quotations_do_not_make_two_reports_one_text() -> None:
    quote = ("“We will rebuild every house in this valley before the winter comes, and nobody "
             "will be left without a roof,” the governor said.")
    assert sentences(quote) == []
