"""Analysts' corrections replayed on the stories as they now stand: pure logic, no store.

A correction names articles, not story ids (those change on a recluster), so each is
replayed on the story that now holds most of its anchor articles. Corrections are applied
in the order they were made, on a copy of the memberships, and only the end result is
written: an article whose story did not change is not touched, so replaying a second time
finds nothing to do.

A later correction overrides an earlier one about the same article: articles a later move,
pin or split places are left out of the earlier corrections' anchors. Without that, the
second replay would start from the state the later correction made (the article already
moved) and let the earlier one resolve its stories differently, and replaying would never
settle.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import count

from corroborate.records import Correction, CorrectionAction

DONE = {CorrectionAction.MERGE: "merged", CorrectionAction.SPLIT: "split off",
        CorrectionAction.MOVE: "moved", CorrectionAction.PIN: "pinned"}


@dataclass(slots=True)
class Replay:
    """What replaying the corrections changes; story ids below 0 are new stories (-1, -2, ...)."""

    moves: dict[int, int] = field(default_factory=dict)  # article -> story it goes to
    reasons: dict[int, str] = field(default_factory=dict)  # article -> the correction's why
    # story emptied by the moves -> the story that took most of its articles (so its id
    # still resolves), with the why
    forwards: dict[int, tuple[int, str]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.moves)


def anchors(corrections: Sequence[Correction]) -> set[int]:
    """Every article a replay needs to see the story of."""
    return {a for c in corrections for a in (*c.articles, *c.target)}


def replay(corrections: Sequence[Correction], where: Mapping[int, int]) -> Replay:
    """The moves that make the stories agree with every correction.

    `where` maps article -> story for every member of every story that holds an anchor
    article (whole stories: a merge moves all of one). Anchors absent from it (an article
    no longer clustered) are ignored; a correction left with no anchors is skipped.
    """
    ordered = sorted(corrections, key=lambda c: (c.created_at, c.id))
    state = dict(where)
    why: dict[int, str] = {}
    new_ids = count(-1, -1)
    for _ in range(ROUNDS):
        now = _apply(ordered, state, why, new_ids)
        _reuse_ids(state, now)
        if now == state:
            break
        state = now
    return _difference(where, state, why)


ROUNDS = 4  # replays of the whole list until nothing moves; real lists settle in one or two


def _apply(ordered: Sequence[Correction], where: Mapping[int, int], why: dict[int, str],
           new_ids: Iterator[int]) -> dict[int, int]:
    """One pass over the corrections, oldest first: the memberships it ends with."""
    later = _placed_later(ordered)
    now = dict(where)
    for c, overridden in zip(ordered, later, strict=True):
        acted = [a for a in dict.fromkeys(c.articles) if a in now and a not in overridden]
        target = [a for a in dict.fromkeys(c.target)
                  if a in now and a not in overridden and a not in c.articles]
        if not acted or (not target and c.action is not CorrectionAction.SPLIT):
            continue
        if c.action is CorrectionAction.SPLIT:
            into = _holding_most(now, acted)
            if any(now[a] == into for a in target):  # still with the rest: a story of its own
                into = next(new_ids)
            movers = acted
        elif c.action is CorrectionAction.MERGE:
            into = _holding_most(now, target)
            gone = _holding_most(now, acted)
            whole = [a for a, s in now.items() if s == gone] if gone != into else []
            movers = [*whole, *acted, *target]  # stray anchors come along too
        else:  # move, pin
            into = _holding_most(now, target)
            movers = acted
        for a in movers:
            if now[a] != into:
                now[a] = into
                why[a] = f"{DONE[c.action]} by an analyst (correction {c.id})"
    return now

def _placed_later(ordered: Sequence[Correction]) -> list[set[int]]:
    """For each correction, the articles a later move, pin or split places elsewhere."""
    out: list[set[int]] = []
    seen: set[int] = set()
    for c in reversed(ordered):
        out.append(set(seen))
        if c.action is not CorrectionAction.MERGE:
            seen.update(c.articles)
    return out[::-1]


def _holding_most(now: Mapping[int, int], articles: Sequence[int]) -> int:
    """The story holding most of these articles (a tie: the first article's story)."""
    return Counter(now[a] for a in articles).most_common(1)[0][0]


def _reuse_ids(where: Mapping[int, int], now: dict[int, int]) -> None:
    """A new story takes the id of an emptied story most of its articles come from.

    A split later undone by a merge ends as one story with a new id; replayed again from
    there, it would move every article to yet another new story, and never settle.
    """
    live = set(now.values())
    for new in sorted({s for s in now.values() if s < 0}, reverse=True):
        group = [a for a, s in now.items() if s == new]
        for old, _ in Counter(where[a] for a in group).most_common():
            if old not in live:
                live.add(old)
                for a in group:
                    now[a] = old
                break


def _difference(where: Mapping[int, int], now: dict[int, int],
                why: Mapping[int, str]) -> Replay:
    _reuse_ids(where, now)
    result = Replay()
    for a, story in now.items():
        if where[a] != story:
            result.moves[a] = story
            result.reasons[a] = why[a]
    live = set(now.values())
    for story in dict.fromkeys(where.values()):
        if story not in live:
            went = [a for a, s in where.items() if s == story]
            into = Counter(now[a] for a in went).most_common(1)[0][0]
            result.forwards[story] = (into, why[went[0]])
    return result


def describe(c: Correction) -> str:
    """One line saying what the analyst did, in the ids they used then."""
    ids = c.story_ids
    arts = ", ".join(map(str, c.articles))
    if c.action is CorrectionAction.MERGE:
        return f"story {ids[0]} merged into story {ids[1]} (articles {arts})"
    if c.action is CorrectionAction.SPLIT:
        return f"articles {arts} split off story {ids[0]}"
    verb = "moved to" if c.action is CorrectionAction.MOVE else "pinned to"
    return f"article {arts} {verb} story {ids[0]}"
