"""Figures compared as what they say: currencies, bounds, ranges, tolerance, change over time."""

from __future__ import annotations

from datetime import datetime

from corroborate.crosscheck.compare import (
    Dated,
    Figure,
    Outcome,
    compare_dates,
    compare_figures,
    group_figures,
)
from corroborate.records import AmountKind, AmountMention, Bound, Granularity, TimeMention

MORNING = datetime(2025, 3, 4, 8)
EVENING = datetime(2025, 3, 4, 18)


def money(text: str, value: float, unit: str, bound: Bound = Bound.EXACT,
          usd: float | None = None, rate: str = "2024-06-27") -> AmountMention:
    in_usd = usd if usd is not None else (value if unit == "USD" else None)
    return AmountMention(0, len(text), text, AmountKind.MONEY, value, value, bound, unit, "year",
                         usd=(in_usd, in_usd) if in_usd is not None else None,
                         rate_date=rate, rate_note=f"ECB rate of {rate}")


def count(text: str, low: float, high: float | None = None, unit: str = "resident",
          bound: Bound = Bound.EXACT) -> AmountMention:
    return AmountMention(0, len(text), text, AmountKind.COUNT, low,
                         low if high is None else high, bound, unit)


def test_converted_ceilings_within_five_percent_agree_and_say_the_rate() -> None:
    gbp = money("up to £88 million annually", 88e6, "GBP", Bound.UPPER, usd=111.27e6)
    usd = money("up to $115 million annually", 115e6, "USD", Bound.UPPER)
    result = compare_figures([Figure(gbp, "A", MORNING), Figure(usd, "B", MORNING)])
    assert result is not None and result.outcome is Outcome.AGREE
    assert "≈ $111.3 million at the ECB rate of 2024-06-27" in result.reason
    assert "3.2 % apart, within the 5 % conversion tolerance" in result.reason


def test_converted_ceilings_further_apart_than_the_tolerance_conflict() -> None:
    gbp = money("up to £80 million", 80e6, "GBP", Bound.UPPER, usd=101e6)
    usd = money("up to $115 million", 115e6, "USD", Bound.UPPER)
    result = compare_figures([Figure(gbp, "A", MORNING), Figure(usd, "B", MORNING)])
    assert result is not None and result.outcome is Outcome.CONFLICT
    assert "beyond the 5 % conversion tolerance" in result.reason


def test_an_exact_figure_under_a_ceiling_is_consistent_with_it() -> None:
    ceiling = money("up to $43 million", 43e6, "USD", Bound.UPPER)
    point = money("$30 million", 30e6, "USD")
    result = compare_figures([Figure(ceiling, "A", MORNING), Figure(point, "B", MORNING)])
    assert result is not None and result.outcome is Outcome.AGREE
    assert "within the stated bound" in result.reason


def test_a_floor_above_an_exact_figure_conflicts() -> None:
    floor = count("at least 500 residents", 500, bound=Bound.LOWER)
    point = count("200 residents", 200)
    result = compare_figures([Figure(floor, "A", MORNING), Figure(point, "B", MORNING)])
    assert result is not None and result.outcome is Outcome.CONFLICT


def test_ranges_agree_when_they_overlap() -> None:
    three_to_four = count("three to four brigades", 3, 4, unit="engineering brigade")
    four = count("four brigades", 4, unit="engineering brigade")
    ten = count("ten brigades", 10, unit="engineering brigade")
    assert compare_figures([Figure(three_to_four, "A", MORNING),
                            Figure(four, "B", MORNING)]).outcome is Outcome.AGREE
    assert compare_figures([Figure(three_to_four, "A", MORNING),
                            Figure(ten, "B", MORNING)]).outcome is Outcome.CONFLICT


