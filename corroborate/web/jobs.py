"""Ingest jobs: uploads and URLs ingested, clustered and cross-checked in one background thread.

One thread runs the jobs one after another, so the store has one writer; page and API reads
go on meanwhile (SQLite WAL: readers never wait for the writer). A job's clustering and
cross-check run in one child process (`StageProcess`), not in the server's thread: they are
seconds of Python and PyTorch that would hold the server's GIL, so every page and API read
would wait behind them (measured at 100k articles: p99 over 500 ms during a job). The child
keeps its models loaded between jobs, and the background recompute (dossiers.CheckWorker)
uses the same one, so two recomputes never race. Each job's record is saved in the store
when it is queued, starts and ends, so a restarted server still shows past jobs; one it was
running when it stopped is shown as interrupted.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import queue
import re
import shutil
import tempfile
import threading
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from corroborate.ingest.options import IngestOptions
from corroborate.lifeline import watch_owner
from corroborate.records import IngestEvent, Outcome
from corroborate.store import Store
from corroborate.store.dialect import is_url

log = logging.getLogger(__name__)

MAX_JOBS_KEPT = 200


class JobStatus:
    QUEUED = "queued"
    INGESTING = "ingesting"
    CLUSTERING = "clustering"
    CROSSCHECKING = "cross-checking"  # the stories changed, cross-checked and stored
    DONE = "done"
    FAILED = "failed"


@dataclass(slots=True)
class Job:
    """One ingest request and how far it has got."""

    id: str
    inputs: int  # files uploaded plus URLs given
    status: str = JobStatus.QUEUED
    processed: int = 0
    counts: dict[str, int] = field(default_factory=lambda: {str(o): 0 for o in Outcome})
    skipped: list[dict[str, str]] = field(default_factory=list)
    article_ids: list[int] = field(default_factory=list)
    clustering: dict[str, int] | None = None
    error: str | None = None
    created_at: str = field(default_factory=lambda: _now())
    finished_at: str | None = None

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    def snapshot(self) -> dict[str, Any]:
        return {
            "id": self.id, "status": self.status, "inputs": self.inputs,
            "processed": self.processed, "counts": dict(self.counts),
            "skipped": [dict(s) for s in self.skipped], "article_ids": list(self.article_ids),
            "clustering": dict(self.clustering) if self.clustering else None,
            "error": self.error, "created_at": self.created_at,
            "finished_at": self.finished_at,
        }


@dataclass(frozen=True, slots=True)
class Upload:
    """A file the user sent: its name as given and its bytes."""

    name: str
    content: bytes


class JobRunner:
    """Queues ingest jobs and runs them one at a time in a daemon thread."""

    def __init__(self, store: Store, options: IngestOptions,
                 on_finished: Callable[[Job], None] | None = None) -> None:
        self.store = store
        self.options = options
        self.on_finished = on_finished
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._queue: queue.Queue[tuple[Job, list[str], Path | None] | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        # workers=1 asks for no worker processes (tests, small machines): all in this thread
        self._stages = stage_process(store) if options.workers != 1 else None
        store.jobs.interrupt_unfinished(_now())

    def submit(self, uploads: Sequence[Upload], urls: Sequence[str],
               refused: Sequence[tuple[str, str]] = ()) -> Job:
        """Queue a job; `refused` are inputs already turned down, reported as skipped."""
        job = Job(id=uuid.uuid4().hex[:12], inputs=len(uploads) + len(urls) + len(refused))
        for source, reason in refused:
            job.skipped.append({"source": source, "reason": reason})
            job.counts[str(Outcome.SKIPPED)] += 1
            job.processed += 1
        folder = _save_uploads(uploads) if uploads else None
        specs = ([str(folder)] if folder else []) + list(urls)
        self._save(job)
        with self._lock:
            self._jobs[job.id] = job
            self._forget_old()
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._work, name="ingest-jobs",
                                                daemon=True)
                self._thread.start()
        self._queue.put((job, specs, folder))
        return job

    def get(self, job_id: str) -> dict[str, Any] | None:
        """A job of this server (live), or of an earlier one (its saved record)."""
        with self._lock:
            job = self._jobs.get(job_id)
            if job is not None:
                return job.snapshot()
        return self.store.jobs.get(job_id)

    def list(self) -> list[dict[str, Any]]:
        with self._lock:
            live = [j.snapshot() for j in reversed(self._jobs.values())]
        seen = {j["id"] for j in live}
        return live + [j for j in self.store.jobs.list(MAX_JOBS_KEPT) if j["id"] not in seen]

    def _save(self, job: Job) -> None:
        with self._lock:
            snapshot = job.snapshot()
        try:
            self.store.jobs.save(snapshot)
        except Exception:  # the record is a convenience: never fail a job over it
            log.exception("saving the record of job %s failed", job.id)

    def wait(self, job_id: str, timeout: float = 120.0) -> dict[str, Any] | None:
        """Block until the job finishes (tests, benchmarks); returns its final snapshot."""
        deadline = datetime.now(UTC).timestamp() + timeout
        while datetime.now(UTC).timestamp() < deadline:
            snap = self.get(job_id)
            if snap is None or snap["status"] in (JobStatus.DONE, JobStatus.FAILED):
                return snap
            threading.Event().wait(0.05)
        return self.get(job_id)

    def close(self) -> None:
        self._queue.put(None)
        if self._stages is not None:  # a job in hand fails as interrupted; its marks stay
            self._stages.close()

    def _forget_old(self) -> None:
        finished = [k for k, j in self._jobs.items() if j.finished]
        for key in finished[: max(0, len(self._jobs) - MAX_JOBS_KEPT)]:
            del self._jobs[key]

    def _work(self) -> None:
        while (item := self._queue.get()) is not None:
            job, specs, folder = item
            try:
                self._run(job, specs)
            except Exception as exc:  # a failed job is reported, never kills the thread
                log.exception("ingest job %s failed", job.id)
                with self._lock:
                    job.status = JobStatus.FAILED
                    job.error = f"{type(exc).__name__}: {exc}"
            finally:
                if folder is not None:
                    shutil.rmtree(folder, ignore_errors=True)
                with self._lock:
                    job.finished_at = _now()
                self._save(job)
                if self.on_finished is not None:
                    self.on_finished(job)

    def _run(self, job: Job, specs: list[str]) -> None:
        with self._lock:
            job.status = JobStatus.INGESTING
        self._save(job)

        def on_event(event: IngestEvent) -> None:
            with self._lock:
                job.processed += 1
                job.counts[str(event.outcome)] += 1
                if event.outcome is Outcome.SKIPPED:
                    job.skipped.append({"source": _display(event.source),
                                        "reason": event.reason or ""})
                elif event.article_id is not None and event.article_id not in job.article_ids:
                    job.article_ids.append(event.article_id)

        from corroborate.pipeline import ingest  # the models: jobs only

        if specs:
            ingest(specs, self.store, self.options, on_event)
        if self.options.extract:
            with self._lock:
                job.status = JobStatus.CLUSTERING
            if self._stages is not None:
                clustering = self._stages.call(cluster_at, self.store.path)
            else:
                clustering = cluster_here(self.store)
            with self._lock:
                job.clustering = clustering
                job.status = JobStatus.CROSSCHECKING
            # newest first: this job's stories lead
            checked = recompute_stale_at(self.store, self._stages)
            with self._lock:
                job.clustering["cross_checked"] = checked
        with self._lock:
            job.status = JobStatus.DONE


R = TypeVar("R")


class StageProcess:
    """One child process that clusters and cross-checks for the server, models kept loaded.

    Started on first use ("spawn": the server holds threads), at a lower CPU priority (on 2
    cores it would otherwise take turns with requests: p99 over 500 ms during a job), it
    opens the store by path; it dies with the server, however it dies (lifeline.watch_owner).
    Calls run one at a time, in the order made. A call whose child crashed raises; the next
    call starts a fresh child.
    """

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def call(self, fn: Callable[..., R], *args: Any) -> R:
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(
                    max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                    initializer=_start_child, initargs=(os.getpid(),))
            pool = self._pool
        try:
            return pool.submit(fn, *args).result()
        except BaseException:
            with self._lock:
                if self._pool is pool and getattr(pool, "_broken", False):
                    self._pool = None  # crashed: the next call starts another
            raise

    def close(self) -> None:
        """Stop the child now, work in hand or not (a stale mark stays for the next run)."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            for proc in list(getattr(pool, "_processes", {}).values()):
                proc.kill()  # no public API stops a busy worker
            pool.shutdown(wait=False, cancel_futures=True)


