"""The seeds through the whole product path: ingest → extract → store → CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corroborate.cli import app
from corroborate.pipeline import IngestOptions, extract_stored, ingest
from corroborate.records import Bound, Certainty, EntityKind, Extraction
from corroborate.store import Store


@pytest.fixture
def seeds_store(seeds_dir: Path) -> Store:
    store = Store(":memory:")
    ingest([str(seeds_dir)], store, IngestOptions(fetch=False, workers=1))
    return store


def _by_author(store: Store) -> dict[str, Extraction]:
    out = {}
    for a in store.list_articles():
        extraction = store.get_extraction(a.id)
        assert extraction is not None and extraction.skipped is None
        out["polish" if a.article.author else "ukrainian"] = extraction
    return out


def test_seed_amounts_converted_at_publication_day_rate(seeds_store: Store) -> None:
    ex = _by_author(seeds_store)
    gbp = next(a for a in ex["polish"].amounts if a.unit == "GBP")
    assert (gbp.low, gbp.bound, gbp.per) == (88e6, Bound.UPPER, "year")
    assert gbp.usd is not None and gbp.usd[0] == pytest.approx(111.3e6, rel=0.01)
    assert gbp.rate_date == "2024-06-27"
    usd = next(a for a in ex["ukrainian"].amounts if a.unit == "USD")
    assert (usd.low, usd.bound, usd.per) == (115e6, Bound.UPPER, "year")
    brigades = [a for a in ex["polish"].amounts if a.unit == "engineering brigade"]
    assert {(a.low, a.high) for a in brigades} == {(10, 10), (3, 4)}
    containers = next(a for a in ex["polish"].amounts if a.unit == "container")
    assert (containers.low, containers.bound) == (6700, Bound.APPROXIMATE)


def test_seed_dates_resolved_against_publication(seeds_store: Store) -> None:
    ex = _by_author(seeds_store)
    labels = {t.text: t.label for t in ex["polish"].times + ex["ukrainian"].times}
    assert labels["as early as July"] == "2024-07 (not before)"
    assert labels["19 June"] == "2024-06-19"
    assert labels["September"] == "2023-09"  # "Last year ... in September"
    assert labels["Last year"] == "2023"
    assert labels["the end of February this year"] == "late 2024-02"


def test_seed_chains_denial_and_places(seeds_store: Store) -> None:
    ex = _by_author(seeds_store)
    claim = next(c for c in ex["ukrainian"].claims if "$115 million" in c.text)
    assert [link.key for link in claim.chain[1:2]] == ["outlet:tv chosun"]
    assert "government official" in claim.chain[-1].source
    gbp_claim = next(c for c in ex["polish"].claims if "£88 million" in c.text)
    assert gbp_claim.chain[-1].key == "outlet:tv chosun"
    assert gbp_claim.certainty in (Certainty.CONDITIONAL, Certainty.HEDGED)
    assert gbp_claim.amounts  # linked to its amount mentions
    denied = next(c for c in ex["polish"].claims if "supplying weapons" in c.text)
    assert denied.certainty is Certainty.DENIED
    entities = ex["polish"].entities
    assert any(m.text == "Pyongyang" and m.key == "country:KP" for m in entities)
    assert any(m.text == "Donetsk" and m.kind is EntityKind.PLACE and m.country == "UA"
               for m in entities)


def test_seed_unnamed_media_are_links_with_their_hedge(seeds_store: Store) -> None:
    ex = _by_author(seeds_store)
    unofficial = next(c for c in ex["polish"].claims if "engineering units" in c.text)
    assert unofficial.chain[-1].source == "Unofficial media reports"
    assert unofficial.chain[-1].key == "media:unnamed"
    assert unofficial.certainty is Certainty.HEDGED and "unofficial" in unofficial.cues
    lede = next(c for c in ex["ukrainian"].claims if "potentially earning" in c.text)
    assert (lede.chain[-1].source, lede.chain[-1].key) == ("South Korean media",
                                                           "media:south korean")
    assert lede.certainty is Certainty.HEDGED and "could" in lede.cues


def test_short_name_takes_full_name_across_articles(seeds_store: Store) -> None:
    ex = _by_author(seeds_store)
    keys = {m.key for m in ex["ukrainian"].entities if m.kind is EntityKind.PERSON}
    assert "person:vladimir putin" in keys and "person:putin" not in keys


def test_extract_command_and_article_view(seeds_dir: Path, db_path: Path) -> None:
    runner = CliRunner()
    r = runner.invoke(app, ["ingest", str(seeds_dir), "--db", str(db_path), "--no-fetch",
                            "--no-extract"])
    assert r.exit_code == 0, r.output
    with Store(db_path) as store:
        assert store.get_extraction(1) is None
    r = runner.invoke(app, ["extract", "--db", str(db_path), "--workers", "1"])
    assert r.exit_code == 0, r.output
    assert "2 articles analysed" in r.stdout
    r = runner.invoke(app, ["article", "1", "--db", str(db_path)])
    assert r.exit_code == 0 and "Claims" in r.stdout and "TV Chosun" in r.stdout
    r = runner.invoke(app, ["article", "1", "--db", str(db_path), "--json"])
    record = json.loads(r.stdout)
    assert record["extraction"]["claims"][0]["chain"][0]["cue"] is None
    with Store(db_path) as store:
        assert extract_stored(store, workers=1) == 0  # nothing new to do


def test_non_english_article_is_skipped_with_reason(tmp_path: Path) -> None:
    f = tmp_path / "de.txt"
    f.write_text("Regierung beschließt Hilfen\n\nDie Bundesregierung hat am Montag beschlossen, "
                 "die Hilfen für die Landwirte zu verlängern, wie ein Sprecher in Berlin "
                 "mitteilte. Die Opposition kritisierte die Entscheidung scharf.\n")
    with Store(":memory:") as store:
        ingest([str(f)], store, IngestOptions(fetch=False, workers=1))
        (a,) = store.list_articles()
        extraction = store.get_extraction(a.id)
        assert extraction is not None and "English only" in (extraction.skipped or "")


def test_declared_language_is_checked_against_the_text() -> None:
    """A site's locale is not its article's language: an English report a German edition
    carries (declared "de") is analysed; a German text declared "de" is still skipped."""
    from corroborate.extract import extract_article
    from corroborate.records import Article, DocFormat

    english = ("A group of former Facebook and Google employees launched a campaign on "
               "Monday to warn children about technology addiction, the coalition's "
               "founder Tristan Harris said in San Francisco.")
    german = ("Die Bundesregierung hat am Montag beschlossen, die Hilfen für die Landwirte zu "
              "verlängern, wie ein Sprecher in Berlin mitteilte. Die Opposition kritisierte "
              "die Entscheidung scharf.")
    wire = extract_article(Article(source="t", format=DocFormat.TEXT, text=english,
                                   language="de"))
    assert wire.skipped is None
    assert any(m.name == "Tristan Harris" for m in wire.entities)
    local = extract_article(Article(source="t", format=DocFormat.TEXT, text=german,
                                    language="de"))
    assert "English only" in (local.skipped or "")
