"""The one place that knows the order of the stages and runs them.

Ingest: sources → raw documents → clean (in worker processes, both cores) → exact and
near-duplicate check → store, in batches. Each batch is one store transaction, so a run
killed at any point leaves whole articles only, and rerunning the same command finishes the
job: inputs already stored are recognised by their hash and reported as unchanged.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from itertools import islice

from corroborate.clean import clean_document
from corroborate.cluster.near_duplicates import THRESHOLD, Fingerprint, best_match, fingerprint
from corroborate.errors import InputRejected
from corroborate.ingest.fetch import Fetcher, FetchPolicy
from corroborate.ingest.sources import iter_sources
from corroborate.records import (
    Article,
    IngestEvent,
    IngestSummary,
    Outcome,
    RawDocument,
    Skip,
)
from corroborate.store import Store, StoreWriter

log = logging.getLogger(__name__)

Cleaned = tuple[Article | Skip, Fingerprint | None]


@dataclass(frozen=True, slots=True)
class IngestOptions:
    """How an ingest run behaves; the CLI and the web app fill this from their flags."""

    fetch: bool = True  # fetch URLs (and feed items that carry only a link)
    allow_private: bool = False  # let URLs reach private/loopback addresses (tests, intranets)
    respect_robots: bool = True
    workers: int = 0  # cleaning processes; 0 = one per core
    batch_size: int = 32  # inputs per transaction
    doc_timeout_s: float = 60.0  # a document that takes longer to clean is skipped
    near_duplicate_threshold: float = THRESHOLD


def ingest(
    specs: Iterable[str],
    store: Store,
    options: IngestOptions | None = None,
    on_event: Callable[[IngestEvent], None] | None = None,
) -> IngestSummary:
    """Ingest every document the given paths and URLs lead to; return what happened.

    Batches overlap: while batch k is checked for duplicates and written (this process),
    batch k+1 is already being cleaned (worker processes).
    """
    options = options or IngestOptions()
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
        with _Cleaner(options) as cleaner:
            pending: _Pending | None = None
            for batch in _batched(iter_sources(specs, fetcher), options.batch_size):
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


@dataclass(slots=True)
class _Pending:
    """A batch whose documents are being cleaned, waiting to be stored."""

    batch: list[RawDocument | Skip]
    known: dict[str, int]
    cleaned: Iterator[Cleaned]


def _store_batch(pending: _Pending, store: Store, options: IngestOptions) -> list[IngestEvent]:
    events: list[IngestEvent] = []
    with store.writer() as w:
        todo = [item.sha256 for item in pending.batch
                if isinstance(item, RawDocument) and item.sha256 not in pending.known]
        # Another process may have stored some of these since we looked; now we hold the lock.
        known = {**pending.known, **w.known_inputs(todo)}
        for item in pending.batch:
            if isinstance(item, Skip):
                events.append(IngestEvent(item.source, Outcome.SKIPPED, reason=item.reason))
                continue
            if item.sha256 not in pending.known:
                result, fp = next(pending.cleaned)
            if item.sha256 in known:
                events.append(IngestEvent(item.source, Outcome.UNCHANGED,
                                          article_id=known[item.sha256]))
                continue
            event = _store_one(item, result, fp, w, options)
            if event.article_id is not None:
                known[item.sha256] = event.article_id  # the same input twice in one batch
            events.append(event)
    return events


def _store_one(
    raw: RawDocument,
    result: Article | Skip,
    fp: Fingerprint | None,
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
    if match is not None:
        return IngestEvent(raw.source, Outcome.NEAR_DUPLICATE, article_id=article_id,
                           original_id=match[0], similarity=match[1])
    return IngestEvent(raw.source, Outcome.INGESTED, article_id=article_id)


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


class _Cleaner:
    """Cleans batches in worker processes; a hung or crashed worker costs one document."""

    _MIN_PARALLEL = 4  # below this many documents, a process pool costs more than it saves

    def __init__(self, options: IngestOptions) -> None:
        self.workers = options.workers or (os.cpu_count() or 1)
        self.timeout = options.doc_timeout_s
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> _Cleaner:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def submit(self, raws: list[RawDocument]) -> Iterator[Cleaned]:
        """Start cleaning `raws`; the returned iterator yields their results in order."""
        pool = self._executor() if self.workers > 1 and len(raws) >= self._MIN_PARALLEL else None
        if pool is None:
            return iter([clean_and_fingerprint(raw) for raw in raws])
        futures = [pool.submit(clean_and_fingerprint, raw) for raw in raws]
        return self._collect(raws, futures, pool)

    def _collect(
        self, raws: list[RawDocument], futures: list[Future[Cleaned]], pool: ProcessPoolExecutor
    ) -> Iterator[Cleaned]:
        for i, raw in enumerate(raws):
            try:
                yield futures[i].result(timeout=self.timeout)
            except FutureTimeout:
                self._kill()
                yield Skip(raw.source, f"cleaning took longer than {self.timeout:.0f} s"), None
            except (BrokenProcessPool, CancelledError):
                # Every pending document fails with a broken pool (or one killed for another
                # batch's sake); retry this one alone to tell whether it kills the worker.
                if pool is self._pool:
                    self._kill()
                yield self._retry_alone(raw)
            if pool is not self._pool:  # the pool was replaced: resubmit what is left
                new_pool = self._executor()
                rest = raws[i + 1 :]
                if new_pool is None:
                    yield from (clean_and_fingerprint(r) for r in rest)
                    return
                pool = new_pool
                futures[i + 1 :] = [pool.submit(clean_and_fingerprint, r) for r in rest]

    def _retry_alone(self, raw: RawDocument) -> Cleaned:
        pool = self._executor()
        if pool is None:
            return clean_and_fingerprint(raw)
        try:
            return pool.submit(clean_and_fingerprint, raw).result(timeout=self.timeout)
        except (BrokenProcessPool, CancelledError, FutureTimeout):
            self._kill()
            return Skip(raw.source, "the cleaner process crashed or hung on this document"), None

    def _executor(self) -> ProcessPoolExecutor | None:
        """The worker pool, started on first use; None when processes cannot be started.

        forkserver (not fork) because the parent may hold threads (progress display, HTTP).
        It cannot start when the main module is not a file (`python -`); then the run
        cleans in this process instead of failing every document.
        """
        if self._pool is None and self.workers > 1:
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(["corroborate.pipeline"])
            pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=ctx)
            try:
                pool.submit(os.getpid).result(timeout=120)
            except (BrokenProcessPool, FutureTimeout, OSError) as exc:
                log.warning("worker processes unavailable (%s); cleaning in this process", exc)
                pool.shutdown(wait=False, cancel_futures=True)
                self.workers = 1
                return None
            self._pool = pool
        return self._pool

    def _kill(self) -> None:
        """Stop a pool whose worker hangs or died; the next use starts a fresh one."""
        if self._pool is None:
            return
        for proc in list(getattr(self._pool, "_processes", {}).values()):
            proc.kill()  # no public API stops a busy worker
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = None


def _batched(items: Iterable[RawDocument | Skip], size: int) -> Iterator[list[RawDocument | Skip]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch
