"""Story commands of the `corroborate` CLI: cluster, recluster (they write), stories, story
(they read)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from corroborate.cli.common import DEFAULT_DB, DbOption, JsonOption, console, errors, open_store
from corroborate.cli.steps import print_recompute, print_run, run_clustering, run_recompute
from corroborate.errors import NotFoundError
from corroborate.records import Story
from corroborate.store import Store
from corroborate.store.checks import StoredCheck

commands = typer.Typer()

CrosscheckOption = Annotated[bool, typer.Option(
    help="Then cross-check the stories changed and store them.")]


@commands.command("cluster")
def cluster_cmd(db: DbOption = DEFAULT_DB, as_json: JsonOption = False,
                crosscheck: CrosscheckOption = True) -> None:
    """Place analysed articles not yet in a story into stories (ingest does this too)."""
    _cluster_and_check(db, as_json, crosscheck,
                       lambda store: run_clustering(store, quiet=as_json), print_run)


@commands.command("recluster")
def recluster_cmd(
    db: DbOption = DEFAULT_DB,
    window: Annotated[float | None, typer.Option(
        min=0.001, help="Only re-cluster the articles published within this many days of the "
        "newest (average linkage; stories only merge), instead of rebuilding all.")] = None,
    as_json: JsonOption = False,
    crosscheck: CrosscheckOption = True,
) -> None:
    """Rebuild all stories from the stored articles, in publication order.

    Story ids change; each old id forwards to the new story that took most of its articles.
    With --window, only the recent window is looked at again, and its stories that hold
    together are merged (old ids forward). Analysts' corrections hold either way.
    """
    if window is not None:
        from corroborate.pipeline import recluster_window

        _cluster_and_check(db, as_json, crosscheck,
                           lambda store: recluster_window(store, window), _print_window)
        return
    _cluster_and_check(db, as_json, crosscheck,
                       lambda store: run_clustering(store, rebuild=True, quiet=as_json), print_run)


def _print_window(done: Any) -> None:
    console.print(f"[bold]{done.looked_at}[/bold] articles of the last {done.days:g} "
                  f"days looked at again: {done.moved} moved; {done.stories} "
                  f"{'story' if done.stories == 1 else 'stories'} in all")


def _cluster_and_check(db: str, as_json: bool, crosscheck: bool,
                       cluster: Callable[[Store], Any], show: Callable[[Any], None]) -> None:
    """Run a clustering step, then cross-check and store the stories it changed."""
    with open_store(db) as store, errors():
        run = cluster(store)
        checked = run_recompute(store, quiet=as_json) if crosscheck else None
    if as_json:
        print(json.dumps({**asdict(run), "crosscheck": asdict(checked) if checked else None}))
        return
    show(run)
    if checked is not None:
        print_recompute(checked)


@commands.command("stories")
def stories_cmd(
    db: DbOption = DEFAULT_DB,
    min_size: Annotated[int, typer.Option(min=1, help="Only stories with this many articles.")]
    = 1,
    limit: Annotated[int, typer.Option(min=1, help="At most this many.")] = 50,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    as_json: JsonOption = False,
) -> None:
    """List stories, biggest first: size, outlets, date range, title."""
    with open_store(db) as store:
        stories = store.stories.list(limit=limit, offset=offset, min_size=min_size)
    if as_json:
        print(json.dumps([story_json(s, members=False) for s in stories], indent=2,
                         ensure_ascii=False))
        return
    if not stories:
        console.print("no stories yet: ingest articles (or run `corroborate cluster`)")
        return
    table = Table("id", "size", "outlets", "first seen", "last seen", "title")
    for s in stories:
        table.add_row(str(s.id), str(s.size), escape(", ".join(s.outlets) or "—"),
                      _day(s.first_seen), _day(s.last_seen), escape(s.title))
    console.print(table)


@commands.command("story")
def story_cmd(
    story_id: Annotated[int, typer.Argument(help="Story id (see `corroborate stories`).")],
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Show one story: its articles and why each joined (the similarity evidence)."""
    with open_store(db) as store, errors():
        story = store.stories.get(story_id)
        if story is None:
            raise NotFoundError(f"no story with id {story_id}")
        stored = store.checks.of_story(story, load=False)
    if as_json:
        record = story_json(story, members=True)
        record["asked_for"] = story_id
        record["cross_check"] = check_json(stored)
        print(json.dumps(record, indent=2, ensure_ascii=False))
        return
    console.rule(escape(story.title))
    if story.id != story_id:
        console.print(f"[dim]story {story_id} was merged into story {story.id}[/dim]")
    meta = Table.grid(padding=(0, 2))
    for label, value in (
        ("id", str(story.id)), ("articles", str(story.size)),
        ("outlets", ", ".join(story.outlets)),
        ("seen", f"{_day(story.first_seen)} → {_day(story.last_seen)}"),
        ("entities", ", ".join(story.entities)), ("places", ", ".join(story.places)),
        ("merged from", ", ".join(map(str, story.merged_from))),
        ("cross-check", _check_line(stored)),
    ):
        if value:
            meta.add_row(f"[bold]{label}[/bold]", escape(value))
    console.print(meta)
    table = Table("article", "outlet", "published", "title", "joined", "evidence")
    for m in story.members:
        table.add_row(str(m.article_id), escape(m.outlet or "—"), _day(m.published),
                      escape(m.title or "(untitled)"), escape(m.joined.reason),
                      escape(_evidence(m.joined)))
    console.print(table)


