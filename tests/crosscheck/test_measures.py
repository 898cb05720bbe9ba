"""Key figures: what each figure measures, and verdicts on one measure at a time."""

from __future__ import annotations

from datetime import datetime

from small_reports import report

from corroborate.crosscheck import crosscheck
from corroborate.crosscheck.measures import measures
from corroborate.records import Bound, Verdict

MORNING = datetime(2025, 3, 4, 8)
NOON = datetime(2025, 3, 4, 12)


def keys(text: str) -> list[tuple[str, float, float]]:
    return [(m.key, round(m.amount.low, 1), round(m.amount.high, 1))
            for m in measures(text, 0, ())]


def figure_facts(result, measure: str):  # type: ignore[no-untyped-def]
    return [f for f in result.facts if (f.measure or "").startswith(measure)]


def test_ages_spelled_and_numeric() -> None:
    assert keys("A six-year-old girl was found.") == [("age", 6, 6)]
    assert keys("The girl, 5, was found.") == [("age", 5, 5)]
    assert keys("Robert Buckley, 32, fell.") == [("age", 32, 32)]
    assert keys("The man, aged 17, fled.") == [("age", 17, 17)]
    assert keys("A man in his 60s was hurt.")[0] == ("age", 60, 69)
    assert keys("The man in his early 30s fell.") == [("age", 30, 33)]


def test_magnitude_forms() -> None:
    for text in ("A 5.8-magnitude quake struck.", "A magnitude 5.8 quake struck.",
                 "An M5.8 quake struck.", "It measured 5.8 on the Richter scale."):
        assert keys(text) == [("magnitude", 5.8, 5.8)], text


def test_a_range_is_one_figure_and_units_are_converted() -> None:
    assert keys("Waves of 8 to 10 metres hit the pier.") == [("distance", 8, 10)]
    assert keys("He fell 2,000 feet.") == [("distance", 609.6, 609.6)]
    assert keys("It lies 20 miles away.") == [("distance", 32186.9, 32186.9)]
    # a conversion in brackets is the same figure
    assert keys("He fell about 60 metres (200 feet) from a ridge.") == [("distance", 60, 60)]
    assert keys("Winds of 60 mph swept in.") == [("speed", 96.6, 96.6)]
    assert keys("The quake lasted for about 20 seconds.") == [("duration", 20, 20)]


def test_hedges_are_bounds() -> None:
    (m,) = measures("He fell about 150 metres.", 0, ())
    assert m.amount.bound is Bound.APPROXIMATE
    (m,) = measures("The wave was up to 8 metres high.", 0, ())
    assert m.amount.bound is Bound.UPPER
    result = crosscheck([report(1, "Daily A", "At least seven people were killed in the "
                                "blast, police said.", MORNING)])
    (dead,) = figure_facts(result, "dead")
    assert dead.versions[0].amounts[0].bound is Bound.LOWER


def test_subset_is_its_own_measure_never_a_conflict_with_the_total() -> None:
    result = crosscheck([
        report(1, "Daily A", "The bus crash killed 11 people, including 9 tourists, police "
               "said.", MORNING),
        report(2, "Daily B", "Eleven people died in the bus crash, police said.", NOON),
    ])
    dead = figure_facts(result, "dead")
    total = next(f for f in dead if f.measure == "dead")
    assert total.verdict is Verdict.AGREE and len(total.outlets) == 2
    part = next(f for f in dead if f.measure == "dead:tourist")
    assert part.verdict is Verdict.SINGLE_OUTLET


def test_no_one_hurt_conflicts_with_a_positive_figure() -> None:
    result = crosscheck([
        report(1, "Daily A", "No one was hurt in the warehouse blast, the fire brigade said.",
               MORNING),
        report(2, "Daily B", "Three people were hurt in the warehouse blast, a witness said.",
               NOON),
    ])
    (injured,) = figure_facts(result, "injured")
    assert injured.verdict in (Verdict.CONFLICT, Verdict.DEVELOPING)
    assert len(injured.outlets) == 2


