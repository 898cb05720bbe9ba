"""Dates: the seeds' time expressions resolved against 2024-06-27, each rule on our own
sentences, and false friends (a modal "May", a protest march, counts) left alone."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
import spacy

from corroborate.extract import date_rules
from corroborate.extract.dates import find_times
from corroborate.models import spacy_pipeline
from corroborate.records import Granularity, TimeMention

PUB = datetime(2024, 6, 27, 7, 52)  # the seeds' publication date


def _times(text: str, published: datetime | None = PUB) -> list[TimeMention]:
    return find_times(spacy_pipeline()(text), published)


def _one(mentions: list[TimeMention], text: str, nth: int = 0) -> TimeMention:
    found = [m for m in mentions if m.text == text]
    assert len(found) > nth, f"no mention {text!r} (nth={nth}) in {[m.text for m in mentions]}"
    return found[nth]


def _only(text: str, published: datetime | None = PUB) -> TimeMention:
    mentions = _times(text, published)
    assert len(mentions) == 1, [m.text for m in mentions]
    return mentions[0]


@pytest.fixture
def seed_times(seeds_dir: Path) -> dict[str, list[TimeMention]]:
    """Mentions of each seed, keyed by the seed's number ("000", "001")."""
    out = {}
    for path in sorted(seeds_dir.glob("*.txt")):
        doc = spacy_pipeline()(path.read_text(encoding="utf-8"))
        mentions = find_times(doc, PUB)
        assert all(doc.text[m.start:m.end] == m.text for m in mentions)
        out[path.name[:3]] = mentions
    if set(out) < {"000", "001"}:
        pytest.skip(f"seeds 000_ and 001_ are expected in {seeds_dir}")
    return out


# --- the seeds --------------------------------------------------------------------------------


def test_seed_dateline_resolves_to_the_minute(seed_times: dict[str, list[TimeMention]]) -> None:
    m = _one(seed_times["000"], "27 June 2024 07:52")
    assert m.granularity is Granularity.MINUTE
    assert m.earliest == m.latest == "2024-06-27T07:52"
    assert m.label == "2024-06-27 07:52"


def test_seed_dateline_with_dash_before_the_time(
    seed_times: dict[str, list[TimeMention]],
) -> None:
    m = next(m for m in seed_times["001"] if m.text.startswith("Jun 27, 2024"))
    assert m.granularity is Granularity.MINUTE and m.earliest == "2024-06-27T06:30"


def test_seed_in_june_is_the_publication_month(seed_times: dict[str, list[TimeMention]]) -> None:
    m = _one(seed_times["000"], "June")
    assert (m.granularity, m.earliest, m.latest, m.label) == (
        Granularity.MONTH, "2024-06-01", "2024-06-30", "2024-06")


def test_seed_last_year_is_the_previous_calendar_year(
    seed_times: dict[str, list[TimeMention]],
) -> None:
    m = _one(seed_times["000"], "Last year")
    assert (m.granularity, m.earliest, m.latest, m.label) == (
        Granularity.YEAR, "2023-01-01", "2023-12-31", "2023")


def test_seed_september_takes_last_year_from_its_sentence(
    seed_times: dict[str, list[TimeMention]],
) -> None:
    m = _one(seed_times["000"], "September")
    assert (m.granularity, m.earliest, m.latest, m.label) == (
        Granularity.MONTH, "2023-09-01", "2023-09-30", "2023-09")


def test_seed_end_of_february_this_year_is_late_february_2024(
    seed_times: dict[str, list[TimeMention]],
) -> None:
    m = _one(seed_times["000"], "the end of February this year")
    assert m.granularity is Granularity.MONTH and m.qualifier == "late"
    assert (m.earliest, m.latest, m.label) == ("2024-02-20", "2024-02-29", "late 2024-02")


def test_seed_in_2022_is_a_year(seed_times: dict[str, list[TimeMention]]) -> None:
    m = _one(seed_times["000"], "2022")
    assert (m.granularity, m.earliest, m.latest) == (Granularity.YEAR, "2022-01-01", "2022-12-31")


def test_seed_first_time_in_24_years_is_a_duration_back_from_publication(
    seed_times: dict[str, list[TimeMention]],
) -> None:
    m = _one(seed_times["000"], "24 years")
    assert (m.qualifier, m.granularity, m.label) == ("duration", Granularity.YEAR, "24 years")
    assert (m.earliest, m.latest) == ("2000-06-27", "2024-06-27")


