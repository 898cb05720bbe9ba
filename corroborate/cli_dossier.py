"""The `dossier` command of the `corroborate` CLI: one story's dossier as Markdown, HTML or JSON.

Registered on the app in cli.py (importing this module registers it), like cli_stories.py.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from corroborate.cli import DEFAULT_DB, DbOption, _errors, _store, app
from corroborate.cli import err_console as _err
from corroborate.pipeline import crosscheck_story
from corroborate.report import build_dossier, to_html, to_json, to_markdown
from corroborate.report.dossier import Dossier


class DossierFormat(StrEnum):
    MD = "md"
    HTML = "html"
    JSON = "json"


def render(d: Dossier, fmt: DossierFormat) -> str:
    """The dossier in one format, as the text to print or write."""
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
    with _store(db) as store, _errors():
        story, check = crosscheck_story(store, story_id)
    text = render(build_dossier(story, check), fmt)
    if output is None:
        sys.stdout.write(text)
        return
    output.write_text(text, encoding="utf-8")
    _err.print(f"wrote the {fmt.value} dossier of story {story.id} to {escape(str(output))}")
