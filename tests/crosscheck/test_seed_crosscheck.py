"""Acceptance: the issue's list on the two seeds, as far as the crosscheck stage can say it.

(That the seeds are one story is the cluster stage's to show; here they are given as one.)
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from corroborate.crosscheck import crosscheck
from corroborate.pipeline import IngestOptions, ingest
from corroborate.records import CrossCheck, Fact, NodeKind, TimelineKind, Verdict
from corroborate.store import Store


@cache
def _crosscheck(seeds: str) -> CrossCheck:
    store = Store(":memory:")
    try:
        ingest([seeds], store, IngestOptions(fetch=False, workers=1))
        articles = []
        for stored in store.list_articles():
            extraction = store.get_extraction(stored.id)
            assert extraction is not None
            articles.append((stored, extraction))
    finally:
        store.close()
    return crosscheck(articles)


def seeds_crosscheck(seeds_dir: Path) -> CrossCheck:
    return _crosscheck(str(seeds_dir))


def fact_with(result: CrossCheck, *phrases: str, measure: str | None = None) -> Fact:
    """The main fact (not a dated detail) one of whose versions says every phrase: with
    `measure`, the key-figure fact of that measure, else the fact about what was said."""
    hits = [f for f in result.facts if f.detail_of is None
            and (f.measure or "").startswith(measure or "") and (f.measure is None) == (not measure)
            and any(all(p in v.claim for p in phrases) for v in f.versions)]
    assert len(hits) == 1, (phrases, [f.statement for f in hits])
    return hits[0]


def both_outlets(result: CrossCheck, fact: Fact) -> None:
    assert set(fact.outlets) == {a.outlet for a in result.articles}
    assert len(fact.outlets) == 2


def test_seed_files_are_the_two_reports(seed_files: list[Path]) -> None:
    assert len(seed_files) == 2


def test_deployment_both_outlets_one_independent_source(seeds_dir: Path) -> None:
    result = seeds_crosscheck(seeds_dir)
    fact = fact_with(result, "engineering units", "Donetsk")
    assert any("deploy" in v.claim for v in fact.versions)
    both_outlets(result, fact)
    assert fact.verdict is Verdict.AGREE
    assert fact.independent_sources == 1 and fact.single_source
    (source,) = fact.sources
    assert source.name == "TV Chosun"
    assert "a South Korean government official" in source.cited
    assert fact.hedged and {"could", "may", "unofficial"} <= {c for v in fact.versions
                                                             for c in v.cues}


def test_purpose_rebuild_infrastructure_agrees(seeds_dir: Path) -> None:
    result = seeds_crosscheck(seeds_dir)
    fact = fact_with(result, "rebuild", "infrastructure")
    both_outlets(result, fact)
    assert fact.verdict is Verdict.AGREE
    assert fact.primary_sources == ("TV Chosun",)


def test_payment_pounds_and_dollars_agree_within_conversion_tolerance(seeds_dir: Path) -> None:
    result = seeds_crosscheck(seeds_dir)
    fact = fact_with(result, "£88 million", measure="money")
    assert any("$115 million" in v.claim for v in fact.versions)
    both_outlets(result, fact)
    assert fact.verdict is Verdict.AGREE
    assert "≈ $111.3 million at the ECB rate of 2024-06-27" in fact.reason
    assert "3.2 % apart, within the 5 % conversion tolerance" in fact.reason
    assert fact.independent_sources == 1 and fact.primary_sources == ("TV Chosun",)
    assert fact.hedged
    brigades = fact_with(result, "£88 million", measure="count:brigade")
    both_outlets(result, brigades)
    assert brigades.verdict is Verdict.AGREE
    assert "three to four engineering brigades" in brigades.reason


def test_timing_as_early_as_july_rests_on_one_outlet(seeds_dir: Path) -> None:
    result = seeds_crosscheck(seeds_dir)
    deployment = fact_with(result, "engineering units", "Donetsk")
    (timing,) = [f for f in result.facts if f.detail_of == deployment.id]
    assert "2024-07 (not before)" in timing.statement
    assert timing.verdict is Verdict.SINGLE_OUTLET
    assert len(timing.outlets) == 1


def test_ten_brigades_one_outlet_tv_chosun(seeds_dir: Path) -> None:
    fact = fact_with(seeds_crosscheck(seeds_dir), "10 engineering brigades",
                     measure="count:brigade")
    assert fact.verdict is Verdict.SINGLE_OUTLET
    assert fact.primary_sources == ("TV Chosun",)


def test_containers_one_outlet_defence_ministry_estimate(seeds_dir: Path) -> None:
    fact = fact_with(seeds_crosscheck(seeds_dir), "6,700 containers",
                     measure="count:container")
    assert fact.verdict is Verdict.SINGLE_OUTLET
    assert fact.primary_sources == ("South Korean Defence Ministry",)
    assert fact.hedged and "estimated" in fact.reason


def test_treaty_signed_in_june_both_agree(seeds_dir: Path) -> None:
    result = seeds_crosscheck(seeds_dir)
    fact = fact_with(result, "signed", "19 June")
    both_outlets(result, fact)
    assert fact.verdict is Verdict.AGREE
    assert "dates agree" in fact.reason
    assert "2024-06-19" in fact.reason and "June → 2024-06 " in fact.reason


def test_weapons_allegation_denied_by_russia_and_north_korea(seeds_dir: Path) -> None:
    fact = fact_with(seeds_crosscheck(seeds_dir), "supplying weapons")
    assert fact.verdict is Verdict.DISPUTED
    assert [s.name for s in fact.sources if s.denies] == ["Russia and North Korea"]
    assert "denied by Russia and North Korea" in fact.reason


def test_timeline_places_the_story(seeds_dir: Path) -> None:
    result = seeds_crosscheck(seeds_dir)
    events = {e.label: e for e in result.timeline if e.kind is TimelineKind.EVENT}
    for label in ("2023-09", "late 2024-02", "2024-06-19", "2024-06-26", "2024-07 (not before)"):
        assert label in events, label
    assert "Vladivostok" in events["2023-09"].what
    assert events["late 2024-02"].sources == ("South Korean Defence Ministry",)
    published = [e.label for e in result.timeline if e.kind is TimelineKind.PUBLICATION]
    assert len(published) == 2 and all(p.startswith("2024-06-27") for p in published)
    order = [e.earliest for e in result.timeline]
    assert order == sorted(order)


def test_provenance_graph_runs_from_outlets_to_the_official(seeds_dir: Path) -> None:
    result = seeds_crosscheck(seeds_dir)
    kinds = {n.name: n.kind for n in result.provenance.nodes}
    assert kinds["a South Korean government official"] is NodeKind.PRIMARY
    outlets = {n.key for n in result.provenance.nodes if n.kind is NodeKind.OUTLET}
    to_chosun = {e.source for e in result.provenance.edges if e.target == "outlet:tvchosun"}
    assert outlets <= to_chosun
