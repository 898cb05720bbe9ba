"""Provenance: whose word a fact rests on, and how many independent sources that makes.

Two versions rest on the same source when one's chain of sources is the start of the other's
(the Polish outlet's "TV Chosun" and the Ukrainian outlet's "TV Chosun, citing a South Korean
government official" are one TV report), or when both end at the same named source (two
outlets citing Lieve Janssens, one of them through Radio Scheldeland). Syndicated copies
share their original's outlet, so they never add a source. An outlet that cites another
rests on what that outlet's own report in the story cites. An outlet's own unattributed
statement is its own source, unless every outlet that names a source for the fact names the
same one. Two different officials stay two.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from corroborate.crosscheck.chains import Node
from corroborate.crosscheck.origins import SentenceMatcher, candidate_pairs
from corroborate.crosscheck.statements import Statement
from corroborate.outlets import outlet_table
from corroborate.records import (
    ArticleRef,
    Fact,
    NodeKind,
    OriginRow,
    Provenance,
    ProvenanceEdge,
    ProvenanceNode,
    SourceSupport,
)


@dataclass(frozen=True, slots=True)
class Origin:
    """The independent source a version is counted under."""

    key: str
    name: str


def tie_shared_sources(statements: Sequence[Statement],
                       matcher: SentenceMatcher | None = None) -> None:
    """Sources two outlets attribute one shared sentence to are one source, story-wide.

    "a police source" in a rewrite and "the police source" in the agency copy it rewrote are
    one anonymous source because the text ties them to one statement; every statement of
    the story that cites either then cites that one source. Two different *named* sources
    are never tied this way. Rewrites the statements' paths in place.
    """
    matcher = matcher or SentenceMatcher()
    parent: dict[str, str] = {}

    def find(k: str) -> str:
        while parent.get(k, k) != k:
            k = parent[k]
        return k

    names: dict[str, Node] = {}
    attributed = [s for s in statements if s.path and not s.path[-1].key.startswith("outlet:")]
    # a Jaccard of 0.5 over 6+ word runs, or a run of 8 words, means 3 runs in common at least
    for i, j in candidate_pairs([s.sentence for s in attributed], matcher, least=3):
        a, b = attributed[i], attributed[j]
        ea, eb = a.path[-1], b.path[-1]
        if a.article_id == b.article_id or ea.key == eb.key or (ea.named and eb.named):
            continue
        if matcher.same(a.sentence, b.sentence):
            ka, kb = find(ea.key), find(eb.key)
            keep, drop = (ka, kb) if (ea.named or not eb.named) else (kb, ka)
            if keep != drop:
                parent[drop] = keep
            names.setdefault(ea.key, ea)
            names.setdefault(eb.key, eb)
    if not parent:
        return
    for s in statements:
        if any(n.key in parent for n in s.path):
            s.path = tuple(_tied(n, find(n.key), names) for n in s.path)


def _tied(node: Node, key: str, names: dict[str, Node]) -> Node:
    if key == node.key:
        return node
    target = names.get(key, node)
    return Node(key, target.name, node.written, node.cue, target.named,
                f"“{node.written}” carries the same sentence as {target.name}")


def path_of(s: Statement) -> tuple[Node, ...]:
    """The chain after the outlet; for the outlet's own statement, the outlet itself."""
    if s.path:
        return s.path
    return (Node(s.outlet_id, s.original_outlet, s.original_outlet, None, True),)


def group_sources(statements: Sequence[Statement], denies: bool,
                  matcher: SentenceMatcher | None = None,
                  ) -> tuple[list[SourceSupport], dict[int, Origin]]:
    """Independent sources among these versions, and the source each version counts under.

    Two versions are one source when one's chain starts the other's (counting a cited
    outlet's own report in the story), when both end at the same named source, or when they
    are one sentence that two outlets carry; an unsourced version joins the only source the
    others name. Each source
    says why its outlets' versions were counted as one.
    """
    matcher = matcher or SentenceMatcher()
    paths = [tuple(n.key for n in path_of(s)) for s in statements]
    parent = list(range(len(statements)))
    reasons: list[tuple[int, int, str]] = []

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(paths)):
        for j in range(i + 1, len(paths)):
            a, b = statements[i], statements[j]
            why = _same_origin(a, b, paths[i], paths[j], matcher)
            if why is not None:
                if find(i) != find(j) and a.outlet_id != b.outlet_id:
                    reasons.append((i, j, why))
                parent[find(j)] = find(i)
    for i, j, why in _own_attribution_joins(statements, [find(i) for i in range(len(paths))]):
        reasons.append((i, j, why))
        parent[find(j)] = find(i)
    for i, j, why in _unattributed_joins(statements, [find(i) for i in range(len(paths))]):
        reasons.append((i, j, why))
        parent[find(j)] = find(i)
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(len(paths)):
        members[find(i)].append(i)
    supports: list[SourceSupport] = []
    origins: dict[int, Origin] = {}
    for root, group in members.items():
        # an unsourced version that joined a named source counts under that source
        sourced = [i for i in group if statements[i].path] or group
        rep, cited = _representative([path_of(statements[i]) for i in sourced])
        outlets = []
        for i in group:
            s = statements[i]
            if s.ref.copy_of is None and s.ref.outlet not in outlets:
                outlets.append(s.ref.outlet)
        if not outlets:  # only copies: they count as their original's outlet
            outlets = [statements[group[0]].original_outlet]
        article_ids = tuple(sorted({statements[i].article_id for i in group}))
        why = [w for i, j, w in reasons if find(i) == root]
        for i in group:  # how the chains reached the source they count under
            keys = [n.key for n in path_of(statements[i])]
            reach = path_of(statements[i])[: keys.index(rep.key) + 1] if rep.key in keys else ()
            why += [n.note for n in reach if n.note and n.note not in why]
        supports.append(SourceSupport(rep.key, rep.name, tuple(outlets), article_ids, denies,
                                      cited, tuple(dict.fromkeys(why))))
        for i in group:
            origins[statements[i].index] = Origin(rep.key, rep.name)
    supports.sort(key=lambda s: (-len(s.outlets), s.name.casefold(), s.key))
    return supports, origins


