"""Articles, stories and facts as rows for researchers: JSONL, CSV or Parquet, streamed.

An export is uncapped and its memory flat: rows come from the store a keyset page at a time
(`store/export.py`) and leave as soon as a batch is full, one JSONL/CSV chunk or one Parquet
row group per batch. Every table has one column list (`COLUMNS`) that all three formats
follow, so a Parquet file, a CSV and a JSONL of one selection hold the same rows and fields.
Times stay the ISO strings the store holds: an outlet's UTC offset is part of what it
printed, and a Parquet timestamp column would have to drop it. pyarrow is imported only by
the Parquet writer (`export_parquet.py`): reading the store must not pay for it.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, BinaryIO

from corroborate.errors import UsageError
from corroborate.records import Fact, Story, Version
from corroborate.store import Store
from corroborate.store.checks import CheckSummary
from corroborate.store.export import TABLES, Selection, StoredFacts

__all__ = ["COLUMNS", "DEFAULT_BATCH", "FORMATS", "TABLES", "Selection", "batches", "count",
           "encode", "export", "stream"]

FORMATS = ("jsonl", "csv", "parquet")
EVERYTHING = Selection()
DEFAULT_BATCH = 2_000  # rows per page read and per batch written (one Parquet row group)
CHECKS_PER_ROW = 50  # facts per stored cross-check, roughly: sizes a page of checks

# Column kinds: "int", "float", "str", "bool", "strs" (list of text), "ints", and
# "versions" (a fact's versions: a list of VERSION_FIELDS records).
Column = tuple[str, str]

VERSION_FIELDS: tuple[Column, ...] = (
    ("article_id", "int"), ("outlet", "str"), ("published", "str"), ("claim", "str"),
    ("claim_start", "int"), ("claim_end", "int"), ("sentence", "str"), ("certainty", "str"),
    ("cues", "strs"), ("chain", "strs"), ("primary_key", "str"), ("primary_source", "str"),
    ("copy_of", "int"), ("denies", "bool"),
)

COLUMNS: dict[str, tuple[Column, ...]] = {
    "articles": (
        ("id", "int"), ("outlet", "str"), ("url", "str"), ("title", "str"), ("author", "str"),
        ("published", "str"), ("published_via", "str"), ("language", "str"), ("source", "str"),
        ("format", "str"), ("text", "str"), ("near_duplicate_of", "int"),
        ("near_duplicate_similarity", "float"), ("story_id", "int"), ("ingested_at", "str"),
        ("raw_sha256", "str"),
    ),
    "stories": (
        ("id", "int"), ("title", "str"), ("first_seen", "str"), ("last_seen", "str"),
        ("size", "int"), ("outlets", "strs"), ("entities", "strs"), ("places", "strs"),
        ("merged_from", "ints"),
        # the stored cross-check's summary; empty where none is stored
        ("check_articles", "int"), ("check_outlets", "int"), ("facts", "int"),
        ("conflicts", "int"), ("disputed", "int"), ("developing", "int"), ("origins", "int"),
        ("check_computed_at", "str"), ("check_current", "bool"),
    ),
    "facts": (
        ("story_id", "int"), ("fact_id", "str"), ("statement", "str"), ("verdict", "str"),
        ("reason", "str"), ("measure", "str"), ("detail_of", "str"), ("outlets", "strs"),
        ("independent_sources", "int"), ("single_source", "bool"), ("hedged", "bool"),
        ("primary_sources", "strs"), ("versions", "versions"), ("check_version", "str"),
        ("computed_at", "str"),
    ),
}


@dataclass(frozen=True, slots=True)
class Exported:
    """What an export wrote."""

    table: str
    format: str
    rows: int
    batches: int


def count(store: Store, table: str, selection: Selection = EVERYTHING,
          limit: int | None = None) -> int:
    """How many rows an export of this table and selection writes (for a progress total)."""
    n = store.exports.count(table, store.exports.resolve(selection))
    return n if limit is None else min(n, limit)


def batches(store: Store, table: str, selection: Selection = EVERYTHING,
            batch_size: int = DEFAULT_BATCH, limit: int | None = None
            ) -> Iterator[list[dict[str, Any]]]:
    """The table's rows (dicts with COLUMNS' names, nested values as lists), `batch_size`
    at a time, in id order, at most `limit` of them."""
    if batch_size < 1:
        raise UsageError(f"a batch holds at least one row, not {batch_size}")
    selection = store.exports.resolve(selection)
    reads = store.exports
    rows: Iterable[dict[str, Any]]
    if table == "articles":
        rows = (r for page in reads.articles(selection, batch_size) for r in page)
    elif table == "stories":
        rows = (_story_row(s, c) for page in reads.stories(selection, batch_size)
                for s, c in page)
    elif table == "facts":
        page = max(1, batch_size // CHECKS_PER_ROW)
        rows = (r for checks in reads.checks(selection, page) for stored in checks
                for r in _fact_rows(stored))
    else:
        raise UsageError(f"cannot export {table!r}: choose one of {', '.join(TABLES)}")
    yield from _chunks(rows, batch_size, limit)


def encode(table: str, fmt: str, batch: list[dict[str, Any]], *, header: bool) -> bytes:
    """One batch as JSONL or CSV bytes (`header`: the CSV header line first)."""
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in batch).encode()
    if fmt == "csv":
        names = [name for name, _ in COLUMNS[table]]
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180, as spreadsheets read
        if header:
            writer.writerow(names)
        writer.writerows([_csv_value(r[n]) for n in names] for r in batch)
        return buffer.getvalue().encode()
    raise UsageError(f"{fmt} is written to a file, not streamed: use jsonl or csv")


def stream(store: Store, table: str, fmt: str, selection: Selection = EVERYTHING,
           batch_size: int = DEFAULT_BATCH, limit: int | None = None,
           row_map: Callable[[dict[str, Any]], dict[str, Any]] | None = None
           ) -> Iterator[bytes]:
    """A JSONL or CSV export as chunks of bytes, one per batch (a CSV with no rows is its
    header alone); `row_map` rewrites each row first (the web app hides server paths)."""
    _format(fmt)
    for _, chunk in _counted(store, table, fmt, selection, batch_size, limit, row_map):
        yield chunk


def export(store: Store, table: str, fmt: str, sink: BinaryIO, *,
           selection: Selection = EVERYTHING, batch_size: int = DEFAULT_BATCH,
           limit: int | None = None, on_batch: Callable[[int], None] | None = None) -> Exported:
    """Write the table's rows to `sink` in `fmt`; `on_batch(rows)` after each batch."""
    _format(fmt)
    if table not in TABLES:
        raise UsageError(f"cannot export {table!r}: choose one of {', '.join(TABLES)}")
    rows = written = 0
    if fmt == "parquet":
        from corroborate.report.export_parquet import ParquetSink  # pyarrow: only here

        with ParquetSink(sink, COLUMNS[table]) as parquet:
            for batch in batches(store, table, selection, batch_size, limit):
                parquet.write(batch)
                rows, written = rows + len(batch), written + 1
                if on_batch:
                    on_batch(len(batch))
        return Exported(table, fmt, rows, written)
    for chunk_rows, chunk in _counted(store, table, fmt, selection, batch_size, limit):
        sink.write(chunk)
        rows += chunk_rows
        written += 1 if chunk_rows else 0
        if on_batch and chunk_rows:
            on_batch(chunk_rows)
    sink.flush()
    return Exported(table, fmt, rows, written)


