"""The story dossier: what an analyst reads first, built from a story and its cross-check.

The cross-check already decided every verdict and counted every source; the dossier only
chooses what comes first and what gets a mark. Discrepancies lead the facts (an analyst who
reads one line should see where outlets part ways), and the headline summary is made of
sentences taken verbatim from the articles, each cited, never of words we wrote.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from corroborate.records import (
    ArticleRef,
    CrossCheck,
    Fact,
    NodeKind,
    OriginRow,
    Provenance,
    ProvenanceEdge,
    Story,
    TimelineEntry,
    TimelineKind,
    Verdict,
    Version,
)
from corroborate.report.coverage import OutletCoverage, coverage, usual_outlets

DOSSIER_SCHEMA_VERSION = "1.2"
TOP_ORIGINS = 6  # origins the provenance graph draws; the rest are listed, not drawn
# Sources no reader can follow: pronouns left unresolved, and words that name no one
# ("reports", "our correspondent"). The graph leaves them out (their edges bridged); the
# facts keep them, as the articles wrote them.
_GENERIC = """
    i me we us you he him his she her hers it its they them their theirs one ones this that
    these those another other others someone somebody anyone everyone who a an the our your
    report reports reporting source sources correspondent correspondents reporter reporters
    media press people witness witnesses observers some many several
