"""Which Host headers the server answers: the guard against DNS rebinding.

A page on evil.example can point its own name at 127.0.0.1 once the browser has loaded it;
the browser then sends the page's requests to our loopback server as *same-origin* requests
for evil.example, so neither the same-origin policy nor our Origin check stops them. The
Host header still says evil.example, so we answer only to names that can reach us honestly:
the listen address, the loopback names, and names the user configures (`--allowed-host`).

An IP-address Host cannot be rebound (the browser's origin *is* that address), so a server
listening on every interface (0.0.0.0, ::) also accepts any address literal.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass

from corroborate.web.errors import error_bytes
from corroborate.web.security import ASGIApp, Receive, Scope, Send, is_loopback_host

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
WILDCARDS = frozenset({"", "0.0.0.0", "::"})
ANY = "*"


@dataclass(frozen=True, slots=True)
class HostPolicy:
    """The host names (no ports) this server answers to."""

    names: frozenset[str]
    any_address: bool = False  # listening on every interface: any IP literal is fine
    any_host: bool = False  # the user said "*" (e.g. behind a proxy that checks hosts)

    def allows(self, host: str) -> bool:
        if self.any_host:
            return True
        if host in self.names or is_loopback_host(host):
            return True
        return self.any_address and _is_address(host)

    def shown(self) -> str:
        return ", ".join(f"[{n}]" if ":" in n else n for n in sorted(self.names))


def host_policy(listen_host: str = "127.0.0.1", extra: Iterable[str] = ()) -> HostPolicy:
    """The policy for a server listening on `listen_host`, plus the user's `extra` names.

    Loopback names are always allowed (they cannot be an attacker's); the listen address
    too, unless it is a wildcard; `extra` may hold comma-separated lists and "*".
    """
    names = set(LOOPBACK_NAMES)
    listen = _normalise(listen_host)
    if listen not in WILDCARDS:
        names.add(listen)
    wanted = {_normalise(n) for item in extra for n in item.split(",") if n.strip()}
    return HostPolicy(frozenset(names | wanted - {ANY}), any_address=listen in WILDCARDS,
                      any_host=ANY in wanted)


def host_of(header: str) -> str | None:
    """The host name of a Host header without its port, or None if it is malformed."""
    value = header.strip()
    if value.startswith("["):  # [v6]:port
        end = value.find("]")
        if end < 0 or not _is_port(value[end + 1:], colon=True):
            return None
        return _normalise(value[1:end])
    name, sep, port = value.rpartition(":") if value.count(":") == 1 else (value, "", "")
    if sep and not _is_port(port, colon=False):
        return None
    host = _normalise(name if sep else value)
    return host or None


class TrustedHosts:
    """Answers 400 to any request whose Host header the policy does not allow."""

    def __init__(self, app: ASGIApp, policy: HostPolicy) -> None:
        self.app = app
        self.policy = policy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        raw = dict(scope.get("headers", [])).get(b"host", b"").decode("latin-1")
        host = host_of(raw)
        if host is not None and self.policy.allows(host):
            await self.app(scope, receive, send)
            return
        shown = raw[:100] or "(none)"
        detail = (f"unknown Host header {shown!r}: this server answers to "
                  f"{self.policy.shown()}; start it with --allowed-host NAME to add a name")
        body = error_bytes(400, detail)
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        await send({"type": "http.response.start", "status": 400,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


def _normalise(name: str) -> str:
    return name.strip().strip("[]").rstrip(".").lower()


def _is_port(text: str, *, colon: bool) -> bool:
    if colon and text:
        if not text.startswith(":"):
            return False
        text = text[1:]
    return not text or (text.isdigit() and len(text) <= 5)


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
