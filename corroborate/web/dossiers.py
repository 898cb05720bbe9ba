"""Cross-checks and dossiers of stories, computed once per story state and kept.

A cross-check takes seconds (claims are embedded and aligned), so pages and the API share one
cache keyed by the story's live id and its member articles: when an ingest job adds an
article to a story, its key changes and the next request computes it afresh. One lock per key
keeps a burst of requests for a new story from computing it many times over.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from corroborate.records import CrossCheck, Story, Verdict
from corroborate.store import Store


def _load_report() -> ModuleType | None:
    """The report stage, when it is installed with the functions the web app uses."""
    try:
        from corroborate import report
    except ImportError:
        return None
    needed = ("build_dossier", "to_markdown", "to_html", "to_json", "provenance_svg",
              "timeline_svg")
    return report if all(hasattr(report, name) for name in needed) else None


REPORT = _load_report()
log = logging.getLogger(__name__)

# Discrepancies first, as the dossier orders them (used when the report stage is absent).
VERDICT_ORDER = {Verdict.CONFLICT: 0, Verdict.DISPUTED: 1, Verdict.DEVELOPING: 2,
                 Verdict.AGREE: 3, Verdict.SINGLE_OUTLET: 4}


@dataclass(frozen=True, slots=True)
class StoryCheck:
    """A story with its cross-check and (when the report stage is there) its dossier."""

    story: Story
    check: CrossCheck
    dossier: Any | None

    @property
    def independent_sources(self) -> int:
        """Distinct independent origins behind the story's main facts (the dossier header's
        count: a wire carried by five outlets once)."""
        return len(self.check.origins)

    @property
    def conflicts(self) -> int:
        return sum(f.verdict in (Verdict.CONFLICT, Verdict.DISPUTED) for f in self.check.facts)


class ReportUnavailable(RuntimeError):
    """The report stage (corroborate.report) is not installed in this checkout."""


class DossierCache:
    """Least-recently-used cross-checks, by (story id, member article ids)."""

    def __init__(self, store: Store, size: int = 128) -> None:
        self.store = store
        self.size = size
        self._items: OrderedDict[tuple[int, tuple[int, ...]], StoryCheck] = OrderedDict()
        self._lock = threading.Lock()
        self._key_locks: dict[tuple[int, tuple[int, ...]], threading.Lock] = {}
        self._warm_queue: queue.Queue[int | None] = queue.Queue()
        self._warmer: threading.Thread | None = None

    def warm(self, story_ids: Iterable[int]) -> None:
        """Cross-check these stories in a background thread, so pages find them ready.

        Called when an ingest job finishes, for the stories it touched: the stories list
        then shows their sources and conflicts without computing them on the spot.
        """
        ids = list(dict.fromkeys(story_ids))
        if not ids:
            return
        with self._lock:
            if self._warmer is None or not self._warmer.is_alive():
                self._warmer = threading.Thread(target=self._warm_loop, name="dossier-warmer",
                                                daemon=True)
                self._warmer.start()
        for story_id in ids:
            self._warm_queue.put(story_id)

    def close(self, timeout: float = 30.0) -> None:
        """Stop warming (after the story in hand) before the store closes."""
        self._warm_queue.put(None)
        if self._warmer is not None:
            self._warmer.join(timeout)

    def _warm_loop(self) -> None:
        while (story_id := self._warm_queue.get()) is not None:
            try:
                self.get(story_id)
            except Exception:  # a story that fails here fails again, visibly, on its page
                log.exception("cross-checking story %s in the background failed", story_id)

    def cached(self, story: Story) -> StoryCheck | None:
        """The cross-check if already computed for this story state (never computes)."""
        with self._lock:
            return self._items.get(_key(story))

    def get(self, story_id: int) -> StoryCheck | None:
        """The story's cross-check (None for an unknown id)."""
        story = self.store.stories.get(story_id)
        if story is None:
            return None
        key = _key(story)
        with self._lock:
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
                return hit
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:
            with self._lock:
                hit = self._items.get(key)
            if hit is not None:
                return hit
            from corroborate.pipeline import crosscheck_of  # the models: on a miss only

            check = crosscheck_of(self.store, story)
            dossier = REPORT.build_dossier(story, check) if REPORT is not None else None
            item = StoryCheck(story, check, dossier)
            with self._lock:
                self._items[_key(story)] = item
                self._items.move_to_end(_key(story))
                while len(self._items) > self.size:
                    self._items.popitem(last=False)
                self._key_locks.pop(key, None)
            return item


def render(item: StoryCheck, form: str) -> Any:
    """The dossier as markdown, html, json (a dict), provenance_svg or timeline_svg."""
    if REPORT is None or item.dossier is None:
        raise ReportUnavailable("the report stage is not installed: dossiers cannot be "
                                "rendered yet")
    return getattr(REPORT, {"markdown": "to_markdown", "html": "to_html", "json": "to_json",
                            "provenance_svg": "provenance_svg",
                            "timeline_svg": "timeline_svg"}[form])(item.dossier)


def checked_together(store: Store, article_ids: list[int]) -> StoryCheck:
    """Stored articles picked by hand, cross-checked as one story (not cached: the pick is
    the caller's, not a story of the store). Raises NotFoundError for an unknown id."""
    from corroborate.pipeline import check_stored

    result = check_stored(store, article_ids)
    dossier = REPORT.build_dossier(result.story, result.check) if REPORT is not None else None
    return StoryCheck(result.story, result.check, dossier)


def _key(story: Story) -> tuple[int, tuple[int, ...]]:
    return story.id, tuple(sorted(m.article_id for m in story.members))