@pytest.mark.parametrize("text", ["as early as July", "as early as July 2024"])
def test_seed_as_early_as_july_is_not_before_july_2024(
    seed_times: dict[str, list[TimeMention]], text: str
) -> None:
    m = _one(seed_times["001"], text)
    assert (m.qualifier, m.granularity, m.earliest, m.latest, m.label) == (
        "not before", Granularity.MONTH, "2024-07-01", None, "2024-07 (not before)")


def test_seed_modal_headline_in_july_is_the_coming_july(
    seed_times: dict[str, list[TimeMention]],
) -> None:
    # "North Korea might send ... to occupied Donetsk in July": a later month, modal verb
    for nth in (0, 1):
        assert _one(seed_times["001"], "July", nth).label == "2024-07"


@pytest.mark.parametrize(("text", "day"), [("26 June", "2024-06-26"), ("19 June", "2024-06-19")])
def test_seed_day_and_month_without_year_is_the_latest_before_publication(
    seed_times: dict[str, list[TimeMention]], text: str, day: str
) -> None:
    m = _one(seed_times["001"], text)
    assert (m.granularity, m.earliest, m.latest, m.label) == (Granularity.DAY, day, day, day)


def test_seed_modal_may_and_amounts_are_not_dates(
    seed_times: dict[str, list[TimeMention]],
) -> None:
    texts = [m.text for mentions in seed_times.values() for m in mentions]
    assert not any("may" in t.lower() for t in texts)  # "North Korea may deploy"
    assert not any(w in t for t in texts for w in ("88", "115", "6,700", "three", "10 "))


# --- rules, on sentences of our own -------------------------------------------------------------


def test_bare_month_later_than_publication_in_past_sentence_is_last_year() -> None:
    assert _only("The talks resumed in September.").label == "2023-09"


def test_bare_month_later_than_publication_in_future_sentence_is_this_year() -> None:
    assert _only("The talks will resume in September.").label == "2024-09"
    assert _only("Troops are expected to arrive in August.").label == "2024-08"


def test_bare_month_already_past_in_future_sentence_is_next_year() -> None:
    assert _only("The vote is scheduled for March.").label == "2025-03"


def test_weekday_after_due_or_likely_to_be_passive_is_the_coming_one() -> None:
    # PUB is a Thursday (2024-06-27): "due to be arraigned on Monday" is 1 July, not 24 June
    assert _only("The pair is due to be arraigned in court on Monday.").label == "2024-07-01"
    assert _only("He is likely to be sentenced on Monday.").label == "2024-07-01"
    assert _only("The two are scheduled to be arraigned Monday.").label == "2024-07-01"
    assert _only("The pair was due to appear in court on Monday.").label == "2024-06-24"


def test_month_anchored_by_year_named_earlier_in_sentence() -> None:
    mentions = _times("In 2019, the plant closed in October.")
    assert _one(mentions, "October").label == "2019-10"


def test_year_qualifying_a_noun_does_not_anchor_months() -> None:
    mentions = _times("A poll of potential 2012 Republican candidates found he will decide "
                      "by June.")
    assert _one(mentions, "by June").label == "2024-06 (not after)"


def test_month_range_takes_the_year_of_its_end() -> None:
    mentions = _times("From May to July 2023 the fighting raged.")
    assert _one(mentions, "May").label == "2023-05"
    assert _one(mentions, "July 2023").label == "2023-07"


def test_day_month_after_publication_day_is_last_year() -> None:
    assert _only("He spoke on 30 June.").earliest == "2023-06-30"


def test_us_order_month_day_and_ordinal_day_of_month() -> None:
    assert _only("He left on March 3.").label == "2024-03-03"
    assert _only("He left on the 3rd of March.").label == "2024-03-03"
    assert _only("He left on March the 3rd.").label == "2024-03-03"
    assert _only("In March the 3 men left.").label == "2024-03"


def test_full_dates_in_both_orders_and_iso() -> None:
    assert _only("It was signed on June 19, 2024.").label == "2024-06-19"
    assert _only("The report dated 2024-06-19 said so.").label == "2024-06-19"
    m = _only("Logged at 2024-06-19T14:05:00Z.")
    assert (m.granularity, m.earliest) == (Granularity.MINUTE, "2024-06-19T14:05")


