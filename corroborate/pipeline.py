"""The one place that knows the order of the stages and runs them.

Ingest: sources → raw documents → clean and extract (in worker processes, both cores) →
exact and near-duplicate check → store, in batches. Each batch is one store transaction, so a run
killed at any point leaves whole articles only, and rerunning the same command finishes the
job: inputs already stored are recognised by their hash and reported as unchanged. A batch's
transaction starts only once its documents are processed, so two ingests into one store take
turns at the write lock instead of one waiting out the other's extraction.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial, wraps
from itertools import islice
from typing import Any, TypeVar

import numpy as np

from corroborate.clean import clean_document
from corroborate.clock import as_utc
from corroborate.cluster.near_duplicates import Fingerprint, best_match, fingerprint
from corroborate.cluster.profile import (
    PROFILE_VERSION,
    ArticleProfile,
    build_profiles,
    profile_from_row,
    profile_to_row,
)
from corroborate.cluster.stories import (
    SECOND_LOOK_BATCH,
    Assignment,
    ClusterConfig,
    Move,
    StoryClusterer,
)
from corroborate.corrections import replay_corrections
from corroborate.crosscheck import crosscheck
from corroborate.errors import InputRejected, NotFoundError, UsageError
from corroborate.extract import EXTRACT_VERSION, extract_article, extract_articles
from corroborate.ingest.fetch import Fetcher, FetchPolicy
from corroborate.ingest.options import IngestOptions
from corroborate.ingest.sources import count_inputs, iter_sources
from corroborate.models import EMBEDDING_DIM
from corroborate.records import (
    Article,
    CrossCheck,
    Extraction,
    IngestEvent,
    IngestSummary,
    JoinEvidence,
    Outcome,
    RawDocument,
    Skip,
    StoredArticle,
    Story,
    StoryMember,
)
from corroborate.store import Store, StoreWriter
from corroborate.store.checks import StoredCheck
from corroborate.store.stories import OUTDATED, RECLUSTERED, ProfileRow
from corroborate.versions import CROSSCHECK_VERSION
from corroborate.workers import OrderedPool

log = logging.getLogger(__name__)

# Worker processes import these before any task: no PyTorch (they never embed), then us.
_WORKER_PRELOAD = ("corroborate.worker_init", "corroborate.pipeline")

Cleaned = tuple[Article | Skip, Fingerprint | None]
Prepared = tuple[Article | Skip, Fingerprint | None, Extraction | None]


def ingest(
    specs: Iterable[str],
    store: Store,
    options: IngestOptions | None = None,
    on_event: Callable[[IngestEvent], None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> IngestSummary:
    """Ingest every document the given paths and URLs lead to; return what happened.

    Batches overlap: while batch k is checked for duplicates and written (this process),
    batch k+1 is already being cleaned (worker processes). `on_total` hears how many
    documents (events) to expect before the first is read: the workers take seconds to
    start, and a bar without a total cannot say how long the run will take.
    """
    options = options or IngestOptions()
    specs = list(specs)
    if on_total is not None:
        on_total(count_inputs(specs, options.exclude))
    summary = IngestSummary()
    policy = FetchPolicy(allow_private=options.allow_private,
                         respect_robots=options.respect_robots)
    fetcher = Fetcher(policy) if options.fetch else None

    def emit(events: list[IngestEvent]) -> None:
        for event in events:
            summary.add(event)
            if on_event is not None:
                on_event(event)

    try:
        with OrderedPool(partial(prepare, extract=options.extract), _failed_prepare,
                         workers=options.workers, timeout_s=options.doc_timeout_s,
                         preload=_WORKER_PRELOAD) as cleaner:
            pending: _Pending | None = None
            for batch in _batched(iter_sources(specs, fetcher, options.exclude),
                                  options.batch_size):
                raws = [item for item in batch if isinstance(item, RawDocument)]
                known = store.known_inputs([r.sha256 for r in raws])
                todo = [r for r in raws if r.sha256 not in known]
                started = _Pending(batch, known, cleaner.submit(todo))
                if pending is not None:
                    emit(_store_batch(pending, store, options))
                pending = started
            if pending is not None:
                emit(_store_batch(pending, store, options))
    finally:
        if fetcher is not None:
            fetcher.close()
    return summary


def nothing_read(summary: IngestSummary) -> str | None:
    """Why a run read nothing at all (no input found, or every one skipped), else None.

    The shells exit non-zero on it: a mistyped path or an empty export must not look like a
    run that worked. A rerun whose inputs are all stored already did read them: not this.
    """
    if summary.total == 0:
        return "no input found: the paths given hold no files to ingest"
    skipped = summary.count(Outcome.SKIPPED)
    if skipped < summary.total:
        return None
    first = summary.skipped[0]
    more = f", and {skipped - 1} more" if skipped > 1 else ""
    return (f"nothing was ingested: every input was skipped ({first.source}: {first.reason}"
            f"{more})")


@dataclass(slots=True)
class _Pending:
    """A batch whose documents are being cleaned, waiting to be stored."""

    batch: list[RawDocument | Skip]
    known: dict[str, int]
    cleaned: Iterator[Prepared]


OnStored = Callable[[StoreWriter, list[tuple[RawDocument | Skip, IngestEvent]]], None]


def store_prepared(batch: Sequence[RawDocument | Skip], known: dict[str, int],
                   prepared: Iterable[Prepared], store: Store,
                   options: IngestOptions | None = None,
                   on_stored: OnStored | None = None) -> list[IngestEvent]:
    """Write one batch of documents prepared elsewhere (the Ray batch runner's actors), as one
    transaction, by ingest's rules: exact and near duplicates, inputs already stored.

    `known` maps the input hashes found stored when the batch was prepared to their articles;
    `prepared` holds one `prepare` result per other document, in order.
    """
    return _store_batch(_Pending(list(batch), known, iter(prepared)), store,
                        options or IngestOptions(), on_stored)


def ingest_documents(items: Sequence[RawDocument | Skip], store: Store,
                     options: IngestOptions | None = None,
                     on_stored: OnStored | None = None) -> list[IngestEvent]:
    """Clean, extract and store documents already in hand (the watcher's feed items), as one
    transaction; `on_stored(writer, [(item, event), ...])` runs inside it, so whatever it
    records (the items seen) commits with the articles or not at all."""
    options = options or IngestOptions()
    items = list(items)
    raws = [item for item in items if isinstance(item, RawDocument)]
    with OrderedPool(partial(prepare, extract=options.extract), _failed_prepare,
                     workers=options.workers, timeout_s=options.doc_timeout_s,
                     preload=_WORKER_PRELOAD) as cleaner:
        known = store.known_inputs([r.sha256 for r in raws])
        todo = [r for r in raws if r.sha256 not in known]
        return _store_batch(_Pending(items, known, cleaner.submit(todo)), store, options,
                            on_stored)


def _store_batch(pending: _Pending, store: Store, options: IngestOptions,
                 on_stored: OnStored | None = None) -> list[IngestEvent]:
    """Write one batch. The workers' results are all in before the write lock is taken, so the
    lock is held for the writes only, never while extraction runs: another
    process ingesting into the same store waits that long at most."""
    todo = [item for item in pending.batch
            if isinstance(item, RawDocument) and item.sha256 not in pending.known]
    prepared = {id(item): next(pending.cleaned) for item in todo}

    def write(w: StoreWriter) -> list[IngestEvent]:
        events: list[IngestEvent] = []
        # Another process may have stored some of these since we looked; now we hold the lock.
        known = {**pending.known, **w.known_inputs([item.sha256 for item in todo])}
        for item in pending.batch:
            if isinstance(item, Skip):
                events.append(IngestEvent(item.source, Outcome.SKIPPED, reason=item.reason))
                continue
            if id(item) in prepared:
                result, fp, extraction = prepared[id(item)]
            if item.sha256 in known:
                events.append(IngestEvent(item.source, Outcome.UNCHANGED,
                                          article_id=known[item.sha256]))
                continue
            event = _store_one(item, result, fp, extraction, w, options)
            if event.article_id is not None:
                known[item.sha256] = event.article_id  # the same input twice in one batch
            events.append(event)
        if on_stored is not None:
            on_stored(w, list(zip(pending.batch, events, strict=True)))
        return events

    return store.write(write)


def _store_one(
    raw: RawDocument,
    result: Article | Skip,
    fp: Fingerprint | None,
    extraction: Extraction | None,
    w: StoreWriter,
    options: IngestOptions,
) -> IngestEvent:
    if isinstance(result, Skip):
        return IngestEvent(raw.source, Outcome.SKIPPED, reason=result.reason)
    article = result
    text_hash = article.text_hash
    original = w.article_by_text_hash(text_hash)
    if original is not None:
        w.record_input(raw.sha256, raw.source, Outcome.DUPLICATE, original)
        return IngestEvent(raw.source, Outcome.DUPLICATE, article_id=original,
                           original_id=original, similarity=1.0)
    match = None
    if fp is not None:
        candidates = w.minhash_candidates(fp.bands)
        roots = {aid: root for aid, _sig, root in candidates}
        found = best_match(fp, ((aid, sig) for aid, sig, _ in candidates),
                           options.near_duplicate_threshold)
        if found is not None:
            # Link to the first copy ever seen, so a chain of copies stays one source.
            match = (roots[found[0]] or found[0], found[1])
    article_id = w.add_article(
        article,
        text_hash,
        raw.content,
        signature=fp.signature if fp else None,
        bands=fp.bands if fp else (),
        near_duplicate_of=match[0] if match else None,
        similarity=match[1] if match else None,
    )
    if extraction is not None:
        w.save_extraction(article_id, extraction)
    if match is not None:
        return IngestEvent(raw.source, Outcome.NEAR_DUPLICATE, article_id=article_id,
                           original_id=match[0], similarity=match[1])
    return IngestEvent(raw.source, Outcome.INGESTED, article_id=article_id)


def prepare(raw: RawDocument, extract: bool = True) -> Prepared:
    """Everything done to one document before the store sees it (runs in a worker)."""
    cleaned, fp = clean_and_fingerprint(raw)
    if not extract or isinstance(cleaned, Skip):
        return cleaned, fp, None
    return cleaned, fp, safe_extract(cleaned)


def _failed_prepare(raw: RawDocument, reason: str) -> Prepared:
    return Skip(raw.source, f"processing failed: {reason}"), None, None


def safe_extract(article: Article) -> Extraction:
    """Extract, turning an extractor bug on odd input into a recorded skip, not a crash."""
    try:
        return extract_article(article)
    except Exception as exc:
        log.exception("extracting %s failed", article.source)
        return Extraction(skipped=f"extractor failed: {type(exc).__name__}: {exc}",
                          version=EXTRACT_VERSION)


def clean_and_fingerprint(raw: RawDocument) -> Cleaned:
    """Clean one document and fingerprint its text; any failure becomes a Skip, never a crash."""
    try:
        article = clean_document(raw)
    except InputRejected as exc:
        return Skip(raw.source, exc.reason), None
    except RecursionError:
        return Skip(raw.source, "document nested too deeply to parse"), None
    except Exception as exc:  # hostile input must not take the run down: log and skip
        log.exception("cleaning %s failed", raw.source)
        return Skip(raw.source, f"cleaner failed: {type(exc).__name__}: {exc}"), None
    return article, fingerprint(article.text)


def _batched(items: Iterable[RawDocument | Skip], size: int) -> Iterator[list[RawDocument | Skip]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def extract_stored(
    store: Store,
    *,
    redo: bool = False,
    workers: int = 0,
    batch_size: int = 32,
    on_done: Callable[[int, Extraction], None] | None = None,
) -> int:
    """(Re-)extract stored articles: those never extracted or by an older extractor version,
    or all of them with `redo`. Returns how many were extracted."""
    ids = store.articles_to_extract(EXTRACT_VERSION, redo=redo)

    def failed(chunk: list[Article], reason: str) -> list[Extraction]:
        return [Extraction(skipped=f"extraction failed: {reason}", version=EXTRACT_VERSION)
                for _ in chunk]

    def store_batch(ids_: list[int], results: Iterator[list[Extraction]]) -> None:
        done = [e for chunk in results for e in chunk]  # gathered before taking the lock

        def write(w: StoreWriter) -> list[tuple[int, Extraction]]:
            return [(article_id, w.save_extraction(article_id, extraction))
                    for article_id, extraction in zip(ids_, done, strict=True)]

        for article_id, saved in store.write(write):  # told once it is stored
            if on_done is not None:
                on_done(article_id, saved)

    with OrderedPool(_extract_chunk, failed, workers=workers, timeout_s=300.0,
                     preload=_WORKER_PRELOAD, min_parallel=2) as pool:
        pending: tuple[list[int], Iterator[list[Extraction]]] | None = None
        for start in range(0, len(ids), batch_size):
            stored = store.get_articles(ids[start : start + batch_size])
            articles = [s.article for s in stored]
            # Chunks of a few articles per task, so each worker can batch its spaCy parse.
            chunks = [articles[i : i + _CHUNK] for i in range(0, len(articles), _CHUNK)]
            started = ([s.id for s in stored], pool.submit(chunks))
            if pending is not None:
                store_batch(*pending)
            pending = started
        if pending is not None:
            store_batch(*pending)
    return len(ids)


_CHUNK = 4


def _extract_chunk(articles: list[Article]) -> list[Extraction]:
    """Extract a few articles in one go; on an extractor error, one at a time."""
    try:
        return extract_articles(articles)
    except Exception:
        return [safe_extract(a) for a in articles]


# -- cluster stage ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClusterRun:
    """What one clustering run did."""

    clustered: int
    opened: int
    joined: int
    merged: int
    stories: int  # live stories after the run
    moved: int = 0  # articles reassigned by a second look after their batch


class _StoriesChanged(Exception):
    """Another clustering run wrote stories after this one read them."""


_RETRIES = 5
_R = TypeVar("_R")


def _as_leader(run: Callable[..., _R]) -> Callable[..., _R]:
    """Run a clustering function as the store's one clustering leader (an advisory lock on
    PostgreSQL, where ingests write at once; see `Store.clustering_leader`)."""

    @wraps(run)
    def led(store: Store, *args: Any, **kwargs: Any) -> _R:
        with store.clustering_leader():
            return run(store, *args, **kwargs)

    return led


@_as_leader
def cluster_stored(
    store: Store,
    *,
    config: ClusterConfig | None = None,
    batch_size: int = SECOND_LOOK_BATCH,
    on_done: Callable[[Assignment], None] | None = None,
) -> ClusterRun:
    """Place every extracted, not yet clustered article into a story, in ingest order.

    The clusterer's state is rebuilt from the store (saved profiles, no re-embedding), then
    new articles are profiled (embedded in batches) and placed one at a time; each batch is
    one transaction, so a killed run resumes where it stopped. After its batch, each article
    gets a second look (`StoryClusterer.second_look`) in the same transaction. Two runs at
    once (the CLI while a web ingest job clusters) never interleave: each batch is written
    only if no other run wrote since this one read its state, else this run re-reads.
    Profiles saved by an older clusterer version, or of articles extracted again since
    (`extract --redo`), trigger a full recluster.
    """
    if store.stories.stale_profiles(PROFILE_VERSION):
        log.warning("stories were built by an older clusterer version or from older "
                    "extractions: reclustering")
        return recluster_stored(store, config=config, on_done=on_done)
    counts = {"opened": 0, "joined": 0, "merged": 0, "moved": 0}
    placed = 0
    for _attempt in range(_RETRIES):
        epoch = store.stories.epoch()
        clusterer = _restored_clusterer(store, config)
        todo = store.stories.to_cluster()
        try:
            for start in range(0, len(todo), batch_size):
                stored = store.get_articles(todo[start : start + batch_size])
                profiles = _profiles_of(store, stored)
                with store.writer() as w:
                    if not w.stories.claim_epoch(epoch):
                        raise _StoriesChanged
                    epoch += 1
                    for s, profile in zip(stored, profiles, strict=True):
                        done = clusterer.add(profile, near_duplicate_of=s.near_duplicate_of)
                        _save_assignment(w, profile, done, counts)
                        placed += 1
                        if on_done is not None:
                            on_done(done)
                    _save_moves(w, clusterer.second_look(profiles), counts)
                    if clusterer.config.relink_days is not None:
                        relinked = clusterer.relink_window()
                        _save_moves(w, relinked, {"opened": 0, "joined": 0, "moved": 0},
                                    RELINK_FORWARD)
                        counts["moved"] += len(relinked)
                    corrected = replay_corrections(w)  # an analyst's word over the clusterer's
                if corrected:  # the stories changed under the clusterer: read them again
                    clusterer = _restored_clusterer(store, config)
        except _StoriesChanged:
            log.info("another clustering run wrote stories meanwhile: re-reading them")
            continue
        return ClusterRun(placed, counts["opened"], counts["joined"], counts["merged"],
                          store.stories.count(), counts["moved"])
    raise UsageError("stories kept changing under another clustering run: try again")


@_as_leader
def recluster_stored(
    store: Store,
    *,
    config: ClusterConfig | None = None,
    on_done: Callable[[Assignment], None] | None = None,
) -> ClusterRun:
    """Rebuild every story from the stored articles, in publication order (undated last).

    Saved profiles are reused (no re-embedding) where current. New story ids continue after
    the old ones, and each old story forwards to the new story holding most of its articles,
    so ids a user saw still resolve. One transaction: a killed run changes nothing, and one
    that another clustering run overtook starts again.
    """
    for _attempt in range(_RETRIES):
        epoch = store.stories.epoch()
        items = store.stories.all_extracted()
        items.sort(key=lambda item: (item[1] is None, _sort_time(item[1]), item[0]))
        saved = store.stories.profiles(PROFILE_VERSION)
        clusterer = StoryClusterer(config, first_story_id=store.stories.next_story_id())
        counts = {"opened": 0, "joined": 0, "merged": 0, "moved": 0}
        missing = [aid for aid, _, _ in items if aid not in saved]
        outdated = store.stories.profiles(PROFILE_VERSION + OUTDATED)
        fresh: dict[int, ArticleProfile] = {}
        for start in range(0, len(missing), 64):
            stored = store.get_articles(missing[start : start + 64])
            fresh.update((p.article_id, p) for p in _profiles_of(store, stored, outdated))
        done_events: list[Assignment] = []
        try:
            with store.writer() as w:
                if not w.stories.claim_epoch(epoch):
                    raise _StoriesChanged
                old = w.stories.clear_members()
                batch: list[ArticleProfile] = []
                for n, (article_id, _, dup_of) in enumerate(items, start=1):
                    row = saved.get(article_id)
                    profile = fresh[article_id] if row is None else profile_from_row(
                        article_id, row.published, row.vector, row.features)
                    done = clusterer.add(profile, near_duplicate_of=dup_of)
                    _save_assignment(w, profile, done, counts, save_profile=article_id in fresh)
                    done_events.append(done)
                    batch.append(profile)
                    if n % SECOND_LOOK_BATCH == 0 or n == len(items):
                        _save_moves(w, clusterer.second_look(batch), counts)
                        batch = []
                _forward_old_stories(w, old, clusterer)
                replay_corrections(w)  # an analyst's word over the clusterer's
        except _StoriesChanged:
            log.info("another clustering run wrote stories meanwhile: starting again")
            continue
        if on_done is not None:
            for done in done_events:
                on_done(done)
        return ClusterRun(len(items), counts["opened"], counts["joined"], counts["merged"],
                          store.stories.count(), counts["moved"])
    raise UsageError("stories kept changing under another clustering run: try again")


@dataclass(frozen=True, slots=True)
class WindowRun:
    """What one re-clustering of the recent window did."""

    days: float
    looked_at: int  # articles of the window looked at again
    moved: int  # articles that changed story
    stories: int  # live stories after the run
    seconds: float  # the linkage pass itself (restoring the clusterer not counted)


@_as_leader
def recluster_window(store: Store, days: float, *,
                     config: ClusterConfig | None = None) -> WindowRun:
    """Re-cluster the articles published within `days` of the newest one (average linkage,
    see `StoryClusterer.relink_window`), so the online pass's early mistakes are mended.

    Moved articles keep their place and say why; a story left empty forwards to where its
    articles went, so ids a user saw still resolve; the analysts' corrections are replayed
    after it, in the same transaction. Stories are only merged unless the config asks for
    `relink_split`. One transaction, retried when another clustering run overtook it.
    """
    if not days > 0:
        raise UsageError(f"the window must be a positive number of days (got {days})")
    if store.stories.stale_profiles(PROFILE_VERSION):  # a full rebuild is due anyway
        run = recluster_stored(store, config=config)
        return WindowRun(days, run.clustered, run.moved, run.stories, 0.0)
    for _attempt in range(_RETRIES):
        epoch = store.stories.epoch()
        clusterer = _restored_clusterer(store, config)
        started = time.perf_counter()
        moves = clusterer.relink_window(days)
        seconds = time.perf_counter() - started
        try:
            with store.writer() as w:
                if not w.stories.claim_epoch(epoch):
                    raise _StoriesChanged
                _save_moves(w, moves, {"opened": 0, "joined": 0, "moved": 0},
                            RELINK_FORWARD)
                replay_corrections(w)  # an analyst's word over the clusterer's
        except _StoriesChanged:
            log.info("another clustering run wrote stories meanwhile: starting again")
            continue
        return WindowRun(days, clusterer.last_window, len(moves), store.stories.count(),
                         seconds)
    raise UsageError("stories kept changing under another clustering run: try again")


def _restored_clusterer(store: Store, config: ClusterConfig | None) -> StoryClusterer:
    clusterer = StoryClusterer(config, first_story_id=store.stories.next_story_id())
    for gone, into in store.stories.merges().items():
        clusterer.restore_merge(gone, into)
    for row in store.stories.clustered():
        assert row.story_id is not None
        clusterer.restore(profile_from_row(row.article_id, row.published, row.vector,
                                           row.features), row.story_id, row.near_duplicate_of)
    return clusterer


def _profiles_of(store: Store, stored: list[StoredArticle],
                 outdated: dict[int, ProfileRow] | None = None) -> list[ArticleProfile]:
    """Profiles from the current extraction; an article re-extracted since its profile was
    saved keeps its saved vector (title and lead are unchanged), so only new ones embed.
    Without `outdated`, the saved vectors of these articles are looked up: the batch runner
    embeds in its workers and saves the vector before the article is clustered."""
    extractions = [store.get_extraction(s.id) for s in stored]
    items = [(s.id, s.article, e) for s, e in zip(stored, extractions, strict=True)]
    if outdated is None:
        vectors = store.stories.vectors([s.id for s in stored], PROFILE_VERSION + OUTDATED)
    else:
        vectors = {aid: row.vector for aid, row in outdated.items() if row.vector is not None}
    known = {aid: np.frombuffer(vector, dtype=np.float32) for aid, vector in vectors.items()}
    reuse = [item for item in items if item[0] in known]
    by_id = {p.article_id: p for p in build_profiles(
        [item for item in items if item[0] not in known])}
    if reuse:  # embed nothing: the saved vectors go in afterwards
        for p in build_profiles(reuse, embed=lambda texts: np.zeros(
                (len(texts), EMBEDDING_DIM), dtype=np.float32)):
            if p.vector is not None:
                p.vector = known[p.article_id]
            by_id[p.article_id] = p
    return [by_id[s.id] for s in stored]


def _save_assignment(w: StoreWriter, profile: ArticleProfile, done: Assignment,
                     counts: dict[str, int], save_profile: bool = True) -> None:
    if save_profile:
        vector, features = profile_to_row(profile)
        w.stories.save_profile(profile.article_id, PROFILE_VERSION, vector, features)
    for gone, into in done.merged:
        w.stories.merge(gone, into, "merged: an article bridged both stories")
        counts["merged"] += 1
    w.stories.add_member(done.article_id, done.story_id, done.evidence)
    joined = done.evidence.reason.startswith("similar") or done.evidence.reason == "near-duplicate"
    counts["joined" if joined else "opened"] += 1


SECOND_LOOK_FORWARD = "reassigned: its only article fits this story better"
RELINK_FORWARD = "re-clustered: its articles joined this story"


def _save_moves(w: StoreWriter, moves: list[Move], counts: dict[str, int],
                why: str = SECOND_LOOK_FORWARD) -> None:
    """Second-look (or window) moves: the membership follows the article; an emptied story
    forwards."""
    for move in moves:
        w.stories.move_member(move.article_id, move.to_story, move.evidence)
        if move.emptied:  # its article opened that story in this batch: it joins one now
            w.stories.merge(move.from_story, move.to_story, why)
            counts["opened"] -= 1
            counts["joined"] += 1
        counts["moved"] += 1


def _forward_old_stories(w: StoreWriter, old: list[tuple[int, int]],
                         clusterer: StoryClusterer) -> None:
    """Point each pre-recluster story at the new story that took most of its articles."""
    votes: dict[int, Counter[int]] = {}
    for article_id, story_id in old:
        new = clusterer.story_of.get(article_id)
        if new is not None:
            votes.setdefault(story_id, Counter())[clusterer.resolve(new)] += 1
    for story_id, counter in votes.items():
        w.stories.merge(story_id, counter.most_common(1)[0][0], RECLUSTERED)


def _sort_time(when: datetime | None) -> float:
    """Seconds since the epoch; a time with no zone is taken as UTC (as the store does)."""
    return as_utc(when).timestamp() if when is not None else 0.0


# -- crosscheck stage -------------------------------------------------------------------------


def crosscheck_story(store: Store, story_id: int) -> tuple[Story, CrossCheck]:
    """A story (a merged-away id resolves to its successor) and its cross-check.

    Articles not yet analysed are extracted first, so a dossier never silently leaves out
    a member. Raises NotFoundError for an id that never existed.
    """
    story = store.stories.get(story_id)
    if story is None:
        raise NotFoundError(f"no story with id {story_id} (see `corroborate stories`)")
    return story, crosscheck_of(store, story)


def crosscheck_of(store: Store, story: Story) -> CrossCheck:
    """The cross-check of a story already loaded (its articles analysed first if need be)."""
    return crosscheck(_analysed(store, store.get_articles([m.article_id for m in story.members])))


# -- stored cross-checks: recomputed in the background, only for the stories touched -------


@dataclass(frozen=True, slots=True)
class RecomputeRun:
    """What one recompute step did."""

    recomputed: int  # stories cross-checked and stored
    left: int  # stale stories still queued (changed meanwhile, or past the limit)
    seconds: float  # cross-check time, all stories together


def recompute_stale(
    store: Store,
    *,
    limit: int | None = None,
    workers: int = 1,
    on_done: Callable[[int, float], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> RecomputeRun:
    """Cross-check the stories marked stale, newest first, and store each one's result.

    The marks are set by the very writes that change a story (store/checks.py), so this
    finds exactly the stories touched since their last cross-check, and a run killed midway
    leaves the rest marked for the next one. Stories with no stored cross-check, or one of
    another CROSSCHECK_VERSION, are queued first. Stories are read, cross-checked outside any
    transaction (with `workers` > 1, in that many worker processes, a batch at a time), then
    stored in a short transaction each; a story that changed while it was being cross-checked
    keeps its mark and comes round again. `on_done(story_id, seconds)` follows each story;
    `should_stop()` is asked after each.
    """
    with store.writer() as w:
        w.checks.queue_outdated(CROSSCHECK_VERSION)
    done = 0
    spent = 0.0
    tried: set[tuple[int, int]] = set()  # a story whose cross-check fails is tried once a run
    with OrderedPool(_timed_crosscheck, _failed_crosscheck, workers=workers, timeout_s=600.0,
                     preload=_WORKER_PRELOAD, min_parallel=2) as pool:
        while limit is None or done < limit:
            if should_stop is not None and should_stop():
                break
            size = _RECOMPUTE_BATCH if limit is None else min(_RECOMPUTE_BATCH, limit - done)
            todo = [item for item in store.checks.queue(size + len(tried))
                    if item not in tried][:size]
            if not todo:
                break
            tried.update(todo)
            jobs = [job for job in (_recompute_job(store, sid, seq) for sid, seq in todo)
                    if job is not None]
            # in this process one story at a time, each stored as soon as it is done
            results = pool.submit([job.pairs for job in jobs]) if workers > 1 else \
                (_timed_crosscheck(job.pairs) for job in jobs)
            for job, (check, seconds) in zip(jobs, results, strict=True):
                if check is None:
                    continue
                with store.writer() as w:
                    w.checks.save(job.story_id, CROSSCHECK_VERSION, job.members, job.state,
                                  check, seconds, job.seq)
                done += 1
                spent += seconds
                if on_done is not None:
                    on_done(job.story_id, seconds)
                if should_stop is not None and should_stop():
                    break
    return RecomputeRun(done, store.checks.pending(), spent)


_RECOMPUTE_BATCH = 16


@dataclass(frozen=True, slots=True)
class _RecomputeJob:
    story_id: int
    seq: int | None
    members: list[int]
    state: str
    pairs: list[tuple[StoredArticle, Extraction]]


def _recompute_job(store: Store, story_id: int, seq: int | None) -> _RecomputeJob | None:
    """What cross-checking one stale story needs, read now (None: merged away meanwhile)."""
    story = store.stories.get(story_id)
    if story is None or story.id != story_id:
        return None  # its mark goes with the next queue_outdated
    members = [m.article_id for m in story.members]
    state = store.checks.state(members)
    return _RecomputeJob(story_id, seq, members, state,
                         _analysed(store, store.get_articles(members)))


def _timed_crosscheck(pairs: list[tuple[StoredArticle, Extraction]]
                      ) -> tuple[CrossCheck | None, float]:
    """One story's cross-check and its seconds (runs in a worker process when there are)."""
    _allow_torch()
    started = time.perf_counter()
    try:
        check = crosscheck(pairs)
    except Exception:  # one story's failure must not stop the others: logged, retried later
        log.exception("cross-checking a story of articles %s failed",
                      [s.id for s, _ in pairs])
        return None, 0.0
    return check, time.perf_counter() - started


def _failed_crosscheck(pairs: list[tuple[StoredArticle, Extraction]],
                       reason: str) -> tuple[CrossCheck | None, float]:
    log.error("cross-checking a story of articles %s failed: %s", [s.id for s, _ in pairs],
              reason)
    return None, 0.0


def _allow_torch() -> None:
    """Worker processes start from the ingest workers' image, which keeps PyTorch out
    (worker_init.py: they never embed); the cross-check embeds, so it lets it back in."""
    import sys

    if "torch" in sys.modules and sys.modules["torch"] is None:
        del sys.modules["torch"]


def _recompute_one(store: Store, story_id: int, seq: int | None) -> float | None:
    """Cross-check one story here and store it; seconds taken, or None when it failed."""
    job = _recompute_job(store, story_id, seq)
    if job is None:
        return None
    check, seconds = _timed_crosscheck(job.pairs)
    if check is None:
        return None
    with store.writer() as w:
        w.checks.save(story_id, CROSSCHECK_VERSION, job.members, job.state, check, seconds,
                      seq)
    return seconds


def fresh_check(store: Store, story_id: int) -> tuple[Story, StoredCheck]:
    """Cross-check a story now (not waiting for the background), store it and return it.

    Raises NotFoundError for an id that never existed."""
    story = store.stories.get(story_id)
    if story is None:
        raise NotFoundError(f"no story with id {story_id} (see `corroborate stories`)")
    _recompute_one(store, story.id, store.checks.mark(story.id))
    return story, store.checks.of_story(story)


def _analysed(store: Store, stored: Sequence[StoredArticle]) -> list[tuple[StoredArticle,
                                                                          Extraction]]:
    """Stored articles with their extractions, extracting (and saving) any not yet done."""
    pairs = []
    for s in stored:
        extraction = store.get_extraction(s.id)
        if extraction is None:
            extraction = safe_extract(s.article)
            with store.writer() as w:
                extraction = w.save_extraction(s.id, extraction)
        pairs.append((s, extraction))
    return pairs


# -- check: a hand-picked set of articles as one story ---------------------------------------


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The cross-check of articles given by hand, whatever the clusterer would make of them."""

    story: Story
    check: CrossCheck
    events: tuple[IngestEvent, ...]  # what happened to each input (skips say why)


def check_documents(specs: Iterable[str], options: IngestOptions | None = None) -> CheckResult:
    """Cross-check the documents these paths and URLs lead to as one story, in memory.

    Nothing is stored. Unlike ingest, an exact or near duplicate is kept, as a copy of the
    first article with that text: a wire story carried word for word by three outlets is
    three carriers of one origin, which is what the dossier must show.
    """
    options = options or IngestOptions(fetch=False)
    fetcher = Fetcher(FetchPolicy(allow_private=options.allow_private,
                                  respect_robots=options.respect_robots)) \
        if options.fetch else None
    events: list[IngestEvent] = []
    stored: list[StoredArticle] = []
    by_hash: dict[str, int] = {}
    prints: list[tuple[int, bytes]] = []
    seen_inputs: dict[str, int] = {}
    try:
        for item in iter_sources(specs, fetcher):
            if isinstance(item, Skip):
                events.append(IngestEvent(item.source, Outcome.SKIPPED, reason=item.reason))
                continue
            if item.sha256 in seen_inputs:
                events.append(IngestEvent(item.source, Outcome.UNCHANGED,
                                          article_id=seen_inputs[item.sha256]))
                continue
            article, fp = clean_and_fingerprint(item)
            if isinstance(article, Skip):
                events.append(IngestEvent(item.source, Outcome.SKIPPED, reason=article.reason))
                continue
            article_id = len(stored) + 1
            seen_inputs[item.sha256] = article_id
            original, similarity = by_hash.get(article.text_hash), 1.0
            if original is None and fp is not None:
                found = best_match(fp, prints, options.near_duplicate_threshold)
                if found is not None:
                    original, similarity = found
            by_hash.setdefault(article.text_hash, article_id)
            if fp is not None:
                prints.append((article_id, fp.signature))
            stored.append(StoredArticle(article_id, article, article.text_hash, original,
                                        similarity if original else None, datetime.now(UTC)))
            outcome = Outcome.INGESTED if original is None else Outcome.NEAR_DUPLICATE
            events.append(IngestEvent(item.source, outcome, article_id=article_id,
                                      original_id=original,
                                      similarity=similarity if original else None))
    finally:
        if fetcher is not None:
            fetcher.close()
    if not stored:
        raise UsageError("no article to check: every input was skipped "
                         + "; ".join(f"{e.source}: {e.reason}" for e in events[:3]))
    extractions = _extract_chunk([s.article for s in stored])
    return CheckResult(_hand_picked_story(stored), crosscheck(list(zip(stored, extractions,
                                                                        strict=True))),
                       tuple(events))


def check_stored(store: Store, article_ids: Sequence[int]) -> CheckResult:
    """Cross-check stored articles, picked by id, as one story (analysed first if need be)."""
    ids = list(dict.fromkeys(article_ids))
    stored = store.get_articles(ids)
    missing = sorted(set(ids) - {s.id for s in stored})
    if missing:
        raise NotFoundError(f"no article with id {', '.join(map(str, missing))} "
                            "(see `corroborate articles`)")
    return CheckResult(_hand_picked_story(stored), crosscheck(_analysed(store, stored)), ())


def _hand_picked_story(stored: Sequence[StoredArticle]) -> Story:
    """A story record for articles picked by hand: id 0, titled by its first titled article."""
    evidence = JoinEvidence("picked by hand")
    members = tuple(StoryMember(s.id, evidence, s.article.outlet, s.article.title,
                                s.article.published) for s in stored)
    times = sorted(as_utc(s.article.published) for s in stored if s.article.published)
    title = next((s.article.title for s in stored if s.article.title), None) \
        or f"{len(stored)} articles checked together"
    outlets = tuple(dict.fromkeys(s.article.outlet for s in stored if s.article.outlet))
    return Story(0, title, members, outlets, times[0] if times else None,
                 times[-1] if times else None)
