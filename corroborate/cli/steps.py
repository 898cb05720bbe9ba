"""Steps several commands end with: clustering and cross-checking, each with its progress bar
and its one-line report. `ingest`, `extract`, `cluster` and `recluster` all run them, so they
live here rather than in one command's module that the others would have to import.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from corroborate.cli.common import console, progress_bar
from corroborate.store import Store

if TYPE_CHECKING:
    from corroborate.pipeline import ClusterRun, RecomputeRun


def run_clustering(store: Store, rebuild: bool = False, quiet: bool = False) -> ClusterRun:
    """Cluster with a progress bar (the embedding model takes a few seconds to load)."""
    from corroborate.pipeline import cluster_stored, recluster_stored  # loads the models

    progress = progress_bar("cluster", "articles", quiet=quiet)
    with progress:
        task = progress.add_task("cluster", total=None)
        step: Callable[[Any], None] = lambda _done: progress.update(task, advance=1)  # noqa: E731
        if rebuild:
            return recluster_stored(store, on_done=step)
        return cluster_stored(store, on_done=step)


def print_run(run: ClusterRun) -> None:
    console.print(f"[bold]{run.clustered}[/bold] articles clustered: {run.opened} opened a "
                  f"story, {run.joined} joined one, {run.merged} merges, {run.moved} moved on "
                  f"a second look; {run.stories} {'story' if run.stories == 1 else 'stories'} "
                  f"in all")


def run_recompute(store: Store, limit: int | None = None, quiet: bool = False,
                  workers: int = 1) -> RecomputeRun:
    """Recompute stale stories' cross-checks with a progress bar; returns the RecomputeRun."""
    from corroborate.pipeline import recompute_stale  # loads the models

    progress = progress_bar("crosscheck", "stories", quiet=quiet)
    with progress:
        task = progress.add_task("crosscheck", total=store.checks.pending() or None)
        return recompute_stale(store, limit=limit, workers=workers,
                               on_done=lambda _sid, _s: progress.update(task, advance=1))


def print_recompute(run: RecomputeRun) -> None:
    left = f"; {run.left} still queued" if run.left else ""
    console.print(f"[bold]{run.recomputed}[/bold] "
                  f"{'story' if run.recomputed == 1 else 'stories'} cross-checked and stored "
                  f"({run.seconds:.1f} s){left}")