def test_full_date_with_weekday_and_twelve_hour_time() -> None:
    m = _only("The summit opened on Thursday, June 20, 2024 at 9:30 p.m. local time.")
    assert (m.granularity, m.earliest, m.label) == (
        Granularity.MINUTE, "2024-06-20T21:30", "2024-06-20 21:30")


def test_month_and_year() -> None:
    m = _only("In June 2024 the deal ended.")
    assert (m.granularity, m.earliest, m.latest) == (Granularity.MONTH, "2024-06-01", "2024-06-30")


def test_weekday_is_latest_on_or_before_publication() -> None:
    # 2024-06-27 is a Thursday
    assert _only("On Monday the ministers met.").label == "2024-06-24"
    assert _only("Ministers met on Thursday.").label == "2024-06-27"
    assert _only("Ministers met last Thursday.").label == "2024-06-20"


def test_weekday_in_future_sentence_is_the_coming_one() -> None:
    assert _only("They will meet again on Tuesday.").label == "2024-07-02"


def test_weekday_with_clock_time() -> None:
    m = _only("He will leave on Friday at 10 a.m.")
    assert (m.granularity, m.earliest) == (Granularity.MINUTE, "2024-06-28T10:00")


def test_lone_clock_time_takes_the_day_named_in_its_sentence() -> None:
    m = _one(_times("Voting began on 19 June and closed at 20:00."), "20:00")
    assert (m.granularity, m.earliest, m.qualifier) == (
        Granularity.MINUTE, "2024-06-19T20:00", None)


def test_lone_clock_time_later_than_publication_is_the_day_before() -> None:
    # published 2024-06-27 at 07:52: an 11 p.m. fire in the past tense was on the 26th
    m = _only("The blaze broke out shortly before 11 p.m., firefighters said.")
    assert (m.granularity, m.earliest, m.latest) == (
        Granularity.MINUTE, "2024-06-26T23:00", "2024-06-26T23:00")
    assert m.qualifier == "day before publication assumed"
    aware = datetime(2024, 6, 27, 7, 52, tzinfo=UTC)
    assert _only("The blaze broke out at 23:15.", aware).earliest == "2024-06-26T23:15"


def test_lone_clock_time_not_after_publication_stays_on_the_publication_day() -> None:
    m = _only("The talks ended at 6:30 a.m. without a deal.")
    assert (m.earliest, m.qualifier) == ("2024-06-27T06:30", "publication day assumed")


def test_lone_clock_time_in_a_future_sentence_stays_on_the_publication_day() -> None:
    assert _only("The council will vote at 3 p.m.").earliest == "2024-06-27T15:00"


def test_day_named_with_a_clock_time_wins_over_the_publication_time() -> None:
    # 2024-06-27 is the Thursday of publication: the day said, not the day before
    m = _only("The shop closed on Thursday at 11 p.m.")
    assert (m.granularity, m.earliest) == (Granularity.MINUTE, "2024-06-27T23:00")
    m = _one(_times("The fire started on 27 June and spread at 11 p.m."), "11 p.m.")
    assert (m.earliest, m.qualifier) == ("2024-06-27T23:00", None)


def test_lone_clock_time_takes_the_day_of_the_sentence_before_in_its_paragraph() -> None:
    # published Thursday 2024-06-27: "on Monday" is the 24th, and so is the 11 p.m.
    m = _one(_times("The strike began on Monday. At 11 p.m. the unions walked out."),
             "11 p.m.")
    assert (m.granularity, m.earliest, m.qualifier) == (
        Granularity.MINUTE, "2024-06-24T23:00", None)
    # a new paragraph does not inherit the day
    m = _one(_times("The strike began on Monday.\nAt 6:30 a.m. the talks ended."), "6:30 a.m.")
    assert (m.earliest, m.qualifier) == ("2024-06-27T06:30", "publication day assumed")


