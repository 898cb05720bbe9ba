"""Analysts' corrections to the stories: recorded, applied at once, replayed after clustering.

The CLI, the API and the story page call the four functions here; `pipeline.cluster_stored`
and `pipeline.recluster_stored` call `replay_corrections` at the end of each write
transaction, so what clustering decides never undoes what an analyst decided. Each
correction is recorded with the article ids it was about (see `cluster.corrections`); making
one records it and replays them all, in one transaction that also moves the clustering epoch
on, so a clustering run that read the stories before re-reads them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from corroborate.cluster.corrections import anchors, describe, replay
from corroborate.errors import NotFoundError, UsageError
from corroborate.records import Correction, CorrectionAction, JoinEvidence
from corroborate.store import Store, StoreWriter

MAX_ID = 2**62  # larger ids cannot be stored (SQLite integers), so name nothing


@dataclass(frozen=True, slots=True)
class CorrectionResult:
    """A correction as recorded, and where its articles are once it is applied."""

    correction: Correction
    story_id: int  # the live story now holding the articles acted on
    moved: int  # articles that changed story


def merge_stories(store: Store, story_id: int, into: int, note: str = "") -> CorrectionResult:
    """Merge one story into another, for good: later clustering keeps their articles together."""
    with store.writer() as w:
        gone, kept = _live(w, story_id), _live(w, into)
        if gone == kept:
            raise UsageError(f"story {story_id} and story {into} are already one story "
                             f"({kept})")
        return _record(w, CorrectionAction.MERGE, w.stories.members(gone),
                       w.stories.members(kept), (story_id, into), note)


def split_story(store: Store, story_id: int, article_ids: Sequence[int],
                note: str = "") -> CorrectionResult:
    """Take some articles out of a story into a story of their own, kept apart from the rest."""
    wanted = list(dict.fromkeys(article_ids))
    if not wanted:
        raise UsageError("name the articles to split off the story")
    with store.writer() as w:
        live = _live(w, story_id)
        members = w.stories.members(live)
        for article_id in wanted:
            if article_id not in members:
                raise _not_in(store, w, article_id, story_id)
        rest = [a for a in members if a not in wanted]
        if not rest:
            raise UsageError(f"those are all the articles of story {story_id}: leave at least "
                             "one behind")
        return _record(w, CorrectionAction.SPLIT, wanted, rest, (story_id,), note)


def move_article(store: Store, article_id: int, story_id: int,
                 note: str = "") -> CorrectionResult:
    """Move an article into another story, for good."""
    return _place(store, CorrectionAction.MOVE, article_id, story_id, note)


def pin_article(store: Store, article_id: int, story_id: int,
                note: str = "") -> CorrectionResult:
    """Keep an article in a story (moving it there if need be), whatever clustering thinks."""
    return _place(store, CorrectionAction.PIN, article_id, story_id, note)


def correction_to_dict(c: Correction) -> dict[str, Any]:
    """A correction as JSON for the CLI and the API: when, what (in words and ids), the note."""
    return {"id": c.id, "created_at": c.created_at.isoformat(), "action": str(c.action),
            "what": describe(c), "articles": list(c.articles), "target": list(c.target),
            "story_ids": list(c.story_ids), "note": c.note}


def replay_corrections(w: StoreWriter) -> int:
    """Apply every recorded correction to the stories as this transaction sees them.

    Returns how many articles changed story (0 when the stories already agree: replaying
    is idempotent). A story left empty forwards to the one that took its articles.
    """
    corrections = w.corrections.list()
    if not corrections:
        return 0
    plan = replay(corrections, w.stories.around(sorted(anchors(corrections))))
    if not plan:
        return 0
    first = w.stories.next_id()
    new: dict[int, int] = {}

    def real(story_id: int) -> int:
        return story_id if story_id > 0 else new.setdefault(story_id, first + len(new))

    for article_id, story_id in plan.moves.items():
        w.stories.move_member(article_id, real(story_id),
                              JoinEvidence(reason=plan.reasons[article_id]))
    for gone, (into, why) in plan.forwards.items():
        w.stories.merge(gone, real(into), why)
    return len(plan.moves)


def _place(store: Store, action: CorrectionAction, article_id: int, story_id: int,
           note: str) -> CorrectionResult:
    with store.writer() as w:
        live = _live(w, story_id)
        now = w.stories.story_of(article_id) if 0 < article_id < MAX_ID else None
        if now is None:
            if store.get_article(article_id) if 0 < article_id < MAX_ID else None:
                raise UsageError(f"article {article_id} is not in a story yet: run "
                                 "`corroborate cluster` first")
            raise NotFoundError(f"no article with id {article_id} (see `corroborate articles`)")
        if now == live and action is CorrectionAction.MOVE:
            raise UsageError(f"article {article_id} is already in story {story_id} (pin it "
                             "there to keep it there)")
        target = [a for a in w.stories.members(live) if a != article_id]
        if not target:
            raise UsageError(f"article {article_id} is alone in story {story_id}: there is "
                             "no other article to keep it with")
        return _record(w, action, [article_id], target, (story_id,), note)


def _record(w: StoreWriter, action: CorrectionAction, articles: Sequence[int],
            target: Sequence[int], story_ids: tuple[int, ...], note: str) -> CorrectionResult:
    w.stories.bump_epoch()
    correction = w.corrections.add(action, articles, target, story_ids, note.strip())
    moved = replay_corrections(w)
    story_id = w.stories.story_of(articles[0])
    assert story_id is not None
    return CorrectionResult(correction, story_id, moved)


def _live(w: StoreWriter, story_id: int) -> int:
    live = w.stories.resolve(story_id) if 0 < story_id < MAX_ID else None
    if live is None or not w.stories.members(live):
        raise NotFoundError(f"no story with id {story_id} (see `corroborate stories`)")
    return live


def _not_in(store: Store, w: StoreWriter, article_id: int, story_id: int) -> UsageError:
    if not (0 < article_id < MAX_ID and store.get_article(article_id)):
        return NotFoundError(f"no article with id {article_id} (see `corroborate articles`)")
    now = w.stories.story_of(article_id)
    where = f"it is in story {now}" if now is not None else "it is in no story yet"
    return UsageError(f"article {article_id} is not in story {story_id} ({where})")
