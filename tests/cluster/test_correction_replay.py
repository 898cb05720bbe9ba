"""Replaying analysts' corrections on memberships (pure logic; the store's side is in
tests/test_corrections.py)."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime

from corroborate.cluster.corrections import replay
from corroborate.records import Correction, CorrectionAction

A = CorrectionAction
WHEN = datetime(2024, 6, 1, tzinfo=UTC)


def _c(n: int, action: CorrectionAction, articles: list[int], target: list[int]) -> Correction:
    return Correction(n, WHEN, action, tuple(articles), tuple(target), (0,))


def _apply(where: dict[int, int], corrections: list[Correction],
           first_new: int = 1000) -> dict[int, int]:
    plan = replay(corrections, where)
    new: dict[int, int] = {}
    out = dict(where)
    for a, s in plan.moves.items():
        out[a] = s if s > 0 else new.setdefault(s, first_new + len(new))
    return out


def test_split_articles_leave_for_a_story_of_their_own_and_the_reason_says_so() -> None:
    where = {1: 7, 2: 7, 3: 7, 4: 7}
    plan = replay([_c(1, A.SPLIT, [3, 4], [1, 2])], where)
    assert set(plan.moves) == {3, 4} and plan.moves[3] == plan.moves[4] < 0
    assert plan.reasons[3] == "split off by an analyst (correction 1)"
    assert not plan.forwards


def test_merge_moves_the_whole_story_and_the_emptied_one_forwards() -> None:
    where = {1: 7, 2: 7, 3: 8, 9: 8}  # 9 joined story 8 after the merge was recorded
    plan = replay([_c(1, A.MERGE, [3], [1, 2])], where)
    assert plan.moves == {3: 7, 9: 7}
    assert plan.forwards == {8: (7, "merged by an analyst (correction 1)")}


def test_corrections_follow_their_articles_into_new_story_ids() -> None:
    """After a recluster every id is new: the story holding most anchors is the one meant."""
    moved = _c(1, A.MOVE, [5], [1, 2, 3])
    assert replay([moved], {1: 40, 2: 40, 3: 41, 5: 42}).moves == {5: 40}


def test_a_later_correction_of_the_same_article_wins_and_replay_settles() -> None:
    history = [_c(1, A.MOVE, [5], [1, 2]), _c(2, A.MOVE, [5], [3, 4])]
    where = {1: 1, 2: 1, 3: 2, 4: 2, 5: 1}
    after = _apply(where, history)
    assert after[5] == 2
    assert not replay(history, after)


def test_a_split_undone_by_a_merge_settles_on_one_story() -> None:
    history = [_c(1, A.SPLIT, [3, 4], [1, 2]), _c(2, A.MERGE, [1, 2], [3, 4])]
    after = _apply({1: 7, 2: 7, 3: 7, 4: 7}, history)
    assert len(set(after.values())) == 1
    assert not replay(history, after)  # no churn into yet another new story


def test_anchors_no_longer_clustered_are_ignored() -> None:
    assert not replay([_c(1, A.MOVE, [5], [1])], {5: 3})


def test_random_histories_replay_idempotently_and_the_latest_correction_holds() -> None:
    """Corrections made one after another the way an analyst makes them (anchors read from
    the stories as they stand), then replayed on the same stories and on a reshuffle (what a
    recluster may produce): a second replay never moves anything, and the latest correction,
    which nothing overrides, always holds."""
    for trial in range(300):
        rnd = random.Random(trial)
        where = {a: rnd.randint(1, 5) for a in range(1, rnd.randint(4, 25))}
        history: list[Correction] = []
        for n in range(1, rnd.randint(2, 9)):
            correction = _random_correction(rnd, n, where)
            if correction is None:
                continue
            history.append(correction)
            where = _apply(where, history, first_new=100 * n)
            assert not replay(history, where), (trial, history)
            assert _holds(correction, where), (trial, history)
        reshuffled = _apply({a: rnd.randint(50, 55) for a in where}, history)
        assert not replay(history, reshuffled), (trial, history)
        if history:
            assert _holds(history[-1], reshuffled), (trial, history)


def _random_correction(rnd: random.Random, n: int, where: dict[int, int]) -> Correction | None:
    stories = sorted(set(where.values()))
    members = {s: [a for a, x in where.items() if x == s] for s in stories}
    action = rnd.choice(list(A))
    if action is A.MERGE:
        if len(stories) < 2:
            return None
        gone, into = rnd.sample(stories, 2)
        return _c(n, action, members[gone], members[into])
    if action is A.SPLIT:
        story = rnd.choice(stories)
        if len(members[story]) < 2:
            return None
        out = rnd.sample(members[story], rnd.randint(1, len(members[story]) - 1))
        return _c(n, action, out, [a for a in members[story] if a not in out])
    article, story = rnd.choice(list(where)), rnd.choice(stories)
    target = [a for a in members[story] if a != article]
    return _c(n, action, [article], target) if target else None


def _holds(c: Correction, where: dict[int, int]) -> bool:
    if c.action is A.SPLIT:
        homes = {where[a] for a in c.articles}
        return len(homes) == 1 and not any(where[o] in homes for o in c.target)
    if c.action is A.MERGE:
        return len({where[a] for a in (*c.articles, *c.target)}) == 1
    most = Counter(where[t] for t in c.target).most_common(1)[0][0]
    return where[c.articles[0]] == most
