"""Stories' dossiers as the store keeps them, and the thread that keeps them current.

No request cross-checks anything: a story page, a dossier download and the API read the
stored cross-check (store/checks.py), current or, while a recompute is queued, the last one
with a note saying since when it is stale. The background worker recomputes the stale
stories, newest first, in the ingest jobs' child process (jobs.StageProcess; in this one for
a store in memory), woken when an ingest job or a correction changes stories and every few
seconds for changes other processes wrote.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import datetime
from types import ModuleType
from typing import Any, TypeVar

from corroborate.records import CrossCheck, Story, Verdict
from corroborate.store import Store
from corroborate.store.checks import CheckSummary, Staleness
from corroborate.store.related import near_duplicates, related_stories
from corroborate.versions import CROSSCHECK_VERSION


def _load_report() -> ModuleType | None:
    """The report stage, when it is installed with the functions the web app uses."""
    try:
        from corroborate import report
    except ImportError:
        return None
    needed = (
        "build_dossier",
        "to_markdown",
        "to_html",
        "to_json",
        "provenance_svg",
        "timeline_svg",
        "coverage_svg",
    )
    return report if all(hasattr(report, name) for name in needed) else None


REPORT = _load_report()
log = logging.getLogger(__name__)

# Discrepancies first, as the dossier orders them (used when the report stage is absent).
VERDICT_ORDER = {
    Verdict.CONFLICT: 0,
    Verdict.DISPUTED: 1,
    Verdict.DEVELOPING: 2,
    Verdict.AGREE: 3,
    Verdict.SINGLE_OUTLET: 4,
}


@dataclass(frozen=True, slots=True)
class StoryCheck:
    """A story with its stored cross-check (None: not computed yet) and its dossier."""

    story: Story
    check: CrossCheck | None
    dossier: Any | None
    stale: Staleness | None = None  # None: current
    computed_at: datetime | None = None
    # What was rendered from this very check (SVGs, Markdown, a page's HTML), shared by every
    # read of it while StoredDossiers keeps it: a 300-fact story renders once, not per request.
    memo: dict[Hashable, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def independent_sources(self) -> int | None:
        """Distinct independent origins behind the story's main facts (the dossier header's
        count: a wire carried by five outlets once)."""
        return len(self.check.origins) if self.check is not None else None

    @property
    def conflicts(self) -> int | None:
        if self.check is None:
            return None
        return sum(f.verdict in (Verdict.CONFLICT, Verdict.DISPUTED) for f in self.check.facts)


class ReportUnavailable(RuntimeError):
    """The report stage (corroborate.report) is not installed in this checkout."""


class StoredDossiers:
    """Dossiers read from the store; the last few built are kept, by what they were built
    from (a new stored cross-check or a change of members builds afresh)."""

    def __init__(self, store: Store, size: int = 64) -> None:
        self.store = store
        self.size = size
        self._items: OrderedDict[tuple[Any, ...], StoryCheck] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, story_id: int) -> StoryCheck | None:
        """The story (a merged-away id resolves) with its stored cross-check; None for an id
        that never existed. The check is None when none was stored yet."""
        story = self.store.stories.get(story_id)
        if story is None:
            return None
        stored = self.store.checks.of_story(story, load=False)
        if stored.summary is None:
            return StoryCheck(story, None, None, stored.stale)
        key = (
            story.id,
            stored.computed_for,
            stored.summary.computed_at,
            stored.members,
            tuple(m.article_id for m in story.members),
            story.title,
            self.store.stories.epoch(),  # other stories changed: "not covered by" may too
        )
        with self._lock:
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
        if hit is None:
            assert stored.computed_for is not None
            check = self.store.checks.check_of(stored.computed_for)
            if check is None:  # gone since the summary was read (a merge): read it afresh
                check = self.store.checks.of_story(story).check
            if check is None:
                return StoryCheck(story, None, None, stored.stale)
            dossier = REPORT.build_dossier(
                story, check, related_stories(self.store, story),
                near_duplicates(self.store, check)) if REPORT is not None else None
            hit = StoryCheck(story, check, dossier, None, stored.summary.computed_at)
            with self._lock:
                self._items[key] = hit
                while len(self._items) > self.size:
                    self._items.popitem(last=False)
        return StoryCheck(story, hit.check, hit.dossier, stored.stale, hit.computed_at,
                          hit.memo)

    def summary(self, story: Story) -> CheckSummary | None:
        """What a list row shows of the story's stored cross-check (never computes)."""
        return self.store.checks.summaries([story.id], CROSSCHECK_VERSION).get(story.id)

    def summaries(self, stories: list[Story]) -> dict[int, CheckSummary]:
        return self.store.checks.summaries([s.id for s in stories], CROSSCHECK_VERSION)


