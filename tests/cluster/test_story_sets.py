"""The clustering benchmark's gold-set loaders (benchmarks/story_sets.py) on the real data.

benchmarks/ is not a package (its scripts run as `python benchmarks/X.py`), so the module is
loaded from its file.
"""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from conftest import REPO, shared_path

from corroborate.records import DocFormat

_spec = importlib.util.spec_from_file_location("story_sets", REPO / "benchmarks" / "story_sets.py")
assert _spec and _spec.loader
story_sets = importlib.util.module_from_spec(_spec)
sys.modules["story_sets"] = story_sets  # dataclasses look their module up while the class is made
_spec.loader.exec_module(story_sets)


@pytest.fixture
def stories() -> Path:
    return shared_path("data", "stories")


# --- detokenizing and header lines: no data needed ---------------------------------------------


def detok(text: str) -> str:
    return story_sets.detokenize(text.split())


def test_detokenize_rejoins_treebank_clitics_and_quotes() -> None:
    assert detok("Ann Lee , 40 , who wrote `` Blue Hills '' , ca n't come") == (
        'Ann Lee, 40, who wrote "Blue Hills", can\'t come')
    assert detok("Acme ( NYSE : ACM ) shipped the city 's first batch") == (
        "Acme (NYSE: ACM) shipped the city's first batch")


def test_detokenize_rejoins_split_hyphens_times_numbers_and_abbreviations() -> None:
    assert detok("a well - known shop at 9 : 15 p . m . in the U . K . sold $ 4 . 5 million") == (
        "a well-known shop at 9:15 p.m. in the U.K. sold $4.5 million")
    assert detok("3 , 500 m , 40 % , 03 / 04 / 11 , 10 - year - old") == (
        "3,500 m, 40%, 03/04/11, 10-year-old")


def test_detokenize_keeps_a_dash_between_capitalized_words_spaced() -> None:
    assert detok("Smith - Jones Report") == "Smith - Jones Report"
    assert detok("A State - Of - The - Art Plant") == "A State-Of-The-Art Plant"


def test_detokenize_pairs_straight_quotes_and_spots_plural_possessives() -> None:
    assert detok('" We are ready , " the mayor said') == '"We are ready," the mayor said'
    assert detok("plans ' mostly ' done") == "plans 'mostly' done"
    assert detok("the players ' union") == "the players' union"
    assert detok("It ’ s the Mayor ' s car") == "It’s the Mayor's car"


def test_dateline_is_a_short_line_that_is_only_a_date() -> None:
    assert story_sets.dateline_date("Published: March 3, 2011") == date(2011, 3, 3)
    assert story_sets.dateline_date("Posted on Tue Feb 8, 2011 10:15 AM EST") == date(2011, 2, 8)
    assert story_sets.dateline_date("5 May 2012 Last updated at 11:20 GMT") == date(2012, 5, 5)
    assert story_sets.dateline_date("03/04/11 09:30 AM ET") is None  # month or day first?
    assert story_sets.dateline_date("Seen 2 years, 10 days ago [copied on 1 May 2014]") is None
    assert story_sets.dateline_date("A storm on March 3, 2011 closed the harbour for a week") is (
        None)


def test_headline_has_no_final_punctuation() -> None:
    assert story_sets.is_headline("Storm closes harbour for a week")
    assert not story_sets.is_headline("The storm closed the harbour.")
    assert not story_sets.is_headline("Here is the news in brief:")


# --- the loaders on the data -------------------------------------------------------------------


def test_ecbplus_gold_is_topic_and_half(stories: Path) -> None:
    docs = story_sets.ecbplus([1, 2], root=stories)
    assert {d.gold for d in docs} == {"1_ecb", "1_ecbplus", "2_ecb", "2_ecbplus"}
    assert len({d.doc_id for d in docs}) == len(docs)
    for d in docs:
        half = "ecbplus" if d.doc_id.endswith("ecbplus") else "ecb"
        assert d.gold == f"{d.doc_id.split('_')[0]}_{half}"
        assert d.article.source == f"ecbplus:{d.doc_id}.xml"
        assert d.article.format is DocFormat.TEXT and d.article.outlet is None
        assert d.article.text.strip()
        assert not d.article.text.startswith("http")  # the URL line is not article text


