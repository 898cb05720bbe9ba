"""`ingest`, `batch` and `extract`: the commands that read inputs and analyse articles.

`ingest` counts its inputs before reading them, so the bar shows a total, a rate and the time
left from the start (the worker processes take seconds to start); a dataset folder's files
that are not articles are counted in one line, not listed one per row.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from corroborate.cli.common import (
    DEFAULT_DB,
    DbOption,
    JsonOption,
    console,
    errors,
    open_store,
    progress_bar,
)
from corroborate.cli.steps import print_recompute, print_run, run_clustering, run_recompute
from corroborate.errors import NothingReadError, StrictModeError
from corroborate.ingest.files import is_not_article_skip
from corroborate.ingest.options import IngestOptions
from corroborate.records import Extraction, IngestEvent, IngestSummary, Outcome

if TYPE_CHECKING:
    from collections.abc import Callable

    from rich.progress import Progress

    from corroborate.pipeline import ClusterRun, RecomputeRun

commands = typer.Typer()

_RECORD_SUFFIX = re.compile(r"(#\d+|:\d+)$")  # "file.json#3", "file.jsonl:12": one record


@commands.command("ingest")
def ingest_cmd(
    inputs: Annotated[list[str], typer.Argument(help="Files, folders, URLs or feed URLs.",
                                                metavar="PATH|URL|FEED...")],
    db: DbOption = DEFAULT_DB,
    exclude: Annotated[list[str] | None, typer.Option(
        "--exclude", metavar="GLOB",
        help="Leave out files and folders whose name or path under the folder given matches "
             "(repeatable): --exclude '*.ann' --exclude annotations")] = None,
    strict: Annotated[bool, typer.Option(help="Exit non-zero if any input is skipped.")] = False,
    fetch: Annotated[bool, typer.Option(help="Fetch URLs and feed links over HTTP.")] = True,
    allow_private: Annotated[bool, typer.Option(
        help="Allow URLs that resolve to private, loopback or link-local addresses.")] = False,
    robots: Annotated[bool, typer.Option(help="Respect robots.txt when fetching.")] = True,
    extract: Annotated[bool, typer.Option(
        help="Extract entities, dates, amounts and claims from new articles.")] = True,
    cluster: Annotated[bool, typer.Option(
        help="Place new articles into stories (needs --extract).")] = True,
    workers: Annotated[int, typer.Option(help="Worker processes (0 = one per core).")] = 0,
    crosscheck: Annotated[bool, typer.Option(
        help="Then cross-check the stories changed and store them (needs --cluster).")] = True,
    as_json: JsonOption = False,
) -> None:
    """Ingest articles: clean them, drop duplicates, link near-duplicates, store them."""
    from corroborate.pipeline import ingest, nothing_read  # the models: only for this work

    options = IngestOptions(fetch=fetch, allow_private=allow_private, respect_robots=robots,
                            extract=extract, workers=workers, exclude=tuple(exclude or ()))
    with open_store(db, create=True) as store, errors():
        progress = progress_bar("ingest", "docs", quiet=as_json, last=True)
        with progress:
            on_event, on_total = _progress_callbacks(progress, "ingest", "starting workers…")
            summary = ingest(inputs, store, options, on_event, on_total)
        nothing = nothing_read(summary)
        run = None
        if extract and cluster and nothing is None:
            run = run_clustering(store, quiet=as_json)
        checked = None
        if run is not None and crosscheck:
            checked = run_recompute(store, quiet=as_json)
        _report(summary, run, checked, as_json)
        if nothing is not None:
            raise NothingReadError(nothing)
        if strict and summary.skipped:
            raise StrictModeError(f"{len(summary.skipped)} input(s) skipped (--strict)")


@commands.command("batch")
def batch_cmd(
    sources: Annotated[list[str], typer.Argument(
        help="WARC (CC-NEWS style), JSONL and HTML files or folders.", metavar="PATH...")],
    db: DbOption = DEFAULT_DB,
    ray_address: Annotated[str | None, typer.Option(
        "--ray", metavar="ADDRESS",
        help="A Ray cluster to run on ('auto', 'HOST:6379', 'ray://HOST:10001'); without it, "
             "a local Ray on this machine's cores.")] = None,
    workers: Annotated[int, typer.Option(
        help="Ray actors, one core each (0 = one per core).")] = 0,
    exclude: Annotated[list[str] | None, typer.Option(
        "--exclude", metavar="GLOB", help="Leave out matching files and folders (repeatable).")
    ] = None,
    cluster: Annotated[bool, typer.Option(help="Then place new articles into stories.")] = True,
    crosscheck: Annotated[bool, typer.Option(
        help="Then cross-check the stories changed and store them (needs --cluster).")] = True,
    as_json: JsonOption = False,
) -> None:
    """Ingest an archive on Ray Data: clean, extract and embed in parallel, store, cluster."""
    from corroborate.batch.runner import BatchOptions, run_batch  # Ray: only for this work
    from corroborate.pipeline import nothing_read

    options = BatchOptions(address=ray_address, workers=workers, ingest=IngestOptions(
        fetch=False, exclude=tuple(exclude or ())))
    with open_store(db, create=True) as store, errors():
        progress = progress_bar("batch", "docs", quiet=as_json, last=True)
        with progress:
            on_event, on_total = _progress_callbacks(progress, "batch", "starting Ray…")
            summary = run_batch(sources, store, str(db), options, on_event, on_total)
        nothing = nothing_read(summary)
        run = run_clustering(store, quiet=as_json) if cluster and nothing is None else None
        checked = run_recompute(store, quiet=as_json) if run is not None and crosscheck \
            else None
        _report(summary, run, checked, as_json)
        if nothing is not None:
            raise NothingReadError(nothing)


def _progress_callbacks(progress: Progress, name: str, starting: str
                        ) -> tuple[Callable[[IngestEvent], None], Callable[[int], None]]:
    """One task on the bar, advanced per document, its total raised where an input (a feed,
    an archive) held more documents than files were counted."""
    task = progress.add_task(name, total=None, last="counting inputs…")

    def on_total(total: int) -> None:
        progress.update(task, total=total, last=starting)

    def on_event(event: IngestEvent) -> None:
        done = progress.tasks[0].completed + 1
        total = progress.tasks[0].total
        if total is not None and done > total:
            progress.update(task, total=done)
        progress.update(task, advance=1, last=escape(_short(event.source)))

    return on_event, on_total


def _report(summary: IngestSummary, run: ClusterRun | None, checked: RecomputeRun | None,
            as_json: bool) -> None:
    """What an ingest or a batch did, then its clustering and cross-check, as text or JSON."""
    if as_json:
        record = _summary_json(summary)
        record["clustering"] = asdict(run) if run else None
        record["crosscheck"] = asdict(checked) if checked else None
        print(json.dumps(record, indent=2))
        return
    _print_summary(summary)
    if run is not None:
        print_run(run)
    if checked is not None:
        print_recompute(checked)


def _short(source: str, width: int = 50) -> str:
    return source if len(source) <= width else "…" + source[-(width - 1):]


def not_articles(skipped: list[IngestEvent]) -> Counter[str]:
    """Skipped inputs that hold no article, by file suffix ("(none)" without one)."""
    counts: Counter[str] = Counter()
    for event in skipped:
        if is_not_article_skip(event.reason or ""):
            name = Path(_RECORD_SUFFIX.sub("", event.source)).name
            suffix = Path(name).suffix.lower()
            counts[suffix or "(none)"] += 1
    return counts


def not_articles_line(counts: Counter[str]) -> str:
    """One line for them all: "skipped 300 files: 298 .ann, 2 .json (not articles)"."""
    total = sum(counts.values())
    kinds = ", ".join(f"{n} {suffix}" for suffix, n in
                      sorted(counts.items(), key=lambda item: (-item[1], item[0])))
    return (f"skipped {total} {'file' if total == 1 else 'files'}: {kinds} (not articles; "
            "--exclude GLOB leaves them out, --json lists each)")


def _summary_json(summary: IngestSummary) -> dict[str, Any]:
    return {
        "counts": {str(k): v for k, v in summary.counts.items()},
        "skipped": [{"source": e.source, "reason": e.reason} for e in summary.skipped],
        "not_articles": dict(not_articles(summary.skipped)),
    }


def _print_summary(summary: IngestSummary) -> None:
    c = summary.counts
    console.print(
        f"[bold]{summary.total}[/bold] inputs: [green]{c[Outcome.INGESTED]} ingested[/green], "
        f"{c[Outcome.NEAR_DUPLICATE]} near-duplicates (stored, linked), "
        f"{c[Outcome.DUPLICATE]} duplicates (not stored again), "
        f"{c[Outcome.UNCHANGED]} already ingested, "
        f"[yellow]{c[Outcome.SKIPPED]} skipped[/yellow]"
    )
    others = [e for e in summary.skipped if not is_not_article_skip(e.reason or "")]
    counts = not_articles(summary.skipped)
    if counts:
        console.print(escape(not_articles_line(counts)), soft_wrap=True)
    if others:
        table = Table("skipped input", "reason", title="Skipped", title_justify="left")
        for event in others:
            table.add_row(escape(event.source), escape(event.reason or ""))
        console.print(table)


@commands.command("extract")
def extract_cmd(
    db: DbOption = DEFAULT_DB,
    redo: Annotated[bool, typer.Option(help="Re-extract every article, not only new ones.")]
    = False,
    workers: Annotated[int, typer.Option(help="Worker processes (0 = one per core).")] = 0,
    cluster: Annotated[bool, typer.Option(
        help="Then place the analysed articles into stories.")] = True,
    crosscheck: Annotated[bool, typer.Option(
        help="Then cross-check the stories changed and store them.")] = True,
) -> None:
    """Extract entities, dates, amounts and claims from stored articles not yet analysed."""
    from corroborate.pipeline import extract_stored

    with open_store(db) as store, errors():
        progress = progress_bar("extract", "articles")
        skipped: list[tuple[int, str]] = []
        claims = 0
        with progress:
            task = progress.add_task("extract", total=None)

            def on_done(article_id: int, extraction: Extraction) -> None:
                nonlocal claims
                claims += len(extraction.claims)
                if extraction.skipped:
                    skipped.append((article_id, extraction.skipped))
                progress.update(task, advance=1)

            count = extract_stored(store, redo=redo, workers=workers, on_done=on_done)
        console.print(f"[bold]{count}[/bold] articles analysed: {claims} claims, "
                      f"{len(skipped)} skipped")
        for article_id, reason in skipped:
            console.print(f"  article {article_id}: {escape(reason)}")
        if cluster:
            print_run(run_clustering(store))
        if crosscheck:  # re-extracted articles marked their stories stale
            print_recompute(run_recompute(store))
