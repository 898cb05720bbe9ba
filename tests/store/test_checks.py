"""Stored cross-checks in the store: stale marks set by the writes that change a story, kept
until a recompute that saw the latest change, versions, the queue's order.

The stories are the real two-story store of the corrections tests (the Antwerp fire and the
seeds, clustered); the cross-check stored is an empty CrossCheck record, since these tests
are about what the store marks and serves, not about what the cross-check finds (that is
tests/test_stored_checks.py, with real cross-checks).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from story_corpus import add_later_articles, fire_and_seeds, story_db

from corroborate.corrections import merge_stories, move_article
from corroborate.pipeline import cluster_stored
from corroborate.records import CrossCheck, Extraction, Provenance
from corroborate.store import Store
from corroborate.versions import CROSSCHECK_VERSION

EMPTY = CrossCheck(facts=(), provenance=Provenance(), timeline=(), articles=(), tolerance=0.05)


@pytest.fixture
def stories(tmp_path: Path) -> Iterator[Store]:
    store = Store(story_db(tmp_path))
    yield store
    store.close()


def _save_all(store: Store, version: str = CROSSCHECK_VERSION) -> None:
    """Store a cross-check for every stale story, as a recompute would (marks cleared)."""
    for story_id, seq in store.checks.queue(100):
        story = store.stories.get(story_id)
        assert story is not None
        members = [m.article_id for m in story.members]
        with store.writer() as w:
            assert w.checks.save(
                story_id, version, members, w.checks.state(members), EMPTY, 0.1, seq
            )


def _story_ids(store: Store) -> tuple[int, int]:
    fire, seeds = fire_and_seeds(store)
    a, b = store.stories.story_of(fire[0]), store.stories.story_of(seeds[0])
    assert a is not None and b is not None and a != b
    return a, b


def test_clustering_marks_new_stories_stale_and_saving_makes_them_current(stories: Store) -> None:
    fire, seeds = _story_ids(stories)
    assert {sid for sid, _ in stories.checks.queue(10)} == {fire, seeds}
    story = stories.stories.get(fire)
    assert story is not None
    before = stories.checks.of_story(story)
    assert before.check is None and before.stale is not None
    assert before.stale.why == "not computed yet"
    _save_all(stories)
    after = stories.checks.of_story(story)
    assert after.current and after.check == EMPTY
    assert stories.checks.pending() == 0


def test_an_article_joining_marks_its_story_stale_and_the_last_version_is_served(
    stories: Store,
) -> None:
    _save_all(stories)
    add_later_articles(stories)
    cluster_stored(stories)
    stale = [sid for sid, _ in stories.checks.queue(10)]
    assert stale  # the fire story took the later fire reports (a new tram story opened too)
    fire, _ = _story_ids(stories)
    story = stories.stories.get(fire)
    assert story is not None and fire in stale
    served = stories.checks.of_story(story)
    assert served.check == EMPTY and not served.current
    assert served.stale is not None and served.stale.why == "its articles changed"
    assert "recompute queued" in served.stale.describe()


def test_a_move_by_correction_marks_both_stories_stale(stories: Store) -> None:
    fire, seeds = _story_ids(stories)
    _save_all(stories)
    fire_articles, _ = fire_and_seeds(stories)
    move_article(stories, fire_articles[-1], seeds, note="test")
    assert {sid for sid, _ in stories.checks.queue(10)} == {fire, seeds}


def test_a_merge_by_correction_marks_the_story_kept_and_serves_the_merged_ones_check(
    stories: Store,
) -> None:
    fire, seeds = _story_ids(stories)
    _save_all(stories)
    merge_stories(stories, seeds, fire, note="test")
    assert [sid for sid, _ in stories.checks.queue(10)] == [fire]
    story = stories.stories.get(seeds)  # forwards to the story kept
    assert story is not None and story.id == fire
    assert not stories.checks.of_story(story).current


def test_re_extraction_marks_the_story_stale(stories: Store) -> None:
    _save_all(stories)
    _, seeds = fire_and_seeds(stories)
    extraction = stories.get_extraction(seeds[0])
    assert extraction is not None
    with stories.writer() as w:
        w.save_extraction(seeds[0], extraction)
    assert [sid for sid, _ in stories.checks.queue(10)] == [stories.stories.story_of(seeds[0])]


def test_a_change_while_a_recompute_ran_keeps_the_story_queued(stories: Store) -> None:
    _, seeds_story = _story_ids(stories)
    _, seeds = fire_and_seeds(stories)
    _save_all(stories)
    with stories.writer() as w:  # re-extracted: marked
        w.save_extraction(seeds[0], Extraction(version="test"))
    (read,) = stories.checks.queue(10)  # a recompute reads the story here...
    with stories.writer() as w:  # ...then it changes again before the result is saved
        w.save_extraction(seeds[1], Extraction(version="test"))
    with stories.writer() as w:
        assert not w.checks.save(seeds_story, CROSSCHECK_VERSION, seeds, "x", EMPTY, 0.1, read[1])
    assert [sid for sid, _ in stories.checks.queue(10)] == [seeds_story]


def test_bumping_the_version_makes_every_stored_check_stale(stories: Store) -> None:
    _save_all(stories, version="0-old")
    assert stories.checks.pending() == 0
    assert stories.checks.outdated(CROSSCHECK_VERSION) == 1
    for story in stories.stories.list():
        stale = stories.checks.of_story(story).stale
        assert stale is not None and stale.why == "made by an older cross-check version"
    with stories.writer() as w:
        w.checks.queue_outdated(CROSSCHECK_VERSION)
    assert stories.checks.pending() == stories.stories.count() == 2


def test_the_queue_runs_newest_story_first_and_says_how_many_are_ahead(stories: Store) -> None:
    fire, seeds = _story_ids(stories)
    # the fire reports are from 2025 (invented), the seeds from June 2024
    assert [sid for sid, _ in stories.checks.queue(10)] == [fire, seeds]
    seed_story = stories.stories.get(seeds)
    assert seed_story is not None
    stale = stories.checks.of_story(seed_story).stale
    assert stale is not None and stale.ahead == 1
    assert stale.describe().endswith("recompute queued, 1 story ahead")


def test_after_a_recluster_each_new_story_serves_its_predecessors_last_check(
    stories: Store,
) -> None:
    from corroborate.pipeline import recluster_stored

    _save_all(stories)
    old = {s.id for s in stories.stories.list()}
    recluster_stored(stories)
    for story in stories.stories.list():
        assert story.id not in old  # new ids; the old ones forward
        served = stories.checks.of_story(story)
        assert served.check == EMPTY and served.computed_for in old
        assert served.stale is not None and not served.current
    _save_all(stories)  # the new stories' own replace their predecessors'
    assert stories.checks.count() == stories.stories.count()
