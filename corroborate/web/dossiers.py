"""Cross-checks and dossiers of stories, computed once per story state and kept.

A cross-check takes seconds (claims are embedded and aligned), so pages and the API share one
cache keyed by the story's live id and its member articles: when an ingest job adds an
article to a story, its key changes and the next request computes it afresh. One lock per key
keeps a burst of requests for a new story from computing it many times over.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from corroborate.pipeline import crosscheck_story
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
        """Distinct primary sources asserting some fact of the story (denials left out)."""
        return len({s.key for f in self.check.facts for s in f.sources if not s.denies})

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
            story, check = crosscheck_story(self.store, story.id)
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


def _key(story: Story) -> tuple[int, tuple[int, ...]]:
    return story.id, tuple(sorted(m.article_id for m in story.members))
