"""The batch run: inputs → Ray Data (read tasks, then an actor pool) → one driver writing the
store by ingest's rules, in input order; clustering and cross-checking follow from the store.

One writer keeps the store's guarantees as they are: each batch of results is one
transaction, duplicates are found against everything stored before it, and a rerun adds
nothing (inputs already stored are recognised by their hash, in the actors and again under
the write lock). Results come back in input order (Ray Data's `preserve_order`), so article
ids, duplicate links and stories come out as `corroborate ingest` of the same inputs makes them.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corroborate.errors import UsageError
from corroborate.ingest.options import IngestOptions
from corroborate.ingest.sources import InputRef, count_inputs, input_refs
from corroborate.records import IngestEvent, IngestSummary, Outcome, RawDocument, Skip
from corroborate.store import Store, StoreWriter

ACTOR_BATCH = 8  # documents per actor call: spaCy and the embedder batch within it
READ_CPUS = 0.25  # a reader mostly waits on the disk; it must not hold a worker's core


@dataclass(frozen=True, slots=True)
class BatchOptions:
    """Where and how wide a batch runs; `ingest` holds the rules of what is stored."""

    address: str | None = None  # a Ray cluster ("auto", "ray://head:10001"); None: start one here
    workers: int = 0  # actors (one core each); 0 = one per core of this machine or the cluster
    actor_batch: int = ACTOR_BATCH
    ingest: IngestOptions = field(default_factory=lambda: IngestOptions(fetch=False))


def run_batch(
    specs: Iterable[str],
    store: Store,
    db: str | None,
    options: BatchOptions | None = None,
    on_event: Callable[[IngestEvent], None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> IngestSummary:
    """Ingest every document the paths lead to through Ray; return what happened to each.

    `db` is how the actors open the same store to leave out inputs already stored (None:
    they process everything, and the driver still stores nothing twice).
    """
    options = options or BatchOptions()
    specs = list(specs)
    ingest = options.ingest
    if on_total is not None:
        on_total(count_inputs(specs, ingest.exclude))
    summary = IngestSummary()

    def emit(events: Iterable[IngestEvent]) -> None:
        for event in events:
            summary.add(event)
            if on_event is not None:
                on_event(event)

    refs: list[InputRef] = []
    for ref in input_refs(specs, ingest.exclude):
        if isinstance(ref, Skip):
            emit([IngestEvent(ref.source, Outcome.SKIPPED, reason=ref.reason)])
        else:
            refs.append(ref)
    if not refs:
        return summary
    ray, started = _connect(options)
    try:
        for table in _dataset(ray, refs, db, options).iter_batches(
                batch_size=ingest.batch_size, batch_format="pyarrow", prefetch_batches=2):
            emit(_store(table, store, ingest))
    finally:
        if started:
            ray.shutdown()
    return summary


def _connect(options: BatchOptions) -> tuple[Any, bool]:
    """Ray, connected: to the cluster at `address` (or RAY_ADDRESS), or a local one on this
    machine's cores.

    Returns (ray, whether this call started it). A cluster's nodes get this package's code
    shipped with the job (`py_modules`); its dependencies and models must be installed there.
    """
    try:
        import ray
    except ImportError:
        raise UsageError("the batch command needs Ray Data: pip install 'ray[data]' "
                         "(or install corroborate with the [batch] extra)") from None
    started = not ray.is_initialized()
    if started:
        for name in ("ray", "ray.data"):  # Ray's start-up and per-dataset notes: not for users
            logging.getLogger(name).setLevel(logging.ERROR)
        quiet: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False,
                                 "logging_level": logging.ERROR}
        # RAY_ADDRESS is set where Ray runs the command itself (`ray job submit`, a RayJob)
        address = options.address or os.environ.get("RAY_ADDRESS")
        if address:
            _check_reachable(address)
            package = str(Path(__file__).resolve().parents[1])
            try:
                ray.init(address=address, runtime_env={"py_modules": [package]}, **quiet)
            except (ConnectionError, RuntimeError) as exc:
                reason = str(exc).strip().splitlines()[-1]
                raise UsageError(
                    f"cannot connect to the Ray cluster at {address} ({reason}); a cluster with "
                    "token authentication (Ray's default) also needs RAY_AUTH_MODE=token and "
                    "its token (RAY_AUTH_TOKEN, or ~/.ray/auth_token)") from None
        else:
            workers = options.workers or (os.cpu_count() or 1)
            # One logical core per actor plus one the readers share (READ_CPUS each);
            # "local": a new Ray of our own, even where `ray start` left a cluster running.
            ray.init(address="local", num_cpus=workers + 1, **quiet)
    ctx = ray.data.DataContext.get_current()
    logging.getLogger("ray.data").setLevel(logging.ERROR)  # set up by Ray Data on import
    ctx.execution_options.preserve_order = True  # ids and stories as ingest makes them
    ctx.enable_progress_bars = False  # the command draws its own
    ctx.print_on_execution_start = False
    return ray, started


def _check_reachable(address: str) -> None:
    """Fail in seconds on a HOST:PORT nothing listens on: Ray itself retries for minutes."""
    host, _, port = address.removeprefix("ray://").rpartition(":")
    if not host or not port.isdigit():
        return  # "auto", or a form Ray resolves itself
    try:
        socket.create_connection((host, int(port)), timeout=10).close()
    except OSError as exc:
        raise UsageError(f"cannot reach the Ray cluster at {address}: {exc.strerror or exc} "
                         "(start one with `ray start --head`, see docs/capacity.md)") from None


def _dataset(ray: Any, refs: Sequence[InputRef], db: str | None, options: BatchOptions) -> Any:
    from corroborate.batch.actors import READ_CHUNK_DOCS, PrepareArticles, read_inputs

    workers = options.workers or max(1, int(ray.cluster_resources().get("CPU", 2)) - 1)
    items = [{"path": ref.path, "named": ref.named} for ref in refs]
    return (ray.data.from_items(items, override_num_blocks=min(len(items), 10_000))
            .map_batches(read_inputs, batch_size=1, batch_format="pyarrow", num_cpus=READ_CPUS)
            # Ray gathers a task's output into blocks of up to 128 MB (a thousand pages), and
            # an actor hands back a whole block at once: small blocks keep results streaming.
            .repartition(target_num_rows_per_block=READ_CHUNK_DOCS)
            .map_batches(PrepareArticles, batch_size=options.actor_batch,
                         batch_format="pyarrow", num_cpus=1,
                         compute=ray.data.ActorPoolStrategy(size=workers),
                         fn_constructor_kwargs={"db": db, "extract": options.ingest.extract}))


def _store(table: Any, store: Store, options: IngestOptions) -> list[IngestEvent]:
    """One batch of results into the store: ingest's write, then the lead vectors the actors
    embedded, saved for the clusterer in the same transaction."""
    from corroborate.batch.rows import prepared_rows
    from corroborate.cluster.profile import PROFILE_VERSION
    from corroborate.pipeline import store_prepared
    from corroborate.store.stories import OUTDATED

    rows = prepared_rows(table)
    known = {r.item.sha256: r.known_id for r in rows
             if isinstance(r.item, RawDocument) and r.known_id is not None}
    vectors = {id(r.item): r.vector for r in rows if r.vector is not None}

    def save_vectors(w: StoreWriter, done: list[tuple[RawDocument | Skip, IngestEvent]]) -> None:
        # "outdated": the clusterer keeps the vector and rebuilds the rest of the profile from
        # the stored extraction, whose names the store resolves against the whole corpus.
        for item, event in done:
            vector = vectors.get(id(item))
            if vector is not None and event.article_id is not None and event.outcome in (
                    Outcome.INGESTED, Outcome.NEAR_DUPLICATE):
                w.stories.save_profile(event.article_id, PROFILE_VERSION + OUTDATED, vector, "{}")

    return store_prepared([r.item for r in rows], known,
                          [r.prepared for r in rows if r.prepared is not None], store, options,
                          save_vectors)
