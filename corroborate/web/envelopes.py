"""The shapes every API list and every API error share, declared once for OpenAPI.

A list is `{"items": [...], "total": N, "limit": L, "offset": O, "next": URL | null}`: a
client pages by following `next` until it is null, and knows from `total` how far it has to
go. An error is `{"error": {"code", "message", "detail"}}` (see errors.py).
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from fastapi import Request
from pydantic import BaseModel

Item = TypeVar("Item")


class Page(BaseModel, Generic[Item]):
    items: list[Item]
    total: int
    limit: int
    offset: int
    next: str | None


class ErrorInfo(BaseModel):
    code: str
    message: str
    detail: Any = None


class Problem(BaseModel):
    error: ErrorInfo


def page_of(
    request: Request, items: list[Any], total: int, limit: int, offset: int
) -> dict[str, Any]:
    """The envelope of one page; `next` is this request's path and query with the offset
    moved on (relative, so it holds behind any proxy), or None on the last page."""
    following = None
    if offset + limit < total:
        url = request.url.include_query_params(offset=offset + limit, limit=limit)
        following = f"{url.path}?{url.query}"
    return {"items": items, "total": total, "limit": limit, "offset": offset, "next": following}
