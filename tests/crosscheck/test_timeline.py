"""Which dates of an article make the story's timeline: no copyright years, no relative date
resolved after publication unless the sentence speaks of the future. The dates are the
extract stage's own, on a short report written for the purpose."""

from __future__ import annotations

from datetime import datetime

from corroborate.crosscheck.timeline import boilerplate, implausible
from corroborate.extract import extract_article
from corroborate.records import Article, DocFormat

TEXT = (
    "Thieves rammed their car into a jewellery store in Paris on Monday, police said. "
    "The trial is expected to open next month. "
    "The store had been robbed before, in 2007.\n\n"
    "© 2019 Agence France-Presse\n"
    "Copyright 2023 The Associated Press. All rights reserved."
)
PUBLISHED = datetime(2013, 9, 10, 8, 0)


def _times() -> dict[str, object]:
    article = Article(source="heist.txt", format=DocFormat.TEXT, text=TEXT, title="Heist",
                      outlet="Test Wire", published=PUBLISHED, published_via="test",
                      language="en")
    return {t.text: t for t in extract_article(article).times}


def test_copyright_years_are_boilerplate_and_the_story_dates_are_not() -> None:
    times = _times()
    years = [t for text, t in times.items() if "2019" in text or "2023" in text]
    assert years and all(boilerplate(TEXT, t) for t in years)  # type: ignore[arg-type]
    kept = [t for text, t in times.items() if "Monday" in text or "2007" in text]
    assert len(kept) == 2 and not any(boilerplate(TEXT, t) for t in kept)  # type: ignore[arg-type]


def test_a_future_relative_date_stays_only_where_the_sentence_speaks_of_the_future() -> None:
    times = _times()
    nxt = next(t for text, t in times.items() if "next month" in text)
    assert not implausible(TEXT, nxt, PUBLISHED)  # type: ignore[arg-type]  # "is expected to"
    past = TEXT.replace("is expected to open next month", "opened next month")
    assert implausible(past, nxt, PUBLISHED)  # type: ignore[arg-type]
    monday = next(t for text, t in times.items() if "Monday" in text)
    assert not implausible(TEXT, monday, PUBLISHED)  # type: ignore[arg-type]
    # the same Monday, read against a publication date decades later, is a misreading
    assert implausible(TEXT, monday, datetime(2049, 1, 1))  # type: ignore[arg-type]
