"""Stored cross-checks with real ones: a story's dossier is updated when an article joins it,
only the stories touched are recomputed, and reading a dossier (library, CLI) never
cross-checks. Cross-check calls are counted by wrapping the real function."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from corroborate import pipeline
from corroborate.cli import app
from corroborate.crosscheck import crosscheck
from corroborate.pipeline import (
    IngestOptions,
    cluster_stored,
    crosscheck_story,
    fresh_check,
    ingest,
    recompute_stale,
)
from corroborate.records import CrossCheck
from corroborate.store import Store

OFFLINE = IngestOptions(fetch=False, workers=1)
runner = CliRunner()


class Counted:
    """The real cross-check, counting its calls."""

    def __init__(self, fn: Callable[[Sequence[Any]], CrossCheck]) -> None:
        self.fn = fn
        self.calls = 0

    def __call__(self, articles: Sequence[Any]) -> CrossCheck:
        self.calls += 1
        return self.fn(articles)


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> Counted:
    wrapper = Counted(crosscheck)
    monkeypatch.setattr(pipeline, "crosscheck", wrapper)
    return wrapper


def test_stored_dossier_updates_when_an_article_joins_and_reading_does_not_recompute(
    seed_files: list[Path], db_path: Path, counted: Counted
) -> None:
    first, second = seed_files
    with Store(db_path) as store:
        ingest([str(first)], store, OFFLINE)
        cluster_stored(store)
        assert recompute_stale(store).recomputed == 1
        assert counted.calls == 1
        (story,) = store.stories.list()
        for _ in range(3):  # reads are store reads
            stored = store.checks.of_story(store.stories.get(story.id) or story)
            assert stored.current and stored.members == (story.members[0].article_id,)
        assert counted.calls == 1

        ingest([str(second)], store, OFFLINE)
        cluster_stored(store)
        (story,) = store.stories.list()
        assert story.size == 2  # the second report joined the story
        stale = store.checks.of_story(story)
        assert not stale.current and stale.stale is not None
        assert stale.check is not None and len(stale.check.articles) == 1  # the last one
        assert counted.calls == 1

        run = recompute_stale(store)
        assert (run.recomputed, run.left) == (1, 0)
        assert counted.calls == 2
        updated = store.checks.of_story(story)
        assert updated.current and updated.check is not None
        assert {a.article_id for a in updated.check.articles} == {
            m.article_id for m in story.members
        }
        # stored and read back, it is the very cross-check the story gives
        assert updated.check == crosscheck_story(store, story.id)[1]
        assert recompute_stale(store).recomputed == 0  # nothing touched since


def test_cli_dossier_reads_the_stored_cross_check(
    seeds_dir: Path, db_path: Path, counted: Counted
) -> None:
    db = ("--db", str(db_path))
    result = runner.invoke(
        app, ["ingest", str(seeds_dir), "--no-fetch", "--workers", "1", "--no-crosscheck", *db]
    )
    assert result.exit_code == 0, result.output
    assert counted.calls == 0
    missing = runner.invoke(app, ["dossier", "1", *db])
    assert missing.exit_code == 3
    assert "no cross-check yet" in missing.stderr and "--fresh" in missing.stderr

    fresh = runner.invoke(app, ["dossier", "1", "--fresh", "--format", "json", *db])
    assert fresh.exit_code == 0, fresh.output
    assert counted.calls == 1
    assert json.loads(fresh.stdout)["story"]["id"] == 1

    again = runner.invoke(app, ["dossier", "1", *db])
    assert again.exit_code == 0, again.output
    assert again.stdout.startswith("# Dossier: ") and "note:" not in again.stderr
    assert counted.calls == 1  # read, not recomputed

    queued = runner.invoke(app, ["crosscheck", "--json", *db])
    assert queued.exit_code == 0, queued.output
    assert json.loads(queued.stdout)["recomputed"] == 0  # --fresh stored it


def test_fresh_check_stores_what_it_computes(
    seed_files: list[Path], db_path: Path, counted: Counted
) -> None:
    with Store(db_path) as store:
        ingest([str(p) for p in seed_files], store, OFFLINE)
        cluster_stored(store)
        _story, stored = fresh_check(store, 1)
        assert stored.current and counted.calls == 1
        assert store.checks.pending() == 0


def test_a_recompute_stopped_midway_leaves_the_rest_marked_for_the_next(
    tmp_path: Path, counted: Counted
) -> None:
    from story_corpus import story_db

    with Store(story_db(tmp_path)) as store:
        assert store.checks.pending() == 2
        first = recompute_stale(store, should_stop=lambda: counted.calls >= 1)
        assert (first.recomputed, first.left) == (1, 1)  # stopped as a killed run would
        second = recompute_stale(store)
        assert (second.recomputed, second.left) == (1, 0)
        assert counted.calls == 2  # the one done first was not done again