def test_clock_time_with_its_own_zone_is_compared_with_the_publication_in_that_zone() -> None:
    # stamped 09:10 in Seoul (+09:00) = 00:10 GMT on the 27th: "23:30 GMT" was before it,
    # on the 26th; the same words without a zone read as Seoul time, earlier that morning
    seoul = datetime(2024, 6, 27, 9, 10, tzinfo=timezone(timedelta(hours=9)))
    m = _only("The missile was launched at 23:30 GMT, the military said.", seoul)
    assert (m.earliest, m.qualifier) == ("2024-06-26T23:30", "day before publication assumed")
    # 07:30 GMT is after 00:10 GMT: the day before in GMT, though 07:30 < 09:10 on the clock
    m = _only("The missile was launched at 07:30 GMT, the military said.", seoul)
    assert (m.earliest, m.qualifier) == ("2024-06-26T07:30", "day before publication assumed")
    m = _only("The missile was launched at 07:30, the military said.", seoul)
    assert (m.earliest, m.qualifier) == ("2024-06-27T07:30", "publication day assumed")
    # published 23:50 in New York (-04:00) = 03:50 GMT on the next day: 02:00 GMT is that day
    new_york = datetime(2024, 6, 27, 23, 50, tzinfo=timezone(timedelta(hours=-4)))
    m = _only("The talks ended at 02:00 GMT.", new_york)
    assert (m.earliest, m.qualifier) == ("2024-06-28T02:00", "publication day assumed")
    # an impossible offset is no zone: the time is read on the outlet's clock, no crash
    assert _only("The missile was launched at 23:30 GMT+25.", seoul).earliest == (
        "2024-06-26T23:30")


def test_clock_time_with_publication_date_alone_stays_on_that_day() -> None:
    m = _only("The blaze broke out at 11 p.m.", datetime(2024, 6, 27))
    assert (m.earliest, m.qualifier) == ("2024-06-27T23:00", "publication day assumed")


def test_noon_and_midnight_are_clock_times() -> None:
    m = _one(_times("The vote closed at noon on Tuesday."), "noon")
    assert (m.granularity, m.earliest) == (Granularity.MINUTE, "2024-06-25T12:00")
    assert _only("He arrived Friday at midnight.").earliest == "2024-06-21T00:00"


def test_relative_days_weeks_and_months() -> None:
    labels = {m.text: m.label for m in _times(
        "Yesterday the minister resigned. Today he spoke. Tomorrow he leaves. "
        "Last week the talks failed. Next month they resume. Last month they stalled.")}
    assert labels == {
        "Yesterday": "2024-06-26", "Today": "2024-06-27", "Tomorrow": "2024-06-28",
        "Last week": "week of 2024-06-17", "Next month": "2024-07", "Last month": "2024-05",
    }
    week = _only("Talks failed last week.")
    assert (week.granularity, week.earliest, week.latest) == (
        Granularity.DAY, "2024-06-17", "2024-06-23")


def test_early_mid_late_narrow_the_period() -> None:
    early = _only("Prices rose in early March.")
    assert (early.earliest, early.latest, early.qualifier, early.label) == (
        "2024-03-01", "2024-03-10", "early", "early 2024-03")
    mid = _only("The plan was shelved in mid-2023.")
    assert (mid.granularity, mid.earliest, mid.latest, mid.label) == (
        Granularity.YEAR, "2023-05-01", "2023-08-31", "mid 2023")
    late = _only("It happened in the late 1990s.")
    assert (late.granularity, late.earliest, late.latest) == (
        Granularity.DECADE, "1997-01-01", "1999-12-31")


def test_decade() -> None:
    m = _only("The programme began in the 1990s.")
    assert (m.granularity, m.earliest, m.latest, m.label) == (
        Granularity.DECADE, "1990-01-01", "1999-12-31", "1990s")


def test_seasons_and_quarters() -> None:
    summer = _only("In the summer they fought.")
    assert (summer.earliest, summer.latest, summer.label) == (
        "2024-06-01", "2024-08-31", "summer 2024")
    assert _only("Last summer was hot.").label == "summer 2023"
    q1 = _only("Sales fell in the first quarter of 2024.")
    assert (q1.earliest, q1.latest, q1.label) == ("2024-01-01", "2024-03-31", "2024-Q1")


def test_qualifiers_since_by_and_earlier_this_year() -> None:
    since = _only("Since 2022 the war has raged.")
    assert (since.qualifier, since.earliest, since.latest, since.label) == (
        "since", "2022-01-01", None, "since 2022")
    by = _only("The trial will end by the end of the year.")
    assert (by.earliest, by.latest, by.label) == (None, "2024-12-31", "late 2024 (not after)")
    earlier = _only("Earlier this year the plan failed.")
    assert (earlier.earliest, earlier.latest, earlier.qualifier) == (
        "2024-01-01", "2024-06-27", "earlier")