"""
GENERIC_SOURCE_WORDS = frozenset(_GENERIC.split())

# Discrepancies first (outlets apart, sources apart, a figure moving), then agreement, then
# what rests on one outlet.
VERDICT_ORDER: tuple[Verdict, ...] = (
    Verdict.CONFLICT,
    Verdict.DISPUTED,
    Verdict.DEVELOPING,
    Verdict.AGREE,
    Verdict.SINGLE_OUTLET,
)
DISCREPANCIES = frozenset({Verdict.CONFLICT, Verdict.DISPUTED, Verdict.DEVELOPING})

VERDICT_LABELS: dict[Verdict, str] = {
    Verdict.CONFLICT: "conflict",
    Verdict.DISPUTED: "disputed",
    Verdict.DEVELOPING: "developing",
    Verdict.AGREE: "agree",
    Verdict.SINGLE_OUTLET: "single outlet",
}

SUMMARY_SENTENCES = 4
BACKGROUND_DAYS = 14  # events that began this long before the first publication: background


@dataclass(frozen=True, slots=True)
class Citation:
    """Where a sentence stands: the outlet, the article, and character offsets into its text."""

    outlet: str
    article_id: int
    start: int
    end: int

    def __str__(self) -> str:
        article = f"article {self.article_id}"
        where = article if self.outlet == article else f"{self.outlet}, {article}"
        return f"{where}, chars {self.start}–{self.end}"


@dataclass(frozen=True, slots=True)
class SummarySentence:
    """One sentence of the headline summary, as an article wrote it, and how well it is held."""

    text: str
    fact_id: str
    citation: Citation
    outlets: int  # outlets reporting the fact (syndicated copies once)
    independent_sources: int
    hedged: bool


@dataclass(frozen=True, slots=True)
class Dossier:
    """Everything the Markdown, HTML and JSON renderings show, in the order they show it."""

    story_id: int
    title: str
    outlets: tuple[str, ...]
    first_seen: datetime | None
    last_seen: datetime | None
    summary: tuple[SummarySentence, ...]
    facts: tuple[Fact, ...]  # discrepancies first, then agree, then single outlet
    provenance: Provenance
    timeline: tuple[TimelineEntry, ...]
    articles: tuple[ArticleRef, ...]
    tolerance: float  # relative tolerance for converted currency amounts
    entities: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    merged_from: tuple[int, ...] = ()
    origins: tuple[OriginRow, ...] = ()  # the story's independent origins, most outlets first
    origins_not_drawn: int = 0  # origins left out of the provenance graph (beyond the top)
    coverage: tuple[OutletCoverage, ...] = ()  # outlets × time, copies under originals
    not_covered_by: tuple[str, ...] = ()  # outlets usual for related stories, absent here
    related_stories: int = 0  # stories sharing a main entity or place (not_covered_by's base)
    schema_version: str = DOSSIER_SCHEMA_VERSION

    @property
    def independent_origins(self) -> int:
        """Distinct origins behind the story's main facts: the story header's count."""
        return len(self.origins)

    @property
    def verdict_counts(self) -> dict[str, int]:
        """Facts per verdict, every verdict present (zero included), in dossier order."""
        return {str(v): sum(f.verdict is v for f in self.facts) for v in VERDICT_ORDER}

    @property
    def key_figures(self) -> tuple[Fact, ...]:
        """Measured things two or more outlets report, discrepancies first: the table an
        analyst reads first. Figures only one outlet gives stay among the other facts."""
        return tuple(f for f in self.facts if f.measure and len(f.outlets) > 1)

    @property
    def discrepancies(self) -> tuple[Fact, ...]:
        return tuple(f for f in self.facts if f.verdict in DISCREPANCIES)

    @property
    def story_events(self) -> tuple[TimelineEntry, ...]:
        """The dated events of the story itself (not what its articles recall)."""
        return tuple(e for e in self.timeline if e.kind is TimelineKind.EVENT
                     and not is_background(e, self._first_published))

    @property
    def background(self) -> tuple[TimelineEntry, ...]:
        """Dates the articles recall from before the story began (earlier incidents)."""
        return tuple(e for e in self.timeline if is_background(e, self._first_published))

    @property
    def publications(self) -> tuple[TimelineEntry, ...]:
        return tuple(e for e in self.timeline if e.kind is TimelineKind.PUBLICATION)

    @property
    def _first_published(self) -> datetime | None:
        known = [a.published for a in self.articles if a.published is not None]
        return min(known, key=_naive) if known else self.first_seen


def build_dossier(story: Story, check: CrossCheck, related: Sequence[Story] = (),
                  near_duplicates: Mapping[int, int] | None = None) -> Dossier:
    """The dossier of one story: facts reordered, summary chosen, everything else passed on.

    When the caller has a store: `related` are its stories sharing a main entity or place
    with this one (their outlets tell which outlets usually cover such stories), and
    `near_duplicates` maps each article stored as a near-duplicate to its original.
    """
    outlets = tuple(dict.fromkeys(a.outlet for a in check.articles if a.copy_of is None)) \
        or story.outlets
    others = [s for s in related if s.id != story.id]
    return Dossier(
        story_id=story.id,
        title=story.title,
        outlets=outlets,
        first_seen=story.first_seen,
        last_seen=story.last_seen,
        summary=headline_summary(check.facts),
        facts=ordered_facts(check.facts),
        provenance=top_provenance(check.provenance, check.origins),
        timeline=check.timeline,
        articles=check.articles,
        tolerance=check.tolerance,
        entities=story.entities,
        places=story.places,
        merged_from=story.merged_from,
        origins=check.origins,
        origins_not_drawn=max(0, len(check.origins) - TOP_ORIGINS),
        coverage=coverage(check.articles, check.origins, near_duplicates),
        not_covered_by=usual_outlets(story, others, outlets),
        related_stories=len(others),
    )


def top_provenance(prov: Provenance, origins: tuple[OriginRow, ...],
                   top: int = TOP_ORIGINS) -> Provenance:
    """The graph limited to the origins of widest reach and what leads to them.

    A ten-article story can rest on dozens of one-outlet sources; drawing them all hides the
    few that matter. Outlets stay; every other node stays when it is one of the top origins
    or passes some outlet's words on to one.
    """
    prov = without_generic_sources(prov)
    if len(origins) <= top:
        return prov
    present = {n.key for n in prov.nodes}
    keep = set([o.key for o in origins if o.key in present][:top])
    outlets = {n.key for n in prov.nodes if n.kind is NodeKind.OUTLET}
    frontier = set(keep)
    while frontier:  # walk back from the kept origins to the outlets
        frontier = {e.source for e in prov.edges if e.target in frontier} - keep
        keep |= frontier
    keep |= outlets
    nodes = tuple(n for n in prov.nodes if n.key in keep)
    edges = tuple(e for e in prov.edges if e.source in keep and e.target in keep)
    return Provenance(nodes, edges)


def generic_source(name: str) -> bool:
    """A pronoun or a word that names no one ("he", "they", "reports", "our correspondent")."""
    words = re.findall(r"[^\W\d_]+", name.casefold())
    return not words or all(w in GENERIC_SOURCE_WORDS for w in words)


def without_generic_sources(prov: Provenance) -> Provenance:
    """The graph without pronoun and generic nodes: who cited one now cites what it cited
    (if anything), so no chain is cut short of its named source."""
    drop = {n.key for n in prov.nodes if n.kind is not NodeKind.OUTLET
            and generic_source(n.name)}
    if not drop:
        return prov
    edges = list(prov.edges)
    for key in drop:
        into = [e for e in edges if e.target == key and e.source != key]
        out = [e for e in edges if e.source == key and e.target != key]
        edges = [e for e in edges if key not in (e.source, e.target)]
        for a in into:
            for b in out:
                edges.append(ProvenanceEdge(a.source, b.target,
                                            tuple(dict.fromkeys((*a.cues, *b.cues))),
                                            tuple(dict.fromkeys((*a.facts, *b.facts)))))
    seen: dict[tuple[str, str], ProvenanceEdge] = {}
    for e in edges:
        if e.source == e.target:
            continue
        old = seen.get((e.source, e.target))
        seen[(e.source, e.target)] = e if old is None else ProvenanceEdge(
            e.source, e.target, tuple(dict.fromkeys((*old.cues, *e.cues))),
            tuple(dict.fromkeys((*old.facts, *e.facts))))
    nodes = tuple(n for n in prov.nodes if n.key not in drop)
    return Provenance(nodes, tuple(seen.values()))


def is_background(entry: TimelineEntry, first_published: datetime | None) -> bool:
    """An event that began more than BACKGROUND_DAYS before the story's first publication:
    something the articles recall ("last month", "in 2007"), not the event they report."""
    if entry.kind is not TimelineKind.EVENT or first_published is None or not entry.earliest:
        return False
    start = _naive(first_published) - timedelta(days=BACKGROUND_DAYS)
    return entry.earliest[:10] < start.date().isoformat()


def _naive(when: datetime) -> datetime:
    return when if when.tzinfo is None else when.astimezone(UTC).replace(tzinfo=None)


def ordered_facts(facts: tuple[Fact, ...]) -> tuple[Fact, ...]:
    """Discrepancies first; within a verdict the cross-check's own (deterministic) order."""
    rank = {v: i for i, v in enumerate(VERDICT_ORDER)}
    return tuple(sorted(facts, key=lambda f: rank.get(f.verdict, len(rank))))