def test_a_magnitude_is_never_compared_with_the_dead() -> None:
    result = crosscheck([
        report(1, "Daily A", "A 5.8-magnitude quake killed at least seven people in the "
               "mountain town of Sarvan on Sunday.", MORNING),
        report(2, "Daily B", "At least seven people were killed when a magnitude 5.8 quake hit "
               "the mountain town of Sarvan on Sunday.", NOON),
    ])
    (magnitude,) = figure_facts(result, "magnitude")
    (dead,) = figure_facts(result, "dead")
    assert magnitude.verdict is Verdict.AGREE and dead.verdict is Verdict.AGREE
    assert not any(f.verdict is Verdict.CONFLICT for f in result.facts)


def test_a_bearing_mismatch_for_the_same_distance_is_a_conflict() -> None:
    result = crosscheck([
        report(1, "Daily A", "The quake's epicentre was 20 km south of Sarvan, the seismology "
               "institute said.", MORNING),
        report(2, "Daily B", "The quake's epicentre was 20 km west of Sarvan, the seismology "
               "institute said.", NOON),
    ])
    (distance,) = figure_facts(result, "distance")
    assert distance.verdict is Verdict.CONFLICT
    assert "bearings or places" in distance.reason


def test_two_climbers_falls_are_two_facts() -> None:
    result = crosscheck([
        report(1, "Daily A", "On Friday, 36-year-old Tom Rast fell about 200 metres from a "
               "ridge.\nOn Saturday, 32-year-old Ben Vale fell about 600 metres near the hut.",
               MORNING),
        report(2, "Daily B", "Ben Vale, 32, fell about 2,000 feet near the hut on Saturday.\n"
               "Tom Rast, 36, died on Friday after falling about 650 feet from a ridge.", NOON),
    ])
    falls = figure_facts(result, "distance")
    assert len(falls) == 2
    assert all(f.verdict is Verdict.AGREE and len(f.outlets) == 2 for f in falls), \
        [(f.statement, f.reason) for f in falls]


def test_a_rising_toll_over_guessed_publication_times_is_not_called_developing() -> None:
    from dataclasses import replace as _replace

    early = report(1, "Daily A", "Two people died in the flood in Ostend, the fire service said.",
                   MORNING)
    late = report(2, "Daily B", "Four people died in the flood in Ostend, the fire service said.",
                  NOON)
    trusted = crosscheck([early, late])
    (dead,) = figure_facts(trusted, "dead")
    assert dead.verdict is Verdict.DEVELOPING
    guessed = (_replace(late[0], article=_replace(late[0].article, published_via="htmldate")),
               late[1])
    (dead,) = figure_facts(crosscheck([early, guessed]), "dead")
    assert dead.verdict is Verdict.CONFLICT
    assert "possibly an update" in dead.reason and "Daily B" in dead.reason


def test_a_protests_size_is_one_measure_whatever_the_crowd_is_called() -> None:
    assert keys("Tens of thousands of union members rallied in the capital.")[0][0] == "crowd"
    assert keys("Hundreds of protesters gathered outside parliament.")[0][0] == "crowd"
    result = crosscheck([
        report(1, "Daily A", "Police said as many as 20,000 people took to the streets of "
               "Athens on Wednesday.", MORNING),
        report(2, "Daily B", "An estimated 100,000 protesters marched through Athens on "
               "Wednesday.", MORNING),
    ])
    crowd = figure_facts(result, "crowd")
    assert len(crowd) == 1 and crowd[0].verdict is Verdict.CONFLICT


def test_only_people_are_counted_dead_or_arrested() -> None:
    # villages flattened in a deadly quake are villages; boats captured are not arrests
    assert keys("The quake flattened several villages and killed dozens of people.") == [
        ("count:village", 3, 9), ("dead", 24, 99)]
    assert keys("The warship captured several boats.")[0][0] == "count:boat"
    assert keys("Police arrested several protesters.")[0][0] == "arrested"


def test_a_rounded_measurement_is_approximate_and_bearings_are_normalised() -> None:
    result = crosscheck([
        report(1, "Daily A", "The quake struck 60km south west of Bandar Abbas, the "
               "seismological centre said.", MORNING),
        report(2, "Daily B", "The quake struck 35 miles southwest of the port of Bandar "
               "Abbas, the seismological centre said.", MORNING),
    ])
    distance = figure_facts(result, "distance")
    assert len(distance) == 1 and distance[0].verdict is Verdict.AGREE
    assert keys("a 6.7-strength quake")[0] == ("magnitude", 6.7, 6.7)


