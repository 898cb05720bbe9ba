"""Exports over the web: `GET /api/v1/export/{table}.jsonl|csv`, streamed.

The response is written a batch at a time as the store is read (`report.export.stream`), so
an export of the whole store costs the server one batch of memory, and the client sees rows
before the last is read. Filters and errors are checked before the first byte goes out (a
stream cannot turn into a 404 halfway); the row count comes first, in `X-Total-Count`. An
article's `source` is shown as the rest of the API shows it: a URL or a file's name, never a
path of the server's disk. Parquet is left to the CLI: its footer comes last, so it cannot be
streamed as written.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import StreamingResponse

from corroborate.errors import NotFoundError, UsageError
from corroborate.report.export import Selection, count, stream
from corroborate.web.envelopes import Problem
from corroborate.web.state import State
from corroborate.web.views import public_source

router = APIRouter(prefix="/api/v1", tags=["api"],
                   responses={code: {"model": Problem} for code in (400, 404, 422)})

MEDIA = {"jsonl": "application/x-ndjson", "csv": "text/csv; charset=utf-8"}
TABLES = ("articles", "stories", "facts")


@router.get("/export/{name}", response_class=StreamingResponse,
            responses={200: {"content": {m.split(";")[0]: {} for m in MEDIA.values()},
                             "description": "The rows, one batch at a time."}})
def export_table(
    state: State,
    name: str,
    story: Annotated[int | None, Query(description="Only this story.")] = None,
    since: Annotated[str | None, Query(
        pattern=r"^\d{4}-\d{2}-\d{2}$",
        description="Articles published on or after this day; stories (and their facts) "
        "that reach into it.")] = None,
    limit: Annotated[int | None, Query(ge=1, description="At most this many rows.")] = None,
) -> Any:
    """Articles, stories or facts (from the stored cross-checks) as JSONL or CSV:
    `articles.jsonl`, `facts.csv`, ... Uncapped; `X-Total-Count` says how many rows."""
    table, _, fmt = name.partition(".")
    if table not in TABLES or fmt not in MEDIA:
        raise HTTPException(404, f"no export {name!r}: ask for TABLE.jsonl or TABLE.csv, "
                            f"TABLE one of {', '.join(TABLES)}")
    selection = Selection(story=story, since=since)
    try:
        total = count(state.store, table, selection, limit)
    except NotFoundError as exc:
        raise HTTPException(404, str(exc)) from None
    except UsageError as exc:
        raise HTTPException(400, str(exc)) from None
    return StreamingResponse(
        stream(state.store, table, fmt, selection, limit=limit,
               row_map=_public if table == "articles" else None),
        media_type=MEDIA[fmt],
        headers={"X-Total-Count": str(total),
                 "Content-Disposition": f'attachment; filename="{table}.{fmt}"'},
    )


def _public(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "source": public_source(row["source"])}
