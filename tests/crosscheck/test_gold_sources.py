"""Independent sources on real multi-outlet coverage: the development gold's wire stories.

The articles are written by the shared input writer (../shared/tools/corroboration_inputs.py)
exactly as the benchmark feeds them; what is asserted is what the gold's shared-source flags
say of them, for the articles that carry one wire text.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import gold_inputs

from corroborate.pipeline import IngestOptions, check_documents


@pytest.fixture(scope="module")
def d01(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    out = gold_inputs(tmp_path_factory.mktemp("gold"), "D01")
    result = check_documents([str(out / "D01")], IngestOptions(fetch=False))
    gold_of = {}
    for event in result.events:
        record = json.loads(Path(event.source).read_text(encoding="utf-8"))
        gold_of[event.article_id] = record["gold_article_id"]
    return result, gold_of


def test_the_afp_versions_of_the_paris_heist_rest_on_one_origin(d01) -> None:  # type: ignore[no-untyped-def]
    result, gold_of = d01
    afp = {"A1", "A5", "A7", "A10"}  # verbatim AFP carriers (the gold's flag P2)
    checked = 0
    for fact in result.check.facts:
        keys = {v.primary_key for v in fact.versions if gold_of[v.article_id] in afp}
        if len({gold_of[v.article_id] for v in fact.versions} & afp) >= 2:
            checked += 1
            assert len(keys) == 1, (fact.statement, keys)
    assert checked >= 5
    # the carriers are co-carriers of one text, not copies of whichever came first
    carriers = [a for a in result.check.articles if gold_of[a.article_id] in afp]
    assert len({a.origin for a in carriers}) == 1 and carriers[0].origin is not None
    assert all(a.copy_of is None for a in carriers)


def test_the_story_header_counts_origins_not_outlets_times_facts(d01) -> None:  # type: ignore[no-untyped-def]
    result, _ = d01
    origins = result.check.origins
    main = [f for f in result.check.facts if f.detail_of is None]
    assert len(origins) < sum(f.independent_sources for f in main)
    widest = origins[0]
    assert len(widest.outlets) >= 5 and widest.why
    assert len({o.key for o in origins}) == len(origins)
    names = [n.name for n in result.check.provenance.nodes]
    assert len(names) == len({n.key for n in result.check.provenance.nodes})
