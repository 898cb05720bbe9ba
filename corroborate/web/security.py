"""What keeps untrusted article text and remote callers from doing harm.

Article text, titles and URLs come from anywhere: templates escape everything (autoescape),
links are only drawn for http(s) URLs, and the Content-Security-Policy forbids inline script,
so even markup that slipped through could not run. Writes (ingest) need the token when one is
set; with none set they are accepted from loopback clients only, and never cross-site.
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

from fastapi import HTTPException, Request
from markupsafe import Markup, escape
from starlette.exceptions import HTTPException as StarletteHTTPException

from corroborate.web.errors import error_bytes

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
# Downloaded standalone dossier pages carry their own <style>; they may never run script.
CSP_STANDALONE = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; " \
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",  # "no-referrer" makes form posts say Origin: null
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}

TOKEN_HEADER = "X-Corroborate-Token"


class SecurityHeaders:
    """Adds the CSP and hardening headers to every response that does not set its own."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                if b"content-security-policy" not in present:
                    headers.append((b"content-security-policy", CSP.encode()))
                for name, value in HEADERS.items():
                    if name.lower().encode() not in present:
                        headers.append((name.lower().encode(), value.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyTooLarge(StarletteHTTPException):
    """Raised from `receive` when a streamed body passes the cap.

    An HTTPException, because FastAPI turns any other error met while parsing a body (a
    chunked upload has no Content-Length to refuse up front) into a 400.
    """

    def __init__(self, limit: int) -> None:
        super().__init__(413, _too_large_detail(limit))


class BodyLimit:
    """Refuses request bodies over `limit` bytes (413), declared or streamed (chunked)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await _too_large(send, self.limit)
            return
        seen = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise BodyTooLarge(self.limit)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await _too_large(send, self.limit)


def _too_large_detail(limit: int) -> str:
    shown = f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit} bytes"
    return f"request body over the {shown} limit"


async def _too_large(send: Send, limit: int) -> None:
    body = error_bytes(413, _too_large_detail(limit))
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def is_loopback_host(host: str | None) -> bool:
    """True for 127.0.0.0/8, ::1 and "localhost": the only listeners that need no token."""
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_write(request: Request, token: str | None, given: str | None = None) -> None:
    """Raise 401/403 unless this request may write (start an ingest job).

    `given` is a token from a form field (the ingest page); API clients send the header.
    """
    _same_site(request)
    if token is None:
        client = request.client.host if request.client else None
        if not is_loopback_host(client):
            raise HTTPException(403, "writes are accepted from loopback only: start the server "
                                     "with --token to accept them from elsewhere")
        return
    offered = request.headers.get(TOKEN_HEADER) or _bearer(request) or given or ""
    if not hmac.compare_digest(offered.encode(), token.encode()):
        raise HTTPException(401, f"this server needs its token for writes: send the "
                                 f"{TOKEN_HEADER} header (or fill in the token field)")


def _bearer(request: Request) -> str | None:
    value = request.headers.get("authorization", "")
    return value[7:].strip() if value.lower().startswith("bearer ") else None


def _same_site(request: Request) -> None:
    """Refuse writes a page on another site makes the analyst's browser send (CSRF)."""
    if request.headers.get("sec-fetch-site") == "cross-site":
        raise HTTPException(403, "cross-site write refused")
    origin = request.headers.get("origin")
    if origin and origin != "null":
        host = request.headers.get("host", "")
        if urlsplit(origin).netloc.lower() != host.lower():
            raise HTTPException(403, "cross-origin write refused")
    elif origin == "null":
        raise HTTPException(403, "write from an opaque origin refused")


def safe_href(url: str | None) -> str | None:
    """The URL if it may be a link (http/https), else None: no javascript:, data:, file:."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def bdi(text: object) -> Markup:
    """Untrusted text (a title, an outlet, a file name) escaped and bidi-isolated.

    A U+202E (right-to-left override) in a title would otherwise flip the text after it on
    the page too ("report.exe" shown as "exe.troper"); <bdi> confines it to the element.
    """
    if text is None or text == "":
        return Markup("")
    return Markup("<bdi>%s</bdi>") % escape(str(text))


def isolate(text: str) -> str:
    """Plain-text form of `bdi` for where markup cannot go (the page <title>): FSI ... PDI."""
    return f"\u2068{text}\u2069"
