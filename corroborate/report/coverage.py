"""Who covered the story, when, and with which report: the coverage panel of the dossier.

An analyst's first questions about a story are who carries it and who does not. Each outlet
gets its reports in time order, each linked to its original URL; a syndicated copy (a
near-duplicate another outlet printed) is listed under the report it copies, not as an outlet
of its own, since it adds a name and no second account. Outlets that usually cover stories
like this one but carry none of it are named too: a silence can say as much as a report.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from corroborate.records import ArticleRef, OriginRow, Story

# An outlet "usually covers such stories" when it reports at least USUAL_MIN_STORIES of the
# related stories (stories sharing a main entity or place with this one) and at least
# USUAL_MIN_SHARE of them: one shared story is chance, and a wire that carries everything
# would otherwise be named under every small story.
USUAL_MIN_STORIES = 2
USUAL_MIN_SHARE = 1 / 3


@dataclass(frozen=True, slots=True)
class CoveredReport:
    """One report of the story: an original, with the syndicated copies printed from it."""

    article_id: int
    outlet: str
    title: str | None
    url: str | None
    published: datetime | None
    origin: str | None = None  # the wire or shared text it carries, by name
    copies: tuple[ArticleRef, ...] = ()


@dataclass(frozen=True, slots=True)
class OutletCoverage:
    """An outlet's reports of the story, earliest first, and `copies_only`: its syndicated
    copies of other reports (each also listed under the report it copies)."""

    outlet: str
    reports: tuple[CoveredReport, ...]
    first: datetime | None
    copies_only: tuple[ArticleRef, ...] = ()


def coverage(articles: Sequence[ArticleRef], origins: Sequence[OriginRow] = (),
             near_duplicates: Mapping[int, int] | None = None) -> tuple[OutletCoverage, ...]:
    """Outlets × time: every outlet of the story, the earliest publisher first (outlets that
    only printed copies of others' reports after them).

    A report is a copy when the cross-check says so (`copy_of`) or when ingest stored it as
    a near-duplicate of another article of the story (`near_duplicates`: article id → the
    original's id); the cross-check may still count a near-duplicate as a co-carrier of a
    wire text, which is right for sources but not what a reader of the coverage wants.
    """
    names = {o.key: o.name for o in origins}
    ids = {a.article_id for a in articles}
    parent = {a.article_id: p for a in articles
              if (p := a.copy_of or (near_duplicates or {}).get(a.article_id)) in ids
              and p != a.article_id}
    copies: dict[int, list[ArticleRef]] = {}
    for a in articles:
        if a.article_id in parent:
            copies.setdefault(_root(a.article_id, parent), []).append(a)
    by_outlet: dict[str, list[CoveredReport]] = {}
    only_copies: dict[str, list[ArticleRef]] = {}
    for a in articles:
        if a.article_id in parent:
            only_copies.setdefault(a.outlet, []).append(a)
            continue
        by_outlet.setdefault(a.outlet, []).append(CoveredReport(
            a.article_id, a.outlet, a.title, a.url, a.published,
            names.get(a.origin or "", a.origin) if a.origin else None,
            tuple(sorted(copies.get(a.article_id, ()), key=_when_key))))
    rows = [OutletCoverage(outlet, tuple(sorted(reports, key=_when_key)),
                           _earliest(r.published for r in reports),
                           tuple(only_copies.get(outlet, ())))
            for outlet, reports in by_outlet.items()]
    rows += [OutletCoverage(outlet, (), _earliest(c.published for c in refs), tuple(refs))
             for outlet, refs in only_copies.items() if outlet not in by_outlet]
    # outlets with reports of their own first, by their first report; copy-only ones after
    return tuple(sorted(rows, key=lambda r: (not r.reports, r.first is None, _naive(r.first),
                                             r.outlet.casefold())))


def usual_outlets(story: Story, related: Iterable[Story], covered: Iterable[str] = (),
                  min_stories: int = USUAL_MIN_STORIES,
                  min_share: float = USUAL_MIN_SHARE) -> tuple[str, ...]:
    """Outlets that report the related stories often but this story not at all, most
    related stories first. `covered` adds this story's outlet names as the cross-check
    wrote them (a publisher may be spelled two ways)."""
    mine = {_key(o) for o in (*story.outlets, *covered)}
    others = [s for s in related if s.id != story.id]
    if not others:
        return ()
    counts: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for s in others:
        for outlet in {_key(o): o for o in s.outlets}.items():
            counts[outlet[0]] += 1
            shown.setdefault(outlet[0], outlet[1])
    floor = max(min_stories, min_share * len(others))
    usual = [k for k, n in counts.items() if n >= floor and k not in mine]
    return tuple(shown[k] for k in sorted(usual, key=lambda k: (-counts[k], k)))


def _root(article_id: int, parent: Mapping[int, int]) -> int:
    """The original a copy (of a copy ...) was printed from; a loop stops where it closes."""
    seen = {article_id}
    while article_id in parent and parent[article_id] not in seen:
        article_id = parent[article_id]
        seen.add(article_id)
    return article_id


def _key(outlet: str) -> str:
    return " ".join(outlet.casefold().split())


def _naive(when: datetime | None) -> datetime:
    if when is None:
        return datetime.min
    return when if when.tzinfo is None else when.astimezone(UTC).replace(tzinfo=None)


def _when_key(item: ArticleRef | CoveredReport) -> tuple[bool, datetime, int]:
    return (item.published is None, _naive(item.published), item.article_id)


def _earliest(values: Iterable[datetime | None]) -> datetime | None:
    known = [v for v in values if v is not None]
    return min(known, key=_naive) if known else None
