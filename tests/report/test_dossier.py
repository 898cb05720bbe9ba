"""The dossier built from the example corpus's main story (written by us, in the repo).

That story has everything the dossier orders and marks: a real conflict, denials, a
developing death toll, a syndicated copy, one primary source carried by four outlets.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from conftest import EXAMPLES
from schema_check import load_schema, problems

from corroborate.pipeline import IngestOptions, cluster_stored, crosscheck_story, ingest
from corroborate.records import Verdict
from corroborate.report import build_dossier, to_json, to_markdown
from corroborate.report.dossier import VERDICT_ORDER, Dossier, fact_marks
from corroborate.store import Store


@pytest.fixture(scope="module")
def corpus() -> tuple[Dossier, dict[int, str]]:
    store = Store(":memory:")
    try:
        ingest([str(EXAMPLES)], store, IngestOptions(fetch=False, workers=1))
        cluster_stored(store)
        biggest = store.stories.list(limit=1)[0]
        story, check = crosscheck_story(store, biggest.id)
        texts = {s.id: s.article.text for s in store.list_articles()}
    finally:
        store.close()
    return build_dossier(story, check), texts


def test_facts_are_ordered_discrepancies_first(corpus: tuple[Dossier, Any]) -> None:
    d, _ = corpus
    ranks = [VERDICT_ORDER.index(f.verdict) for f in d.facts]
    assert ranks == sorted(ranks)
    kinds = {f.verdict for f in d.facts}
    assert {Verdict.CONFLICT, Verdict.DISPUTED, Verdict.DEVELOPING, Verdict.AGREE} <= kinds
    assert d.facts[0].verdict is Verdict.CONFLICT
    assert {f.verdict for f in d.discrepancies} == {Verdict.CONFLICT, Verdict.DISPUTED,
                                                    Verdict.DEVELOPING}
    counts = d.verdict_counts
    assert list(counts) == [str(v) for v in VERDICT_ORDER]
    assert sum(counts.values()) == len(d.facts)


def test_summary_is_cited_sentences_of_the_best_supported_facts(
        corpus: tuple[Dossier, dict[int, str]]) -> None:
    d, texts = corpus
    assert 1 <= len(d.summary) <= 4
    by_id = {f.id: f for f in d.facts}
    most = max(len(f.outlets) for f in d.facts if f.verdict is Verdict.AGREE)
    for s in d.summary:
        fact = by_id[s.fact_id]
        assert fact.verdict not in (Verdict.CONFLICT, Verdict.DISPUTED)
        assert fact.detail_of is None and len(fact.outlets) >= 2
        cited = texts[s.citation.article_id][s.citation.start:s.citation.end]
        assert " ".join(cited.split()) == s.text  # verbatim, offsets right
        assert s.citation.outlet in fact.outlets
    assert max(s.outlets for s in d.summary) >= most


def test_syndicated_copy_is_listed_but_counted_once(corpus: tuple[Dossier, Any]) -> None:
    d, _ = corpus
    copies = [a for a in d.articles if a.copy_of is not None]
    assert copies
    originals = {a.article_id: a.outlet for a in d.articles}
    for c in copies:
        assert originals[c.copy_of] in d.outlets
    assert len(d.outlets) == len({a.outlet for a in d.articles if a.copy_of is None})


def test_marks_say_single_source_hedged_and_denied(corpus: tuple[Dossier, Any]) -> None:
    d, _ = corpus
    for f in d.facts:
        marks = fact_marks(f)
        assert ("single source" in marks) == f.single_source
        assert any(m.startswith("hedged") for m in marks) == f.hedged
        deniers = [s.name for s in f.sources if s.denies]
        assert any(m.startswith("denied by") for m in marks) == bool(deniers)
    assert any(fact_marks(f) for f in d.discrepancies if f.verdict is Verdict.DISPUTED)


def test_corpus_json_conforms_to_the_documented_schema(corpus: tuple[Dossier, Any]) -> None:
    record = to_json(corpus[0])
    assert problems(record, load_schema()) == []
    conflicts = [f for f in record["facts"] if f["verdict"] == "conflict"]
    assert conflicts
    assert all(len(c["versions"]) >= 2 and c["reason"] for c in conflicts)
    assert {f["measure"] for f in conflicts} >= {"evacuated"}
    copies = [v for f in record["facts"] for v in f["versions"] if v["copy_of"] is not None]
    assert copies


def test_markdown_has_every_section_and_one_row_per_fact(corpus: tuple[Dossier, Any]) -> None:
    d, _ = corpus
    md = to_markdown(d)
    for heading in ("## What happened", "## Facts", "## Provenance", "## Timeline",
                    "## Articles"):
        assert heading in md
    assert md.index("## Key figures") < md.index("## Facts")
    facts = md[md.index("## Facts"):md.index("### Fact by fact")]
    rows = [line for line in facts.splitlines() if re.match(r"\| F\d+ \|", line)]
    assert [r.split(" | ")[0].removeprefix("| ") for r in rows] == [f.id for f in d.facts]
    assert facts.index("**conflict**") < facts.index("**developing**") < facts.index("**agree**")
    key = md[md.index("## Key figures"):md.index("## Facts")]
    assert "| evacuated | **conflict** |" in key and "| dead | **developing** |" in key
    assert "→ Radio Scheldeland" in md  # a provenance path through an intermediary