def test_approximate_figures_allow_ten_percent() -> None:
    about = count("about 1,000 residents", 1000, bound=Bound.APPROXIMATE)
    close = count("1,080 residents", 1080)
    far = count("1,200 residents", 1200)
    assert compare_figures([Figure(about, "A", MORNING),
                            Figure(close, "B", MORNING)]).outcome is Outcome.AGREE
    result = compare_figures([Figure(about, "A", MORNING), Figure(far, "B", MORNING)])
    assert result.outcome is Outcome.CONFLICT
    assert "10 % approximate-figure tolerance" in result.reason


def test_rising_figure_from_one_source_is_developing() -> None:
    two = count("two people", 2, unit="people")
    four = count("four people", 4, unit="people")
    result = compare_figures([Figure(four, "B", EVENING, "fire service"),
                              Figure(two, "A", MORNING, "fire service")])
    assert result is not None and result.outcome is Outcome.DEVELOPING
    assert result.reason.index("two people") < result.reason.index("four people")
    assert "rises with publication time" in result.reason


def test_rising_figure_from_two_sources_needs_a_word_of_change() -> None:
    low = count("1,200 residents", 1200)
    high = count("3,000 residents", 3000)
    silent = compare_figures([Figure(low, "A", MORNING, "crisis centre"),
                              Figure(high, "B", EVENING, "police")])
    assert silent is not None and silent.outcome is Outcome.CONFLICT
    told = compare_figures([Figure(low, "A", MORNING, "crisis centre"),
                            Figure(high, "B", EVENING, "police", changing=True)])
    assert told is not None and told.outcome is Outcome.DEVELOPING


def test_figure_that_goes_up_and_down_again_conflicts() -> None:
    figures = [Figure(count("1,200", 1200), "A", datetime(2025, 3, 4, 8), "x", True),
               Figure(count("3,000", 3000), "B", datetime(2025, 3, 4, 12), "x", True),
               Figure(count("1,200", 1200), "C", datetime(2025, 3, 5, 8), "x", True)]
    result = compare_figures(figures)
    assert result is not None and result.outcome is Outcome.CONFLICT


def test_no_rate_means_no_comparison() -> None:
    jpy = AmountMention(0, 5, "¥9bn", AmountKind.MONEY, 9e9, 9e9, Bound.EXACT, "JPY")
    usd = money("$60 million", 60e6, "USD")
    assert compare_figures([Figure(jpy, "A", MORNING), Figure(usd, "B", MORNING)]) is None


def test_each_version_gives_its_leading_figure_per_quantity() -> None:
    toll = count("four", 4, unit="death toll")
    side = count("two firefighters", 2, unit="firefighter")
    workers = count("two workers", 2, unit="worker")
    groups = group_figures([[Figure(workers, "A", MORNING)],
                            [Figure(toll, "B", EVENING), Figure(side, "B", EVENING)]])
    assert [f.amount.text for f in groups[0]] == ["two workers", "four"]
    assert all(len(g) == 1 for g in groups[1:])  # the side figure is compared with nothing


def _time(text: str, earliest: str, latest: str, granularity: Granularity) -> TimeMention:
    return TimeMention(0, len(text), text, earliest, latest, granularity, label=earliest[:7])


def test_a_month_and_a_day_inside_it_agree() -> None:
    june = _time("June", "2024-06-01", "2024-06-30", Granularity.MONTH)
    day = _time("19 June", "2024-06-19", "2024-06-19", Granularity.DAY)
    result = compare_dates([Dated((june,), "A", "outlet:a", True),
                            Dated((day,), "B", "outlet:b", False)])
    assert result is not None and result.outcome is Outcome.AGREE


def test_different_days_conflict() -> None:
    monday = _time("Monday", "2025-03-03", "2025-03-03", Granularity.DAY)
    sunday = _time("Sunday", "2025-03-02", "2025-03-02", Granularity.DAY)
    result = compare_dates([Dated((monday,), "A", "outlet:a", False),
                            Dated((sunday,), "B", "outlet:b", False)])
    assert result is not None and result.outcome is Outcome.CONFLICT


def test_almost_and_at_least_the_same_number_exclude_each_other() -> None:
    almost = count("almost four dozen questions", 48, unit="question", bound=Bound.APPROXIMATE)
    at_least = count("at least four dozen questions", 48, unit="question", bound=Bound.LOWER)
    result = compare_figures([Figure(almost, "A", MORNING), Figure(at_least, "B", MORNING)])
    assert result is not None and result.outcome is Outcome.CONFLICT
    assert "bounds exclude each other" in result.reason
    more = count("more than 48 questions", 48, unit="question", bound=Bound.LOWER)
    up_to = count("up to 48 questions", 48, unit="question", bound=Bound.UPPER)
    result = compare_figures([Figure(more, "A", MORNING), Figure(up_to, "B", MORNING)])
    assert result is not None and result.outcome is Outcome.CONFLICT


def test_a_strict_hedge_against_an_exact_figure_keeps_its_tolerance() -> None:
    nearly = count("nearly 300 people", 300, unit="people", bound=Bound.APPROXIMATE)
    exact = count("300 people", 300, unit="people")
    result = compare_figures([Figure(nearly, "A", MORNING), Figure(exact, "B", MORNING)])
    assert result is not None and result.outcome is Outcome.AGREE
    # two strict hedges on either side of one round figure: loose wording, not a conflict
    under = money("nearly $100 billion", 100e9, "USD", Bound.APPROXIMATE)
    over = money("over a hundred billion dollars", 100e9, "USD", Bound.LOWER)
    result = compare_figures([Figure(under, "A", MORNING), Figure(over, "B", MORNING)])
    assert result is not None and result.outcome is Outcome.AGREE


def test_a_vague_range_holding_a_figure_is_said_to_overlap() -> None:
    dozens = count("dozens of questions", 24, 99, unit="question")
    almost = count("almost four dozen questions", 48, unit="question", bound=Bound.APPROXIMATE)
    result = compare_figures([Figure(dozens, "A", MORNING), Figure(almost, "B", MORNING)])
    assert result is not None and result.outcome is Outcome.AGREE
    assert "ranges overlap" in result.reason and "within the" not in result.reason


def test_dates_of_two_different_acts_are_not_a_conflict() -> None:
    wednesday = _time("Wednesday", "2015-04-01", "2015-04-01", Granularity.DAY)
    thursday = _time("Thursday", "2015-04-02", "2015-04-02", Granularity.DAY)
    spoke = Dated((wednesday,), "A", "outlet:a", False, "speak")
    signed = Dated((thursday,), "B", "outlet:b", False, "sign")
    result = compare_dates([spoke, signed])
    assert result is not None and result.outcome is Outcome.AGREE
    met = Dated((wednesday,), "A", "outlet:a", False, "meet")
    met_again = Dated((thursday,), "B", "outlet:b", False, "meet")
    result = compare_dates([met, met_again])
    assert result is not None and result.outcome is Outcome.CONFLICT


def test_a_whole_number_of_millions_reaches_the_next_million() -> None:
    # reporters cut a precise sum as often as they round it: "$43 million" for $43,885,310
    short = money("$43 million", 43e6, "USD")
    precise = money("$43,885,310", 43_885_310, "USD")
    other = money("$45 million", 45e6, "USD")
    assert compare_figures([Figure(short, "A", MORNING),
                            Figure(precise, "B", MORNING)]).outcome is Outcome.AGREE
    assert compare_figures([Figure(short, "A", MORNING),
                            Figure(other, "B", MORNING)]).outcome is Outcome.CONFLICT
    # a figure with a decimal says its own precision: 1.5 million is not 1.6 million
    women = count("1.5 million women", 1.5e6, unit="woman")
    more = count("1.6 million women", 1.6e6, unit="woman")
    assert compare_figures([Figure(women, "A", MORNING),
                            Figure(more, "B", MORNING)]).outcome is Outcome.CONFLICT
