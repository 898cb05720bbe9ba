"""The `dossier` and `check` commands of the `corroborate` CLI: a story's dossier as Markdown,
HTML or JSON, for a stored story or for articles picked by hand.

Registered on the app in cli.py (importing this module registers it), like cli_stories.py.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from corroborate.cli import DEFAULT_DB, DbOption, JsonOption, _errors, _store, app, console
from corroborate.cli import err_console as _err
from corroborate.errors import NotFoundError, NotReadyError
from corroborate.ingest.options import IngestOptions
from corroborate.records import Outcome, Story
from corroborate.store import Store
from corroborate.store.checks import StoredCheck

if TYPE_CHECKING:
    from corroborate.report.dossier import Dossier


class DossierFormat(StrEnum):
    MD = "md"
    HTML = "html"
    JSON = "json"


def render(d: Dossier, fmt: DossierFormat) -> str:
    """The dossier in one format, as the text to print or write."""
    from corroborate.report import to_html, to_json, to_markdown  # the dossier commands only

    if fmt is DossierFormat.HTML:
        return to_html(d)
    if fmt is DossierFormat.JSON:
        return json.dumps(to_json(d), indent=2, ensure_ascii=False) + "\n"
    return to_markdown(d)


@app.command("dossier")
def dossier_cmd(
    story_id: Annotated[int, typer.Argument(help="Story id (see `corroborate stories`).")],
    fmt: Annotated[DossierFormat, typer.Option("--format", "-f", help="Output format.")]
    = DossierFormat.MD,
    output: Annotated[Path | None, typer.Option("--output", "-o", dir_okay=False,
                                                help="Write to this file instead of stdout.")]
    = None,
    fresh: Annotated[bool, typer.Option(
        "--fresh", help="Cross-check the story now (and store it) if its stored cross-check "
        "is stale or missing, instead of waiting for `corroborate crosscheck`.")] = False,
    db: DbOption = Path(DEFAULT_DB),
) -> None:
    """A story's dossier, as stored: summary, facts with verdicts and sources, provenance,
    timeline. A stale one is printed with a note saying so (on stderr)."""
    with _store(db) as store, _errors():
        story, stored = read_dossier(store, story_id, fresh=fresh)
    if stored.stale is not None:
        note = stored.stale.describe()
        _err.print(f"[yellow]note:[/yellow] the cross-check of story {story.id} is "
                   f"{escape(note)}; this is the last one computed (run `corroborate "
                   f"crosscheck`, or add --fresh)", soft_wrap=True)
    assert stored.check is not None
    from corroborate.report import build_dossier  # the dossier commands only

    text = render(build_dossier(story, stored.check), fmt)
    if output is None:
        sys.stdout.write(text)
        return
    output.write_text(text, encoding="utf-8")
    _err.print(f"wrote the {fmt.value} dossier of story {story.id} to {escape(str(output))}")


def read_dossier(store: Store, story_id: int, fresh: bool = False) -> tuple[Story, StoredCheck]:
    """A story and its stored cross-check (computed now, and stored, with `fresh` when it is
    not current). Raises NotFoundError for an unknown story, NotReadyError when no
    cross-check was ever stored for it and `fresh` is not given."""
    story = store.stories.get(story_id)
    if story is None:
        raise NotFoundError(f"no story with id {story_id} (see `corroborate stories`)")
    stored = store.checks.of_story(story)
    if stored.current:
        return story, stored
    if fresh:
        from corroborate.pipeline import fresh_check  # loads the models

        story, stored = fresh_check(store, story.id)
    if stored.check is None:
        why = stored.stale.describe() if stored.stale else "not computed yet"
        raise NotReadyError(f"story {story.id} has no cross-check yet ({why}): run "
                            f"`corroborate crosscheck`, or `corroborate dossier {story_id} "
                            "--fresh`")
    return story, stored


@app.command("crosscheck")
def crosscheck_cmd(
    db: DbOption = Path(DEFAULT_DB),
    limit: Annotated[int | None, typer.Option(
        min=1, help="At most this many stories (newest first); the rest stay queued.")]
    = None,
    workers: Annotated[int, typer.Option(
        min=1, help="Worker processes to cross-check in (1: this process; each worker loads "
        "the models).")] = 1,
    as_json: JsonOption = False,
) -> None:
    """Cross-check the stories changed since their last cross-check, newest first, and store
    the results (`ingest`, `extract`, `cluster` and `recluster` do this when they finish)."""
    with _store(db) as store, _errors():
        run = run_recompute(store, limit=limit, quiet=as_json, workers=workers)
    if as_json:
        print(json.dumps(asdict(run)))
    else:
        print_recompute(run)


def run_recompute(store: Store, limit: int | None = None, quiet: bool = False,
                  workers: int = 1) -> Any:
    """Recompute stale stories' cross-checks with a progress bar; returns the RecomputeRun."""
    from corroborate.pipeline import recompute_stale  # loads the models

    progress = Progress(SpinnerColumn(), TextColumn("[bold]crosscheck"), BarColumn(),
                        MofNCompleteColumn(), TimeElapsedColumn(), console=_err,
                        transient=True, disable=quiet)
    with progress:
        task = progress.add_task("crosscheck", total=store.checks.pending() or None)
        return recompute_stale(store, limit=limit, workers=workers,
                               on_done=lambda _sid, _s: progress.update(task, advance=1))