def _counted(store: Store, table: str, fmt: str, selection: Selection, batch_size: int,
             limit: int | None, row_map: Callable[[dict[str, Any]], dict[str, Any]] | None = None
             ) -> Iterator[tuple[int, bytes]]:
    first = True
    for batch in batches(store, table, selection, batch_size, limit):
        if row_map is not None:
            batch = [row_map(r) for r in batch]
        yield len(batch), encode(table, fmt, batch, header=first)
        first = False
    if first and fmt == "csv":
        yield 0, encode(table, fmt, [], header=True)


def _format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r}: choose one of {', '.join(FORMATS)}")


def _chunks(rows: Iterable[dict[str, Any]], size: int, limit: int | None
            ) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    left = limit
    for row in rows:
        if left is not None:
            if left <= 0:
                break
            left -= 1
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _story_row(story: Story, check: CheckSummary | None) -> dict[str, Any]:
    return {
        "id": story.id,
        "title": story.title,
        "first_seen": _iso(story.first_seen),
        "last_seen": _iso(story.last_seen),
        "size": story.size,
        "outlets": list(story.outlets),
        "entities": list(story.entities),
        "places": list(story.places),
        "merged_from": list(story.merged_from),
        "check_articles": check.articles if check else None,
        "check_outlets": check.outlets if check else None,
        "facts": check.facts if check else None,
        "conflicts": check.conflicts if check else None,
        "disputed": check.disputed if check else None,
        "developing": check.developing if check else None,
        "origins": check.origins if check else None,
        "check_computed_at": _iso(check.computed_at) if check else None,
        "check_current": check.current if check else None,
    }


def _fact_rows(stored: StoredFacts) -> Iterator[dict[str, Any]]:
    for f in stored.check.facts:
        yield _fact_row(stored, f)


def _fact_row(stored: StoredFacts, f: Fact) -> dict[str, Any]:
    return {
        "story_id": stored.story_id,
        "fact_id": f.id,
        "statement": f.statement,
        "verdict": str(f.verdict),
        "reason": f.reason,
        "measure": f.measure,
        "detail_of": f.detail_of,
        "outlets": list(f.outlets),
        "independent_sources": f.independent_sources,
        "single_source": f.single_source,
        "hedged": f.hedged,
        "primary_sources": list(f.primary_sources),
        "versions": [_version(v) for v in f.versions],
        "check_version": stored.version,
        "computed_at": stored.computed_at,
    }


def _version(v: Version) -> dict[str, Any]:
    return {
        "article_id": v.article_id,
        "outlet": v.outlet,
        "published": _iso(v.published),
        "claim": v.claim,
        "claim_start": v.claim_start,
        "claim_end": v.claim_end,
        "sentence": v.sentence,
        "certainty": str(v.certainty),
        "cues": list(v.cues),
        "chain": [a.name or a.source for a in v.chain],  # outermost (the outlet) first
        "primary_key": v.primary_key,
        "primary_source": v.primary_source,
        "copy_of": v.copy_of,
        "denies": v.denies,
    }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _csv_value(value: Any) -> str | int | float:
    """A cell: nested values as JSON text, booleans as true/false (as JSON and Parquet
    readers print them), None as an empty cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value
