"""Amounts: the seed articles' figures, each surface pattern, and what must not be an amount."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

import pytest
from spacy.language import Language

from corroborate.extract.amounts import find_amounts
from corroborate.models import spacy_pipeline
from corroborate.records import AmountKind, AmountMention, Bound

PUB = datetime(2024, 6, 27, 7, 52)  # the seeds' publication day


@pytest.fixture(scope="module")
def nlp() -> Language:
    return spacy_pipeline()


def amounts(nlp: Language, text: str, published: datetime | None = PUB) -> list[AmountMention]:
    return find_amounts(nlp(text), published)


def only(nlp: Language, text: str, published: datetime | None = PUB) -> AmountMention:
    found = amounts(nlp, text, published)
    assert len(found) == 1, [a.text for a in found]
    return found[0]


def seed(seeds_dir: Path, name: str) -> str:
    return (seeds_dir / name).read_text(encoding="utf-8")


# --- the seed articles -------------------------------------------------------------------------

SEED_GBP = "000_a0cdc4a961cd9f3b.txt"
SEED_USD = "001_06c599337fb9e8e0.txt"


def test_amounts_converts_gbp_at_pub_date(nlp: Language, seeds_dir: Path) -> None:
    found = amounts(nlp, seed(seeds_dir, SEED_GBP))
    gbp = [a for a in found if a.kind is AmountKind.MONEY]
    assert len(gbp) == 1
    a = gbp[0]
    assert a.text == "up to £88 million annually"
    assert (a.unit, a.low, a.high, a.bound, a.per) == ("GBP", 88e6, 88e6, Bound.UPPER, "year")
    assert a.rate_date == "2024-06-27"
    assert a.rate_note == "ECB rate of 2024-06-27"
    assert a.usd is not None and a.eur is not None
    assert a.usd[0] == pytest.approx(111e6, rel=0.01)
    assert a.usd[0] == a.usd[1]
    assert a.eur[0] == pytest.approx(104e6, rel=0.01)


def test_amounts_keeps_usd_and_converts_to_eur(nlp: Language, seeds_dir: Path) -> None:
    money = [a for a in amounts(nlp, seed(seeds_dir, SEED_USD)) if a.kind is AmountKind.MONEY]
    assert len(money) == 1
    a = money[0]
    assert a.text == "up to $115 million annually"
    assert (a.unit, a.low, a.bound, a.per) == ("USD", 115e6, Bound.UPPER, "year")
    assert a.usd == (115e6, 115e6)
    assert a.eur is not None and a.eur[0] == pytest.approx(107.5e6, rel=0.01)
    assert a.rate_date == "2024-06-27"


@pytest.mark.parametrize("name", [SEED_GBP, SEED_USD])
def test_amounts_reads_brigade_range_with_compound_unit(
    nlp: Language, seeds_dir: Path, name: str
) -> None:
    found = amounts(nlp, seed(seeds_dir, name))
    ranges = [a for a in found if a.text == "three to four engineering brigades"]
    assert len(ranges) == 1
    a = ranges[0]
    assert (a.kind, a.low, a.high, a.unit, a.bound) == (
        AmountKind.COUNT, 3, 4, "engineering brigade", Bound.EXACT
    )
    assert a.usd is None and a.per is None


def test_amounts_reads_counts_of_the_gbp_seed(nlp: Language, seeds_dir: Path) -> None:
    found = amounts(nlp, seed(seeds_dir, SEED_GBP))
    by_text = {a.text: a for a in found}
    ten = by_text["10 engineering brigades"]
    assert (ten.kind, ten.low, ten.high, ten.unit, ten.bound) == (
        AmountKind.COUNT, 10, 10, "engineering brigade", Bound.EXACT
    )
    containers = by_text["about 6,700 containers"]
    assert (containers.low, containers.unit, containers.bound) == (
        6700, "container", Bound.APPROXIMATE
    )


def test_amounts_seed_has_no_dates_years_times_or_durations(
    nlp: Language, seeds_dir: Path
) -> None:
    """The seeds hold "27 June 2024 07:52", "24 years", "In 2022", "19 June", "one of them",
    "one cup of coffee": none is an amount; only the figures the outlets report are."""
    gbp = seed(seeds_dir, SEED_GBP)
    usd = seed(seeds_dir, SEED_USD)
    assert [a.text for a in amounts(nlp, gbp)] == [
        "10 engineering brigades",
        "up to £88 million annually",
        "three to four engineering brigades",
        "about 6,700 containers",
    ]
    assert [a.text for a in amounts(nlp, usd)] == [
        "up to $115 million annually",
        "three to four engineering brigades",
    ]
    for text in (gbp, usd):
        for a in amounts(nlp, text):
            for bad in ("24 years", "2022", "2024", "19 June", "07:52", "26 June"):
                assert bad not in a.text


def test_amounts_offsets_are_characters_into_the_text(nlp: Language, seeds_dir: Path) -> None:
    for name in (SEED_GBP, SEED_USD):
        doc = nlp(seed(seeds_dir, name))
        for a in find_amounts(doc, PUB):
            assert doc.text[a.start : a.end] == a.text


# --- money -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("Seoul budgeted ₩1.5 trillion.", 1.5e12, "KRW"),
        ("Seoul budgeted 1.5 trillion won.", 1.5e12, "KRW"),
        ("The deal is worth £88m.", 88e6, "GBP"),
        ("The deal is worth $1.2bn.", 1.2e9, "USD"),
        ("The deal is worth US$5bn.", 5e9, "USD"),
        ("The deal is worth €3.5bn.", 3.5e9, "EUR"),
        ("The deal is worth $115mn.", 115e6, "USD"),
        ("The deal is worth USD 5 million.", 5e6, "USD"),
        ("The deal is worth 5 million USD.", 5e6, "USD"),
        ("The deal is worth EUR5bn.", 5e9, "EUR"),
        ("The deal is worth 10 billion yuan.", 1e10, "CNY"),
        ("The deal is worth 100 million yen.", 1e8, "JPY"),
        ("The deal is worth ¥300.", 300, "JPY"),
        ("The deal is worth 30 Swiss francs.", 30, "CHF"),
        ("The deal is worth C$5 million.", 5e6, "CAD"),
        ("The deal is worth 40 million euros.", 40e6, "EUR"),
        ("The deal is worth 40 million pounds.", 40e6, "GBP"),
        ("The deal is worth 3 billion dollars.", 3e9, "USD"),
        ("They paid a million dollars.", 1e6, "USD"),
        ("They paid twenty-five thousand dollars.", 25e3, "USD"),
        ("They made off with a two-million-euro haul.", 2e6, "EUR"),
        ("They found a 500-euro note.", 500, "EUR"),
    ],
)
def test_amounts_reads_currency_symbols_codes_words_and_scales(
    nlp: Language, text: str, value: float, unit: str
) -> None:
    a = only(nlp, text)
    assert (a.kind, a.unit, a.low, a.high) == (AmountKind.MONEY, unit, value, value)
    assert a.usd is not None and a.eur is not None and a.rate_date == "2024-06-27"


def test_amounts_rubles_fall_back_to_the_last_ecb_rate(nlp: Language) -> None:
    """The ECB stopped publishing RUB on 2022-03-01: the rate of that day is used, and said."""
    for text in ("Moscow paid 5 billion roubles.", "Moscow paid 5 billion rubles."):
        a = only(nlp, text)
        assert (a.unit, a.low) == ("RUB", 5e9)
        assert a.rate_date == "2022-03-01"
        assert a.rate_note == (
            "no ECB rate for RUB on 2024-06-27; used 2022-03-01, the latest earlier one"
        )
        assert a.usd is not None and a.usd[0] == pytest.approx(5e9 / 105.0, rel=0.05)


def test_amounts_weekend_publication_uses_friday_rate(nlp: Language) -> None:
    a = only(nlp, "The fund holds £10m.", datetime(2024, 6, 29))  # a Saturday
    assert a.rate_date == "2024-06-28"
    assert a.rate_note is not None and "no ECB rate for GBP on 2024-06-29" in a.rate_note


def test_amounts_money_without_publication_date_is_not_converted(nlp: Language) -> None:
    a = only(nlp, "The fund holds £10m.", None)
    assert (a.unit, a.low) == ("GBP", 10e6)
    assert a.usd is None and a.eur is None and a.rate_date is None
    assert a.rate_note == "no publication date: not converted"


def test_amounts_currency_without_ecb_rate_is_kept_unconverted(nlp: Language) -> None:
    a = only(nlp, "A soldier earns 10,000 North Korean won.")
    assert (a.kind, a.unit, a.low) == (AmountKind.MONEY, "KPW", 10_000)
    assert a.usd is None and a.rate_note == "KPW has no ECB reference rate: not converted"


@pytest.mark.parametrize(
    "text",
    [
        "Biden, who in 2020 won the election, spoke.",
        "They seized 300 pounds of explosives.",
    ],
)
def test_amounts_won_the_verb_and_pounds_of_weight_are_not_money(
    nlp: Language, text: str
) -> None:
    assert all(a.kind is not AmountKind.MONEY for a in amounts(nlp, text))


# --- ranges ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "low", "high", "unit", "mention"),
    [
        ("It will cost $5m-$7m.", 5e6, 7e6, "USD", "$5m-$7m"),
        ("It will cost £5-7 million.", 5e6, 7e6, "GBP", "£5-7 million"),
        ("It will cost between 10 and 20 million dollars.", 10e6, 20e6, "USD",
         "between 10 and 20 million dollars"),
        ("It will cost $5m to $7m.", 5e6, 7e6, "USD", "$5m to $7m"),
        ("They sent 3-4 battalions.", 3, 4, "battalion", "3-4 battalions"),
        ("They sent 3–4 battalions.", 3, 4, "battalion", "3–4 battalions"),
        ("They sent three or four battalions.", 3, 4, "battalion", "three or four battalions"),
        ("They sent between 10 and 20 drones.", 10, 20, "drone", "between 10 and 20 drones"),
        ("Prices rose 10-12%.", 10, 12, "%", "10-12%"),
    ],
)
def test_amounts_reads_ranges(
    nlp: Language, text: str, low: float, high: float, unit: str, mention: str
) -> None:
    a = only(nlp, text)
    assert (a.low, a.high, a.unit, a.text) == (low, high, unit, mention)


def test_amounts_year_before_to_takes_no_unit_from_the_next_value(nlp: Language) -> None:
    found = amounts(nlp, "The plan cuts emissions by 2030 to 32 percent below 2005 levels.")
    assert [(a.text, a.kind) for a in found] == [("32 percent", AmountKind.PERCENT)]


def test_amounts_month_before_a_large_number_is_no_date(nlp: Language) -> None:
    a = only(nlp, "In March 3,000 soldiers arrived.")
    assert (a.low, a.unit) == (3000, "soldier")


def test_amounts_from_to_is_two_values_not_a_range(nlp: Language) -> None:
    found = amounts(nlp, "The budget grew from $5m to $7m.")
    assert [(a.low, a.high, a.unit) for a in found] == [(5e6, 5e6, "USD"), (7e6, 7e6, "USD")]
    found = amounts(nlp, "Inflation rose 0.5% to 3.2%.")
    assert [(a.low, a.kind) for a in found] == [
        (0.5, AmountKind.PERCENT), (3.2, AmountKind.PERCENT)
    ]
    found = amounts(nlp, "The garrison grew from 10 to 20 soldiers.")
    assert [(a.low, a.unit) for a in found] == [(10, "soldier"), (20, "soldier")]


# --- percentages, bounds, rates, number words --------------------------------------------------


@pytest.mark.parametrize(
    "text", ["Exports fell 12%.", "Exports fell 12 per cent.", "Exports fell 12 percent."]
)
def test_amounts_reads_percentages(nlp: Language, text: str) -> None:
    a = only(nlp, text)
    assert (a.kind, a.low, a.unit) == (AmountKind.PERCENT, 12, "%")


@pytest.mark.parametrize(
    ("text", "bound"),
    [
        ("They sent at least 10 tanks.", Bound.LOWER),
        ("They sent more than 3,000 soldiers.", Bound.LOWER),
        ("They sent over 500 drones.", Bound.LOWER),
        ("They spent in excess of $2bn.", Bound.LOWER),
        ("They sent no fewer than 30 ships.", Bound.LOWER),
        ("They sent up to 40 missiles.", Bound.UPPER),
        ("They sent as many as 500 people.", Bound.UPPER),
        ("They spent as much as $5m.", Bound.UPPER),
        ("They sent at most 7 aircraft.", Bound.UPPER),
        ("They sent no more than 50 drones.", Bound.UPPER),
        ("They sent fewer than 20 ships.", Bound.UPPER),
        ("They sent about 300 people.", Bound.APPROXIMATE),
        ("They sent around 20 ships.", Bound.APPROXIMATE),
        ("They sent approximately 40 trucks.", Bound.APPROXIMATE),
        ("They sent roughly 20,000 men.", Bound.APPROXIMATE),
        ("They sent some 6,700 containers.", Bound.APPROXIMATE),
        ("They sent nearly 300 people.", Bound.APPROXIMATE),
        ("They lost almost 2,000 homes.", Bound.APPROXIMATE),
        ("They took in an estimated 1.5 million refugees.", Bound.APPROXIMATE),
        ("They sent 12 tanks.", Bound.EXACT),
    ],
)
def test_amounts_reads_bounds_and_hedges(nlp: Language, text: str, bound: Bound) -> None:
    a = only(nlp, text)
    assert a.bound is bound
    assert text.rstrip(".").endswith(a.text)  # the mention starts at the bound words


@pytest.mark.parametrize(
    ("text", "per"),
    [
        ("He earns £5,000 a month.", "month"),
        ("It costs €200 per day.", "day"),
        ("It costs $3m each month.", "month"),
        ("It costs $5m per year.", "year"),
        ("It costs $5m every year.", "year"),
        ("It costs $2m monthly.", "month"),
        ("They ship 400 tonnes weekly.", "week"),
        ("They pump 20,000 barrels a day.", "day"),
        ("They pump 20,000 barrels daily.", "day"),
        ("Pyongyang could get $115 million from Russia annually.", "year"),
    ],
)
def test_amounts_reads_rates(nlp: Language, text: str, per: str) -> None:
    assert only(nlp, text).per == per


def test_amounts_rate_words_join_the_mention_only_when_adjacent(nlp: Language) -> None:
    assert only(nlp, "It costs $5m per year.").text == "$5m per year"
    assert only(nlp, "Pyongyang could get $115 million from Russia annually.").text == (
        "$115 million"
    )


@pytest.mark.parametrize(
    "text", ["Sales reached £88m a year ago.", "They were paid £5m for a year."]
)
def test_amounts_a_year_ago_is_not_a_rate(nlp: Language, text: str) -> None:
    assert only(nlp, text).per is None


def test_amounts_rate_stays_with_its_own_amount(nlp: Language) -> None:
    found = amounts(nlp, "It pays £88m, and £7m a month.")
    assert [a.per for a in found] == [None, "month"]


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("They sent twenty-five soldiers.", 25, "soldier"),
        ("They sent a dozen tanks.", 12, "tank"),
        ("They sent two dozen drones.", 24, "drone"),
        ("They sent one hundred and fifty people.", 150, "people"),
        ("They sent three million leaflets.", 3e6, "leaflet"),
        ("They sent 1.2 million people.", 1.2e6, "people"),
        ("They sent 3.5m people.", 3.5e6, "people"),
        ("They sent Three tanks.", 3, "tank"),
    ],
)
def test_amounts_reads_number_words_and_scales_in_counts(
    nlp: Language, text: str, value: float, unit: str
) -> None:
    a = only(nlp, text)
    assert (a.kind, a.low, a.unit) == (AmountKind.COUNT, value, unit)


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("Russia fielded 5,000 North Korean soldiers.", "soldier"),
        ("Russia lost 12 T-72 tanks.", "t-72 tank"),
        ("Russia lost 300 armoured vehicles.", "vehicle"),
        ("It hired two New Jersey police officers.", "police officer"),
        ("The 28-nation bloc met.", "nation"),
        ("The army has 10 engineering brigades.", "engineering brigade"),
    ],
)
def test_amounts_unit_keeps_compounds_and_drops_adjectives(
    nlp: Language, text: str, unit: str
) -> None:
    assert only(nlp, text).unit == unit


@pytest.mark.parametrize(
    ("text", "written", "value", "unit"),
    [
        ("The number of injured rose to 12.", "12", 12, "injured"),
        ("On Sunday the death toll climbed to seven.", "seven", 7, "death toll"),
        ("The death toll from the blaze at the depot rose to four on Tuesday, police said.",
         "four", 4, "death toll"),
        ("The blast destroyed the hall, bringing the death toll to nine.", "nine", 9,
         "death toll"),
        ("Officials said the toll had risen to about 30.", "about 30", 30, "death toll"),
        ("The number of arrests has reached 40, police said.", "40", 40, "arrest"),
        ("The tally of confirmed cases stood at 1,200 on Friday.", "1,200", 1200, "case"),
        ("The number of flights fell to twenty-five.", "twenty-five", 25, "flight"),
        ("The toll is now 23.", "23", 23, "death toll"),
    ],
)
def test_amounts_a_tallys_new_value_counts_what_the_tally_counts(
    nlp: Language, text: str, written: str, value: float, unit: str
) -> None:
    a = only(nlp, text)
    assert (a.text, a.kind, a.low, a.high, a.unit) == (
        written, AmountKind.COUNT, value, value, unit)


def test_amounts_a_tally_rising_from_one_value_to_another_gives_both(nlp: Language) -> None:
    found = amounts(nlp, "The number of injured rose from eight to 12 overnight.")
    assert [(a.text, a.low, a.unit) for a in found] == [
        ("eight", 8, "injured"), ("12", 12, "injured")]


# --- what is not an amount ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The talks began at 07:52 on 19 June 2024.",
        "The talks began on June 19, 2024, at 7 pm.",
        "In 2022, the war began.",
        "The 2022 invasion changed everything.",
        "It was the first time in 24 years.",
        "A 24-year-old man and a three-day visit.",
        "It happened 3 times a day.",
        "Article 5 and Resolution 2231 apply.",
        "A Boeing 737 and an Su-25 crashed.",
        "The COVID-19 pandemic of the 1990s.",
        "During the 2022-23 season Ukraine won 2-1.",
        "He lives at 10 Downing Street, No. 10.",
        "Call +44 20 7946 0958 now.",
        "One official said one of them was there.",
        "Help for the cost of one cup of coffee a month.",
        "He ran a 100m sprint and a 5k race.",
        "Prices rose to 40 last week.",
        "Temperatures climbed to 41 on Sunday.",
        "The number rose to 12.",
        "The problem is four.",
        "Earning millions from Russia.",
        "It fields a 1,000-strong force.",
        "The 9/11 attacks and the 6/27/2024 report.",
        "It is a two-way race on a two-front war.",
        "Figures are in 2015 dollars.",
        "The COP28 summit, PHP 8 and AMD in 2024.",
        "Emissions fell below 2005 levels.",
        "The court split in a 4-4 ruling.",
        "There were 15-plus.",
    ],
)
def test_amounts_skips_dates_times_years_labels_and_durations(
    nlp: Language, text: str
) -> None:
    assert [a.text for a in amounts(nlp, text)] == []


# --- odd input ---------------------------------------------------------------------------------


def test_amounts_empty_doc(nlp: Language) -> None:
    assert find_amounts(nlp(""), PUB) == []
    assert find_amounts(nlp("   \n\n "), PUB) == []


def test_amounts_unparsed_doc_does_not_crash(nlp: Language) -> None:
    found = find_amounts(nlp.make_doc("It paid up to £88m a year for 10 brigades."), PUB)
    assert [a.unit for a in found if a.kind is AmountKind.MONEY] == ["GBP"]


def test_amounts_ten_thousand_word_sentence_is_fast(nlp: Language) -> None:
    sentence = (
        "the army sent 3 to 4 brigades and about 6,700 containers worth up to $5m a year and "
    )
    doc = nlp((sentence * (10_000 // len(sentence.split()) + 1)).strip())
    started = time.perf_counter()
    found = find_amounts(doc, PUB)
    assert time.perf_counter() - started < 1.0
    assert len(found) > 1000


@pytest.mark.parametrize(
    "text", ["1-" * 5000, "one " * 5000, "a hundred and " * 3000, "$" * 2000 + "5", "1," * 5000]
)
def test_amounts_pathological_text_is_fast(nlp: Language, text: str) -> None:
    doc = nlp.make_doc(text)  # spaCy's own tokenizer is slow on some of these; not timed
    started = time.perf_counter()
    find_amounts(doc, PUB)
    assert time.perf_counter() - started < 1.0


@pytest.mark.parametrize(
    "text",
    [
        "Die Regierung zahlte 3,5 Millionen Euro und 12 Prozent mehr am 19. Juni 2024.",
        "Россия заплатила 5 млрд рублей 27 июня.",
        "北韩将派遣3至4个工兵旅，每年获得1.15亿美元。",
        "북한은 연간 최대 1억1500만 달러를 받을 수 있다.",
    ],
)
def test_amounts_non_english_text_does_not_crash(nlp: Language, text: str) -> None:
    found = find_amounts(nlp(text), PUB)
    for a in found:
        assert text[a.start : a.end] == a.text


def test_a_dimension_like_4x4_is_no_count(nlp: Language) -> None:
    # "a 4×4 car" is one off-road car, not four cars; "2 x 4" planks are a size
    assert amounts(nlp, "The thieves used a 4×4 car to ram the store.") == []
    assert amounts(nlp, "A 2 x 4 plank hit him.") == []
    found = amounts(nlp, "Police found 4 cars near the store.")
    assert [(a.kind, a.unit, a.low) for a in found] == [(AmountKind.COUNT, "car", 4.0)]
