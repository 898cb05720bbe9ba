"""Analyst corrections in the `corroborate` CLI: story-merge, story-split, story-move,
story-pin, and `corrections` to list them.

Each command calls one function of `corroborate.corrections`
(which records the correction and applies it at once) and prints where the articles are now.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from corroborate.cli.common import DEFAULT_DB, DbOption, JsonOption, console, errors, open_store
from corroborate.corrections import (
    CorrectionResult,
    correction_to_dict,
    merge_stories,
    move_article,
    pin_article,
    split_story,
)

NoteOption = Annotated[str, typer.Option("--note", help="Why: kept with the correction.")]
StoryArg = Annotated[int, typer.Argument(help="Story id (see `corroborate stories`).")]
commands = typer.Typer()

ArticleArg = Annotated[int, typer.Argument(help="Article id (see `corroborate story ID`).")]


@commands.command("story-merge")
def story_merge_cmd(story_id: StoryArg,
                    into: Annotated[int, typer.Argument(help="The story to merge it into.")],
                    note: NoteOption = "", db: DbOption = DEFAULT_DB,
                    as_json: JsonOption = False) -> None:
    """Merge a story into another, for good: clustering and reclustering keep them merged."""
    with open_store(db) as store, errors():
        result = merge_stories(store, story_id, into, note)
    _print(result, as_json)


@commands.command("story-split")
def story_split_cmd(story_id: StoryArg,
                    article_ids: Annotated[list[int], typer.Argument(
                        help="The articles to take out, into a story of their own.")],
                    note: NoteOption = "", db: DbOption = DEFAULT_DB,
                    as_json: JsonOption = False) -> None:
    """Split articles off a story, for good: they stay together, apart from the rest."""
    with open_store(db) as store, errors():
        result = split_story(store, story_id, article_ids, note)
    _print(result, as_json)


@commands.command("story-move")
def story_move_cmd(article_id: ArticleArg,
                   to: Annotated[int, typer.Option("--to", help="The story to move it to.")],
                   note: NoteOption = "", db: DbOption = DEFAULT_DB,
                   as_json: JsonOption = False) -> None:
    """Move an article into another story, for good."""
    with open_store(db) as store, errors():
        result = move_article(store, article_id, to, note)
    _print(result, as_json)


@commands.command("story-pin")
def story_pin_cmd(article_id: ArticleArg, story_id: StoryArg, note: NoteOption = "",
                  db: DbOption = DEFAULT_DB, as_json: JsonOption = False) -> None:
    """Pin an article to a story (moving it there if need be): clustering never takes it out."""
    with open_store(db) as store, errors():
        result = pin_article(store, article_id, story_id, note)
    _print(result, as_json)


@commands.command("corrections")
def corrections_cmd(
    db: DbOption = DEFAULT_DB,
    limit: Annotated[int, typer.Option(min=1, help="At most this many.")] = 200,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    as_json: JsonOption = False,
) -> None:
    """List analysts' corrections to the stories, oldest first: when, what, and the note."""
    with open_store(db) as store:
        corrections = store.corrections.list(limit=limit, offset=offset)
    if as_json:
        print(json.dumps([correction_to_dict(c) for c in corrections], indent=2,
                         ensure_ascii=False))
        return
    if not corrections:
        console.print("no corrections yet (see `corroborate story-merge --help`)")
        return
    table = Table("id", "when", "action", "what", "note")
    for c in corrections:
        record = correction_to_dict(c)
        table.add_row(str(c.id), record["created_at"], record["action"],
                      escape(record["what"]), escape(c.note or "—"))
    console.print(table)


def _print(result: CorrectionResult, as_json: bool) -> None:
    record = correction_to_dict(result.correction)
    if as_json:
        print(json.dumps({"correction": record, "story_id": result.story_id,
                          "moved": result.moved}, indent=2, ensure_ascii=False))
        return
    console.print(f"correction {result.correction.id} recorded: {escape(record['what'])}; "
                  f"{result.moved} article{'' if result.moved == 1 else 's'} moved, now in "
                  f"story {result.story_id}")
