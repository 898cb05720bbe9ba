"""Acceptance: the issue's list on the two seeds, as the dossier states it.

The seeds go the product's way: ingested into a store, clustered, cross-checked, and the
dossier built; the assertions read its JSON (what the web app and other tools get), then
check that Markdown and HTML say the same.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from schema_check import load_schema, problems

from corroborate.pipeline import IngestOptions, cluster_stored, crosscheck_story, ingest
from corroborate.report import (
    DOSSIER_SCHEMA_VERSION,
    Dossier,
    build_dossier,
    to_html,
    to_json,
    to_markdown,
)
from corroborate.store import Store


@cache
def _seed_dossier(seeds: str) -> tuple[Dossier, dict[int, str], int]:
    """The dossier, the articles' texts by id, and how many stories the seeds made."""
    store = Store(":memory:")
    try:
        ingest([seeds], store, IngestOptions(fetch=False, workers=1))
        cluster_stored(store)
        stories = store.stories.list(limit=10)
        story, check = crosscheck_story(store, stories[0].id)
        texts = {s.id: s.article.text for s in store.list_articles()}
    finally:
        store.close()
    return build_dossier(story, check), texts, len(stories)


def seed_dossier(seeds_dir: Path) -> Dossier:
    return _seed_dossier(str(seeds_dir))[0]


def seed_json(seeds_dir: Path) -> dict[str, Any]:
    return to_json(seed_dossier(seeds_dir))


def fact_with(record: dict[str, Any], *phrases: str,
              measure: str | None = None) -> dict[str, Any]:
    """The main fact (not a dated detail) one of whose versions says every phrase: with
    `measure`, the key-figure fact of that measure, else the fact about what was said."""
    hits = [f for f in record["facts"] if f["detail_of"] is None
            and (f["measure"] is None) == (measure is None)
            and (f["measure"] or "").startswith(measure or "")
            and any(all(p in v["claim"] for p in phrases) for v in f["versions"])]
    assert len(hits) == 1, (phrases, [f["statement"] for f in hits])
    return hits[0]


def reported_by_both(record: dict[str, Any], fact: dict[str, Any]) -> None:
    assert sorted(fact["outlets"]) == sorted(record["story"]["outlets"])
    assert len(fact["outlets"]) == 2


def test_seeds_are_one_story_of_two_outlets(seeds_dir: Path) -> None:
    dossier, texts, stories = _seed_dossier(str(seeds_dir))
    assert stories == 1
    assert len(dossier.articles) == 2 and set(texts) == {a.article_id for a in dossier.articles}
    assert len(dossier.outlets) == 2


def test_seed_json_conforms_to_the_documented_schema(seeds_dir: Path) -> None:
    record = seed_json(seeds_dir)
    assert record["schema_version"] == DOSSIER_SCHEMA_VERSION
    assert problems(record, load_schema()) == []


def test_deployment_both_outlets_one_independent_source_tv_chosun(seeds_dir: Path) -> None:
    record = seed_json(seeds_dir)
    fact = fact_with(record, "engineering units", "Donetsk")
    reported_by_both(record, fact)
    assert fact["verdict"] == "agree"
    assert fact["independent_sources"] == 1 and fact["primary_sources"] == ["TV Chosun"]
    (source,) = fact["sources"]
    assert source["cited"] == ["a South Korean government official"]
    assert len(source["outlets"]) == 2
    # only one outlet adds the official: it is in one outlet's chain, not the other's
    citing = {v["outlet"] for v in fact["versions"]
              if any(a["source"] == "a South Korean government official" for a in v["chain"])}
    assert len(citing) == 1
    assert "single source" in fact["marks"]
    assert {"could", "may", "unofficial"} <= set(fact["hedge_cues"])


def test_purpose_rebuild_infrastructure_both_agree(seeds_dir: Path) -> None:
    record = seed_json(seeds_dir)
    fact = fact_with(record, "rebuild", "infrastructure")
    reported_by_both(record, fact)
    assert fact["verdict"] == "agree"


def test_payment_pounds_and_dollars_agree_within_conversion_tolerance(seeds_dir: Path) -> None:
    record = seed_json(seeds_dir)
    fact = fact_with(record, "£88 million", measure="money")
    claims = " | ".join(v["claim"] for v in fact["versions"])
    assert "up to $115 million annually" in claims and "up to £88 million annually" in claims
    reported_by_both(record, fact)
    assert fact["verdict"] == "agree"
    assert "at the ECB rate of 2024-06-27" in fact["reason"]
    assert "within the 5 % conversion tolerance" in fact["reason"]
    assert fact["independent_sources"] == 1 and fact["primary_sources"] == ["TV Chosun"]
    brigades = fact_with(record, "£88 million", measure="count:brigade")
    assert "three to four engineering brigades" in brigades["reason"]
    money = [a for v in fact["versions"] for a in v["amounts"] if a["kind"] == "money"]
    assert {a["unit"] for a in money} == {"GBP", "USD"}
    assert {a["per"] for a in money} == {"year"} and {a["bound"] for a in money} == {"upper"}


