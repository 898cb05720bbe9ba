"""What every route shares, and how a route gets it: the one dependency module of the web app.

Routers (api.py, pages.py, corrections.py) take `State` (FastAPI's `Depends(web_state)`) from
here, never from app.py: app.py builds the app and includes the routers, so a router that
imported it back would make the two depend on each other (datasette hands its `Datasette`
object to every view the same way). The ingest form and the API's job endpoint share
`start_job` from here too, so neither router imports the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request, UploadFile
from fastapi.templating import Jinja2Templates

from corroborate.store import Store
from corroborate.web.dossiers import CheckWorker, StoredDossiers
from corroborate.web.jobs import JobRunner, Upload
from corroborate.web.search import SemanticIndex
from corroborate.web.security import safe_href

MAX_UPLOAD_BYTES = 50 * 1024 * 1024  # one request, all files together
MAX_UPLOAD_FILES = 200


@dataclass(slots=True)
class WebState:
    """What every request handler shares."""

    store: Store
    token: str | None
    jobs: JobRunner
    dossiers: StoredDossiers
    checker: CheckWorker
    semantic: SemanticIndex
    templates: Jinja2Templates
    max_upload_bytes: int


def web_state(request: Request) -> WebState:
    """The state `create_app` put on the app (a FastAPI dependency)."""
    state: WebState = request.app.state.web
    return state


State = Annotated[WebState, Depends(web_state)]


async def start_job(state: WebState, files: list[UploadFile], urls: str) -> dict[str, Any]:
    """Read the uploads, screen the URLs, queue the job (the ingest page and the API)."""
    files = [f for f in files if f.filename]
    if len(files) > MAX_UPLOAD_FILES:
        raise HTTPException(400, f"at most {MAX_UPLOAD_FILES} files per job")
    uploads = [Upload(f.filename or "upload", await f.read()) for f in files]
    accepted, refused = screen_urls(urls)
    if not uploads and not accepted and not refused:
        raise HTTPException(400, "nothing to ingest: upload files or give URLs")
    job = state.jobs.submit(uploads, accepted, refused)
    snapshot = state.jobs.get(job.id)
    assert snapshot is not None
    return snapshot


def screen_urls(text: str) -> tuple[list[str], list[tuple[str, str]]]:
    """http(s) URLs go on (the fetcher still refuses private addresses); anything else,
    local paths above all, is refused here: the server's own files are not for ingesting."""
    accepted: list[str] = []
    refused: list[tuple[str, str]] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if safe_href(line) is None:
            refused.append((line, "not an http(s) URL: only URLs and uploaded files can be "
                                  "ingested through the web app"))
        else:
            accepted.append(line)
    return accepted, refused