def print_recompute(run: Any) -> None:
    left = f"; {run.left} still queued" if run.left else ""
    console.print(f"[bold]{run.recomputed}[/bold] "
                  f"{'story' if run.recomputed == 1 else 'stories'} cross-checked and stored "
                  f"({run.seconds:.1f} s){left}")


@app.command("check")
def check_cmd(
    inputs: Annotated[list[str] | None, typer.Argument(
        help="Files, folders or URLs of the articles to check together.",
        metavar="[PATH|URL...]")] = None,
    ids: Annotated[str | None, typer.Option(
        "--ids", help="Stored article ids instead of inputs, comma-separated (uses --db).")]
    = None,
    fmt: Annotated[DossierFormat, typer.Option("--format", "-f", help="Output format.")]
    = DossierFormat.MD,
    output: Annotated[Path | None, typer.Option("--output", "-o", dir_okay=False,
                                                help="Write to this file instead of stdout.")]
    = None,
    fetch: Annotated[bool, typer.Option(help="Fetch URLs over HTTP.")] = True,
    db: DbOption = Path(DEFAULT_DB),
) -> None:
    """Corroborate articles picked by hand as one story, whatever the clusterer makes of them.

    Inputs are read in memory and nothing is stored; exact and near copies are kept, as
    copies of the first article with that text. With --ids, stored articles are checked.
    """
    from corroborate.pipeline import check_documents, check_stored

    with _errors():
        if ids is not None:
            if inputs:
                raise typer.BadParameter("give either inputs or --ids, not both")
            picked = _parse_ids(ids)
            with _store(db) as store:
                result = check_stored(store, picked)
        else:
            if not inputs:
                raise typer.BadParameter("give the articles to check (or --ids)")
            result = check_documents(inputs, IngestOptions(fetch=fetch))
            for event in result.events:
                if event.outcome is Outcome.SKIPPED:
                    _err.print(f"skipped {escape(event.source)}: {escape(event.reason or '')}")
    from corroborate.report import build_dossier

    text = render(build_dossier(result.story, result.check), fmt)
    if output is None:
        sys.stdout.write(text)
        return
    output.write_text(text, encoding="utf-8")
    _err.print(f"wrote the {fmt.value} dossier of {len(result.check.articles)} articles "
               f"to {escape(str(output))}")


def _parse_ids(text: str) -> list[int]:
    try:
        picked = [int(part) for part in text.replace(" ", "").split(",") if part]
    except ValueError:
        raise typer.BadParameter(f"--ids takes article ids like 3,5,8, not {text!r}") from None
    if not picked:
        raise typer.BadParameter("--ids names no article")
    return picked