def check_json(stored: StoredCheck) -> dict[str, Any]:
    """The stored cross-check's list columns and whether it is current."""
    s = stored.summary
    return {
        "current": stored.current,
        "stale": stored.stale.describe() if stored.stale is not None else None,
        **({k: getattr(s, k) for k in ("articles", "outlets", "facts", "conflicts",
                                       "disputed", "developing", "origins")}
           if s is not None else {}),
        "computed_at": s.computed_at.isoformat() if s is not None else None,
    }


def _check_line(stored: StoredCheck) -> str:
    s = stored.summary
    head = (f"{s.facts} facts: {s.conflicts} conflict, {s.disputed} disputed, "
            f"{s.developing} developing; {s.origins} independent origins "
            f"(computed {s.computed_at.isoformat(sep=' ')})") if s is not None else "none yet"
    return head if stored.stale is None else f"{head}; {stored.stale.describe()}"


def _evidence(e: Any) -> str:
    parts = []
    if e.matched_article is not None:
        parts.append(f"best match: article {e.matched_article}")
    if e.score is not None:
        parts.append(f"score {e.score:.2f}")
    if e.cosine is not None:
        parts.append(f"text similarity {e.cosine:.2f}")
    if e.entity_overlap is not None:
        parts.append(f"entity overlap {e.entity_overlap:.2f}")
    if e.shared_entities:
        parts.append("shares " + ", ".join(e.shared_entities))
    if e.days_apart is not None:
        parts.append(f"{e.days_apart:g} days apart")
    if e.cohesion_gap:
        parts.append(f"{e.cohesion_gap:.2f} looser than the story's members are together")
    return "; ".join(parts)


def story_json(story: Story, members: bool) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": story.id,
        "title": story.title,
        "size": story.size,
        "outlets": list(story.outlets),
        "first_seen": story.first_seen.isoformat() if story.first_seen else None,
        "last_seen": story.last_seen.isoformat() if story.last_seen else None,
        "entities": list(story.entities),
        "places": list(story.places),
        "merged_from": list(story.merged_from),
    }
    if members:
        record["members"] = [{
            "article_id": m.article_id, "outlet": m.outlet, "title": m.title,
            "published": m.published.isoformat() if m.published else None,
            "joined": {k: v for k, v in asdict(m.joined).items() if v not in (None, ())},
        } for m in story.members]
    return record


def _day(value: Any) -> str:
    return value.date().isoformat() if value is not None else "—"
