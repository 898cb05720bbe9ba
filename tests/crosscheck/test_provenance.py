"""Independence: whose word a fact rests on, counted once per primary source."""

from __future__ import annotations

from datetime import datetime

from small_reports import only_fact, report

from corroborate.crosscheck import crosscheck
from corroborate.records import (
    NodeKind,
    Verdict,
)

MORNING = datetime(2025, 3, 4, 8)
NOON = datetime(2025, 3, 4, 12)



def test_syndicated_copies_count_once() -> None:
    text = "The mayor said that the bridge will reopen in May."
    result = crosscheck([report(1, "EuroWire", text, MORNING),
                         report(2, "The Morning Ledger", text, NOON, copy_of=1)])
    fact = only_fact(result)
    assert fact.outlets == ("EuroWire",)
    assert fact.verdict is Verdict.SINGLE_OUTLET
    assert fact.independent_sources == 1
    assert "also carried by The Morning Ledger as a syndicated copy, counted once" in fact.reason
    assert [v.copy_of for v in fact.versions] == [None, 1]
    edges = {(e.source, e.target): e.cues for e in result.provenance.edges}
    assert edges[("outlet:morning ledger", "outlet:eurowire")] == ("syndicated copy of",)


def test_two_outlets_citing_one_official_count_once() -> None:
    fact = only_fact(crosscheck([
        report(1, "Daily A", "The damage could reach 40 million euros, port spokesperson "
               "Lieve Janssens said.", MORNING),
        report(2, "Daily B", "Radio Scheldeland reported, citing Lieve Janssens, that the damage "
               "could reach 40 million euros.", NOON),
    ]))
    assert fact.verdict is Verdict.AGREE
    assert fact.independent_sources == 1 and fact.single_source
    assert fact.sources[0].name == "Lieve Janssens"
    assert fact.sources[0].outlets == ("Daily A", "Daily B")


def test_two_different_officials_count_twice() -> None:
    fact = only_fact(crosscheck([
        report(1, "Daily A", "The damage could reach 40 million euros, port spokesperson "
               "Lieve Janssens said.", MORNING),
        report(2, "Daily B", "The damage could reach 40 million euros, fire chief Marc Peeters "
               "said.", NOON),
    ]))
    assert fact.independent_sources == 2 and not fact.single_source
    assert sorted(fact.primary_sources) == ["Lieve Janssens", "Marc Peeters"]


def test_outlets_repeating_one_report_count_once_even_when_one_adds_its_source() -> None:
    result = crosscheck([
        report(1, "Daily A", "TV Chosun reported that the engineers would rebuild roads in "
               "Donetsk.", MORNING),
        report(2, "Daily B", "TV Chosun reported, citing a government official, that the "
               "engineers would rebuild roads in Donetsk.", NOON),
    ])
    fact = only_fact(result)
    assert fact.independent_sources == 1
    assert fact.sources[0].name == "TV Chosun"
    assert fact.sources[0].cited == ("a government official",)
    kinds = {n.name: n.kind for n in result.provenance.nodes}
    assert kinds["a government official"] is NodeKind.PRIMARY
    assert kinds["Daily A"] is NodeKind.OUTLET


def test_an_outlets_own_statements_are_its_own_sources() -> None:
    fact = only_fact(crosscheck([
        report(1, "Daily A", "The old bridge will stay closed for repairs to its deck.", MORNING),
        report(2, "Daily B", "The old bridge is to stay closed while its deck is repaired.", NOON),
    ]))
    assert fact.independent_sources == 2
    assert sorted(fact.primary_sources) == ["Daily A", "Daily B"]


def test_one_sentence_printed_by_two_outlets_is_one_source() -> None:
    text = "The old bridge will stay closed for repairs to its deck, the council's engineers said."
    fact = only_fact(crosscheck([report(1, "Daily A", text, MORNING),
                                 report(2, "Daily B", text, NOON)]))
    assert fact.independent_sources == 1


