"""The REST API under /api/v1: articles, stories, dossiers, facts, search, ingest jobs.

Dossier and facts are exactly the report stage's `to_json` (docs/dossier.schema.json); the
other shapes are declared below, so the OpenAPI schema tells clients (and the fuzzer) what
every answer looks like. Every list is a page (envelopes.py: items, total, limit, offset,
next) and every error one shape (errors.py); no answer carries a path of the server's disk.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, BeforeValidator, Field

from corroborate.errors import NotFoundError
from corroborate.store.codec import extraction_to_dict
from corroborate.web import views
from corroborate.web.dossiers import (
    ReportUnavailable,
    StoryCheck,
    checked_together,
    freshness_headers,
    memoized,
    not_computed_note,
    render,
)
from corroborate.web.envelopes import Page, Problem, page_of
from corroborate.web.security import check_write
from corroborate.web.state import State, WebState, start_job

router = APIRouter(prefix="/api/v1", tags=["api"], responses={422: {"model": Problem}})
MAX_CHECKED = 200  # articles one check may cross-check together
MAX_OFFSET = 1_000_000
MAX_SEARCH_DEPTH = 1000  # ranked hits a search pages through (offset + limit)


def _iso_day(value: object) -> object:
    """Only YYYY-MM-DD: pydantic would take `0` or `1700000000` as a Unix time."""
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("a date is written YYYY-MM-DD")
    return value


Day = Annotated[date, BeforeValidator(_iso_day)]


class ArticleSummary(BaseModel):
    id: int
    title: str | None
    outlet: str | None
    author: str | None
    url: str | None
    published: str | None
    language: str | None
    source: str
    near_duplicate_of: int | None
    ingested_at: str | None


class Removed(BaseModel):
    text: str
    reason: str


class ArticleDetail(ArticleSummary):
    text: str
    removed: list[Removed]
    story_id: int | None
    near_duplicates: list[int]
    extraction: dict[str, Any] | None


class StoryRow(BaseModel):
    id: int
    title: str
    articles: int
    outlets: int
    outlet_names: list[str]
    independent_sources: int | None
    conflicts: int | None
    check_current: bool | None  # the stored cross-check is current (None: none stored yet)
    first_seen: str | None
    last_seen: str | None
    entities: list[str]
    places: list[str]


class StoryMemberOut(BaseModel):
    article_id: int
    outlet: str | None
    title: str | None
    published: str | None
    joined: str


class StoryDetail(StoryRow):
    asked_for: int
    members: list[StoryMemberOut]
    merged_from: list[int]


class StoryRef(BaseModel):
    id: int
    title: str


class ArticleHit(BaseModel):
    article: ArticleSummary
    story: StoryRef | None  # the story the article is in (None until it is clustered)
    score: float
    snippet: str | None = None


class ClaimHit(BaseModel):
    claim_id: int
    article_id: int
    story: StoryRef | None
    text: str
    certainty: str
    primary_source: str | None
    score: float


class SearchResults(Page[ArticleHit]):
    query: str
    mode: Literal["fulltext", "semantic"]
    claims: list[ClaimHit]  # semantic only: the best claims of the best articles (not paged)


class SkippedInput(BaseModel):
    source: str
    reason: str


class JobOut(BaseModel):
    id: str
    status: str
    inputs: int
    processed: int
    counts: dict[str, int]
    skipped: list[SkippedInput]
    article_ids: list[int]
    clustering: dict[str, int] | None
    error: str | None
    created_at: str
    finished_at: str | None


NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": Problem}}
NO_REPORT: dict[int | str, dict[str, Any]] = {404: {"model": Problem}, 503: {"model": Problem}}


@router.get("/articles", response_model=Page[ArticleSummary])
def list_articles(
    request: Request,
    state: State,
    outlet: Annotated[str | None, Query(max_length=200)] = None,
    since: Day | None = None,
    until: Day | None = None,
    originals: bool = False,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> dict[str, Any]:
    """Stored articles, newest first, one page at a time."""
    filters = {"outlet": outlet, "since": since.isoformat() if since else None,
               "until": until.isoformat() if until else None, "originals_only": originals}
    rows = state.store.list_articles(**filters, limit=limit, offset=offset)
    total = state.store.count_articles(**filters)
    return page_of(request, [views.article_summary(r) for r in rows], total, limit, offset)


@router.get("/articles/{article_id}", response_model=ArticleDetail, responses=NOT_FOUND)
def get_article(state: State, article_id: int) -> dict[str, Any]:
    """One article: clean text, what cleaning removed, its extraction and its story."""
    stored = _article(state, article_id)
    extraction = state.store.get_extraction(article_id)
    return {
        **views.article_summary(stored),
        "text": stored.article.text,
        "removed": [{"text": r.text, "reason": r.reason} for r in stored.article.removed],
        "story_id": state.store.stories.story_of(article_id),
        "near_duplicates": [c.id for c in state.store.near_duplicates_of(article_id)],
        "extraction": extraction_to_dict(extraction) if extraction else None,
    }


@router.get("/stories", response_model=Page[StoryRow])
def list_stories(
    request: Request,
    state: State,
    entity: Annotated[str | None, Query(max_length=200)] = None,
    place: Annotated[str | None, Query(max_length=200)] = None,
    outlet: Annotated[str | None, Query(max_length=200)] = None,
    since: Day | None = None,
    until: Day | None = None,
    q: Annotated[str | None, Query(max_length=500)] = None,
    sort: Annotated[Literal["newest", "outlets", "articles", "conflicts"], Query(description=(
        "newest (by the latest article), outlets (most outlets first), articles (most "
        "articles first), conflicts (most conflicting and disputed facts first, by each "
        "story's stored cross-check; stories without one last)"))] = "newest",
    checked: Annotated[bool, Query(description=(
        "Accepted and ignored: every row's sources and conflicts come from the stored "
        "cross-checks (null until one is stored); no list request cross-checks."))]
    = False,
    limit: Annotated[int, Query(ge=1, le=200, description=(
        "Stories per page: 50 by default, at most 200."))] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> dict[str, Any]:
    """Stories, one page at a time; sources and conflicts are null until a cross-check is
    stored (the background worker stores them; a list never computes one)."""
    del checked  # kept so old clients' URLs still answer: a no-op since checks are stored
    filters = views.StoryFilters(entity, place, outlet, since, until, q)
    stories, total = views.find_stories(state.store, filters, limit, offset, sort)
    summaries = state.dossiers.summaries(stories)
    rows = [views.story_row(s, summaries.get(s.id)) for s in stories]
    return page_of(request, rows, total, limit, offset)


@router.get("/stories/{story_id}", response_model=StoryDetail, responses=NOT_FOUND)
def get_story(state: State, story_id: int) -> dict[str, Any]:
    """One story with its member articles (a merged-away id answers with its successor)."""
    story = state.store.stories.get(story_id)
    if story is None:
        raise HTTPException(404, f"no story with id {story_id}")
    return {
        **views.story_row(story, state.dossiers.summary(story)),
        "asked_for": story_id,
        "merged_from": list(story.merged_from),
        "members": [{"article_id": m.article_id, "outlet": m.outlet, "title": m.title,
                     "published": views.iso(m.published), "joined": m.joined.reason}
                    for m in story.members],
    }


@router.get("/stories/{story_id}/dossier", responses={
    **NO_REPORT, 200: {"content": {"application/json": {"schema": {"type": "object"}}},
                       "description": "the dossier JSON (docs/dossier.schema.json)"}})
def get_dossier(state: State, story_id: int, response: Response) -> Response:
    """The story's dossier, exactly as the report stage's JSON (docs/dossier.schema.json),
    as stored: `X-Dossier-Status` says current or stale (then `X-Dossier-Stale` says since
    when and how many stories the recompute does first); 503 while none is stored yet.

    Serialised once per stored check: a 300-fact dossier is ~1 MB of JSON, and encoding it
    on every request was most of the request's time (14 ms for a 67-fact one)."""
    item = _checked(state, story_id, response)
    body = memoized(item, ("json bytes",), lambda: json.dumps(
        _render(item, "json"), ensure_ascii=False, allow_nan=False,
        separators=(",", ":")).encode("utf-8"))
    return Response(body, media_type="application/json", headers=freshness_headers(item))