def _own_attribution_joins(statements: Sequence[Statement], roots: Sequence[int],
                           ) -> list[tuple[int, int, str]]:
    """An outlet's unsourced version joins the one source the same article names for the
    same fact: a report that gives the toll in its lead and, further down, "the governor told
    AFP 10 people had been killed" rests on the governor for both."""
    named: dict[int, set[int]] = defaultdict(set)
    for i, s in enumerate(statements):
        if s.path:
            named[s.article_id].add(roots[i])
    joins = []
    for j, s in enumerate(statements):
        own = named.get(s.article_id, set())
        if s.path or len(own) != 1 or roots[j] in own:
            continue
        anchor = next(i for i, t in enumerate(statements)
                      if t.article_id == s.article_id and t.path)
        joins.append((anchor, j, f"{s.ref.outlet} names {path_of(statements[anchor])[-1].name} "
                                 "for it elsewhere in the same report"))
    return joins


def _unattributed_joins(statements: Sequence[Statement], roots: Sequence[int],
                        ) -> list[tuple[int, int, str]]:
    """An outlet's unsourced version joins the one source every other outlet names for it.

    When all the outlets that say where a fact comes from point (after the rules above) to
    one source, an outlet stating the same fact with no attribution adds no independent
    evidence: reporters rarely witness what officials announce. Where the outlets that name
    sources name several, an unsourced version stays its outlet's own.
    """
    attributed = {roots[i] for i, s in enumerate(statements) if s.path}
    if len(attributed) != 1:
        return []
    root = next(iter(attributed))
    anchor = next(i for i, s in enumerate(statements) if s.path and roots[i] == root)
    name = path_of(statements[anchor])[-1].name
    joins = []
    for j, s in enumerate(statements):
        if roots[j] != root and not s.path and roots[j] not in attributed:
            joins.append((anchor, j, f"{s.ref.outlet} gives no source for it; the one source "
                                     f"the other outlets name is {name}"))
    return joins


def _same_origin(a: Statement, b: Statement, pa: tuple[str, ...], pb: tuple[str, ...],
                 matcher: SentenceMatcher) -> str | None:
    """Why two versions rest on one origin, in words, or None when they do not."""
    short, long = (pa, pb) if len(pa) <= len(pb) else (pb, pa)
    if long[: len(short)] == short:
        name = path_of(a)[len(short) - 1].name if len(pa) <= len(pb) \
            else path_of(b)[len(short) - 1].name
        return f"{a.ref.outlet} and {b.ref.outlet} both rest on {name}"
    for x, y, px in ((a, b, pa), (b, a, pb)):  # x cites y's outlet: y's report is its source
        if x.path and y.outlet_id in px and y.outlet_id != x.outlet_id \
                and y.ref.copy_of is None:
            return f"{x.ref.outlet} cites {y.original_outlet}, and this is its report"
    if _same_end(a, b):
        return f"{a.ref.outlet} and {b.ref.outlet} cite the same source, {path_of(a)[-1].name}"
    if _shared_sentence(a, b, matcher):
        return f"{a.ref.outlet} and {b.ref.outlet} carry one sentence (“{_clip(a.sentence)}”)"
    if a.article_id in b.ref.shares_text_with:
        return (f"{a.ref.outlet} and {b.ref.outlet} carry the same agency text elsewhere: "
                "versions of one report")
    return None


def _clip(text: str, words: int = 8) -> str:
    ws = text.split()
    return " ".join(ws[:words]) + (" …" if len(ws) > words else "")


def _shared_sentence(a: Statement, b: Statement, matcher: SentenceMatcher) -> bool:
    """One sentence carried by two outlets (verbatim or lightly edited) is one origin's."""
    return a.article_id != b.article_id and matcher.same(a.sentence, b.sentence)


def _same_end(a: Statement, b: Statement) -> bool:
    """Both end at one source: a named one, or one the story ties together (a definite
    description, or an unnamed source two outlets carry in one sentence). An unnamed source
    not tied so keeps its citing outlet in its key, so equal keys never join two outlets'
    anonymous officials."""
    return path_of(a)[-1].key == path_of(b)[-1].key


