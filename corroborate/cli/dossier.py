"""The `dossier` and `check` commands of the `corroborate` CLI: a story's dossier as Markdown,
HTML or JSON, for a stored story or for articles picked by hand; and `crosscheck`.

Markdown is short by default (what an analyst reads in thirty seconds; `--full` for
everything); JSON is the machine format and stays complete unless `--verdict` or `--top`
choose facts.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from corroborate.cli.common import DEFAULT_DB, DbOption, JsonOption, errors, open_store
from corroborate.cli.common import err_console as _err
from corroborate.cli.steps import print_recompute, run_recompute
from corroborate.errors import NotFoundError, NotReadyError
from corroborate.ingest.options import IngestOptions
from corroborate.records import Outcome, Story, Verdict
from corroborate.store import Store
from corroborate.store.checks import StoredCheck
from corroborate.store.related import near_duplicates, related_stories

if TYPE_CHECKING:
    from corroborate.report.dossier import Dossier

commands = typer.Typer()


class DossierFormat(StrEnum):
    MD = "md"
    HTML = "html"
    JSON = "json"


class VerdictChoice(StrEnum):
    """The verdicts a reader can ask for (`single-outlet` as the CLI spells it)."""

    CONFLICT = "conflict"
    DISPUTED = "disputed"
    DEVELOPING = "developing"
    AGREE = "agree"
    SINGLE_OUTLET = "single-outlet"

    @property
    def verdict(self) -> Verdict:
        return Verdict(self.value.replace("-", "_"))


FullOption = Annotated[bool, typer.Option(
    "--full", help="Markdown: everything (every fact with each outlet's sentence, provenance, "
    "timeline, articles) instead of the short dossier.")]
VerdictOption = Annotated[list[VerdictChoice] | None, typer.Option(
    "--verdict", help="Only facts with this verdict (repeatable); in every format.")]
TopOption = Annotated[int | None, typer.Option(
    "--top", min=1, help="At most N facts, the best supported first (discrepancies, then most "
    "outlets); in every format. In the short Markdown, N agreed facts instead of 5.")]


def render(d: Dossier, fmt: DossierFormat, *, full: bool = False,
           verdicts: list[VerdictChoice] | None = None, top: int | None = None,
           more: str = "`--full`") -> str:
    """The dossier in one format, as the text to print or write: facts chosen by `verdicts`
    and `top` (when given), Markdown short unless `full`."""
    from corroborate.report import to_html, to_json, to_markdown  # the dossier commands only
    from corroborate.report.markdown import to_short_markdown
    from corroborate.report.select import TOP_AGREED, select_facts

    selection = None
    if verdicts or top is not None:
        chosen = select_facts(d, {v.verdict for v in verdicts or ()}, top)
        asked = " ".join([*(f"--verdict {v.value}" for v in verdicts or ()),
                          *([f"--top {top}"] if top is not None else [])])
        selection = f"{len(chosen.facts)} of {len(d.facts)} facts ({asked})"
        _err.print(f"[yellow]note:[/yellow] {escape(selection)}", soft_wrap=True)
        d = chosen
    if fmt is DossierFormat.HTML:
        return to_html(d)
    if fmt is DossierFormat.JSON:
        return json.dumps(to_json(d), indent=2, ensure_ascii=False) + "\n"
    if full:
        return to_markdown(d)
    return to_short_markdown(d, agreed=top or TOP_AGREED, more=more, selection=selection)


@commands.command("dossier")
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
    full: FullOption = False,
    verdict: VerdictOption = None,
    top: TopOption = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """A story's dossier, as stored. Markdown (the default) is short: key figures, conflicts
    and disputes, the best-agreed facts, the main sources, and what was left out; --full
    gives every fact with each outlet's sentence, provenance, timeline and articles. A stale
    one is printed with a note saying so (on stderr)."""
    with open_store(db) as store, errors():
        story, stored = read_dossier(store, story_id, fresh=fresh)
        assert stored.check is not None
        related = related_stories(store, story)  # for the coverage panel's "not covered by"
        copies = near_duplicates(store, stored.check)
    if stored.stale is not None:
        note = stored.stale.describe()
        _err.print(f"[yellow]note:[/yellow] the cross-check of story {story.id} is "
                   f"{escape(note)}; this is the last one computed (run `corroborate "
                   f"crosscheck`, or add --fresh)", soft_wrap=True)
    assert stored.check is not None
    from corroborate.report import build_dossier  # the dossier commands only

    text = render(build_dossier(story, stored.check, related, copies), fmt, full=full,
                  verdicts=verdict, top=top,
                  more=f"`corroborate dossier {story_id} --full`")
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


@commands.command("crosscheck")
def crosscheck_cmd(
    db: DbOption = DEFAULT_DB,
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
    with open_store(db) as store, errors():
        run = run_recompute(store, limit=limit, quiet=as_json, workers=workers)
    if as_json:
        print(json.dumps(asdict(run)))
    else:
        print_recompute(run)


@commands.command("check")
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
    full: FullOption = False,
    verdict: VerdictOption = None,
    top: TopOption = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Corroborate articles picked by hand as one story, whatever the clusterer makes of them.

    Inputs are read in memory and nothing is stored; exact and near copies are kept, as
    copies of the first article with that text. With --ids, stored articles are checked.
    """
    from corroborate.pipeline import check_documents, check_stored

    with errors():
        if ids is not None:
            if inputs:
                raise typer.BadParameter("give either inputs or --ids, not both")
            picked = _parse_ids(ids)
            with open_store(db) as store:
                result = check_stored(store, picked)
        else:
            if not inputs:
                raise typer.BadParameter("give the articles to check (or --ids)")
            result = check_documents(inputs, IngestOptions(fetch=fetch))
            for event in result.events:
                if event.outcome is Outcome.SKIPPED:
                    _err.print(f"skipped {escape(event.source)}: {escape(event.reason or '')}")
    from corroborate.report import build_dossier

    text = render(build_dossier(result.story, result.check), fmt, full=full, verdicts=verdict,
                  top=top, more="add `--full`")
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

