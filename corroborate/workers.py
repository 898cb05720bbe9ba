"""An ordered map over worker processes that survives hung and crashing items.

Cleaning and extraction run untrusted input through C extensions (lxml, spaCy); one item
that hangs or kills its process must cost that item only. Results come back in input
order; a batch can be submitted while the previous one is still being consumed.

Workers and the forkserver die with the process that owns the pool, even one killed with
SIGKILL (`lifeline.py`): orphans would hold CPU, memory and the database for nothing.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from typing import Generic, TypeVar

from corroborate.lifeline import owner_env, watch_owner

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")


class OrderedPool(Generic[T, R]):
    """`fn` over items in worker processes; `failed(item, reason)` stands in for lost items."""

    def __init__(
        self,
        fn: Callable[[T], R],
        failed: Callable[[T, str], R],
        *,
        workers: int = 0,
        timeout_s: float = 60.0,
        preload: tuple[str, ...] = (),
        min_parallel: int = 4,  # below this many items, a process pool costs more than it saves
    ) -> None:
        self.fn = fn
        self.failed = failed
        self.workers = workers or (os.cpu_count() or 1)
        self.timeout = timeout_s
        self.preload = list(preload)
        self.min_parallel = min_parallel
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> OrderedPool[T, R]:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def submit(self, items: list[T]) -> Iterator[R]:
        """Start work on `items`; the returned iterator yields their results in order."""
        pool = self._executor() if self.workers > 1 and len(items) >= self.min_parallel else None
        if pool is None:
            return iter([self.fn(item) for item in items])
        return self._collect(items, [pool.submit(self.fn, item) for item in items], pool)

    def _collect(
        self, items: list[T], futures: list[Future[R]], pool: ProcessPoolExecutor
    ) -> Iterator[R]:
        for i, item in enumerate(items):
            try:
                yield futures[i].result(timeout=self.timeout)
            except FutureTimeout:
                self._kill()
                yield self.failed(item, f"took longer than {self.timeout:.0f} s")
            except (BrokenProcessPool, CancelledError):
                # Every pending item fails with a broken pool (or one killed for another
                # batch's sake); retry this one alone to tell whether it kills the worker.
                if pool is self._pool:
                    self._kill()
                yield self._retry_alone(item)
            if pool is not self._pool:  # the pool was replaced: resubmit what is left
                new_pool = self._executor()
                rest = items[i + 1 :]
                if new_pool is None:
                    yield from (self.fn(r) for r in rest)
                    return
                pool = new_pool
                futures[i + 1 :] = [pool.submit(self.fn, r) for r in rest]

    def _retry_alone(self, item: T) -> R:
        pool = self._executor()
        if pool is None:
            return self.fn(item)
        try:
            return pool.submit(self.fn, item).result(timeout=self.timeout)
        except (BrokenProcessPool, CancelledError, FutureTimeout):
            self._kill()
            return self.failed(item, "the worker process crashed or hung on it")

    def _executor(self) -> ProcessPoolExecutor | None:
        """The worker pool, started on first use; None when processes cannot be started.

        forkserver (not fork) because the parent may hold threads (progress display, HTTP).
        It cannot start when the main module is not a file (`python -`); then the work runs
        in this process instead of failing every item.
        """
        if self._pool is None and self.workers > 1:
            ctx = multiprocessing.get_context("forkserver")
            # The lifeline module goes first, so the forkserver ties itself to us on start.
            ctx.set_forkserver_preload(["corroborate.lifeline", *self.preload])
            owner = os.getpid()
            pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=ctx,
                                       initializer=watch_owner, initargs=(owner,))
            # The kernel ties a child to the thread that started it: only the main thread's
            # forkserver may die with its parent (the web app starts pools in a job thread).
            tie = threading.current_thread() is threading.main_thread()
            try:
                with owner_env(owner if tie else None):
                    pool.submit(os.getpid).result(timeout=120)  # starts the forkserver
            except (BrokenProcessPool, FutureTimeout, OSError) as exc:
                log.warning("worker processes unavailable (%s); working in this process", exc)
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