def test_ago_and_durations() -> None:
    assert _only("Two years ago he died.").label == "2022"
    past = _only("Over the past three years prices doubled.")
    assert (past.qualifier, past.earliest, past.latest) == ("duration", "2021-06-27", "2024-06-27")
    served = _only("He served for two years.")
    assert (served.qualifier, served.earliest, served.latest, served.label) == (
        "duration", None, None, "2 years")


def test_modal_may_is_not_a_date() -> None:
    assert _times("North Korea may deploy engineers. May the talks succeed.") == []


def test_march_as_a_noun_or_verb_and_may_as_a_name_are_not_dates() -> None:
    mentions = _times("A protest march was held. They march on. Theresa May said in May "
                      "that a march was planned.")
    assert [(m.text, m.label) for m in mentions] == [("May", "2024-05")]


def test_programme_titles_are_not_times() -> None:
    assert _times('He appeared on ABC\'s "This Week."') == []


def test_counts_and_money_are_not_years() -> None:
    assert _times("In 2000 cases the court ruled. He paid 2024 dollars for 1999 shares.") == []
    assert _times("North Korea could receive up to £88 million from three to four brigades.") == []


def test_without_publication_date_absolute_dates_resolve_and_relative_ones_say_why() -> None:
    mentions = _times("On 27 June 2024 he said that last year, in June, things changed.", None)
    full = _one(mentions, "27 June 2024")
    assert (full.earliest, full.granularity) == ("2024-06-27", Granularity.DAY)
    for text in ("last year", "June"):
        m = _one(mentions, text)
        assert (m.earliest, m.latest) == (None, None)
        assert m.label == "unresolved: no publication date" and m.qualifier == "unresolved"
    early = _only("They may come as early as July.", None)
    assert (early.earliest, early.qualifier) == (None, "not before")
    assert early.label == "unresolved: no publication date"


def test_timezone_aware_publication_date_is_accepted() -> None:
    aware = datetime(2024, 6, 27, 7, 52, tzinfo=UTC)
    assert _only("Ministers met yesterday.", aware).label == "2024-06-26"


def test_offsets_are_character_offsets_into_the_text() -> None:
    text = "Ünïcödé prelude — then, on 19 June, the deal; as early as July it starts."
    doc = spacy_pipeline()(text)
    mentions = find_times(doc, PUB)
    assert [m.text for m in mentions] == ["19 June", "as early as July"]
    assert all(text[m.start:m.end] == m.text for m in mentions)


# --- odd input ------------------------------------------------------------------------------------


def test_empty_and_blank_documents_have_no_times() -> None:
    assert _times("") == []
    assert _times("   \n\n ") == []


def test_non_english_text_does_not_crash() -> None:
    for text in ("Der Vertrag wurde am 19. Juni 2024 unterzeichnet, sagte Putin am Montag.",
                 "北朝鮮は7月に工兵部隊を派遣する可能性がある。", "Le 26 juin, la Russie a signé."):
        assert isinstance(_times(text), list)


def test_document_without_parser_still_resolves() -> None:
    doc = spacy.blank("en")("Last year, he met Putin in September. It rained on 3 May.")
    labels = [m.label for m in find_times(doc, PUB)]
    assert labels == ["2023", "2023-09", "2024-05-03"]


def test_ten_thousand_word_sentence_finishes_fast() -> None:
    phrase = ("in June and on 3 May officials may march 2000 people since 2022 last year "
              "for two years at 10:30 Monday ")
    words = phrase.split()
    text = " ".join(words[i % len(words)] for i in range(10_000)) + "."
    doc = spacy_pipeline()(text)
    started = time.perf_counter()
    mentions = find_times(doc, PUB)
    assert time.perf_counter() - started < 2.0
    assert mentions


def test_windowed_scan_finds_what_a_full_scan_finds(seeds_dir: Path) -> None:
    """scan() runs the patterns only near trigger words; that must lose nothing."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt"))]
    texts.append(Path(__file__).read_text(encoding="utf-8"))  # every sentence above
    for text in texts:
        full = {
            c for prio, (pattern, handler, _) in enumerate(date_rules._PATTERNS)
            for m in pattern.finditer(text) if (c := handler(m, prio)) is not None
        }
        assert set(date_rules.scan(text)) == full
