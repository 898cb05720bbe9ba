"""Server-rendered pages: stories, story dossier, article, ingest, jobs, search."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse
from markupsafe import Markup
from starlette.responses import Response

from corroborate.web import views
from corroborate.web.dossiers import (
    REPORT,
    ReportUnavailable,
    StoryCheck,
    freshness_headers,
    memoized,
    not_computed_note,
    render,
)
from corroborate.web.security import CSP_STANDALONE, check_write, isolate
from corroborate.web.state import State, WebState, screen_urls, start_job

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 20
TOP_ORIGINS = 6  # origins the Sources table shows open; the rest behind an expand


def _page(state: WebState, request: Request, name: str, status: int = 200,
          **context: Any) -> HTMLResponse:
    context.setdefault("title", "corroborate")
    context["token_needed"] = state.token is not None
    response: HTMLResponse = state.templates.TemplateResponse(request, name, context,
                                                              status_code=status)
    return response


@router.get("/", response_class=HTMLResponse)
def stories_page(
    request: Request,
    state: State,
    entity: str = "",
    place: str = "",
    outlet: str = "",
    since: str = "",
    until: str = "",
    q: str = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    filters = views.StoryFilters(entity or None, place or None, outlet or None,
                                 _day_or_none(since), _day_or_none(until), q or None)
    stories, _total = views.find_stories(state.store, filters, PAGE_SIZE + 1,
                                         (page - 1) * PAGE_SIZE)
    summaries = state.dossiers.summaries(stories[:PAGE_SIZE])
    rows = [views.story_row(s, summaries.get(s.id)) for s in stories[:PAGE_SIZE]]
    return _page(state, request, "stories.html", rows=rows, filters=filters, page=page,
                 more=len(stories) > PAGE_SIZE, pages=_pager(request, page),
                 title="Stories · corroborate")


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, state: State, story_id: int,
               verdict: Annotated[str, Query(max_length=40)] = "",
               outlet: Annotated[str, Query(max_length=500)] = "",
               source: Annotated[str, Query(max_length=500)] = "") -> HTMLResponse:
    """The dossier as a page. The filters (verdict, outlet, source) work without script:
    the form reloads the page with them, and facts they leave out are sent hidden; app.js
    applies the same filters in place."""
    item = _checked(state, story_id)
    stale = item.stale.describe() if item.stale is not None else None
    flt = views.FactFilter(verdict, outlet, source)
    if item.check is None:
        return _story_page(request, state, item, story_id, stale, flt)
    # Rendered once per stored check and filter (a 300-fact story's page is ~0.5 MB of HTML,
    # ~25 ms of template; the page holds no per-request value: no nonce, no absolute URL).
    body = memoized(item, ("story page", story_id, stale, state.token is not None,
                           verdict, outlet, source),
                    lambda: bytes(_story_page(request, state, item, story_id, stale,
                                              flt).body))
    return HTMLResponse(body)


def _story_page(request: Request, state: WebState, item: StoryCheck, story_id: int,
                stale: str | None, flt: views.FactFilter) -> HTMLResponse:
    facts = list(item.dossier.facts) if item.dossier is not None else \
        views.facts_in_order(item.check.facts) if item.check is not None else []
    svgs = {"provenance": None, "timeline": None, "coverage": None}
    if REPORT is not None and item.dossier is not None:
        svgs = {k: Markup(render(item, f"{k}_svg")) for k in svgs}  # escaped by the report
    refs = item.check.articles if item.check is not None else ()
    return _page(state, request, "story.html", item=item, story=item.story, check=item.check,
                 dossier=item.dossier, facts=facts, svgs=svgs, asked_for=story_id,
                 sections=views.fact_sections(facts), flt=flt, fact_data=views.fact_data,
                 urls={a.article_id: a.url for a in refs}, top_origins=TOP_ORIGINS,
                 in_context=views.in_context, marks=_marks, stale=stale,
                 title=f"{isolate(item.story.title)} · corroborate")


@router.get("/stories/{story_id}/dossier.{fmt}")
def dossier_download(state: State, story_id: int,
                     fmt: Literal["md", "html", "json"]) -> Response:
    item = _checked(state, story_id)
    if item.check is None:
        raise HTTPException(503, not_computed_note(item), headers=freshness_headers(item))
    name = f"story-{item.story.id}-dossier.{fmt}"
    disposition = {"Content-Disposition": f'attachment; filename="{name}"',
                   **freshness_headers(item)}
    try:
        if fmt == "md":
            return PlainTextResponse(render(item, "markdown"), headers=disposition,
                                     media_type="text/markdown; charset=utf-8")
        if fmt == "html":
            return HTMLResponse(render(item, "html"), headers={
                **disposition, "Content-Security-Policy": CSP_STANDALONE})
        return JSONResponse(render(item, "json"), headers=disposition)
    except ReportUnavailable as exc:
        raise HTTPException(503, str(exc)) from None


@router.get("/articles", response_class=HTMLResponse)
def articles_page(request: Request, state: State, outlet: str = "",
                  page: Annotated[int, Query(ge=1, le=100_000)] = 1) -> HTMLResponse:
    rows = state.store.list_articles(outlet=outlet or None, limit=PAGE_SIZE + 1,
                                     offset=(page - 1) * PAGE_SIZE)
    return _page(state, request, "articles.html", rows=rows[:PAGE_SIZE], page=page,
                 more=len(rows) > PAGE_SIZE, outlet=outlet, title="Articles · corroborate")


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, state: State, article_id: int) -> HTMLResponse:
    stored = state.store.get_article(article_id) if 0 < article_id < 2**62 else None
    if stored is None:
        raise HTTPException(404, f"no article with id {article_id}")
    extraction = state.store.get_extraction(article_id)
    claims = extraction.claims if extraction and not extraction.skipped else ()
    return _page(
        state, request, "article.html", stored=stored, a=stored.article,
        extraction=extraction, pieces=views.highlight(stored.article.text, claims),
        claims=claims, entities=sorted({(m.name, m.kind.value) for m in
                                        (extraction.entities if extraction else ())}),
        story_id=state.store.stories.story_of(article_id),
        copies=state.store.near_duplicates_of(article_id),
        title=f"{isolate(stored.article.title or 'Article ' + str(article_id))} · corroborate")


@router.get("/ingest", response_class=HTMLResponse)
def ingest_page(request: Request, state: State) -> HTMLResponse:
    return _page(state, request, "ingest.html", jobs=state.jobs.list()[:10],
                 limit_mb=state.max_upload_bytes // (1024 * 1024),
                 title="Ingest · corroborate")


@router.post("/ingest")
async def ingest_submit(
    request: Request,
    state: State,
    files: Annotated[list[UploadFile] | None, File()] = None,
    urls: Annotated[str, Form()] = "",
    token: Annotated[str, Form()] = "",
) -> Response:
    check_write(request, state.token, token or None)
    job = await start_job(state, files or [], urls)
    return RedirectResponse(f"/jobs/{job['id']}", status_code=303)


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
def job_page(request: Request, state: State, job_id: str) -> HTMLResponse:
    job = state.jobs.get(job_id)
    if job is None:
        raise HTTPException(404, f"no job {job_id}")
    return _page(state, request, "job.html", job=job, title=f"Job {job_id} · corroborate")


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, state: State,
                q: Annotated[str, Query(max_length=500)] = "",
                mode: Literal["fulltext", "semantic"] = "fulltext") -> HTMLResponse:
    hits: list[Any] = []
    articles: list[Any] = []
    claims: list[Any] = []
    if q.strip() and mode == "fulltext":
        hits = state.store.search(q, limit=50)
    elif q.strip():
        matches, claim_matches = state.semantic.search(q, 20)
        by_id = {s.id: s for s in state.store.get_articles([m.article_id for m in matches])}
        articles = [(by_id[m.article_id], m.score) for m in matches if m.article_id in by_id]
        claims = claim_matches
    return _page(state, request, "search.html", q=q, mode=mode, hits=hits,
                 articles=articles, claims=claims, snippet=_snippet,
                 title="Search · corroborate")


def _snippet(text: str) -> list[tuple[str, bool]]:
    """FTS5 snippets mark matches with [ ]: cut into (text, is_match) for the template."""
    pieces: list[tuple[str, bool]] = []
    rest = text
    while "[" in rest and "]" in rest[rest.index("["):]:
        start = rest.index("[")
        end = rest.index("]", start)
        pieces += [(rest[:start], False), (rest[start + 1:end], True)]
        rest = rest[end + 1:]
    pieces.append((rest, False))
    return [p for p in pieces if p[0]]


def _pager(request: Request, page: int) -> dict[str, str]:
    """Query strings of the neighbouring pages, the filters kept (URL-encoded)."""
    keep = [(k, v) for k, v in request.query_params.multi_items() if k != "page"]
    return {"newer": urlencode([*keep, ("page", str(page - 1))]),
            "older": urlencode([*keep, ("page", str(page + 1))])}


def _checked(state: WebState, story_id: int) -> StoryCheck:
    item = state.dossiers.get(story_id) if 0 < story_id < 2**62 else None
    if item is None:
        raise HTTPException(404, f"no story with id {story_id}")
    return item


def _marks(fact: Any) -> tuple[str, ...]:
    if REPORT is None:
        return ("single source",) if fact.single_source else ()
    from corroborate.report.dossier import fact_marks

    return fact_marks(fact)


def _day_or_none(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


__all__ = ["router", "screen_urls"]