def _representative(paths: Sequence[tuple[Node, ...]]) -> tuple[Node, tuple[str, ...]]:
    """The deepest source every chain of the group passes through (else the most frequent
    innermost one), and what some chains say that source cites in turn.
    """
    common = set.intersection(*({n.key for n in p} for p in paths))
    longest = max(paths, key=len)
    rep: Node | None = None
    for node in longest:
        if node.key in common:
            rep = node
    if rep is None:
        counts = Counter(p[-1].key for p in paths)
        key = max(counts, key=lambda k: (counts[k], -_first_seen(paths, k)))
        rep = next(p[-1] for p in paths if p[-1].key == key)
    cited: list[str] = []
    for p in paths:
        keys = [n.key for n in p]
        if rep.key in keys:
            for node in p[keys.index(rep.key) + 1:]:
                if node.name not in cited:
                    cited.append(node.name)
    return rep, tuple(cited)


def _first_seen(paths: Sequence[tuple[Node, ...]], key: str) -> int:
    return next(i for i, p in enumerate(paths) if p[-1].key == key)


def provenance_graph(fact_statements: Sequence[tuple[str, Sequence[Statement]]],
                     refs: Sequence[ArticleRef]) -> Provenance:
    """Outlets → intermediaries → primary sources, over every version of every fact."""
    names: dict[str, str] = {}
    outlets: set[str] = set()
    innermost: set[str] = set()
    node_facts: dict[str, list[str]] = defaultdict(list)
    edge_cues: dict[tuple[str, str], list[str]] = defaultdict(list)
    edge_facts: dict[tuple[str, str], list[str]] = defaultdict(list)
    by_id = {r.article_id: r for r in refs}
    for ref in refs:
        key = ref.outlet_key
        names.setdefault(key, ref.outlet)
        outlets.add(key)

    def touch(key: str, fact: str) -> None:
        if fact not in node_facts[key]:
            node_facts[key].append(fact)

    def link(a: str, b: str, cue: str | None, fact: str) -> None:
        if cue and cue not in edge_cues[(a, b)]:
            edge_cues[(a, b)].append(cue)
        edge_cues.setdefault((a, b), [])
        if fact not in edge_facts[(a, b)]:
            edge_facts[(a, b)].append(fact)

    for fact_id, statements in fact_statements:
        for s in statements:
            own = s.ref.outlet_key
            touch(own, fact_id)
            start = own
            if s.ref.copy_of is not None:
                original = by_id[s.ref.copy_of].outlet_key
                if original != own:
                    link(own, original, "syndicated copy of", fact_id)
                    touch(original, fact_id)
                start = original
            prev = start
            for node in s.path:
                names.setdefault(node.key, node.name)
                touch(node.key, fact_id)
                link(prev, node.key, node.cue, fact_id)
                prev = node.key
            if s.path:
                innermost.add(s.path[-1].key)
    nodes = []
    for key in sorted(node_facts, key=lambda k: (k not in outlets, names[k].casefold(), k)):
        kind = NodeKind.OUTLET if key in outlets else \
            NodeKind.PRIMARY if key in innermost else NodeKind.INTERMEDIARY
        nodes.append(ProvenanceNode(key, names[key], kind, tuple(node_facts[key])))
    edges = [ProvenanceEdge(a, b, tuple(edge_cues[(a, b)]), tuple(edge_facts[(a, b)]))
             for (a, b) in sorted(edge_facts)]
    return Provenance(tuple(nodes), tuple(edges))


def origin_rows(facts: Sequence[Fact]) -> tuple[OriginRow, ...]:
    """The story's independent origins over its main facts, most outlets first.

    This is the story header's count of independent sources: one origin carried by five
    outlets for nine facts counts once, not nine or forty-five times.
    """
    table = outlet_table()
    rows: dict[str, dict[str, Any]] = {}
    for fact in facts:
        if fact.detail_of is not None:
            continue
        for source in fact.sources:
            if source.denies:
                continue
            row = rows.setdefault(source.key, {"name": source.name, "outlets": [], "facts": [],
                                               "articles": set(), "why": []})
            row["outlets"] += [o for o in source.outlets if o not in row["outlets"]]
            if fact.id not in row["facts"]:
                row["facts"].append(fact.id)
            row["articles"].update(source.article_ids)
            row["why"] += [w for w in source.why if w not in row["why"]]
    out = [OriginRow(key, r["name"], _kind(key, table.is_wire(key)), tuple(r["outlets"]),
                     tuple(r["facts"]), tuple(sorted(r["articles"])), tuple(r["why"]))
           for key, r in rows.items()]
    out.sort(key=lambda r: (-len(r.outlets), -len(r.facts), r.name.casefold(), r.key))
    return tuple(out)


def _kind(key: str, wire: bool) -> str:
    if key.startswith("outlet:"):
        return "wire" if wire else "outlet"
    if key.startswith("shared:"):
        return "shared text"
    if key.startswith("anon:"):
        return "unnamed source"
    return "named source"
