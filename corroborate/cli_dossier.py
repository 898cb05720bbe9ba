"""The `dossier` and `check` commands of the `corroborate` CLI: a story's dossier as Markdown,
HTML or JSON, for a stored story or for articles picked by hand.

Registered on the app in cli.py (importing this module registers it), like cli_stories.py.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from corroborate.cli import DEFAULT_DB, DbOption, _errors, _store, app
from corroborate.cli import err_console as _err
from corroborate.ingest.options import IngestOptions
from corroborate.records import Outcome

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
    db: DbOption = Path(DEFAULT_DB),
) -> None:
    """A story's dossier: summary, facts with verdicts and sources, provenance, timeline."""
    from corroborate.pipeline import crosscheck_story  # cross-checks: needs the models

    with _store(db) as store, _errors():
        story, check = crosscheck_story(store, story_id)
    from corroborate.report import build_dossier

    text = render(build_dossier(story, check), fmt)
    if output is None:
        sys.stdout.write(text)
        return
    output.write_text(text, encoding="utf-8")
    _err.print(f"wrote the {fmt.value} dossier of story {story.id} to {escape(str(output))}")


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
