"""The Parquet writer of exports: one row group per batch, under an explicit schema.

Kept apart from `export.py` because it is the one module that imports pyarrow (tens of
megabytes of native code): JSONL and CSV exports, and every read command, never load it.
The schema comes from the export's column list, not from the rows, so a batch whose values
are all empty still writes the column's real type, and every row group of a file agrees.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, BinaryIO

import pyarrow as pa
import pyarrow.parquet as pq

Column = tuple[str, str]

_SCALARS = {"int": pa.int64(), "float": pa.float64(), "str": pa.string(), "bool": pa.bool_(),
            "strs": pa.list_(pa.string()), "ints": pa.list_(pa.int64())}


def schema(columns: tuple[Column, ...]) -> pa.Schema:
    """The Arrow schema of an export's columns (all nullable: the store's are)."""
    from corroborate.report.export import VERSION_FIELDS

    version = pa.struct([pa.field(n, _SCALARS[k]) for n, k in VERSION_FIELDS])
    kinds = {**_SCALARS, "versions": pa.list_(version)}
    return pa.schema([pa.field(name, kinds[kind]) for name, kind in columns])


class ParquetSink:
    """A Parquet file written a batch (one row group) at a time; closed on leaving `with`."""

    def __init__(self, sink: BinaryIO | Path, columns: tuple[Column, ...]) -> None:
        self.schema = schema(columns)
        target: Any = str(sink) if isinstance(sink, Path) else sink
        self.writer = pq.ParquetWriter(target, self.schema, compression="zstd")

    def write(self, batch: list[dict[str, Any]]) -> None:
        table = pa.Table.from_pylist(batch, schema=self.schema)
        self.writer.write_table(table, row_group_size=max(1, len(batch)))

    def close(self) -> None:
        self.writer.close()

    def __enter__(self) -> ParquetSink:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
