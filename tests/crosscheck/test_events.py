"""Background events: a story's figures of an earlier event are never its own."""

from __future__ import annotations

from datetime import datetime

from small_reports import report

from corroborate.crosscheck import crosscheck
from corroborate.crosscheck.events import event_markers
from corroborate.crosscheck.statements import article_refs, build_statements, shared_origins
from corroborate.records import Verdict

SUNDAY_NIGHT = datetime(2005, 11, 27, 20)
MONDAY = datetime(2005, 11, 28, 9)

QUAKE_A = ("A powerful earthquake hit southern Iran on Sunday, killing at least 10 people, "
           "injuring dozens more and damaging several villages. In February, a quake in the "
           "town of Zarand killed 612 people. It injured more than 1,400. On Saturday, more "
           "than a dozen people were killed by a quake in eastern China.")
QUAKE_B = ("Ten people were killed when an earthquake razed villages on the island of Qeshm "
           "in southern Iran on Sunday, officials said. The last major quake in Iran was in "
           "February, when a temblor in Zarand killed 612 people.")
QUAKE_C = ("Iran's state television said three people were killed by the earthquake that hit "
           "Qeshm island in southern Iran on Sunday.")


def _statements(*texts: tuple[str, datetime]):  # type: ignore[no-untyped-def]
    articles = [report(n, f"Daily {n}", text, when) for n, (text, when) in enumerate(texts, 1)]
    origins = shared_origins(articles)
    return build_statements(articles, article_refs(articles, origins), origins)


def test_statements_of_another_time_or_country_are_background() -> None:
    statements = _statements((QUAKE_A, MONDAY), (QUAKE_B, MONDAY))
    markers = {s.claim.text[:20]: event_markers(statements)[s.index] for s in statements}
    assert markers["A powerful earthquak"] is None
    assert markers["Ten people were kill"] is None
    assert markers["In February, a quake"] == ("time", "2005-02")
    assert markers["It injured more than"] == ("time", "2005-02")  # "It": the quake just named
    assert markers["On Saturday, more th"] == ("place", "CN")


def test_the_storys_toll_is_one_fact_and_an_earlier_quakes_toll_another() -> None:
    result = crosscheck([report(1, "Daily A", QUAKE_A, MONDAY),
                         report(2, "Daily B", QUAKE_B, MONDAY),
                         report(3, "Daily C", QUAKE_C, SUNDAY_NIGHT)])
    dead = [f for f in result.facts if f.measure == "dead"]
    values = [sorted({v.claim.split(" ")[0] for v in f.versions}) for f in dead]
    own = next(f for f in dead if len(f.outlets) == 3)
    assert not any("612" in v.claim or "a dozen" in v.claim for v in own.versions), values
    # 10 vs three dead in the story's own quake: one fact, and its outlets differ
    assert own.verdict in (Verdict.CONFLICT, Verdict.DEVELOPING)
    zarand = next(f for f in dead if any("612" in v.claim for v in f.versions))
    assert zarand.verdict is Verdict.AGREE and len(zarand.outlets) == 2
    china = next(f for f in dead if any("a dozen" in v.claim for v in f.versions))
    assert china.outlets == ("Daily A",)
