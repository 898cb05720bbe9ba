"""Acceptance: the port-fire story of the example corpus, every verdict the issue asks for."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from corroborate.crosscheck import crosscheck
from corroborate.crosscheck.statements import article_refs, build_statements
from corroborate.pipeline import IngestOptions, ingest
from corroborate.records import CrossCheck, Fact, NodeKind, Verdict
from corroborate.store import Store

CORPUS = Path(__file__).resolve().parents[2] / "examples" / "corpus"
FIRE_OUTLETS = {"EuroWire", "Scheldt Courier", "Lowlands Daily", "Harbour Watch"}


@cache
def fire_story() -> CrossCheck:
    """Every article of the corpus but the unrelated Ghent tram story."""
    store = Store(":memory:")
    try:
        ingest([str(CORPUS)], store, IngestOptions(fetch=False, workers=1))
        articles = []
        for stored in store.list_articles():
            if "ghent" in (stored.article.url or ""):
                continue
            extraction = store.get_extraction(stored.id)
            assert extraction is not None
            articles.append((stored, extraction))
    finally:
        store.close()
    assert len(articles) == 6
    return crosscheck(articles)


def fact_with(*phrases: str, measure: str | None = None) -> Fact:
    """The one fact whose versions say these words: with `measure`, the key-figure fact of
    that measure (figures are judged there), else the fact about what was said."""
    hits = [f for f in fire_story().facts if f.detail_of is None and f.measure == measure
            and any(all(p in v.claim for p in phrases) for v in f.versions)]
    assert len(hits) == 1, (phrases, [f.statement for f in hits])
    return hits[0]


def test_euros_and_dollars_of_damage_agree_on_one_shared_source() -> None:
    fact = fact_with("$43 million", measure="money")
    assert fact.verdict is Verdict.AGREE
    assert set(fact.outlets) == FIRE_OUTLETS
    assert "within the 5 % conversion tolerance" in fact.reason
    assert "ECB rate of 2025-03-04" in fact.reason
    assert fact.independent_sources == 1 and fact.primary_sources == ("Lieve Janssens",)
    assert fact.hedged


def test_evacuation_figures_conflict() -> None:
    fact = fact_with("1,200 residents", measure="evacuated")
    assert any("3,000" in v.claim for v in fact.versions)
    assert fact.verdict is Verdict.CONFLICT
    assert "beyond the 10 % approximate-figure tolerance" in fact.reason


def test_death_toll_rising_two_to_four_is_developing() -> None:
    fact = fact_with("death toll", measure="dead")
    assert fact.verdict is Verdict.DEVELOPING
    assert fact.reason.index("Two workers") < fact.reason.index("four")
    assert "rises with publication time" in fact.reason


def test_union_allegation_denied_by_the_company() -> None:
    fact = fact_with("safety inspections", "postponed twice last year")
    assert fact.verdict is Verdict.DISPUTED
    alleging = {s.name for s in fact.sources if not s.denies}
    denying = {s.name for s in fact.sources if s.denies}
    assert alleging == {"Port Workers Union"} and denying == {"Scheldt Bulk Storage"}
    assert fact.independent_sources == 1


def test_denying_the_claims_answers_every_union_claim_before_it() -> None:
    """Harbour Watch: the union's account, then its secretary's quote, then "Scheldt Bulk
    Storage denied the claims": the denial answers both union claims, not only the quote."""
    store = Store(":memory:")
    try:
        ingest([str(CORPUS / "harbourwatch")], store, IngestOptions(fetch=False, workers=1))
        articles = [(a, store.get_extraction(a.id)) for a in store.list_articles()]
    finally:
        store.close()
    statements = build_statements(articles, article_refs(articles))
    (denial,) = [s for s in statements if s.anaphoric]
    answered = [statements[i].claim.text for i in denial.denied_targets]
    assert any("postponed twice" in t for t in answered), answered
    assert any("We warned about this site" in t for t in answered), answered
    for words in ("postponed twice", "We warned about this site"):
        fact = fact_with(words)
        assert fact.verdict is Verdict.DISPUTED, words
        assert "Scheldt Bulk Storage" in {s.name for s in fact.sources if s.denies}, words


def test_syndicated_copy_counts_with_its_original() -> None:
    result = fire_story()
    (copy,) = [a for a in result.articles if a.copy_of is not None]
    assert copy.outlet == "The Morning Ledger"
    damage = fact_with("$43 million", measure="money")
    assert copy.article_id in {v.article_id for v in damage.versions}
    assert "The Morning Ledger" not in damage.outlets
    assert "counted once" in damage.reason


def test_radio_scheldeland_is_an_intermediary_to_janssens() -> None:
    result = fire_story()
    kinds = {n.name: n.kind for n in result.provenance.nodes}
    assert kinds["Radio Scheldeland"] is NodeKind.INTERMEDIARY
    assert kinds["Lieve Janssens"] is NodeKind.PRIMARY
    assert ("outlet:radio scheldeland", "person:lieve janssens") in {
        (e.source, e.target) for e in result.provenance.edges}