def test_a_weapons_designation_does_not_hide_the_count() -> None:
    result = crosscheck([
        report(1, "Daily A", "During the operation, six AK-47 rifles, 12 magazines and 300 "
               "rounds of ammunition were seized.", MORNING),
        report(2, "Daily B", "The navy seized six AK 47 rifles and 12 magazines from the "
               "boats.", MORNING),
    ])
    rifles = figure_facts(result, "count:rifle")
    assert len(rifles) == 1 and rifles[0].verdict is Verdict.AGREE


def test_a_compound_adjective_does_not_hide_what_is_counted() -> None:
    assert keys("Mueller wants to ask dozens of open-ended questions.")[0][0] == "count:question"
    assert keys("He had dozens of open - ended questions.")[0][0] == "count:question"
    assert keys("Police put the march at tens of thousands of people.")[0][0] == "crowd"


def test_a_claim_whose_outlets_give_its_figure_differently_conflicts() -> None:
    # one claim, aligned across three outlets; the figures of its one measure differ
    result = crosscheck([
        report(1, "Daily A", "Violence also broke out in the northern city of Thessaloniki, "
               "where another 20,000 people marched through the city centre.", MORNING),
        report(2, "Daily B", "Violence was also reported in Thessaloniki, where a further "
               "20,000 people marched through the city centre.", MORNING),
        report(3, "Daily C", "Clashes also broke out in Thessaloniki, where approximately "
               "50,000 people marched through the city centre.", MORNING),
    ])
    claim = [f for f in result.facts if f.measure is None and len(f.outlets) == 3]
    assert len(claim) == 1, [(f.statement, f.outlets) for f in result.facts]
    assert claim[0].verdict is Verdict.CONFLICT
    assert "crowd size differs" in claim[0].reason and "50,000" in claim[0].reason


def test_a_claim_whose_outlets_agree_on_its_figure_stays_agreed() -> None:
    result = crosscheck([
        report(1, "Daily A", "Violence also broke out in Thessaloniki, where another 20,000 "
               "people marched through the city centre.", MORNING),
        report(2, "Daily B", "Violence was also reported in Thessaloniki, where a further "
               "20,000 people marched through the city centre.", MORNING),
    ])
    claim = [f for f in result.facts if f.measure is None and len(f.outlets) == 2]
    assert len(claim) == 1 and claim[0].verdict is Verdict.AGREE


def test_two_outlets_differing_leave_the_verdict_to_the_figure() -> None:
    # two sentences are weak evidence that their figures are the claim's own: the key-figure
    # fact judges them, the claim keeps to what is said
    result = crosscheck([
        report(1, "Daily A", "Violence also broke out in Thessaloniki, where another 20,000 "
               "people marched through the city centre.", MORNING),
        report(2, "Daily C", "Clashes also broke out in Thessaloniki, where approximately "
               "50,000 people marched through the city centre.", MORNING),
    ])
    claim = [f for f in result.facts if f.measure is None and len(f.outlets) == 2]
    assert len(claim) == 1 and claim[0].verdict is Verdict.AGREE
    crowd = figure_facts(result, "crowd")
    assert len(crowd) == 1 and crowd[0].verdict is Verdict.CONFLICT


def counted(text: str) -> list[tuple[str, float]]:
    """Measures of every claim of `text` with the extract stage's amounts."""
    from corroborate.crosscheck.statements import (
        article_refs,
        build_statements,
        shared_origins,
    )
    articles = [report(1, "Daily A", text, MORNING)]
    origins = shared_origins(articles)
    out = []
    for s in build_statements(articles, article_refs(articles, origins), origins):
        out += [(m.key, m.amount.low) for m in measures(s.claim.text, s.claim.start, s.amounts)]
    return out


def test_a_count_is_of_its_own_clause_not_the_next_one() -> None:
    # the 10 were killed, not injured; "dozens more" are the injured
    assert counted("A quake hit southern Iran, killing at least 10 people, injuring dozens "
                   "more.") == [("dead", 10), ("injured", 24)]
    # an aside between a count of people and its verb
    assert counted("Three people, one of them a pregnant woman, were killed in the fire.")[0] \
        == ("dead", 3)


