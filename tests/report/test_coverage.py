"""The dossier's coverage panel, provenance graph and timeline parts on a real multi-outlet
story: the development gold's D01 (eleven outlets' reports of one Paris jewellery raid, with
AFP copies and one syndicated near-duplicate), cross-checked as `corroborate check` does."""

from __future__ import annotations

from datetime import datetime

import pytest
from conftest import gold_inputs
from schema_check import load_schema, problems

from corroborate.pipeline import IngestOptions, check_documents
from corroborate.records import JoinEvidence, Story, StoryMember
from corroborate.report import build_dossier, coverage_svg, to_json
from corroborate.report.coverage import coverage, usual_outlets
from corroborate.report.dossier import generic_source


@pytest.fixture(scope="module")
def d01(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    out = gold_inputs(tmp_path_factory.mktemp("gold"), "D01")
    return check_documents([str(out / "D01")], IngestOptions(fetch=False))


def test_coverage_lists_every_outlet_with_each_report_and_copies_under_originals(d01) -> None:  # type: ignore[no-untyped-def]
    d = build_dossier(d01.story, d01.check)
    refs = {a.article_id: a for a in d01.check.articles}
    listed = {r.article_id: r for row in d.coverage for r in row.reports}
    copies = {c.article_id: r.article_id for row in d.coverage for r in row.reports
              for c in r.copies}
    assert set(listed) | set(copies) == set(refs)  # every report once, as original or copy
    assert all(listed[i].url == refs[i].url for i in listed)  # the original's address
    assert {row.outlet for row in d.coverage} == {a.outlet for a in refs.values()}
    for copy, original in copies.items():
        assert refs[copy].copy_of == original
    assert copies  # ahametals.com reprints NBC News
    # earliest publisher first; outlets with no date, then those printing only copies, last
    firsts = [row.first for row in d.coverage if row.reports]
    assert all(row.reports for row in d.coverage[:len(firsts)])
    known = [f for f in firsts if f is not None]
    assert known == sorted(known) and firsts[:len(known)] == known
    assert coverage_svg(d) == ""  # every report dated the same day: the table says it all


def test_near_duplicates_stored_by_ingest_are_listed_under_their_original(d01) -> None:  # type: ignore[no-untyped-def]
    ids = [a.article_id for a in d01.check.articles if a.copy_of is None]
    first, second = ids[0], ids[1]
    rows = coverage(d01.check.articles, d01.check.origins, {second: first})
    under = {c.article_id for row in rows for r in row.reports if r.article_id == first
             for c in r.copies}
    assert second in under
    assert second not in {r.article_id for row in rows for r in row.reports}


def test_provenance_graph_drops_pronouns_and_generic_sources_keeping_named_ones(d01) -> None:  # type: ignore[no-untyped-def]
    raw = {n.name for n in d01.check.provenance.nodes}
    assert {"reports", "our correspondent"} & raw  # the cross-check keeps them, as written
    d = build_dossier(d01.story, d01.check)
    drawn = {n.name for n in d.provenance.nodes}
    assert not {n for n in drawn if generic_source(n)}
    assert "AFP" in raw and "police" in drawn
    keys = {n.key for n in d.provenance.nodes}
    assert all(e.source in keys and e.target in keys for e in d.provenance.edges)
    for name in ("he", "They", "our correspondent", "reports", "another"):
        assert generic_source(name), name
    for name in ("police", "a police source", "AFP", "Le Monde", "Christian Fraser"):
        assert not generic_source(name), name


def test_timeline_splits_the_event_from_background_and_drops_a_misread_relative_date(d01) -> None:  # type: ignore[no-untyped-def]
    d = build_dossier(d01.story, d01.check)
    labels = [e.label for e in d01.check.timeline]
    # "French police are investigating ... this summer" (published 2013-09-09): not 2014
    assert not [x for x in labels if x.startswith("summer 2014") or x.startswith("2014")]
    events = [e.label for e in d.story_events]
    background = [e.label for e in d.background]
    assert "2013-09-09" in events and "2013-09-08" in events
    assert {"2007", "2008-12", "2013-07"} <= set(background)
    assert not set(events) & set(background)
    record = to_json(d)
    assert problems(record, load_schema()) == []
    parts = {e["label"]: e["part"] for e in record["timeline"]}
    assert parts["2007"] == "background" and parts["2013-09-09"] == "event"


def _story(story_id: int, outlets: tuple[str, ...]) -> Story:
    members = tuple(StoryMember(story_id * 100 + i, JoinEvidence("test"), o, f"report {i}",
                                datetime(2024, 1, 1)) for i, o in enumerate(outlets))
    return Story(story_id, f"story {story_id}", members, outlets, None, None)


def test_not_covered_by_names_outlets_usual_for_related_stories_only() -> None:
    story = _story(1, ("Le Monde", "AFP"))
    related = [_story(2, ("Reuters", "AFP", "BBC")), _story(3, ("reuters", "Le Monde")),
               _story(4, ("Reuters", "BBC", "Daily Star")), _story(5, ("Daily Star",)),
               _story(6, ("Local Herald",))]
    # Reuters: 3 of 5 related stories; BBC and Daily Star: 2 of 5 (>= 2, >= a third);
    # AFP and Le Monde cover this story; Local Herald: once, chance
    assert usual_outlets(story, related) == ("Reuters", "BBC", "Daily Star")
    assert usual_outlets(story, related[:1]) == ()  # one related story proves nothing
    assert usual_outlets(story, []) == ()
    assert usual_outlets(story, related, covered=("BBC",)) == ("Reuters", "Daily Star")
