"""Watchlists and alerts over the web: the API's list, create and delete of watchlists and
its alert list, the alerts page (with a form to add a watchlist), and each watchlist's Atom
feed at `/alerts/<id>.atom`. Writes need what ingest needs (`check_write`)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from corroborate.errors import UsageError
from corroborate.store.watch import Alert, Watchlist
from corroborate.watch.atom import alerts_atom
from corroborate.watch.watchlists import add_watchlist
from corroborate.web.envelopes import Problem
from corroborate.web.security import check_write
from corroborate.web.state import WebState, web_state

api = APIRouter(prefix="/api/v1", tags=["api"], responses={422: {"model": Problem}})
pages = APIRouter(include_in_schema=False)
State = Annotated[WebState, Depends(web_state)]
WRITE: dict[int | str, dict[str, Any]] = {
    code: {"model": Problem} for code in (400, 401, 403, 404)}


class WatchlistIn(BaseModel):
    query: Annotated[str, Field(min_length=1, max_length=2000)]
    kind: Annotated[str, Field(pattern="^(entity|place|outlet|words|similar|story)$")] = "words"
    name: Annotated[str, Field(max_length=200)] = ""
    webhook_url: Annotated[str | None, Field(max_length=2000)] = None
    webhook_secret: Annotated[str | None, Field(max_length=500)] = None


class WatchlistOut(BaseModel):
    id: int
    name: str
    kind: str
    query: str
    created_at: str
    webhook_url: str | None
    atom: str  # the alerts feed's path


class AlertOut(BaseModel):
    id: int
    key: str
    watchlist_id: int
    story_id: int
    kind: str
    title: str
    detail: str
    evidence: list[dict[str, Any]]
    created_at: str
    link: str


@api.get("/watchlists", response_model=list[WatchlistOut])
def list_watchlists(state: State) -> list[dict[str, Any]]:
    """Every watchlist (webhook secrets are never shown)."""
    return [_watchlist(wl) for wl in state.store.watch.watchlists()]


@api.post("/watchlists", response_model=WatchlistOut, status_code=201, responses=WRITE)
def create_watchlist(request: Request, state: State, body: WatchlistIn) -> dict[str, Any]:
    """Save a watchlist; `corroborate watch` raises its alerts from now on."""
    check_write(request, state.token)
    try:
        wl = add_watchlist(state.store, body.name, body.kind, body.query,
                           webhook_url=body.webhook_url, webhook_secret=body.webhook_secret)
    except UsageError as exc:
        raise HTTPException(400, str(exc)) from None
    return _watchlist(wl)


@api.delete("/watchlists/{watchlist_id}", status_code=204, responses=WRITE)
def delete_watchlist(request: Request, state: State, watchlist_id: int) -> Response:
    """Delete a watchlist and its alerts."""
    check_write(request, state.token)
    with state.store.writer() as w:
        if not w.watch.remove_watchlist(watchlist_id):
            raise HTTPException(404, f"no watchlist {watchlist_id}")
    return Response(status_code=204)


@api.get("/alerts", response_model=list[AlertOut], responses=WRITE)
def list_alerts(request: Request, state: State,
                watchlist: Annotated[int | None, Query(gt=0)] = None,
                after: Annotated[int, Query(ge=0)] = 0,
                limit: Annotated[int, Query(ge=1, le=500)] = 100) -> list[dict[str, Any]]:
    """Alerts, newest first; `after` (an alert id) gives only newer ones, for polling."""
    if watchlist is not None and state.store.watch.watchlist(watchlist) is None:
        raise HTTPException(404, f"no watchlist {watchlist}")
    base = str(request.base_url).rstrip("/")
    return [_alert(a, base) for a in state.store.watch.alerts(watchlist, after=after,
                                                               limit=limit)]


@pages.get("/alerts/{watchlist_id}.atom")
def alerts_feed(request: Request, state: State, watchlist_id: int) -> Response:
    wl = state.store.watch.watchlist(watchlist_id)
    if wl is None:
        raise HTTPException(404, f"no watchlist {watchlist_id}")
    body = alerts_atom(wl, state.store.watch.alerts(watchlist_id, limit=100),
                       str(request.base_url))
    return Response(body, media_type="application/atom+xml")


@pages.get("/alerts", response_class=HTMLResponse)
def alerts_page(request: Request, state: State,
                watchlist: Annotated[int | None, Query(gt=0)] = None) -> HTMLResponse:
    response: HTMLResponse = state.templates.TemplateResponse(request, "alerts.html", {
        "title": "Alerts · corroborate", "token_needed": state.token is not None,
        "watchlists": state.store.watch.watchlists(), "current": watchlist,
        "alerts": state.store.watch.alerts(watchlist, limit=100)})
    return response


@pages.post("/alerts")
def alerts_add(request: Request, state: State, query: Annotated[str, Form()],
               kind: Annotated[str, Form()] = "words", name: Annotated[str, Form()] = "",
               token: Annotated[str, Form()] = "") -> Response:
    check_write(request, state.token, token or None)
    try:
        wl = add_watchlist(state.store, name, kind, query)
    except UsageError as exc:
        raise HTTPException(400, str(exc)) from None
    return RedirectResponse(f"/alerts?watchlist={wl.id}", status_code=303)


def _watchlist(wl: Watchlist) -> dict[str, Any]:
    data = asdict(wl)
    data.pop("webhook_secret")
    data["atom"] = f"/alerts/{wl.id}.atom"
    return data


def _alert(alert: Alert, base: str) -> dict[str, Any]:
    data = asdict(alert)
    data["evidence"] = list(alert.evidence)
    data["link"] = f"{base}/stories/{alert.story_id}"
    return data
