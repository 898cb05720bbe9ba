"""Documents as Ray Data rows (Arrow tables) and back.

Inputs travel as plain columns (their bytes as binary), so Ray's object store holds them
compactly; what the actors make of them (an `Article` or a `Skip`, the fingerprint, the
extraction) travels pickled: those records are ours, read only by our own driver.
"""

from __future__ import annotations

import json
import pickle
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from corroborate.records import DocFormat, RawDocument, Skip

RAW_FIELDS = [
    pa.field("source", pa.string()),
    pa.field("content", pa.large_binary()),
    pa.field("format", pa.string()),
    pa.field("url", pa.string()),
    pa.field("meta", pa.string()),  # JSON object
    pa.field("skip", pa.string()),  # the reason, on a row that stands for a Skip
]
RAW_SCHEMA = pa.schema(RAW_FIELDS)
PREPARED_SCHEMA = pa.schema([
    *RAW_FIELDS,
    pa.field("known_id", pa.int64()),  # the article of an input found already stored
    pa.field("prepared", pa.large_binary()),  # pickled `pipeline.prepare` result
    pa.field("vector", pa.binary()),  # float32 lead embedding (profile), when not alone
])


def raw_row(item: RawDocument | Skip) -> dict[str, Any]:
    if isinstance(item, Skip):
        return {"source": item.source, "content": b"", "format": "", "url": None,
                "meta": "{}", "skip": item.reason}
    return {"source": item.source, "content": item.content, "format": str(item.format),
            "url": item.url, "meta": json.dumps(item.meta, ensure_ascii=False), "skip": None}


def raw_table(items: Iterable[RawDocument | Skip]) -> pa.Table:
    return pa.Table.from_pylist([raw_row(item) for item in items], schema=RAW_SCHEMA)


def raw_item(row: dict[str, Any]) -> RawDocument | Skip:
    if row["skip"] is not None:
        return Skip(row["source"], row["skip"])
    return RawDocument(row["source"], row["content"], DocFormat(row["format"]), row["url"],
                       json.loads(row["meta"]))


@dataclass(frozen=True, slots=True)
class PreparedRow:
    """One document back from the actors: the input, and either the article it is already
    stored as (`known_id`) or what `prepare` made of it with the lead's vector."""

    item: RawDocument | Skip
    known_id: int | None
    prepared: Any  # pipeline.Prepared, or None for a skip or a known input
    vector: bytes | None


def prepared_row(item: RawDocument | Skip, known_id: int | None, prepared: Any,
                 vector: bytes | None) -> dict[str, Any]:
    row = raw_row(item)
    row.update(known_id=known_id, vector=vector,
               prepared=None if prepared is None else pickle.dumps(prepared, protocol=5))
    return row


def prepared_rows(table: pa.Table) -> list[PreparedRow]:
    return [PreparedRow(raw_item(row), row["known_id"],
                        None if row["prepared"] is None else pickle.loads(row["prepared"]),
                        row["vector"])
            for row in table.to_pylist()]
