"""Sources resolved within a story: one identity per source, and no one named "They"."""

from __future__ import annotations

from datetime import datetime

from small_reports import report

from corroborate.crosscheck import crosscheck
from corroborate.crosscheck.source_names import (
    acronym,
    initials,
    is_dateline,
    same_surname,
    unusable,
)

MORNING = datetime(2025, 3, 4, 8)
NOON = datetime(2025, 3, 4, 12)


def _sources(result) -> set[str]:  # type: ignore[no-untyped-def]
    return {s.name for f in result.facts for s in f.sources}


def _fact_with(result, words: str):  # type: ignore[no-untyped-def]
    return next(f for f in result.facts if any(words in v.claim for v in f.versions))


def test_two_outlets_quoting_one_officials_statement_count_once() -> None:
    result = crosscheck([
        report(1, "Valley Courier", "Water levels will keep rising until Thursday, said Anna "
               "Brenner, head of the regional flood service.", MORNING),
        report(2, "Eastmere Gazette", "Anna Brenner, who heads the regional flood service, "
               "said water levels would keep rising until Thursday.", NOON),
    ])
    fact = _fact_with(result, "Thursday")
    assert len(fact.outlets) == 2
    assert fact.independent_sources == 1
    assert fact.sources[0].name == "Anna Brenner"


def test_two_different_officials_are_two_sources() -> None:
    result = crosscheck([
        report(1, "Valley Courier", "Water levels will keep rising until Thursday, said Anna "
               "Brenner, head of the regional flood service.", MORNING),
        report(2, "Eastmere Gazette", "Water levels would keep rising until Thursday, mayor "
               "Jonas Petersen said.", NOON),
    ])
    fact = _fact_with(result, "Thursday")
    assert fact.independent_sources == 2
    assert {s.name for s in fact.sources} == {"Anna Brenner", "Jonas Petersen"}


def test_a_surname_alone_joins_its_full_name_across_outlets() -> None:
    result = crosscheck([
        report(1, "Valley Courier", "Inspector Dave Gaskin said the two climbers had fallen "
               "about 600 metres from the ridge.", MORNING),
        report(2, "Eastmere Gazette", "The climbers fell about 600 metres from the ridge, "
               "Inspector Gaskin said.", NOON),
    ])
    fact = _fact_with(result, "600")
    assert fact.independent_sources == 1
    assert fact.sources[0].name == "Dave Gaskin"
    assert "Gaskin" not in {s.name for s in fact.sources}


def test_an_acronym_is_the_body_it_abbreviates() -> None:
    result = crosscheck([
        report(1, "Valley Courier", "The National Transportation Safety Board said the pilot "
               "had reported an engine fire before the crash.", MORNING),
        report(2, "Eastmere Gazette", "The pilot reported an engine fire before the crash, the "
               "NTSB said.", NOON),
    ])
    fact = _fact_with(result, "engine fire")
    assert fact.independent_sources == 1, [s.name for s in fact.sources]


def test_they_said_never_names_a_source_they() -> None:
    result = crosscheck([
        report(1, "Valley Courier", "Firefighters reached the warehouse at dawn. They said the "
               "roof had collapsed before they arrived.", MORNING),
        report(2, "Eastmere Gazette", "The roof of the warehouse collapsed before firefighters "
               "arrived, they said.", NOON),
    ])
    names = {n.casefold() for n in _sources(result)}
    assert "they" not in names
    assert not any(unusable(n) for n in _sources(result))


def test_a_dateline_is_no_source() -> None:
    result = crosscheck([
        report(1, "Valley Courier", "LIMA, Peru — A magnitude 6.1 earthquake struck the coast "
               "on Sunday, the geophysical institute said.", MORNING),
    ])
    assert "Peru" not in _sources(result)
    assert "Lima" not in _sources(result)
    assert is_dateline("Peru", "LIMA, Peru — A quake struck the coast on Sunday.")
    assert not is_dateline("Peru", "The government of Peru said the coast was hit.")


def test_names_that_name_no_one() -> None:
    assert unusable("They") == "pronoun"
    assert unusable("another") == "determiner"
    assert unusable("Story") == "generic word"
    assert unusable("the story") == "generic word"
    assert unusable("a police spokesman") is None
    assert unusable("officials") is None


def test_spellings_of_one_name() -> None:
    assert same_surname("alishbandi", "alishvandi")
    assert not same_surname("jackson", "johnson")
    assert acronym("the F.B.I.") == "fbi"
    assert initials("National Transportation Safety Board") == "ntsb"
    assert initials("Federal Bureau of Investigation") == "fbi"


def test_another_is_no_source_and_not_the_one_named_before() -> None:
    result = crosscheck([report(1, "Valley Courier", (
        "Mayor Jonas Petersen said the dam would be inspected on Friday. Another asked "
        "whether the spillway gates had been tested since the spring floods."), MORNING)])
    gates = _fact_with(result, "spillway")
    assert all(s.name != "Jonas Petersen" for s in gates.sources)
    assert "Another" not in _sources(result)


def test_an_organ_tied_to_a_place_is_named_as_the_organ() -> None:
    from corroborate.crosscheck.chains import SourceResolver
    from corroborate.records import Attribution

    outlet = Attribution("Valley Courier", None, "outlet:valley courier", "Valley Courier")
    organ = Attribution("the authorities", "said", "org:ferguson", "Ferguson")
    nodes = SourceResolver([[outlet, organ]]).resolve([outlet, organ], "outlet:valley courier",
                                                      frozenset())
    assert nodes[0].key == "org:ferguson"  # one identity, story-wide
    assert nodes[0].name == "the authorities (Ferguson)"  # but the town is not the speaker
    assert unusable(nodes[0].name) is None