_STAGE_PROCESSES: dict[str, StageProcess] = {}
_STAGE_LOCK = threading.Lock()


def stage_process(store: Store) -> StageProcess | None:
    """The child process serving this store's file or server database (shared by its jobs
    and its background recompute); None for a store in memory, which no other process can
    open."""
    if store.path in ("", ":memory:"):
        return None
    with _STAGE_LOCK:
        key = store.path if is_url(store.path) else os.path.abspath(store.path)
        return _STAGE_PROCESSES.setdefault(key, StageProcess())


def recompute_stale_at(store: Store, stages: StageProcess | None,
                       should_stop: Callable[[], bool] | None = None) -> int:
    """Cross-check the stale stories (in the child when there is one); how many were stored."""
    if stages is not None:
        return stages.call(_recompute_at, store.path)
    from corroborate.pipeline import recompute_stale

    return recompute_stale(store, should_stop=should_stop).recomputed


def cluster_here(store: Store) -> dict[str, int]:
    """Cluster the new articles in this process; what the job record shows of the run."""
    from corroborate.pipeline import cluster_stored

    run = cluster_stored(store)
    return {"clustered": run.clustered, "opened": run.opened, "joined": run.joined,
            "merged": run.merged, "stories": run.stories}


CHILD_NICENESS = 10  # below the server's request threads, which answer people waiting


