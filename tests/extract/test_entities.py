"""Entities: outlets, normalized people, ISO countries, capitals as actors, geocoded places."""

from __future__ import annotations

from pathlib import Path

import pytest

from corroborate.clean.text import clean_scraped_text
from corroborate.extract import analysis_pipeline, extract_article
from corroborate.extract.entities import country_code, country_name, find_entities
from corroborate.records import Article, DocFormat, EntityKind, EntityMention


def _entities(text: str) -> list[EntityMention]:
    return find_entities(analysis_pipeline()(text))


def _seed(seed_files: list[Path], i: int) -> list[EntityMention]:
    return _entities(clean_scraped_text(seed_files[i].read_text(encoding="utf-8")).body)


def test_seed_outlet_and_its_description_are_one_source(seed_files: list[Path]) -> None:
    mentions = _seed(seed_files, 0)
    outlets = [m for m in mentions if m.kind is EntityKind.OUTLET]
    by_text = {m.text: m.key for m in outlets}
    assert by_text["TV Chosun"] == "outlet:tv chosun"
    assert by_text["The South Korean television channel"] == "outlet:tv chosun"
    assert not any(m.kind is EntityKind.PERSON and "Chosun" in m.text for m in mentions)


def test_seed_pyongyang_as_actor_is_north_korea(seed_files: list[Path]) -> None:
    mentions = _seed(seed_files, 0)
    pyongyang = [m for m in mentions if m.text == "Pyongyang"]
    assert pyongyang and all(m.country == "KP" for m in pyongyang)
    # "Military cooperation between Pyongyang and Moscow": the states act
    assert pyongyang[0].kind is EntityKind.COUNTRY and pyongyang[0].key == "country:KP"
    # "... signed ... in Pyongyang": the city, geocoded
    assert any(m.kind is EntityKind.PLACE and m.lat for m in pyongyang)


def test_seed_donetsk_is_geocoded_in_ukraine(seed_files: list[Path]) -> None:
    for i in (0, 1):
        donetsk = [m for m in _seed(seed_files, i) if m.text.startswith("Donetsk")]
        assert donetsk
        for m in donetsk:
            assert m.kind is EntityKind.PLACE and m.country == "UA"
            assert m.lat == pytest.approx(48.0, abs=0.1) and m.lon == pytest.approx(37.8, abs=0.1)


def test_seed_people_normalized_within_article(seed_files: list[Path]) -> None:
    keys = {m.text: m.key for m in _seed(seed_files, 0) if m.kind is EntityKind.PERSON}
    assert keys["Kim"] == keys["Kim Jong Un"] == "person:kim jong un"
    assert keys["Putin"] == keys["Vladimir Putin"] == "person:vladimir putin"


def test_abbreviation_is_an_alias_of_its_long_form(seed_files: list[Path]) -> None:
    orgs = {m.text: m.key for m in _seed(seed_files, 1) if m.kind is EntityKind.ORGANIZATION}
    assert orgs["ISW"] == orgs["The Institute for the Study of War"]


def test_countries_and_demonyms_to_iso() -> None:
    mentions = _entities("South Korean officials met Russian and American envoys in Britain. "
                         "The United States and Iran did not comment.")
    codes = [m.country for m in mentions if m.kind is EntityKind.COUNTRY]
    assert codes == ["KR", "RU", "US", "GB", "US", "IR"]
    assert country_code("Russian Federation") == "RU"
    assert country_name("KP") == "North Korea"


def test_capital_in_locative_phrase_stays_a_place() -> None:
    mentions = _entities("Talks were held in Kyiv on Monday. Moscow rejected the plan.")
    kinds = {m.text: (m.kind, m.country) for m in mentions}
    assert kinds["Kyiv"] == (EntityKind.PLACE, "UA")
    assert kinds["Moscow"] == (EntityKind.COUNTRY, "RU")


def test_outlet_shapes_are_recognised() -> None:
    mentions = _entities("Radio Scheldeland reported the fire, and Reuters and the Korea "
                         "Herald later confirmed it. The broadcaster said more.")
    outlets = [(m.text, m.name) for m in mentions if m.kind is EntityKind.OUTLET]
    assert ("Radio Scheldeland", "Radio Scheldeland") in outlets
    assert ("Reuters", "Reuters") in outlets
    assert ("The broadcaster", "Korea Herald") in outlets or (
        "The broadcaster", "Reuters") in outlets


def _source_keys(text: str) -> dict[str, str | None]:
    """Each claim's last attribution link: the source as written -> its resolved key."""
    extraction = extract_article(Article(source="test", format=DocFormat.TEXT, text=text))
    return {c.chain[-1].source: c.chain[-1].key for c in extraction.claims if len(c.chain) > 1}


def test_description_is_not_a_name_with_another_institution_head() -> None:
    keys = _source_keys("The harbour authority said the quay was closed. The Harbour Pilots "
                        "Union said its members had warned of the risk.")
    assert keys["The Harbour Pilots Union"] == "org:harbour pilots union"
    assert keys["The harbour authority"] is None  # shares "harbour", but authority != union


def test_description_still_names_the_body_its_head_agrees_with() -> None:
    keys = _source_keys("The port authority said the quay was closed. The Port of Ostend "
                        "Authority said that ships were diverted.")
    assert keys["The port authority"] == keys["The Port of Ostend Authority"]
    assert keys["The port authority"] == "org:port of ostend authority"
    union = _source_keys("The Harbour Pilots Union said its members had warned of the risk. "
                         "The group said inspections were overdue.")
    assert union["The group"] == "org:harbour pilots union"  # a generic noun names any body


def test_lower_case_description_is_not_a_name_even_if_tagged_proper() -> None:
    """The small model tags "the harbour union" as a proper noun; lower case says it is a
    description, and it names the union around it, before or after."""
    for text in ("The harbour union said the quay was unsafe. The Harbour Pilots Union said "
                 "its members had warned of the risk.",
                 "The Harbour Pilots Union said its members had warned of the risk. The "
                 "harbour union said the quay was unsafe."):
        keys = _source_keys(text)
        assert keys["The harbour union"] == keys["The Harbour Pilots Union"] == (
            "org:harbour pilots union")


def test_odd_input_does_not_crash() -> None:
    assert _entities("") == []
    assert isinstance(_entities("word " * 10_000), list)
    assert isinstance(_entities("Военные инженеры Северной Кореи отправятся в Донецк."), list)


def test_spellings_of_one_person_share_a_key_across_articles() -> None:
    a = {m.text: m.key for m in _entities("Kim Jong-un met Donald J. Trump in Hanoi on Tuesday.")}
    b = {m.text: m.key for m in _entities("Donald Trump said Kim Jong Un had kept his word.")}
    assert a["Kim Jong-un"] == b["Kim Jong Un"] == "person:kim jong un"
    assert a["Donald J. Trump"] == b["Donald Trump"] == "person:donald trump"


def test_numbers_and_time_zones_are_not_entities() -> None:
    # the small model tags "GMT" here as an organization and "288" as a facility
    mentions = _entities("Voters began to cast ballots at 8:00 am local time (0300 GMT) on "
                         "Sunday in Ashgabat. Some 288 candidates ran for 125 seats, the "
                         "Central Election Commission said.")
    texts = {m.text for m in mentions}
    assert "GMT" not in texts and not any(t.isdigit() for t in texts)
    assert any(m.kind is EntityKind.ORGANIZATION and "Election Commission" in m.text
               for m in mentions)


def test_a_city_the_small_model_takes_for_a_person_is_a_place() -> None:
    mentions = _entities("The quake was centred 60km south west of Bandar Abbas, the "
                         "provincial capital. Rescuers reached Bandar Abbas at dawn.")
    cities = [m for m in mentions if m.text == "Bandar Abbas"]
    assert len(cities) == 2
    assert all(m.kind is EntityKind.PLACE and m.country == "IR" for m in cities)


def test_a_man_named_like_a_city_district_stays_a_person() -> None:
    # Benito Juarez and Miguel Hidalgo are also boroughs of Mexico City (370k+ people)
    mentions = _entities("Mexican president Benito Juárez said the law stood. Miguel Hidalgo "
                         "said he would run.")
    kinds = {m.text: m.kind for m in mentions}
    assert kinds["Benito Juárez"] is EntityKind.PERSON
    assert kinds["Miguel Hidalgo"] is EntityKind.PERSON


def test_a_short_name_finds_its_full_name_written_two_ways() -> None:
    keys = {m.text: m.key for m in _entities(
        "Donald J. Trump spoke first. Later Donald Trump said more, and Trump left.")}
    assert keys["Trump"] == keys["Donald Trump"] == keys["Donald J. Trump"]