@router.get("/stories/{story_id}/facts", responses=NO_REPORT)
def get_facts(state: State, story_id: int, response: Response) -> list[dict[str, Any]]:
    """The dossier's facts (discrepancies first), each as in the dossier JSON."""
    facts: list[dict[str, Any]] = _render(_checked(state, story_id, response), "json")["facts"]
    return facts


@router.get("/stories/{story_id}/facts/{fact_id}", responses=NO_REPORT)
def get_fact(state: State, story_id: int, fact_id: str, response: Response) -> dict[str, Any]:
    """One fact of the dossier, with every version, source and verdict reason."""
    for fact in _render(_checked(state, story_id, response), "json")["facts"]:
        if fact["id"] == fact_id:
            found: dict[str, Any] = fact
            return found
    raise HTTPException(404, f"story {story_id} has no fact {fact_id}")


class CheckRequest(BaseModel):
    article_ids: Annotated[list[int], Field(min_length=1, max_length=MAX_CHECKED)]


@router.post("/check", responses=NO_REPORT)
def check_articles(state: State, body: CheckRequest) -> dict[str, Any]:
    """Stored articles picked by hand, cross-checked as one story, whatever stories the
    clusterer made of them: the dossier JSON (docs/dossier.schema.json) with story id 0."""
    ids = [i for i in body.article_ids if 0 < i < 2**62]
    if len(ids) != len(body.article_ids):
        raise HTTPException(404, "article ids are positive integers")
    try:
        item = checked_together(state.store, ids)
    except NotFoundError as exc:
        raise HTTPException(404, str(exc)) from None
    result: dict[str, Any] = _render(item, "json")
    return result


