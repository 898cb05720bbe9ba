"""What every command module of the CLI shares: the consoles, the common options, opening the
store, turning our errors into one line, and the progress bar.

Command modules import this (and `steps.py`), never the app module `cli/__init__.py` nor
each other, so the shell stays one-way: the app imports the commands, the commands import
the helpers and the library. It imports nothing heavy: read commands start with it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from corroborate.errors import CorroborateError, StoreMissingError
from corroborate.store import DEFAULT_DB, Store
from corroborate.store.dialect import exists as store_exists

__all__ = ["DEFAULT_DB", "DbOption", "JsonOption", "console", "err_console", "errors",
           "open_store", "progress_bar"]

console = Console()
err_console = Console(stderr=True)

DbOption = Annotated[
    str, typer.Option("--db", help="SQLite database file (only `ingest` and `serve` create "
                      "a missing one), or a PostgreSQL URL: postgresql://user@host/db.",
                      envvar="CORROBORATE_DB")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON records instead of a table.")]


@contextmanager
def errors() -> Iterator[None]:
    """Turn the errors we raise on purpose into one line on stderr and an exit code."""
    try:
        yield
    except CorroborateError as exc:
        err_console.print(f"[red]error:[/red] {escape(str(exc))}", soft_wrap=True)
        raise typer.Exit(exc.exit_code) from None


@contextmanager
def open_store(db: str | Path, create: bool = False) -> Iterator[Store]:
    """The store at `db`, closed afterwards. Only commands that write (`create=True`) make a
    missing one: a mistyped `--db` on a read must say so, not show an empty store."""
    with errors():
        if not create and not store_exists(str(db)):
            raise StoreMissingError(
                f"the store {db} does not exist: create one with `corroborate ingest PATH "
                f"--db {db}` (or point --db / CORROBORATE_DB at an existing store)")
        store = Store(db)
    try:
        yield store
    finally:
        store.close()


class RateColumn(ProgressColumn):
    """Items per second since the start (rich's own speed column counts bytes). Documents
    arrive a batch at a time, so the average over the run says more than the last burst."""

    def __init__(self, unit: str) -> None:
        super().__init__()
        self.unit = unit

    def render(self, task: Task) -> Text:
        elapsed = task.elapsed
        if not task.completed or not elapsed:
            return Text(f"– {self.unit}/s", style="progress.data.speed")
        return Text(f"{task.completed / elapsed:.1f} {self.unit}/s", style="progress.data.speed")


def progress_bar(label: str, unit: str, *, quiet: bool = False, last: bool = False) -> Progress:
    """A transient bar on stderr: done/total, rate, elapsed and time left; `last` adds the
    item just done (a field `last` the caller updates). Give the task its total as soon as
    it is known: without one the bar can only spin."""
    columns: list[ProgressColumn | str] = [
        SpinnerColumn(), TextColumn(f"[bold]{label}"), BarColumn(), MofNCompleteColumn(),
        RateColumn(unit), TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
    ]
    if last:
        columns.append(TextColumn("{task.fields[last]}"))
    return Progress(*columns, console=err_console, transient=True, disable=quiet)
