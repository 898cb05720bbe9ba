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
from concurrent.futures import Future, ProcessPoolExecutor
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
    """Ingest every document the given paths and URLs lead to; return what happened."""
    options = options or IngestOptions()
    summary = IngestSummary()
    policy = FetchPolicy(allow_private=options.allow_private,
                         respect_robots=options.respect_robots)
    fetcher = Fetcher(policy) if options.fetch else None
    try:
        with _Cleaner(options) as cleaner:
            for batch in _batched(iter_sources(specs, fetcher), options.batch_size):
                for event in _ingest_batch(batch, store, cleaner, options):
                    summary.add(event)
                    if on_event is not None:
                        on_event(event)
    finally:
        if fetcher is not None:
            fetcher.close()
    return summary


def _ingest_batch(
    batch: list[RawDocument | Skip], store: Store, cleaner: _Cleaner, options: IngestOptions
) -> list[IngestEvent]:
    raws = [item for item in batch if isinstance(item, RawDocument)]
    known = store.known_inputs([r.sha256 for r in raws])
    cleaned = iter(cleaner.clean([r for r in raws if r.sha256 not in known]))
    events: list[IngestEvent] = []
    with store.writer() as w:
        for item in batch:
            if isinstance(item, Skip):
                events.append(IngestEvent(item.source, Outcome.SKIPPED, reason=item.reason))
            elif item.sha256 in known:
                events.append(IngestEvent(item.source, Outcome.UNCHANGED,
                                          article_id=known[item.sha256]))
            else:
                result, fp = next(cleaned)
                events.append(_store_one(item, result, fp, w, options))
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
    again = w.known_inputs([raw.sha256])  # another process may have stored it meanwhile
    if again:
        return IngestEvent(raw.source, Outcome.UNCHANGED, article_id=again[raw.sha256])
    original = w.article_by_text_hash(article.text_hash)
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
        self._shutdown()

    def clean(self, raws: list[RawDocument]) -> list[Cleaned]:
        if self.workers <= 1 or len(raws) < self._MIN_PARALLEL:
            return [clean_and_fingerprint(raw) for raw in raws]
        futures = [self._executor().submit(clean_and_fingerprint, raw) for raw in raws]
        results: list[Cleaned] = []
        for i, raw in enumerate(raws):
            results.append(self._result(raw, futures[i]))
            if self._pool is None:  # the pool was killed: resubmit what is left
                futures[i + 1 :] = [self._executor().submit(clean_and_fingerprint, r)
                                    for r in raws[i + 1 :]]
        return results

    def _result(self, raw: RawDocument, future: Future[Cleaned]) -> Cleaned:
        try:
            return future.result(timeout=self.timeout)
        except FutureTimeout:
            self._kill()
            return Skip(raw.source, f"cleaning took longer than {self.timeout:.0f} s"), None
        except BrokenProcessPool:
            # Every pending document fails with the pool; retry this one alone to tell
            # whether it is the one that kills the worker.
            self._kill()
            try:
                return self._executor().submit(clean_and_fingerprint, raw).result(self.timeout)
            except (BrokenProcessPool, FutureTimeout):
                self._kill()
                return Skip(raw.source, "the cleaner process crashed on this document"), None

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(["corroborate.pipeline"])
            self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=ctx)
        return self._pool

    def _kill(self) -> None:
        """Stop a pool whose worker hangs or died; the next batch starts a fresh one."""
        if self._pool is None:
            return
        for proc in list(getattr(self._pool, "_processes", {}).values()):
            proc.kill()  # no public API stops a busy worker
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = None

    def _shutdown(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def _batched(items: Iterable[RawDocument | Skip], size: int) -> Iterator[list[RawDocument | Skip]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch
