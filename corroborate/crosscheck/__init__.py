"""Cross-checking a story: what its outlets agree on, where they conflict, and whose word it is.

`crosscheck(articles)` takes a story's articles with their extractions and returns a
`CrossCheck` (records.py): facts (aligned claims, each with its versions, verdict and reason,
and its independent primary sources), the provenance graph, and the timeline. It is a pure
function of its input, ordered deterministically; the report stage renders it.

    align.py       claims → facts (embeddings + words, entities, figures, dates)
    compare.py     figures and dates compared: currencies, bounds, tolerance, developing
    verdicts.py    agree / conflict / developing / single outlet / disputed, in words
    chains.py      attribution chains resolved across the story
    provenance.py  independent sources and the outlets → intermediaries → sources graph
    facts.py       facts built from aligned claims, and dated details
    timeline.py    dated events and publications
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from corroborate.crosscheck.align import Similarity, align
from corroborate.crosscheck.compare import (
    TOLERANCE_APPROXIMATE,
    TOLERANCE_CONVERSION,
    TOLERANCE_ROUNDING,
)
from corroborate.crosscheck.events import event_markers
from corroborate.crosscheck.facts import build_fact, drafts_from
from corroborate.crosscheck.key_figures import (
    claim_figures_verdict,
    classed_atoms,
    group_atoms,
    key_figure_fact,
)
from corroborate.crosscheck.provenance import (
    origin_rows,
    provenance_graph,
    tie_shared_sources,
)
from corroborate.crosscheck.statements import (
    Statement,
    article_refs,
    build_statements,
    shared_origins,
)
from corroborate.crosscheck.timeline import build_timeline, group_by_article
from corroborate.records import CrossCheck, Extraction, Fact, StoredArticle, Verdict

__all__ = [
    "TOLERANCE_APPROXIMATE",
    "TOLERANCE_CONVERSION",
    "TOLERANCE_ROUNDING",
    "crosscheck",
]


def crosscheck(articles: Sequence[tuple[StoredArticle, Extraction]]) -> CrossCheck:
    """Facts, provenance and timeline of one story's articles."""
    origins = shared_origins(articles)
    refs = article_refs(articles, origins)
    statements = build_statements(articles, refs, origins)
    tie_shared_sources(statements)
    similarity = Similarity()
    groups = align(statements, similarity)
    drafts = drafts_from([g.members for g in groups], [g.lead for g in groups], statements)
    facts: list[Fact] = []
    fact_statements: list[tuple[str, Sequence[Statement]]] = []
    parent: str | None = None
    atoms = classed_atoms(statements)
    for n, draft in enumerate(drafts, 1):
        fact_id = f"F{n}"
        if draft.timing is None:
            parent = fact_id
        fact = build_fact(fact_id, draft, parent if draft.timing is not None else None,
                          figures=False)
        if draft.timing is None and fact.verdict is Verdict.AGREE:
            differs = claim_figures_verdict(draft.members, atoms)
            if differs is not None:
                fact = replace(fact, verdict=differs[0], reason=f"{differs[1]}; {fact.reason}")
        facts.append(fact)
        fact_statements.append((fact_id, draft.members + draft.denials))
    for group in group_atoms(atoms, similarity, event_markers(statements),
                             event_markers(statements, instant=True)):
        fact_id = f"F{len(facts) + 1}"
        facts.append(key_figure_fact(fact_id, group))
        fact_statements.append((fact_id, [a.statement for a in group]))
    claim_facts = group_by_article([(v.article_id, v.claim_start, f.id)
                                    for f in facts if f.detail_of is None for v in f.versions])
    claim_sources = {(v.article_id, v.claim_start): v.primary_source
                     for f in facts for v in f.versions}
    return CrossCheck(
        facts=tuple(facts),
        provenance=provenance_graph(fact_statements, refs),
        timeline=build_timeline(articles, refs, claim_facts, claim_sources),
        articles=tuple(refs),
        tolerance=TOLERANCE_CONVERSION,
        origins=origin_rows(facts),
    )
