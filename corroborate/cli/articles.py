"""`articles`, `article` and `search`: reading stored articles, their cleaning and their
analysis. Read-only: a store that does not exist is refused, never created.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from corroborate.cli.common import (
    DEFAULT_DB,
    DbOption,
    JsonOption,
    console,
    err_console,
    errors,
    open_store,
)
from corroborate.errors import NotFoundError
from corroborate.records import AmountMention, Extraction, StoredArticle, Story
from corroborate.store.codec import extraction_to_dict

commands = typer.Typer()


@commands.command("articles")
def articles_cmd(
    db: DbOption = DEFAULT_DB,
    outlet: Annotated[str | None, typer.Option(help="Only this outlet.")] = None,
    language: Annotated[str | None, typer.Option(help="Only this language (ISO 639-1).")] = None,
    since: Annotated[str | None, typer.Option(help="Published on or after (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Published on or before (YYYY-MM-DD).")] = None,
    originals: Annotated[bool, typer.Option(help="Hide near-duplicate copies.")] = False,
    limit: Annotated[int, typer.Option(min=1, help="At most this many.")] = 50,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    as_json: JsonOption = False,
) -> None:
    """List stored articles, newest first."""
    for value, name in ((since, "--since"), (until, "--until")):
        if value:
            _check_date(value, name)
    with open_store(db) as store:
        rows = store.list_articles(outlet=outlet, language=language, since=since, until=until,
                                   originals_only=originals, limit=limit, offset=offset)
    if as_json:
        print(json.dumps([_article_json(r, full=False) for r in rows], indent=2,
                         ensure_ascii=False))
        return
    table = Table("id", "published", "outlet", "lang", "title", "copy of")
    for r in rows:
        a = r.article
        table.add_row(str(r.id), _date(a.published), escape(a.outlet or "—"), a.language or "?",
                      escape(a.title or "(untitled)"),
                      str(r.near_duplicate_of) if r.near_duplicate_of else "")
    console.print(table)


def _check_date(value: str, name: str) -> None:
    try:
        datetime.fromisoformat(value)
    except ValueError:
        err_console.print(f"[red]error:[/red] {name} wants a date like 2024-06-27, got {value!r}",
                          soft_wrap=True)
        raise typer.Exit(2) from None


@commands.command("article")
def article_cmd(
    article_id: Annotated[int, typer.Argument(help="Article id (see `corroborate articles`).")],
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
    raw: Annotated[bool, typer.Option(help="Print the raw input as stored.")] = False,
) -> None:
    """Show one article: clean text, metadata, and what cleaning removed."""
    with open_store(db) as store, errors():
        stored = store.get_article(article_id)
        if stored is None:
            raise NotFoundError(f"no article with id {article_id}")
        if raw:
            sys.stdout.write((store.get_raw(article_id) or b"").decode("utf-8", "replace"))
            return
        inputs = store.inputs_for(article_id)
        copies = store.near_duplicates_of(article_id)
        extraction = store.get_extraction(article_id)
    if as_json:
        record = _article_json(stored, full=True)
        record["inputs"] = inputs
        record["near_duplicates"] = [c.id for c in copies]
        record["extraction"] = extraction_to_dict(extraction) if extraction else None
        print(json.dumps(record, indent=2, ensure_ascii=False))
        return
    a = stored.article
    console.rule(escape(a.title or "(untitled)"))
    meta = Table.grid(padding=(0, 2))
    for label, value in (
        ("id", str(stored.id)), ("outlet", a.outlet), ("author", a.author),
        ("published", f"{_date(a.published, full=True)}  (from {a.published_via})"
         if a.published else None),
        ("url", a.url), ("language", a.language), ("source", a.source),
        ("extractor", a.extractor),
        ("copy of", f"article {stored.near_duplicate_of} "
         f"(similarity {stored.near_duplicate_similarity:.2f})"
         if stored.near_duplicate_of else None),
        ("copies", ", ".join(str(c.id) for c in copies) or None),
        ("also seen as", ", ".join(i["source"] for i in inputs if i["outcome"] == "duplicate")
         or None),
    ):
        if value:
            meta.add_row(f"[bold]{label}[/bold]", escape(value))
    console.print(meta)
    console.print()
    console.print(escape(a.text))
    if a.removed:
        console.print()
        table = Table("removed", "why", title="What cleaning removed", title_justify="left")
        for removal in a.removed:
            table.add_row(escape(removal.text), escape(removal.reason))
        console.print(table)
    _print_extraction(extraction)


def _print_extraction(extraction: Extraction | None) -> None:
    console.print()
    if extraction is None:
        console.print("[dim]not analysed yet: run `corroborate extract`[/dim]")
        return
    if extraction.skipped:
        console.print(f"[yellow]not analysed:[/yellow] {escape(extraction.skipped)}")
        return
    people = sorted({(m.kind.value, m.name) for m in extraction.entities})
    if people:
        console.print("[bold]Entities[/bold]  " + "; ".join(
            f"{escape(name)} ({kind})" for kind, name in people))
    if extraction.times:
        console.print("[bold]Dates[/bold]  " + "; ".join(
            f"{escape(t.text)} → {escape(t.label)}" for t in extraction.times))
    if extraction.amounts:
        console.print("[bold]Amounts[/bold]  " + "; ".join(
            _amount_label(a) for a in extraction.amounts))
    if extraction.claims:
        table = Table("certainty", "attribution chain", "claim", title="Claims",
                      title_justify="left")
        for claim in extraction.claims:
            chain = " → ".join(
                f"{escape(link.name or link.source)}" + (f" ({escape(link.cue)})" if link.cue
                                                           else "")
                for link in claim.chain)
            certainty = claim.certainty.value + (
                f" ({escape(', '.join(claim.cues))})" if claim.cues else "")
            table.add_row(certainty, chain, escape(claim.text))
        console.print(table)


def _amount_label(a: AmountMention) -> str:
    label = f"{escape(a.text)} = {a.bound.value} {a.low:g}"
    if a.high != a.low:
        label += f"–{a.high:g}"
    label += f" {escape(a.unit)}"
    if a.per:
        label += f" per {a.per}"
    if a.usd:
        label += f" (≈ ${a.usd[0] / 1e6:,.1f}M" + (
            f"–{a.usd[1] / 1e6:,.1f}M" if a.usd[1] != a.usd[0] else "") + ")"
    return label


@commands.command("search")
def search_cmd(
    query: Annotated[str, typer.Argument(help="Words to look for (all must appear).")],
    db: DbOption = DEFAULT_DB,
    limit: Annotated[int, typer.Option(min=1)] = 20,
    as_json: JsonOption = False,
) -> None:
    """Full-text search over titles and article text."""
    with open_store(db) as store:
        hits = store.search(query, limit=limit)
        stories = store.stories.stories_of([h.article.id for h in hits])
    if as_json:
        print(json.dumps([{**_article_json(h.article, full=False), "snippet": h.snippet,
                           "rank": h.rank, "story": _story_ref(stories.get(h.article.id))}
                          for h in hits], indent=2, ensure_ascii=False))
        return
    if not hits:
        console.print("no matches")
        return
    table = Table("id", "published", "outlet", "title", "story", "snippet")
    for h in hits:
        a = h.article.article
        story = stories.get(h.article.id)
        table.add_row(str(h.article.id), _date(a.published), escape(a.outlet or "—"),
                      escape(a.title or ""), str(story.id) if story else "—",
                      escape(h.snippet))
    console.print(table)


def _story_ref(story: Story | None) -> dict[str, Any] | None:
    return {"id": story.id, "title": story.title} if story is not None else None


def _date(value: datetime | None, full: bool = False) -> str:
    if value is None:
        return "—"
    return value.isoformat(sep=" ") if full else value.date().isoformat()


def _article_json(stored: StoredArticle, full: bool) -> dict[str, Any]:
    a = asdict(stored.article)
    a["format"] = str(stored.article.format)
    a["published"] = stored.article.published.isoformat() if stored.article.published else None
    if not full:
        a.pop("text")
        a.pop("removed")
    return {
        "id": stored.id,
        **a,
        "text_hash": stored.text_hash,
        "near_duplicate_of": stored.near_duplicate_of,
        "near_duplicate_similarity": stored.near_duplicate_similarity,
        "ingested_at": stored.ingested_at.isoformat(),
    }