def test_timing_as_early_as_july_one_outlet_only(seeds_dir: Path) -> None:
    record = seed_json(seeds_dir)
    deployment = fact_with(record, "engineering units", "Donetsk")
    (timing,) = [f for f in record["facts"] if f["detail_of"] == deployment["id"]]
    assert "as early as July" in timing["statement"]
    assert "2024-07 (not before)" in timing["statement"]
    assert timing["verdict"] == "single_outlet" and len(timing["outlets"]) == 1


def test_ten_brigades_one_outlet_tv_chosun(seeds_dir: Path) -> None:
    fact = fact_with(seed_json(seeds_dir), "10 engineering brigades", measure="count")
    assert fact["verdict"] == "single_outlet" and len(fact["outlets"]) == 1
    assert fact["primary_sources"] == ["TV Chosun"]


def test_containers_one_outlet_defence_ministry_estimate(seeds_dir: Path) -> None:
    fact = fact_with(seed_json(seeds_dir), "6,700 containers", measure="count")
    assert fact["verdict"] == "single_outlet" and len(fact["outlets"]) == 1
    assert fact["primary_sources"] == ["South Korean Defence Ministry"]
    assert fact["hedged"] and "hedged (estimated)" in fact["marks"]


def test_treaty_signed_19_june_both_agree(seeds_dir: Path) -> None:
    record = seed_json(seeds_dir)
    fact = fact_with(record, "signed", "19 June")
    reported_by_both(record, fact)
    assert fact["verdict"] == "agree"
    assert "2024-06-19" in fact["reason"] and "June → 2024-06 " in fact["reason"]


def test_weapons_allegation_denied_by_russia_and_north_korea(seeds_dir: Path) -> None:
    record = seed_json(seeds_dir)
    fact = fact_with(record, "supplying weapons")
    assert fact["verdict"] == "disputed"
    assert "denied by Russia and North Korea" in fact["marks"]
    assert [s["name"] for s in fact["sources"] if s["denies"]] == ["Russia and North Korea"]
    assert "a conflict between sources, not between outlets" in fact["reason"]


def test_hedged_claims_are_marked_with_their_words(seeds_dir: Path) -> None:
    record = seed_json(seeds_dir)
    cues = {c for f in record["facts"] if f["hedged"] for c in f["hedge_cues"]}
    assert {"could", "might", "may", "expected", "unofficial"} - cues <= {"might"}
    for f in record["facts"]:
        assert f["hedged"] == any(m.startswith("hedged") for m in f["marks"])


def test_discrepancies_come_first(seeds_dir: Path) -> None:
    record = seed_json(seeds_dir)
    verdicts = [f["verdict"] for f in record["facts"]]
    rank = ["conflict", "disputed", "developing", "agree", "single_outlet"]
    assert verdicts == sorted(verdicts, key=rank.index)
    assert verdicts[0] == "disputed"
    assert sum(record["verdict_counts"].values()) == len(verdicts)


def test_timeline_has_the_story_dates(seeds_dir: Path) -> None:
    record = seed_json(seeds_dir)
    events = {e["label"]: e for e in record["timeline"] if e["kind"] == "event"}
    for label in ("2023-09", "late 2024-02", "2024-06-19", "2024-06-26",
                  "2024-07 (not before)"):
        assert label in events, label
    assert "Vladivostok" in events["2023-09"]["what"]
    assert "containers" in events["late 2024-02"]["what"]
    assert "Putin and Kim" in events["2024-06-19"]["what"]
    assert "ISW" in events["2024-06-26"]["what"]
    assert events["2024-07 (not before)"]["granularity"] == "month"
    published = [e["earliest"] for e in record["timeline"] if e["kind"] == "publication"]
    assert len(published) == 2 and all(p.startswith("2024-06-27") for p in published)


def test_summary_sentences_are_the_articles_own_and_cited(seeds_dir: Path) -> None:
    dossier, texts, _ = _seed_dossier(str(seeds_dir))
    assert dossier.summary
    for s in dossier.summary:
        cited = texts[s.citation.article_id][s.citation.start:s.citation.end]
        assert " ".join(cited.split()) == s.text
        assert s.outlets == 2
    said = " ".join(s.text for s in dossier.summary)
    assert "Donetsk" in said and "infrastructure" in said


def test_markdown_and_html_state_the_same(seeds_dir: Path) -> None:
    dossier = seed_dossier(seeds_dir)
    md, page = to_markdown(dossier), to_html(dossier)
    for text in (md, page):
        assert "within the 5 % conversion tolerance" in text
        assert "denied by Russia and North Korea" in text
        assert "a South Korean government official" in text
        assert "late 2024-02" in text
    facts = md[md.index("## Facts"):]
    assert facts.index("**disputed**") < facts.index("**agree**") \
        < facts.index("**single outlet**")
    assert "→ TV Chosun" in md and "<svg" in page
