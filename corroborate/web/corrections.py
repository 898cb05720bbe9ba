"""Analyst corrections over the web: the API's merge, split, move, pin and list, and the
story page's form. Writes need what ingest needs (`check_write`: the token when the server
has one, loopback otherwise, never cross-site)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, Field

from corroborate.corrections import (
    MAX_ID,
    CorrectionResult,
    correction_to_dict,
    merge_stories,
    move_article,
    pin_article,
    split_story,
)
from corroborate.errors import NotFoundError, UsageError
from corroborate.store import Store
from corroborate.web.envelopes import Page, Problem, page_of
from corroborate.web.security import check_write
from corroborate.web.state import State

router = APIRouter(prefix="/api/v1", tags=["api"], responses={422: {"model": Problem}})
pages = APIRouter(include_in_schema=False)
Id = Annotated[int, Field(gt=0, lt=MAX_ID)]
Note = Annotated[str, Field(max_length=2000)]
WRITE: dict[int | str, dict[str, Any]] = {
    code: {"model": Problem} for code in (400, 401, 403, 404)}


class CorrectionOut(BaseModel):
    id: int
    created_at: str
    action: str
    what: str
    articles: list[int]
    target: list[int]
    story_ids: list[int]
    note: str


class CorrectionDone(BaseModel):
    correction: CorrectionOut
    story_id: int  # the live story now holding the articles acted on
    moved: int  # articles that changed story


class MergeRequest(BaseModel):
    into: Id
    note: Note = ""


class SplitRequest(BaseModel):
    article_ids: Annotated[list[Id], Field(min_length=1, max_length=1000)]
    note: Note = ""


class PlaceRequest(BaseModel):
    story_id: Id
    note: Note = ""


@router.post("/stories/{story_id}/merge", response_model=CorrectionDone, responses=WRITE)
def merge(request: Request, state: State, story_id: int, body: MergeRequest) -> dict[str, Any]:
    """Merge this story into another, for good (recorded; kept across reclustering)."""
    check_write(request, state.token)
    return _done(lambda: merge_stories(state.store, story_id, body.into, body.note))


@router.post("/stories/{story_id}/split", response_model=CorrectionDone, responses=WRITE)
def split(request: Request, state: State, story_id: int, body: SplitRequest) -> dict[str, Any]:
    """Split articles off this story into one of their own, kept apart from the rest."""
    check_write(request, state.token)
    return _done(lambda: split_story(state.store, story_id, body.article_ids, body.note))


@router.post("/articles/{article_id}/move", response_model=CorrectionDone, responses=WRITE)
def move(request: Request, state: State, article_id: int, body: PlaceRequest) -> dict[str, Any]:
    """Move this article into another story, for good."""
    check_write(request, state.token)
    return _done(lambda: move_article(state.store, article_id, body.story_id, body.note))


@router.post("/articles/{article_id}/pin", response_model=CorrectionDone, responses=WRITE)
def pin(request: Request, state: State, article_id: int, body: PlaceRequest) -> dict[str, Any]:
    """Keep this article in a story (moved there if need be), whatever clustering thinks."""
    check_write(request, state.token)
    return _done(lambda: pin_article(state.store, article_id, body.story_id, body.note))


@router.get("/corrections", response_model=Page[CorrectionOut])
def list_corrections(
    request: Request,
    state: State,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> dict[str, Any]:
    """Analysts' corrections, oldest first (the order they are replayed in), a page at a
    time."""
    items = [correction_to_dict(c) for c in state.store.corrections.list(limit, offset)]
    return page_of(request, items, state.store.corrections.count(), limit, offset)


@pages.post("/stories/{story_id}/corrections")
def correct_from_page(
    request: Request,
    state: State,
    story_id: int,
    action: Annotated[str, Form()],
    article_ids: Annotated[list[int] | None, Form()] = None,
    target: Annotated[int | None, Form()] = None,
    note: Annotated[str, Form(max_length=2000)] = "",
    token: Annotated[str, Form()] = "",
) -> RedirectResponse:
    """The story page's form; back to the story the articles are in now."""
    check_write(request, state.token, token or None)
    result = _done(lambda: _from_form(state.store, story_id, action, article_ids or [],
                                      target, note))
    return RedirectResponse(f"/stories/{result['story_id']}", status_code=303)


def _from_form(store: Store, story_id: int, action: str, article_ids: list[int],
               target: int | None, note: str) -> CorrectionResult:
    if action == "split":
        return split_story(store, story_id, article_ids, note)
    if action not in ("merge", "move", "pin"):
        raise UsageError(f"unknown correction {action!r}: merge, split, move or pin")
    if action == "pin" and target is None:
        target = story_id  # pin the ticked articles to this story
    if target is None:
        raise UsageError("give the id of the other story")
    if action == "merge":
        return merge_stories(store, story_id, target, note)
    if not article_ids:
        raise UsageError("tick the articles to move or pin")
    place = move_article if action == "move" else pin_article
    results = [place(store, a, target, note) for a in article_ids]
    return results[-1]


def _done(correct: Callable[[], CorrectionResult]) -> dict[str, Any]:
    """Run a correction; the library's errors become 404 (unknown id) or 400 (anything else)."""
    try:
        result = correct()
    except NotFoundError as exc:
        raise HTTPException(404, str(exc)) from None
    except UsageError as exc:
        raise HTTPException(400, str(exc)) from None
    return {"correction": correction_to_dict(result.correction), "story_id": result.story_id,
            "moved": result.moved}