def test_ecbplus_skips_missing_topics_and_splits_tune_from_held_out(stories: Path) -> None:
    assert story_sets.ecbplus([15, 17], root=stories) == []
    tune = story_sets.ecbplus(story_sets.TUNING_TOPICS, root=stories)
    held_out = story_sets.ecbplus(story_sets.HELD_OUT_TOPICS, root=stories)
    assert {int(d.gold.split("_")[0]) for d in tune} <= set(range(1, 26))
    assert {int(d.gold.split("_")[0]) for d in held_out} <= set(range(26, 36))
    assert len(tune) + len(held_out) == 772  # every document of the release's topics 1-35


def test_ecbplus_dates_come_from_datelines_only(stories: Path) -> None:
    docs = story_sets.ecbplus([14], root=stories)
    dated = [d for d in docs if d.article.published]
    assert dated and all(d.article.published_via == "dateline" for d in dated)
    assert all(d.gold == "14_ecbplus" for d in dated)  # the older ECB texts carry none
    for d in dated:
        dateline = [r.text for r in d.article.removed if r.reason.startswith("dateline")]
        assert story_sets.dateline_date(dateline[0]) == d.article.published.date()
        assert dateline[0] not in d.article.text


def test_loaders_feed_in_publication_order_then_undated_in_file_order(stories: Path) -> None:
    docs = story_sets.ecbplus(range(1, 11), root=stories)
    dates = [d.article.published for d in docs]
    first_undated = dates.index(None)
    assert dates[:first_undated] == sorted(dates[:first_undated])
    assert set(dates[first_undated:]) == {None}
    undated = [d.doc_id for d in docs[first_undated:]]
    assert undated == sorted(undated, key=lambda i: (int(i.split("_")[0]),
                                                     int(i.split("_")[1].rstrip("ecbplus"))))


def test_basil_is_one_hundred_triplets_from_three_outlets(stories: Path) -> None:
    docs = story_sets.basil(root=stories)
    assert len(docs) == 300
    assert set(Counter(d.gold for d in docs).values()) == {3}
    for triplet in {d.gold for d in docs}:
        outlets = {d.article.outlet for d in docs if d.gold == triplet}
        assert outlets == {"nytimes.com", "foxnews.com", "huffingtonpost.com"}
    dates = [d.article.published for d in docs]
    assert None not in dates and dates == sorted(dates)
    assert all(d.article.text.strip() and d.article.published_via == "metadata" for d in docs)


def test_newswcl50_is_ten_events_from_five_outlets(stories: Path) -> None:
    docs = story_sets.newswcl50(root=stories)
    assert len(docs) == 50
    assert Counter(d.gold for d in docs) == Counter({str(e): 5 for e in range(10)})
    for d in docs:
        assert d.article.url and d.article.outlet in d.article.url
        assert "\\n" not in d.article.text and d.article.text.strip()
        if d.article.published:
            assert d.article.published.strftime("/%Y/%m/%d/") in d.article.url
    titled = [d for d in docs if d.article.title]
    assert len(titled) >= 45 and all(len(d.article.title.split()) <= 25 for d in titled)


def test_loaders_are_silent(stories: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # (their speed is printed by benchmarks/clustering.py, not timed here: a busy machine
    # would fail a timed test for nothing)
    for load in (lambda: story_sets.ecbplus(range(1, 36), root=stories),
                 lambda: story_sets.basil(root=stories),
                 lambda: story_sets.newswcl50(root=stories)):
        assert load()
    assert capsys.readouterr() == ("", "")