def test_kinds_of_people_listed_together_are_parts_of_a_toll() -> None:
    found = counted("Police said two women and three men were killed in the fire.")
    assert [k for k, _ in found] == ["dead:woman", "dead:man"]


def test_a_sum_and_its_conversions_in_brackets_are_one_figure() -> None:
    found = counted("They made off with 2m euros (£1.7m; $2.6m) in gems and watches.")
    assert [k for k, _ in found] == ["money"]
    assert counted("The jewels were worth 2 million euros ($2.6 million).") == [
        ("money", 2_000_000)]
    assert counted("They grabbed watches worth an estimated two million euros (£1.7 million, "
                   "$2.6 million).") == [("money", 2_000_000)]


def test_one_count_in_other_words_is_one_fact_and_a_bound_is_not_a_match() -> None:
    result = crosscheck([
        report(1, "Daily A", "Four men rammed their car into a jewellery store in Paris on "
               "Monday.", MORNING),
        report(2, "Daily B", "Four men drove a 4x4 through the front window of the shop before "
               "fleeing.", NOON),
    ])
    (men,) = figure_facts(result, "count:man")
    assert len(men.outlets) == 2 and men.verdict is Verdict.AGREE


def test_when_an_event_happened_is_a_key_figure_of_the_outlets_giving_that_date() -> None:
    result = crosscheck([
        report(1, "Daily A", "A climber died on Friday after falling 60 metres from a ridge near "
               "the glacier.", datetime(2013, 9, 15, 8)),
        report(2, "Daily B", "The climber fell to his death from a ridge near the glacier on "
               "September 13, police said.", datetime(2013, 9, 15, 9)),
        report(3, "Daily C", "The climber fell from a ridge near the glacier on Saturday, "
               "rescuers said.", datetime(2013, 9, 15, 10)),
    ])
    whens = figure_facts(result, "when")
    friday = next(f for f in whens if "2013-09-13" in f.reason)
    assert friday.verdict is Verdict.AGREE and friday.outlets == ("Daily A", "Daily B")
    # another date is never merged into it (dates of a story's many events differ): the claim
    # that the outlets date differently says so
    assert not any(len(f.outlets) == 3 for f in whens)
    claim = next(f for f in result.facts if f.measure is None and len(f.outlets) == 3)
    assert claim.verdict is Verdict.CONFLICT and "2013-09-14" in claim.reason


def test_how_many_live_in_a_place_is_a_population_compared_per_place() -> None:
    assert keys("The quake struck Qeshm island, home to 120,000 people.") == [
        ("population", 120000, 120000)]
    assert keys("Qeshm has a population of more than 100,000.")[0][0] == "population"
    assert counted("The island has about 200,000 residents.") == [("population", 200_000)]
    # residents evacuated are no population, however far the verb (the story's other
    # counts of residents say which class they are: _one_class_per_noun)
    assert counted("About 1,200 residents of the nearby villages of Zandvliet and Berendrecht "
                   "were evacuated overnight.")[0][0] != "population"
    result = crosscheck([
        report(1, "Daily A", "The quake struck Qeshm island, home to 120,000 people, on "
               "Sunday.", MORNING),
        report(2, "Daily B", "The quake was centred near Qeshm island, home to 200,000 people, "
               "the survey said.", NOON),
    ])
    (population,) = figure_facts(result, "population")
    assert population.verdict is Verdict.CONFLICT and len(population.outlets) == 2


def test_a_place_the_tagger_misses_is_still_the_place_of_its_population() -> None:
    # "Qeshm" opening a sentence is not tagged as a place; its name, given as one elsewhere in
    # the story, still says whose population it is
    result = crosscheck([
        report(1, "Daily A", "The quake struck Qeshm island, home to 120,000 people, on "
               "Sunday.", MORNING),
        report(2, "Daily B", "Qeshm, a 1,500-square-kilometer island off the coast, has a "
               "population of more than 100,000.", NOON),
        report(3, "Daily C", "Qeshm is the biggest island in the gulf, with a population of "
               "200,000.", NOON),
    ])
    (population,) = figure_facts(result, "population")
    assert len(population.outlets) == 3 and population.verdict is Verdict.CONFLICT


