"""`export`: articles, stories or facts as JSONL, CSV or Parquet, for researchers.

Read-only (a missing store is refused) and uncapped: rows stream from the store in batches
(`report/export.py`), so a store of millions of articles exports in flat memory. A file is
written beside its destination and renamed into place at the end, so an interrupted export
never leaves a truncated file under the name asked for.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from corroborate.cli.common import (
    DEFAULT_DB,
    DbOption,
    err_console,
    errors,
    open_store,
    progress_bar,
)
from corroborate.errors import UsageError
from corroborate.report.export import DEFAULT_BATCH, FORMATS, TABLES, Selection, count, export

commands = typer.Typer()


@commands.command("export")
def export_cmd(
    table: Annotated[str, typer.Argument(help=f"What to export: {', '.join(TABLES)}.")],
    output: Annotated[str, typer.Option(
        "--output", "-o", help="File to write; '-' for stdout (jsonl and csv only).")],
    fmt: Annotated[str | None, typer.Option(
        "--format", "-f", help=f"{', '.join(FORMATS)} (default: from the file's suffix).")
    ] = None,
    db: DbOption = DEFAULT_DB,
    story: Annotated[int | None, typer.Option(
        help="Only this story (its articles, the story itself, or its facts).")] = None,
    since: Annotated[str | None, typer.Option(
        help="Articles published on or after this day (YYYY-MM-DD); stories and facts of "
        "stories that reach into it.")] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="At most this many rows.")] = None,
    batch_size: Annotated[int, typer.Option(
        min=1, help="Rows per read and per write (a Parquet row group).")] = DEFAULT_BATCH,
    quiet: Annotated[bool, typer.Option(help="No progress bar.")] = False,
) -> None:
    """Export stored articles, stories or facts (from the stored cross-checks), uncapped."""
    with errors():
        fmt = _format(fmt, output)
        selection = Selection(story=story, since=since)
    with open_store(db) as store, errors():
        total = count(store, table, selection, limit)
        progress = progress_bar(f"export {table}", "rows", quiet=quiet or output == "-")
        with progress:
            task = progress.add_task("export", total=total)

            def advance(rows: int) -> None:
                progress.update(task, advance=rows)

            if output == "-":
                done = export(store, table, fmt, sys.stdout.buffer, selection=selection,
                              batch_size=batch_size, limit=limit, on_batch=advance)
            else:
                path = Path(output)
                part = path.with_name(f".{path.name}.part")
                try:
                    with part.open("wb") as sink:
                        done = export(store, table, fmt, sink, selection=selection,
                                      batch_size=batch_size, limit=limit, on_batch=advance)
                    os.replace(part, path)
                finally:
                    part.unlink(missing_ok=True)
    where = "stdout" if output == "-" else output
    err_console.print(f"exported {done.rows} {table} as {fmt} to {where}", soft_wrap=True,
                      highlight=False)


def _format(fmt: str | None, output: str) -> str:
    if fmt is None:
        suffix = Path(output).suffix.lstrip(".").lower() if output != "-" else ""
        if suffix not in FORMATS:
            raise UsageError(f"say which format to write with --format ({', '.join(FORMATS)}):"
                             f" {output!r} does not end in one")
        fmt = suffix
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r}: choose one of {', '.join(FORMATS)}")
    if fmt == "parquet" and output == "-":
        raise UsageError("Parquet is written to a file (its footer comes last): give -o PATH")
    if output != "-" and not Path(output).expanduser().resolve().parent.is_dir():
        raise UsageError(f"cannot write {output}: its folder does not exist")
    return fmt