def test_an_unsourced_version_joins_the_one_source_the_others_name() -> None:
    fact = only_fact(crosscheck([
        report(1, "Daily A", "The old bridge will stay closed for repairs to its deck, the "
               "council's chief engineer Hanna Voss said.", MORNING),
        report(2, "Daily B", "The old bridge is to stay closed while its deck is repaired.", NOON),
    ]))
    assert fact.independent_sources == 1
    assert fact.sources[0].name == "Hanna Voss"
    assert any("gives no source" in w for w in fact.sources[0].why)


def test_an_unsourced_version_stays_its_own_where_the_others_name_several() -> None:
    fact = only_fact(crosscheck([
        report(1, "Daily A", "The old bridge will stay closed for repairs to its deck, the "
               "council's chief engineer Hanna Voss said.", MORNING),
        report(2, "Daily B", "The old bridge is to stay closed while its deck is repaired, "
               "mayor Jonas Petersen said.", NOON),
        report(3, "Daily C", "The old bridge will remain closed so that its deck can be "
               "repaired.", NOON),
    ]))
    assert fact.independent_sources == 3


def test_an_outlet_citing_another_rests_on_what_that_outlets_own_report_cites() -> None:
    fact = only_fact(crosscheck([
        report(1, "The Harbour Times", "The old bridge will stay closed for repairs to its "
               "deck, harbour master Piet Oster said.", MORNING),
        report(2, "Daily B", "The old bridge is to stay closed while its deck is repaired, "
               "The Harbour Times reported.", NOON),
    ]))
    assert fact.independent_sources == 1


def test_two_articles_carrying_one_agency_sentence_are_one_report_for_their_facts() -> None:
    wire = ("Rescue teams from three provinces worked through the night to clear the "
            "collapsed road above the harbour village.")
    fact = only_fact(crosscheck([
        report(1, "Daily A", f"{wire}\nThe tremor lasted about 30 seconds, said public "
               "relations executive Bina Mathews.", MORNING),
        report(2, "Daily B", f"{wire}\nThe tremor lasted about 30 seconds, an office worker "
               "in the port said.", NOON),
    ]), "duration")
    assert fact.independent_sources == 1
    assert any("same agency text" in w for w in fact.sources[0].why)


def test_a_possessive_role_is_not_whoever_else_holds_that_role() -> None:
    result = crosscheck([report(1, "Daily A", (
        "U.S. Attorney Adam Braverman said the congressman had spent the money on holidays. "
        "His lawyer said the congressman had already repaid the campaign about $60,000."),
        MORNING)])
    names = {s.name for f in result.facts for s in f.sources}
    assert "Adam Braverman" in names
    repaid = next(f for f in result.facts if any("repaid" in v.claim for v in f.versions))
    assert all(s.name != "Adam Braverman" for s in repaid.sources)


def test_an_official_described_by_role_in_one_report_and_named_in_another_is_one_source() -> None:
    # one governor, "the governor of X island" in one report, "X island governor Name" in the
    # other; the second outlet's unattributed lead rests on the governor it names further down
    result = crosscheck([
        report(1, "Daily A", "A powerful earthquake hit the island of Qeshm on Sunday, killing "
               "10 people. Qeshm island governor Heydar Alishbandi told AFP that a total of 10 "
               "people had been killed.", NOON),
        report(2, "Daily B", "The earthquake destroyed four villages on Sunday. The governor "
               "of Qeshm island told the AFP news agency that three people were killed.",
               MORNING),
    ])
    dead = only_fact(result, "dead")
    assert len(dead.outlets) == 2
    assert dead.independent_sources == 1, [(s.key, s.outlets) for s in dead.sources]
    assert dead.sources[0].name == "Heydar Alishbandi"


def test_an_unsourced_lead_rests_on_the_source_its_own_report_names_for_it() -> None:
    result = crosscheck([
        report(1, "Daily A", "A blaze at a bank in the city centre left three people dead on "
               "Wednesday. Police said the three victims, all bank employees, died of smoke "
               "inhalation.", NOON),
        report(2, "Daily B", "Three people died in the bank fire on Wednesday, firefighters "
               "said.", MORNING),
        report(3, "Daily C", "The bank fire killed three people on Wednesday, a hospital "
               "spokesman said.", MORNING),
    ])
    dead = only_fact(result, "dead")
    own = {v.primary_source for v in dead.versions if v.outlet == "Daily A"}
    assert own == {"Police"}, own
