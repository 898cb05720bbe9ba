"""Alerts and watchlist matching on real cross-checks: the example corpus's Antwerp fire
story, its articles checked one more at a time (as a watcher sees the story grow)."""

from __future__ import annotations

from pathlib import Path

import pytest

from corroborate.ingest.options import IngestOptions
from corroborate.pipeline import CheckResult, check_documents
from corroborate.store.watch import Watchlist
from corroborate.watch.alerts import changes, digest
from corroborate.watch.watchlists import matches

CORPUS = Path(__file__).resolve().parents[2] / "examples" / "corpus"
ARRIVALS = ["feeds/eurowire.rss", "syndicated/morning-ledger-fire.html",
            "harbourwatch/antwerp-warehouse-fire.html", "scraped/scheldt-courier-fire.txt"]


@pytest.fixture(scope="module")
def growing() -> list[CheckResult]:
    return [check_documents([str(CORPUS / a) for a in ARRIVALS[:k]], IngestOptions(fetch=False))
            for k in range(1, len(ARRIVALS) + 1)]


def _wl(kind: str, query: str) -> Watchlist:
    return Watchlist(1, "w", kind, query, "2026-01-01T00:00:00+00:00")


@pytest.mark.slow
def test_alerts_follow_the_fire_story_as_it_grows(growing: list[CheckResult]) -> None:
    before = None
    found = []
    for result in growing:
        found.append([(c.kind, c.key) for c in changes(before, result.story, result.check)])
        before = digest(result.story, result.check)
    assert found == [
        [("new_story", "new_story")],
        [("new_outlet", "new_outlet:the morning ledger")],  # the wire's text, syndicated
        [("new_outlet", "new_outlet:harbour watch"),
         ("new_source", "new_source:person:ann peeters"),
         ("disputed", "disputed:we warned about this site more than once")],
        [("new_outlet", "new_outlet:scheldt courier"),
         ("new_source", "new_source:anon:fire brigade"),
         ("conflict", "conflict:evacuated")],  # 1,200 vs about 3,000 evacuated: said once
    ]
    last = growing[-1]
    conflict = changes(digest(growing[2].story, growing[2].check), last.story, last.check)[-1]
    assert "1,200" in conflict.detail and len(conflict.evidence) >= 2
    # nothing changed, nothing to say
    assert changes(digest(last.story, last.check), last.story, last.check) == []


@pytest.mark.slow
def test_watchlists_match_the_story_by_what_its_cross_check_says(
        growing: list[CheckResult]) -> None:
    story, check = growing[-1].story, growing[-1].check
    assert matches(_wl("entity", "Ann Peeters"), story, check)
    assert not matches(_wl("entity", "Vladimir Putin"), story, check)
    assert matches(_wl("outlet", "harbour watch"), story, check)
    assert not matches(_wl("outlet", "TV Chosun"), story, check)
    assert matches(_wl("words", "warehouse fire"), story, check)
    assert not matches(_wl("words", "warehouse flood"), story, check)
    assert matches(_wl("similar", "A blaze at a chemical warehouse in the port of Antwerp "
                                  "killed workers"), story, check)
    assert not matches(_wl("similar", "The city council voted to extend the tram line"),
                       story, check)
    assert matches(_wl("story", str(story.id)), story, check)