def _start_child(owner: int) -> None:
    """In the child: yield the CPU to the server (the background work can wait; a reader
    cannot), and end with it."""
    with contextlib.suppress(AttributeError, OSError):  # no nice here: the same priority
        os.nice(CHILD_NICENESS)
    watch_owner(owner)


# In the child: one store per file, kept open (its caches warm) between calls.
_CHILD_STORES: dict[str, Store] = {}


def _child_store(path: str) -> Store:
    if path not in _CHILD_STORES:
        _CHILD_STORES[path] = Store(path)
    return _CHILD_STORES[path]


def cluster_at(path: str) -> dict[str, int]:
    """In the child: `cluster_here` on the store at `path`."""
    return cluster_here(_child_store(path))


def _recompute_at(path: str) -> int:
    return recompute_stale_at(_child_store(path), None)


_UNSAFE = re.compile(r"[^\w.\-]+")


def _save_uploads(uploads: Sequence[Upload]) -> Path:
    """Write uploads into a fresh private folder under names that cannot escape it."""
    folder = Path(tempfile.mkdtemp(prefix="corroborate-upload-"))
    for n, upload in enumerate(uploads):
        base = _UNSAFE.sub("_", Path(upload.name.replace("\\", "/")).name).strip("._")
        name = base or "upload"
        if (folder / name).exists():  # same name twice: keep both
            name = f"{n:03d}_{name}"
        (folder / name).write_bytes(upload.content)
    return folder


def _display(source: str) -> str:
    """An upload's source without the temporary folder it was ingested from."""
    match = re.search(r"corroborate-upload-[^/\\]+[/\\](.*)$", source)
    return match.group(1) if match else source


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
