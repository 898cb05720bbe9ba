"""Whole-table reads for exports: articles, stories and stored cross-checks, page by page.

An export may cover a store of millions of rows, so nothing here reads a table at once:
every read is a keyset page (`id > last id ORDER BY id LIMIT n`), one short connection each.
A keyset page costs an index seek whatever its position, where OFFSET would rescan every row
before it, and a row written during the export can neither repeat nor shift a row already
read. Only stories with members (live ones) are exported; a story id given as a filter is
resolved through merges first, as every other read does.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from corroborate.errors import NotFoundError, UsageError
from corroborate.records import CrossCheck, Story
from corroborate.store.checks import CheckReads, CheckSummary
from corroborate.store.codec import crosscheck_from_blob
from corroborate.store.stories import StoryReads
from corroborate.versions import CROSSCHECK_VERSION

TABLES = ("articles", "stories", "facts")

ARTICLE_COLUMNS = (
    "id", "outlet", "url", "title", "author", "published", "published_via", "language",
    "source", "format", "text", "near_duplicate_of", "near_duplicate_similarity", "story_id",
    "ingested_at", "raw_sha256",
)


@dataclass(frozen=True, slots=True)
class Selection:
    """Which rows an export covers. `story`: one story's articles, the story itself or its
    facts (a merged-away id stands for the story it went into); `since`: a day (YYYY-MM-DD):
    articles published on or after it, stories and facts of stories that reach into it."""

    story: int | None = None
    since: str | None = None

    def __post_init__(self) -> None:
        if self.since is not None:
            try:
                datetime.fromisoformat(self.since)
            except ValueError:
                raise UsageError(
                    f"--since wants a date like 2024-06-27, got {self.since!r}") from None


@dataclass(frozen=True, slots=True)
class StoredFacts:
    """One live story's stored cross-check, as an export reads it."""

    story_id: int
    version: str  # the cross-check code version that made it
    computed_at: str
    check: CrossCheck


class ExportReads:
    """Counts and keyset pages for exports (read-only; one short connection per page)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._stories = StoryReads(engine)
        self._checks = CheckReads(engine)

    def resolve(self, selection: Selection) -> Selection:
        """The selection with its story id resolved to the live story (refused if none)."""
        if selection.story is None:
            return selection
        live = self._stories.resolve(selection.story)
        if live is None:
            raise NotFoundError(f"no story {selection.story} in this store "
                                "(see `corroborate stories`)")
        return Selection(story=live, since=selection.since)

    def count(self, table: str, selection: Selection) -> int:
        """How many rows `pages` will yield for this table and selection (the facts of a
        story are counted from the stored check's summary: no check is decoded)."""
        where, params = _filters(table, selection)
        sql = {
            "articles": "SELECT COUNT(*) FROM articles a "
                        "LEFT JOIN story_members m ON m.article_id = a.id",
            "stories": "SELECT COUNT(*) FROM story_listing s",
            "facts": "SELECT COALESCE(SUM(c.facts), 0) FROM story_checks c "
                     "JOIN story_listing s ON s.story_id = c.story_id",
        }[_table(table)]
        with self.engine.connect() as conn:
            return int(conn.exec_driver_sql(f"{sql} WHERE {where}", tuple(params)).scalar() or 0)

    def articles(self, selection: Selection, page: int) -> Iterator[list[dict[str, Any]]]:
        """Article rows (ARTICLE_COLUMNS, values as stored), by id, `page` at a time."""
        where, params = _filters("articles", selection)
        columns = ", ".join("m.story_id" if c == "story_id" else f"a.{c}"
                            for c in ARTICLE_COLUMNS)
        sql = (f"SELECT {columns} FROM articles a "
               "LEFT JOIN story_members m ON m.article_id = a.id "
               f"WHERE a.id > ? AND {where} ORDER BY a.id LIMIT ?")
        for rows in self._pages(sql, params, page):
            yield [dict(zip(ARTICLE_COLUMNS, r, strict=True)) for r in rows]

    def stories(self, selection: Selection, page: int
                ) -> Iterator[list[tuple[Story, CheckSummary | None]]]:
        """Live stories by id, `page` at a time, each with its stored check's summary (None
        where no check is stored)."""
        for ids in self._ids("stories", selection, page):
            # `_read`, not `get`: an export passes every story once, and the readers' cache
            # would only keep the last few thousand of them alive for nothing
            stories = self._stories._read(ids)
            summaries = self._checks.summaries(ids, CROSSCHECK_VERSION)
            yield [(s, summaries.get(s.id)) for s in stories]

    def checks(self, selection: Selection, page: int) -> Iterator[list[StoredFacts]]:
        """Stored cross-checks of live stories by story id, `page` checks at a time."""
        where, params = _filters("facts", selection)
        sql = ("SELECT c.story_id, c.version, c.computed_at, c.data FROM story_checks c "
               "JOIN story_listing s ON s.story_id = c.story_id "
               f"WHERE c.story_id > ? AND {where} ORDER BY c.story_id LIMIT ?")
        for rows in self._pages(sql, params, page):
            yield [StoredFacts(r[0], r[1], r[2], crosscheck_from_blob(r[3])) for r in rows]

    def _ids(self, table: str, selection: Selection, page: int) -> Iterator[list[int]]:
        where, params = _filters(table, selection)
        sql = (f"SELECT s.story_id FROM story_listing s WHERE s.story_id > ? AND {where} "
               "ORDER BY s.story_id LIMIT ?")
        for rows in self._pages(sql, params, page):
            yield [r[0] for r in rows]

    def _pages(self, sql: str, params: list[Any], page: int) -> Iterator[list[Any]]:
        """Keyset pages of a query whose first column is the key, run with the parameters
        (last key seen, *the filters', page size): one short connection per page, so an
        export never holds the database open for its whole run."""
        last = 0
        while True:
            with self.engine.connect() as conn:
                rows = conn.exec_driver_sql(sql, (last, *params, page)).all()
            if not rows:
                return
            yield rows
            last = rows[-1][0]


def _table(table: str) -> str:
    if table not in TABLES:
        raise UsageError(f"cannot export {table!r}: choose one of {', '.join(TABLES)}")
    return table


def _filters(table: str, selection: Selection) -> tuple[str, list[Any]]:
    """The WHERE clause of a table's rows for a selection (`s`: story_listing, `a`:
    articles, `m`: the article's story membership)."""
    where: list[str] = ["1 = 1"]
    params: list[Any] = []
    if _table(table) == "articles":
        if selection.story is not None:
            where.append("m.story_id = ?")
            params.append(selection.story)
        if selection.since:
            where.append("a.published >= ?")  # as `articles --since`: the outlet's own day
            params.append(selection.since)
    else:
        if selection.story is not None:
            where.append("s.story_id = ?")
            params.append(selection.story)
        if selection.since:
            where.append("s.last_instant >= julianday(?)")  # as `stories --since`
            params.append(selection.since)
    return " AND ".join(where), params

