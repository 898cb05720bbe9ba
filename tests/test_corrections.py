"""Analyst corrections on a real store: applied at once, recorded, and kept when new articles
are clustered and when every story is rebuilt (new ids)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from story_corpus import add_later_articles, fire_and_seeds, partition, story_db, together

from corroborate.cluster.stories import ClusterConfig
from corroborate.corrections import (
    correction_to_dict,
    merge_stories,
    move_article,
    pin_article,
    replay_corrections,
    split_story,
)
from corroborate.errors import NotFoundError, UsageError
from corroborate.pipeline import cluster_stored, recluster_stored, recluster_window
from corroborate.records import CorrectionAction
from corroborate.store import Store


@pytest.fixture
def stories(tmp_path: Path) -> Iterator[Store]:
    store = Store(story_db(tmp_path))
    yield store
    store.close()


def _now_then_after_clustering(store: Store) -> Iterator[str]:
    """Yields (to check the stories) now, after clustering the held-back articles, after a
    recluster, and after re-clustering the recent window from single articles (which, left
    to itself, puts every fire report back together and the seeds apart)."""
    yield "now"
    add_later_articles(store)
    assert cluster_stored(store).clustered == 3
    yield "cluster"
    recluster_stored(store)
    yield "recluster"
    run = recluster_window(store, 3650, config=replace(ClusterConfig(), relink_split=True))
    assert run.looked_at >= 6
    yield "window"


def test_split_articles_stay_together_apart_from_the_rest(stories: Store) -> None:
    fire, _ = fire_and_seeds(stories)
    story = stories.stories.story_of(fire[0])
    assert story is not None and together(stories, fire)
    result = split_story(stories, story, fire[2:], note="the feed items are a follow-up")
    assert result.moved == 2 and result.story_id != story
    for step in _now_then_after_clustering(stories):
        assert together(stories, fire[2:]), step
        assert stories.stories.story_of(fire[2]) != stories.stories.story_of(fire[0]), step
        assert together(stories, fire[:2]), step


def test_merged_stories_stay_merged_and_old_ids_resolve(stories: Store) -> None:
    fire, seeds = fire_and_seeds(stories)
    fire_story, seed_story = (stories.stories.story_of(fire[0]),
                              stories.stories.story_of(seeds[0]))
    assert fire_story is not None and seed_story is not None
    result = merge_stories(stories, seed_story, fire_story, note="same desk asked")
    assert result.story_id == fire_story and result.moved == 2
    merged = stories.stories.get(seed_story)
    assert merged is not None and merged.id == fire_story and seed_story in merged.merged_from
    for step in _now_then_after_clustering(stories):
        assert together(stories, fire + seeds), step
        live = stories.stories.get(seed_story)
        assert live is not None and live.id == stories.stories.story_of(seeds[0]), step


def test_moved_article_stays_in_its_new_story(stories: Store) -> None:
    fire, seeds = fire_and_seeds(stories)
    fire_story = stories.stories.story_of(fire[0])
    assert fire_story is not None
    result = move_article(stories, seeds[1], fire_story, note="mentions the port")
    assert result.story_id == fire_story and result.moved == 1
    member = next(m for m in stories.stories.get(fire_story).members  # type: ignore[union-attr]
                  if m.article_id == seeds[1])
    assert member.joined.reason == "moved by an analyst (correction 1)"
    for step in _now_then_after_clustering(stories):
        assert together(stories, [*fire, seeds[1]]), step
        assert not together(stories, seeds), step


def test_pinned_article_stays_pinned(stories: Store) -> None:
    fire, seeds = fire_and_seeds(stories)
    seed_story = stories.stories.story_of(seeds[0])
    assert seed_story is not None
    assert pin_article(stories, seeds[0], seed_story).moved == 0  # already there: recorded
    fire_story = stories.stories.story_of(fire[0])
    assert fire_story is not None
    assert pin_article(stories, fire[3], seed_story, note="really about Donetsk").moved == 1
    for step in _now_then_after_clustering(stories):
        assert together(stories, [*seeds, fire[3]]), step
        assert together(stories, fire[:3]) and not together(stories, fire), step


def test_replay_is_idempotent(stories: Store) -> None:
    fire, seeds = fire_and_seeds(stories)
    fire_story = stories.stories.story_of(fire[0])
    assert fire_story is not None
    split_story(stories, fire_story, [fire[1], fire[2]])
    move_article(stories, seeds[0], fire_story)
    merge_stories(stories, stories.stories.story_of(seeds[1]),  # type: ignore[arg-type]
                  stories.stories.story_of(fire[1]))  # type: ignore[arg-type]
    before, epoch = partition(stories), stories.stories.epoch()
    with stories.writer() as w:
        assert replay_corrections(w) == 0
        assert replay_corrections(w) == 0
    assert partition(stories) == before and stories.stories.epoch() == epoch
    recluster_stored(stories)
    rebuilt = partition(stories)
    with stories.writer() as w:
        assert replay_corrections(w) == 0
    assert partition(stories) == rebuilt == before


def test_corrections_list_says_when_what_and_the_note(stories: Store) -> None:
    fire, seeds = fire_and_seeds(stories)
    fire_story = stories.stories.story_of(fire[0])
    seed_story = stories.stories.story_of(seeds[0])
    assert fire_story is not None and seed_story is not None
    split_story(stories, fire_story, [fire[3]], note="  a different warehouse  ")
    merge_stories(stories, seed_story, fire_story)
    first, second = stories.corrections.list()
    assert first.action is CorrectionAction.SPLIT and first.note == "a different warehouse"
    assert first.articles == (fire[3],) and first.target == tuple(fire[:3])
    assert second.action is CorrectionAction.MERGE and second.note == ""
    assert second.articles == tuple(seeds) and second.target == tuple(fire[:3])
    assert first.created_at <= second.created_at and first.created_at.tzinfo is not None
    record = correction_to_dict(first)
    assert record["what"] == f"articles {fire[3]} split off story {fire_story}"
    assert record["created_at"] == first.created_at.isoformat()
    assert stories.corrections.count() == 2


def test_unknown_ids_and_impossible_corrections_say_what_is_wrong(stories: Store) -> None:
    fire, seeds = fire_and_seeds(stories)
    fire_story = stories.stories.story_of(fire[0])
    assert fire_story is not None
    with pytest.raises(NotFoundError, match="no story with id 999"):
        merge_stories(stories, 999, fire_story)
    with pytest.raises(NotFoundError, match="no story with id 999"):
        move_article(stories, fire[0], 999)
    with pytest.raises(NotFoundError, match="no article with id 4242"):
        move_article(stories, 4242, fire_story)
    with pytest.raises(NotFoundError, match="no article with id 4242"):
        split_story(stories, fire_story, [4242])
    with pytest.raises(UsageError, match=f"article {seeds[0]} is not in story {fire_story}"):
        split_story(stories, fire_story, [seeds[0]])
    with pytest.raises(UsageError, match="leave at least one behind"):
        split_story(stories, fire_story, fire)
    with pytest.raises(UsageError, match="already one story"):
        merge_stories(stories, fire_story, fire_story)
    with pytest.raises(UsageError, match="already in story"):
        move_article(stories, fire[0], fire_story)
    with pytest.raises(NotFoundError):
        merge_stories(stories, 2**63, fire_story)  # too large for SQLite: not found either
    assert stories.corrections.list() == []  # nothing recorded by a refused correction
