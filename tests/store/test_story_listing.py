"""The story listing (migration 0010) stays equal to what the memberships say through every
write path, and pages, sorts and filters stories from it."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from corroborate.records import Article, DocFormat, JoinEvidence
from corroborate.store import Store
from corroborate.store.stories import STORY_SORTS, StoryQuery, _listing_filters

JOINED = JoinEvidence(reason="similar", score=0.9)
DAY0 = datetime.fromisoformat("2025-03-04T09:00:00+01:00")


def _add(store: Store, n: int, outlet: str | None, days: int) -> int:
    text = f"Report {n} of the harbour fire: the dredging budget rose after the floods. " * 3
    article = Article(
        source=f"r{n}.txt",
        format=DocFormat.TEXT,
        text=text,
        title=f"Harbour fire report {n}",
        outlet=outlet,
        published=DAY0 + timedelta(days=days),
        published_via="test",
        language="en",
        raw_sha256=f"raw{n}",
    )
    with store.writer() as w:
        return w.add_article(article, article.text_hash, text.encode(), signature=None, bands=())


def _listing(store: Store) -> dict[int, tuple[int, int]]:
    with store.engine.connect() as conn:
        return {
            r[0]: (r[1], r[2])
            for r in conn.exec_driver_sql("SELECT story_id, articles, outlets FROM story_listing")
        }


def _recomputed(store: Store) -> dict[int, tuple[int, int]]:
    with store.engine.connect() as conn:
        return {
            r[0]: (r[1], r[2])
            for r in conn.exec_driver_sql(
                "SELECT m.story_id, COUNT(*), COUNT(DISTINCT a.outlet) FROM story_members m "
                "JOIN articles a ON a.id = m.article_id GROUP BY m.story_id"
            )
        }


def test_listing_follows_joins_moves_merges_and_rebuilds(store: Store) -> None:
    ids = [
        _add(store, n, outlet, n)
        for n, outlet in enumerate(
            ["EuroWire", "EuroWire", "Harbour Watch", None, "Scheldt Courier"]
        )
    ]
    with store.writer() as w:
        for article in ids[:3]:
            w.stories.add_member(article, 1, JOINED)
        for article in ids[3:]:
            w.stories.add_member(article, 2, JOINED)
    assert _listing(store) == _recomputed(store) == {1: (3, 2), 2: (2, 1)}

    before = store.stories.get(2)  # loaded, and kept in memory
    assert before is not None and store.stories.get(2) is before
    with store.writer() as w:
        w.stories.move_member(ids[0], 2, JOINED)
    assert _listing(store) == _recomputed(store) == {1: (2, 2), 2: (3, 2)}
    after = store.stories.get(2)  # the kept story changed: read again
    assert after is not None and len(after.members) == 3 and len(before.members) == 2
    with store.writer() as w:  # a new cluster profile changes what a story shows
        w.stories.save_profile(ids[0], "v-test", None, '{"places": ["Antwerp"]}')
    renamed = store.stories.get(2)
    assert renamed is not after and renamed is not None and renamed.places == ("Antwerp",)

    with store.writer() as w:
        w.stories.merge(1, 2, "similar")
    assert _listing(store) == _recomputed(store) == {2: (5, 3)}

    with store.writer() as w:
        w.stories.clear_members()
        w.stories.add_member(ids[4], 3, JOINED)
    assert _listing(store) == _recomputed(store) == {3: (1, 1)}


def test_page_sorts_filters_and_counts(store: Store) -> None:
    # story 1: 3 articles, 1 outlet, oldest; story 2: 2 articles, 2 outlets, newest;
    # story 3: 1 article, in between
    plan = {
        1: [("EuroWire", 0), ("EuroWire", 1), ("EuroWire", 2)],
        2: [("Harbour Watch", 10), ("Scheldt Courier", 11)],
        3: [("Lowlands Daily", 5)],
    }
    n = 0
    for story, members in plan.items():
        for outlet, days in members:
            article = _add(store, n, outlet, days)
            n += 1
            with store.writer() as w:
                w.stories.add_member(article, story, JOINED)

    def order(**query: object) -> tuple[list[int], int]:
        stories, total = store.stories.page(StoryQuery(**query), 10, 0)  # type: ignore[arg-type]
        return [s.id for s in stories], total

    assert order() == ([2, 3, 1], 3)  # newest first by the latest article
    assert order(sort="articles") == ([1, 2, 3], 3)
    assert order(sort="outlets") == ([2, 3, 1], 3)
    assert order(outlet="harbour") == ([2], 1)  # part of the name, any case
    assert order(outlet="100%") == ([], 0)  # LIKE wildcards are taken literally
    assert order(since="2025-03-10") == ([2], 1)
    assert order(until="2025-03-06") == ([1], 1)
    assert order(min_size=2) == ([2, 1], 2)
    assert store.stories.page(StoryQuery(), 1, 1)[0][0].id == 3  # a page further on
    assert store.stories.list() == store.stories.page(StoryQuery(sort="articles"), 50, 0)[0]


def test_conflicts_sort_reads_stored_checks_and_puts_unchecked_stories_last(
    store: Store,
) -> None:
    # story 1: 1 conflict; story 2: no stored check (newest); story 3: 2 disputed facts;
    # story 4: 1 conflict like story 1, but newer
    for n, (story, days) in enumerate([(1, 0), (1, 1), (2, 20), (3, 5), (4, 8)]):
        article = _add(store, n, "EuroWire", days)
        with store.writer() as w:
            w.stories.add_member(article, story, JOINED)
    with store.engine.begin() as conn:
        for story, conflicts, disputed in ((1, 1, 0), (3, 0, 2), (4, 0, 1)):
            conn.exec_driver_sql(
                "INSERT INTO story_checks (story_id, version, members, state, data, articles, "
                "outlets, facts, conflicts, disputed, developing, origins, computed_at, seconds) "
                "VALUES (?, 'v', '[]', '', ?, 1, 1, 3, ?, ?, 0, 1, '2025-01-01', 0.1)",
                (story, b"", conflicts, disputed))

    def order(**query: object) -> tuple[list[int], int]:
        stories, total = store.stories.page(
            StoryQuery(sort="conflicts", **query), 10, 0)  # type: ignore[arg-type]
        return [s.id for s in stories], total

    assert order() == ([3, 4, 1, 2], 4)  # conflicts + disputed, ties newest first
    assert order(min_size=2) == ([1], 1)  # filters still apply
    assert store.stories.page(StoryQuery(sort="conflicts"), 2, 2)[0][0].id == 1


def _check_counts(store: Store) -> dict[int, tuple[int | None, int | None]]:
    with store.engine.connect() as conn:
        return {r[0]: (r[1], r[2]) for r in conn.exec_driver_sql(
            "SELECT story_id, checked_outlets, conflicts FROM story_listing")}


def _store_check(store: Store, story: int, outlets: int, conflicts: int, disputed: int) -> None:
    with store.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO story_checks (story_id, version, members, state, data, "
            "articles, outlets, facts, conflicts, disputed, developing, origins, computed_at, "
            "seconds) VALUES (?, 'v', '[]', '', ?, 1, ?, 3, ?, ?, 0, 1, '2025-01-01', 0.1) "
            "ON CONFLICT (story_id) DO UPDATE SET outlets = excluded.outlets, "
            "conflicts = excluded.conflicts, disputed = excluded.disputed",
            (story, b"", outlets, conflicts, disputed))


def test_listing_carries_the_stored_checks_counts_through_checks_and_membership_changes(
    store: Store,
) -> None:
    ids = [_add(store, n, outlet, n) for n, outlet in
           enumerate(["EuroWire", "Harbour Watch", "Scheldt Courier", "EuroWire"])]
    with store.writer() as w:
        for article in ids[:2]:
            w.stories.add_member(article, 1, JOINED)
        w.stories.add_member(ids[2], 2, JOINED)
    assert _check_counts(store) == {1: (None, None), 2: (None, None)}  # nothing stored yet

    _store_check(store, 1, outlets=3, conflicts=1, disputed=2)
    assert _check_counts(store) == {1: (3, 3), 2: (None, None)}
    _store_check(store, 1, outlets=2, conflicts=0, disputed=1)  # recomputed: replaced
    assert _check_counts(store) == {1: (2, 1), 2: (None, None)}

    with store.writer() as w:  # an article joins: the listing row is rewritten, the
        w.stories.add_member(ids[3], 1, JOINED)  # (now stale) check's counts stay beside it
        w.stories.move_member(ids[2], 1, JOINED)  # story 2 empties: its row goes
    assert _listing(store) == {1: (4, 3)}
    assert _check_counts(store) == {1: (2, 1)}

    with store.engine.begin() as conn:  # the check dropped: back to the listing's own count
        conn.exec_driver_sql("DELETE FROM story_checks WHERE story_id = 1")
    assert _check_counts(store) == {1: (None, None)}


@pytest.mark.sqlite_only("reads SQLite's EXPLAIN QUERY PLAN")
def test_outlet_and_conflict_sorts_read_an_index_in_order(store: Store) -> None:
    """No sort step: a page of the 100k store is an index range, not a sort of every story."""
    for sort in ("newest", "articles", "outlets", "conflicts"):
        where, params = _listing_filters(StoryQuery(sort=sort), "LIKE")
        order = STORY_SORTS[sort].format(nulls_last="")
        with store.engine.connect() as conn:
            plan = " | ".join(str(r[-1]) for r in conn.exec_driver_sql(
                f"EXPLAIN QUERY PLAN SELECT s.story_id FROM story_listing s "
                f"WHERE {' AND '.join(where)} ORDER BY {order} LIMIT 50",
                tuple(params)))
        assert "INDEX story_listing_" in plan and "TEMP B-TREE" not in plan, (sort, plan)


def test_outlet_and_conflict_sorts_follow_the_stored_checks(store: Store) -> None:
    # story 1: 2 articles of 2 outlets, check says 1 outlet (a syndicated copy), 0 conflicts;
    # story 2: 1 article, no check; story 3: 1 article, check says 1 outlet, 4 conflicts
    for n, (story, outlet) in enumerate([(1, "EuroWire"), (1, "Harbour Watch"),
                                         (2, "Lowlands Daily"), (3, "EuroWire")]):
        article = _add(store, n, outlet, n)
        with store.writer() as w:
            w.stories.add_member(article, story, JOINED)
    _store_check(store, 1, outlets=1, conflicts=0, disputed=0)
    _store_check(store, 3, outlets=1, conflicts=3, disputed=1)

    def order(sort: str) -> list[int]:
        return [s.id for s in store.stories.page(StoryQuery(sort=sort), 10, 0)[0]]

    assert order("outlets") == [3, 2, 1]  # all show 1 outlet: newest first
    assert order("conflicts") == [3, 1, 2]  # the unchecked story last
    _store_check(store, 1, outlets=2, conflicts=5, disputed=0)
    assert order("outlets") == [1, 3, 2]
    assert order("conflicts") == [1, 3, 2]