class CheckWorker:
    """The server's background recompute: stale stories cross-checked, newest first."""

    def __init__(self, store: Store, poll_s: float = 10.0) -> None:
        self.store = store
        self.poll_s = poll_s
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.busy = False

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="check-worker", daemon=True)
            self._thread.start()

    def nudge(self) -> None:
        """Stories changed: look at the queue now rather than at the next poll."""
        self._wake.set()

    def close(self, timeout: float = 30.0) -> None:
        """Stop after the story in hand (its mark stays if unfinished)."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            try:
                if self.store.checks.pending() or self._outdated():
                    from corroborate.web.jobs import recompute_stale_at, stage_process

                    self.busy = True  # in the jobs' child process: the GIL stays ours
                    recompute_stale_at(self.store, stage_process(self.store),
                                       should_stop=self._stop.is_set)
            except Exception:  # a failing story is logged by recompute_stale; this is worse
                if not self._stop.is_set():  # stopping kills the child mid-work: expected
                    log.exception("the background cross-check failed")
            finally:
                self.busy = False
            self._wake.wait(self.poll_s)

    def _outdated(self) -> bool:
        """Stories without a current stored cross-check that no mark names (a new version)."""
        return self.store.checks.outdated(CROSSCHECK_VERSION) > 0


def freshness_headers(item: StoryCheck) -> dict[str, str]:
    """Response headers saying whether a served dossier is current, and if not why."""
    if item.stale is None:
        return {"X-Dossier-Status": "current"}
    return {
        "X-Dossier-Status": "stale" if item.check is not None else "missing",
        "X-Dossier-Stale": item.stale.describe(),
        "Retry-After": "30",
    }


def not_computed_note(item: StoryCheck) -> str:
    """What a reader is told when a story has no cross-check stored yet."""
    why = item.stale.describe() if item.stale is not None else "recompute queued"
    return f"story {item.story.id} has no cross-check yet ({why})"


T = TypeVar("T")
MEMO_SIZE = 16


def memoized(item: StoryCheck, key: Hashable, build: Callable[[], T]) -> T:
    """`build()` once per stored check: later reads of the same check get the first result.

    `key` must name everything else the result depends on (a page's HTML: the id asked for,
    the staleness note, whether a token is needed). Two threads may both build on a miss;
    one result is kept, both are equal.
    """
    try:
        return item.memo[key]  # type: ignore[no-any-return]
    except KeyError:
        value = build()
        if len(item.memo) >= MEMO_SIZE:  # keys that vary (a staleness note's time) stay few
            item.memo.clear()
        return item.memo.setdefault(key, value)  # type: ignore[no-any-return]


def render(item: StoryCheck, form: str) -> Any:
    """The dossier as markdown, html, json (a dict), provenance_svg, timeline_svg or
    coverage_svg.

    The text forms are rendered once per stored check (`memoized`); JSON is built afresh,
    since its caller may change the dict it gets."""
    if REPORT is None or item.dossier is None:
        raise ReportUnavailable(
            "the report stage is not installed: dossiers cannot be rendered yet"
        )
    if form != "json":
        return memoized(item, ("render", form), lambda: _render(item, form))
    return _render(item, form)


def _render(item: StoryCheck, form: str) -> Any:
    assert REPORT is not None
    return getattr(
        REPORT,
        {
            "markdown": "to_markdown",
            "html": "to_html",
            "json": "to_json",
            "provenance_svg": "provenance_svg",
            "timeline_svg": "timeline_svg",
            "coverage_svg": "coverage_svg",
        }[form],
    )(item.dossier)


def checked_together(store: Store, article_ids: list[int]) -> StoryCheck:
    """Stored articles picked by hand, cross-checked as one story (not stored: the pick is
    the caller's, not a story of the store). Raises NotFoundError for an unknown id."""
    from corroborate.pipeline import check_stored

    result = check_stored(store, article_ids)
    dossier = REPORT.build_dossier(
        result.story, result.check, related_stories(store, result.story),
        near_duplicates(store, result.check)) if REPORT is not None else None
    return StoryCheck(result.story, result.check, dossier)