def test_one_quake_has_one_magnitude_and_a_quake_can_sentence_has_none() -> None:
    result = crosscheck([
        report(1, "Daily A", "A 5.9-magnitude earthquake struck Qeshm island in southern Iran "
               "on Sunday, flattening seven villages. The U.S. Geological Survey said the "
               "earthquake that struck the island had a magnitude of 6.1. A magnitude-6.0 "
               "quake can cause severe damage.", datetime(2005, 11, 28, 8)),
        report(2, "Daily B", "A 6.1-magnitude earthquake struck Qeshm island in southern Iran "
               "on Sunday, officials said.", datetime(2005, 11, 28, 9)),
        report(3, "Daily C", "A 5.9-magnitude earthquake hit the island of Qeshm on Sunday. "
               "The seismological bases of Tehran University registered a quake measuring 3.8 "
               "on the Richter scale on Monday.", datetime(2005, 11, 28, 10)),
    ])
    magnitudes = figure_facts(result, "magnitude")
    own = next(f for f in magnitudes if len(f.outlets) == 3)
    assert own.verdict is Verdict.CONFLICT
    # one article's 5.9 and 6.1 are two agencies' readings of the one quake: one fact
    assert {v.claim[:5] for v in own.versions if v.outlet == "Daily A"} == {"A 5.9", "the e"}
    assert not any("can cause" in v.claim for f in magnitudes for v in f.versions)
    # a quake on another day is another quake (an aftershock), never the story's
    assert not any("3.8" in v.claim for v in own.versions)
    assert any("3.8" in v.claim for f in magnitudes for v in f.versions)


def test_a_sum_an_undated_page_leaves_unconverted_can_still_be_the_same_sum() -> None:
    # no publication date, no exchange rate: 2 million euros neither agrees with nor differs
    # from $2.6 million, and nothing else keeps the two apart
    result = crosscheck([
        report(1, "Daily A", "Thieves rammed a car into the Paris jewellery store on Monday and "
               "made off with $2.6 million, police said.", MORNING),
        report(2, "Daily B", "Thieves rammed a car into the Paris jewellery store on Monday and "
               "fled with a haul of 2 million euros, police said.", None),  # type: ignore[arg-type]
    ])
    (money,) = figure_facts(result, "money")
    assert len(money.outlets) == 2


def test_crowds_are_counted_per_city_and_a_tenth_of_one_is_another_crowd() -> None:
    athens = datetime(2010, 5, 5, 18)
    result = crosscheck([
        report(1, "Daily A", "Police said as many as 20,000 people took to the streets of Athens "
               "on Wednesday. In Thessaloniki, another 50,000 people marched through the city "
               "center, police said.", athens),
        report(2, "Daily B", "Tens of thousands of people marched in Athens on Wednesday against "
               "the cuts, police said.", athens),
        report(3, "Daily C", "Hundreds of black-hooded anarchists roamed the streets on Wednesday, "
               "smashing store windows, police said.", athens),
    ])
    crowds = figure_facts(result, "crowd")
    athens_crowd = next(f for f in crowds if any("Athens" in v.claim for v in f.versions))
    claims = " ".join(v.claim for v in athens_crowd.versions)
    assert "Thessaloniki" not in claims and "anarchists" not in claims
    assert athens_crowd.outlets == ("Daily A", "Daily B")


def test_two_magnitudes_on_one_sources_word_are_two_quakes() -> None:
    monday = datetime(2023, 2, 6, 18)
    result = crosscheck([
        report(1, "Daily A", "A 7.8-magnitude earthquake struck southern Turkey on Monday, "
               "officials said. Hours later a second earthquake of magnitude 7.5 struck the same "
               "region on Monday, officials said.", monday),
        report(2, "Daily B", "A 7.8-magnitude earthquake hit southern Turkey on Monday, "
               "officials said.", monday),
    ])
    magnitudes = figure_facts(result, "magnitude")
    first = next(f for f in magnitudes if len(f.outlets) == 2)
    assert first.verdict is Verdict.AGREE
    assert not any("7.5" in v.claim for v in first.versions)