@router.get("/search", response_model=SearchResults)
def search(
    request: Request,
    state: State,
    q: Annotated[str, Query(min_length=1, max_length=500)],
    mode: Literal["fulltext", "semantic"] = "fulltext",
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=MAX_SEARCH_DEPTH - 1)] = 0,
) -> dict[str, Any]:
    """Full-text (FTS5, bm25) or semantic (embedding cosine) search over articles and claims.

    Full-text ranks articles only; semantic also ranks the claims of the best articles. Each
    hit names the story its article is in. Hits page as far as the 1,000th.
    """
    limit = min(limit, MAX_SEARCH_DEPTH - offset)
    if mode == "fulltext":
        hits = state.store.search(q, limit=limit, offset=offset)
        total = state.store.count_matches(q)
        stories = state.store.stories.stories_of([h.article.id for h in hits])
        items = [{"article": views.article_summary(h.article),
                  "story": _story_ref(stories.get(h.article.id)), "score": -h.rank,
                  "snippet": h.snippet} for h in hits]
        return {**page_of(request, items, min(total, MAX_SEARCH_DEPTH), limit, offset),
                "total": total, "query": q, "mode": mode, "claims": []}
    article_matches, claim_matches = state.semantic.search(q, offset + limit)
    article_matches = article_matches[offset:]
    claim_matches = claim_matches[:limit]
    stored = {s.id: s for s in state.store.get_articles([m.article_id
                                                          for m in article_matches])}
    stories = state.store.stories.stories_of(
        [*stored, *(m.claim.article_id for m in claim_matches)])
    items = [{"article": views.article_summary(stored[m.article_id]),
              "story": _story_ref(stories.get(m.article_id)), "score": m.score}
             for m in article_matches if m.article_id in stored]
    total = state.semantic.size()
    return {
        **page_of(request, items, min(total, MAX_SEARCH_DEPTH), limit, offset),
        "total": total, "query": q, "mode": mode,
        "claims": [{"claim_id": m.claim.id, "article_id": m.claim.article_id,
                    "story": _story_ref(stories.get(m.claim.article_id)),
                    "text": m.claim.text, "certainty": m.claim.certainty,
                    "primary_source": m.claim.primary_source, "score": m.score}
                   for m in claim_matches],
    }


def _story_ref(story: Any) -> dict[str, Any] | None:
    return {"id": story.id, "title": story.title} if story is not None else None


@router.post("/ingest", response_model=JobOut, status_code=202,
             responses={400: {"model": Problem}, 401: {"model": Problem},
                        403: {"model": Problem}, 413: {"model": Problem}})
async def submit_ingest(
    request: Request,
    state: State,
    files: Annotated[list[UploadFile] | None, File(description="Articles: HTML, text, "
                                                               "JSON/JSONL, feeds, WARC")]
    = None,
    urls: Annotated[str, Form(description="http(s) URLs or feed URLs, one per line")] = "",
) -> dict[str, Any]:
    """Start an ingest job (needs the token when the server has one); poll /jobs/{id}."""
    check_write(request, state.token)
    return await start_job(state, files or [], urls)


@router.get("/jobs", response_model=Page[JobOut])
def list_jobs(
    request: Request,
    state: State,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> dict[str, Any]:
    """Ingest jobs (this run's and those kept from earlier runs), newest first."""
    jobs = state.jobs.list()
    return page_of(request, jobs[offset:offset + limit], len(jobs), limit, offset)


@router.get("/jobs/{job_id}", response_model=JobOut, responses=NOT_FOUND)
def get_job(state: State, job_id: str) -> dict[str, Any]:
    """A job's status and progress counts."""
    return _job(state, job_id)


@router.get("/jobs/{job_id}/result", response_model=JobOut,
            responses={404: {"model": Problem}, 409: {"model": Problem}})
def get_job_result(state: State, job_id: str) -> Any:
    """A finished job's summary: counts, every skip with its reason, clustering (409 while it
    runs)."""
    job = _job(state, job_id)
    if job["status"] not in ("done", "failed"):
        raise HTTPException(409, f"job {job_id} is still {job['status']}")
    return job


def _job(state: WebState, job_id: str) -> dict[str, Any]:
    job = state.jobs.get(job_id)
    if job is None:
        raise HTTPException(404, f"no job {job_id}")
    return job


def _article(state: WebState, article_id: int) -> Any:
    stored = state.store.get_article(article_id) if 0 < article_id < 2**62 else None
    if stored is None:
        raise HTTPException(404, f"no article with id {article_id}")
    return stored


def _checked(state: WebState, story_id: int, response: Response) -> StoryCheck:
    """The story's stored cross-check (never computed here); 503 while none is stored."""
    item = state.dossiers.get(story_id) if 0 < story_id < 2**62 else None
    if item is None:
        raise HTTPException(404, f"no story with id {story_id}")
    if item.check is None:
        raise HTTPException(503, not_computed_note(item), headers=freshness_headers(item))
    response.headers.update(freshness_headers(item))
    return item


def _render(item: StoryCheck, form: str) -> Any:
    try:
        return render(item, form)
    except ReportUnavailable as exc:
        raise HTTPException(503, str(exc)) from None
