"""The web app: server-rendered pages and the `/api/v1` REST API over one store.

A thin shell like the CLI: routes parse the request, call the library (store, pipeline,
report) and format what comes back. `create_app` builds everything one server needs: the
store, the ingest-job thread, the stored dossiers and their check worker, the semantic index.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path

import jinja2
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from corroborate import __version__
from corroborate.ingest.options import IngestOptions
from corroborate.store import Store
from corroborate.web import corrections, views
from corroborate.web.api import router as api_router
from corroborate.web.dossiers import CheckWorker, StoredDossiers
from corroborate.web.errors import error_body, validation_detail
from corroborate.web.hosts import TrustedHosts, host_policy
from corroborate.web.jobs import Job, JobRunner
from corroborate.web.pages import router as pages_router
from corroborate.web.search import SemanticIndex
from corroborate.web.security import BodyLimit, SecurityHeaders, bdi, isolate, safe_href
from corroborate.web.state import MAX_UPLOAD_BYTES, WebState, web_state

HERE = Path(__file__).parent
log = logging.getLogger(__name__)


def create_app(
    db_path: str | Path,
    token: str | None = None,
    *,
    ingest_options: IngestOptions | None = None,
    max_upload_bytes: int = MAX_UPLOAD_BYTES,
    host: str = "127.0.0.1",
    allowed_hosts: Iterable[str] = (),
    background_checks: bool = True,
) -> FastAPI:
    """The app over the store at `db_path`; writes need `token` when one is given.

    Requests must name, in their Host header, the `host` the server listens on, a loopback
    name or one of `allowed_hosts` (DNS rebinding: see hosts.py). URL ingest always keeps the
    private-address refusal unless `ingest_options` says otherwise (tests only: the CLI's
    serve command has no flag for it, since it would let web users reach the intranet).
    With `background_checks`, a worker thread recomputes stale stories' cross-checks.
    """
    store = Store(db_path)
    dossiers = StoredDossiers(store)
    checker = CheckWorker(store)

    def touched_stories(_job: Job) -> None:
        checker.nudge()  # the job's writes marked its stories stale

    state = WebState(
        store=store,
        token=token or None,
        jobs=JobRunner(store, ingest_options or IngestOptions(allow_private=False),
                       on_finished=touched_stories),
        dossiers=dossiers,
        checker=checker,
        semantic=SemanticIndex(store),
        templates=_templates(),
        max_upload_bytes=max_upload_bytes,
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if background_checks:
            checker.start()
        yield
        state.jobs.close()
        checker.close()
        store.close()

    app = FastAPI(
        title="corroborate",
        version=__version__,
        summary="What a news story really rests on: articles, stories, dossiers, search, "
                "ingest jobs.",
        lifespan=lifespan,
        docs_url=None,  # Swagger UI loads script from a CDN: against our CSP and offline use
        redoc_url=None,
    )
    app.state.web = state
    app.include_router(api_router)
    app.include_router(corrections.router)
    app.include_router(pages_router)
    app.include_router(corrections.pages)
    from corroborate.web import watch  # watchlists, alerts, Atom feeds

    app.include_router(watch.api)
    app.include_router(watch.pages)
    from corroborate.web import export  # articles, stories, facts as JSONL / CSV

    app.include_router(export.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.add_exception_handler(StarletteHTTPException, _error_page)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(Exception, _crash)
    app.add_middleware(BodyLimit, limit=max_upload_bytes)
    app.add_middleware(TrustedHosts, policy=host_policy(host, allowed_hosts))
    app.add_middleware(SecurityHeaders)  # outermost: refusals carry the headers too
    return app


async def _error_page(request: Request, exc: Exception) -> Response:
    """Pages answer errors with a page; the API (and non-browser clients) with JSON, in the
    one error format (errors.py)."""
    assert isinstance(exc, StarletteHTTPException)
    wants_html = "text/html" in request.headers.get("accept", "")
    if request.url.path.startswith("/api/") or not wants_html:
        message = exc.detail if isinstance(exc.detail, str) else "request refused"
        detail = None if isinstance(exc.detail, str) else exc.detail
        return JSONResponse(error_body(exc.status_code, message, detail), exc.status_code,
                            headers=exc.headers)
    state = web_state(request)
    response: Response = state.templates.TemplateResponse(
        request, "error.html", {"title": f"{exc.status_code} · corroborate",
                                "status": exc.status_code, "detail": exc.detail},
        status_code=exc.status_code)
    return response


async def _invalid_request(_request: Request, exc: Exception) -> Response:
    """422 with what was wrong, field by field."""
    assert isinstance(exc, RequestValidationError)
    message, fields = validation_detail(exc.errors())
    return JSONResponse(error_body(422, message, fields), 422)


async def _crash(request: Request, exc: Exception) -> Response:
    """A bug: logged with its traceback, answered in the one format, nothing internal shown."""
    log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
    return JSONResponse(error_body(500, "internal server error (logged on the server)"), 500)


def _templates() -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,  # every template, whatever its name: article text is untrusted
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["href"] = safe_href
    env.filters["bdi"] = bdi  # untrusted names and titles: escaped and bidi-isolated
    env.filters["isolate"] = isolate  # the same inside attributes and <title>
    env.filters["day"] = views.day
    env.filters["when"] = views.when
    env.filters["amount"] = views.amount_label
    env.filters["public_source"] = views.public_source
    return Jinja2Templates(env=env)
