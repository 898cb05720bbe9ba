"""What runs inside Ray: reading inputs (tasks) and the per-article stages (an actor pool).

An actor is a long-lived worker process: it loads spaCy's pipeline and the embedding model
once, then cleans, extracts and embeds batch after batch, as `corroborate ingest`'s workers
do (the same `pipeline.prepare`, the same `build_profiles`). Nothing here imports Ray: Ray
calls these with Arrow tables and takes Arrow tables back.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa

from corroborate.batch.rows import PREPARED_SCHEMA, prepared_row, raw_item, raw_row
from corroborate.ingest.sources import InputRef, read_input
from corroborate.records import Article, RawDocument, Skip

# Documents per block between the stages: an actor takes a block at a time and the driver gets
# its results a block at a time, so small blocks keep every actor busy and the writes flowing
# (a 1 GB WARC is thousands of blocks, not one).
READ_CHUNK_DOCS = 16
READ_CHUNK_BYTES = 32 * 2**20


def read_inputs(refs: pa.Table) -> Iterator[pa.Table]:
    """The documents of some inputs (files met in a walk, or named), in order, as blocks.

    Runs as Ray tasks near the files: every node must see the paths (a shared file system).
    """
    from corroborate.batch.rows import RAW_SCHEMA

    rows: list[dict[str, object]] = []
    size = 0
    for ref in refs.to_pylist():
        for item in read_input(InputRef(ref["path"], ref["named"]), fetcher=None):
            rows.append(raw_row(item))
            size += len(rows[-1]["content"])  # type: ignore[arg-type]
            if len(rows) >= READ_CHUNK_DOCS or size >= READ_CHUNK_BYTES:
                yield pa.Table.from_pylist(rows, schema=RAW_SCHEMA)
                rows, size = [], 0
    if rows:
        yield pa.Table.from_pylist(rows, schema=RAW_SCHEMA)


class PrepareArticles:
    """decode → clean → fingerprint → extract → profile (the lead's embedding) per document.

    With a store (`db`), inputs it holds already are not processed again, so a rerun over an
    archive costs the reading only; the driver checks again under the write lock.
    """

    def __init__(self, db: str | None, extract: bool = True) -> None:
        from corroborate.extract import analysis_pipeline
        from corroborate.models import embedding_model
        from corroborate.store import Store

        analysis_pipeline()  # the models load here, once per actor, not on the first batch
        embedding_model()
        self.extract = extract
        # A database URL is reached from any node; a SQLite file only where it lies (a local
        # Ray): elsewhere the actor processes everything and the driver still stores nothing
        # twice. A missing file is never created here.
        reachable = db is not None and ("://" in db or Path(db).is_file())
        self.store = Store(db) if reachable else None

    def __call__(self, batch: pa.Table) -> pa.Table:
        from corroborate.cluster.profile import build_profiles
        from corroborate.pipeline import prepare

        items = [raw_item(row) for row in batch.to_pylist()]
        raws = [item for item in items if isinstance(item, RawDocument)]
        known = self.store.known_inputs([r.sha256 for r in raws]) if self.store else {}
        done = {id(r): prepare(r, extract=self.extract) for r in raws if r.sha256 not in known}
        # The lead embeddings of the whole batch in one call (articles an extraction skipped,
        # or too short to compare, get none: the clusterer keeps them alone)
        articles = [(key, result[0], result[2]) for key, result in done.items()
                    if isinstance(result[0], Article)]
        vectors = {p.article_id: p.vector.tobytes() for p in build_profiles(articles)
                   if p.vector is not None} if self.extract and articles else {}
        rows = []
        for item in items:
            if isinstance(item, Skip):
                rows.append(prepared_row(item, None, None, None))
            else:
                rows.append(prepared_row(item, known.get(item.sha256), done.get(id(item)),
                                         vectors.get(id(item))))
        return pa.Table.from_pylist(rows, schema=PREPARED_SCHEMA)

    def __del__(self) -> None:
        if getattr(self, "store", None) is not None:
            self.store.close()