def headline_summary(facts: tuple[Fact, ...],
                     size: int = SUMMARY_SENTENCES) -> tuple[SummarySentence, ...]:
    """The best-supported statements, in the articles' own sentences.

    Best supported = reported by the most outlets, then resting on the most independent
    sources; facts in conflict or disputed are left to the facts table, and dated details
    to their fact. When some fact has two outlets, single-outlet facts stay out. The chosen
    sentences are told in the story's fact order, which reads as the articles do.
    """
    candidates = [f for f in facts if f.detail_of is None and f.measure is None
                  and f.verdict not in (Verdict.CONFLICT, Verdict.DISPUTED)]
    if not candidates:
        return ()
    order = {f.id: i for i, f in enumerate(facts)}
    candidates.sort(key=lambda f: (-len(f.outlets), -f.independent_sources, order[f.id]))
    floor = min(2, len(candidates[0].outlets))
    chosen: list[SummarySentence] = []
    seen: set[tuple[int, int]] = set()
    for fact in candidates:
        if len(chosen) == size or len(fact.outlets) < floor:
            break
        version = summary_version(fact)
        if version is None or (version.article_id, version.sentence_start) in seen:
            continue
        seen.add((version.article_id, version.sentence_start))
        chosen.append(SummarySentence(
            text=" ".join(version.sentence.split()),
            fact_id=fact.id,
            citation=cite(version),
            outlets=len(fact.outlets),
            independent_sources=fact.independent_sources,
            hedged=fact.hedged,
        ))
    return tuple(sorted(chosen, key=lambda s: order[s.fact_id]))


def summary_version(fact: Fact) -> Version | None:
    """The version whose sentence speaks for the fact: the one the statement was taken from,
    from an original rather than a copy, asserted rather than hedged where there is a choice."""
    asserting = [v for v in fact.versions if not v.denies]
    if not asserting:
        return None
    return min(asserting, key=lambda v: (v.claim != fact.statement, v.copy_of is not None,
                                         v.hedged))


def figure_text(v: Version) -> str:
    """A version's figure as the outlet wrote it ("about 200ft")."""
    return ", ".join(a.text for a in v.amounts) or "—"


def cite(version: Version) -> Citation:
    return Citation(version.outlet, version.article_id, version.sentence_start,
                    version.sentence_end)


def hedge_cues(fact: Fact) -> tuple[str, ...]:
    """The hedging words of the asserting versions, first seen first."""
    return tuple(dict.fromkeys(c for v in fact.versions if not v.denies and v.hedged
                               for c in v.cues))


def fact_marks(fact: Fact) -> tuple[str, ...]:
    """Short warnings a reader must not miss: one source, hedged (with the words), denied."""
    marks = []
    if fact.single_source:
        marks.append("single source")
    if fact.hedged:
        cues = hedge_cues(fact)
        marks.append("hedged" + (f" ({', '.join(cues)})" if cues else ""))
    deniers = [s.name for s in fact.sources if s.denies]
    if deniers:
        marks.append("denied by " + ", ".join(deniers))
    return tuple(marks)


def asserting_sources(fact: Fact) -> tuple[str, ...]:
    return tuple(s.name for s in fact.sources if not s.denies)


def when(value: datetime | None) -> str:
    """A date as the dossier prints it: minutes only where the source gave a time."""
    if value is None:
        return "—"
    if (value.hour, value.minute) == (0, 0):
        return value.date().isoformat()
    return value.strftime("%Y-%m-%d %H:%M")
