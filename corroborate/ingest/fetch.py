"""A polite, safe HTTP fetcher for article URLs, feed URLs and URL lists.

Ingest reads URLs that users paste or that feeds hand us, so every fetch is treated as
untrusted input:

* only http and https are followed;
* a host that resolves to a private, loopback, link-local, multicast, reserved or
  unspecified address is refused (an SSRF guard), on every redirect hop, unless
  `FetchPolicy.allow_private` is set; the connection then goes to the very address that was
  checked (pinned), so a DNS server that answers differently the second time (rebinding)
  cannot slip an internal address in between check and connect;
* redirects are followed by hand so that each hop is checked, capped and loop-detected;
* robots.txt is honoured, and we say who we are in the User-Agent;
* the body is streamed and cut off past `max_bytes` of *decoded* bytes, so a gzip bomb or an
  endless body cannot exhaust memory.

Every failure surfaces as a `FetchError` with a one-line reason; no httpx exception escapes.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import httpcore
import httpx
from protego import Protego

from corroborate.errors import FetchError

__all__ = ["FetchPolicy", "FetchResult", "Fetcher", "is_forbidden_address"]

_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# The web app has no such flag on purpose (it would let web users reach the intranet), so the
# hint names the command that has it rather than a flag of whatever is running.
_ALLOW_HINT = "only `corroborate ingest --allow-private` fetches such addresses"


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """What a `Fetcher` may do; the defaults suit crawling the public web politely."""

    timeout_s: float = 15.0  # connect/read
    max_bytes: int = 20 * 1024 * 1024  # decoded body cap (so a gzip bomb is cut off)
    max_redirects: int = 5
    user_agent: str = (
        "corroborate/0.1 (+https://github.com/corroborate; news corroboration research)"
    )
    respect_robots: bool = True
    allow_private: bool = False  # loopback/private/link-local/reserved refused unless True


@dataclass(frozen=True, slots=True)
class FetchResult:
    """A successfully fetched body, with what the cleaner needs to decode it."""

    url: str  # final URL after redirects
    content: bytes
    content_type: str  # lowercased media type without parameters, "" if absent
    charset: str | None
    etag: str | None = None  # validators for the next conditional GET (the watcher's)
    last_modified: str | None = None
    not_modified: bool = False  # a 304 to a conditional GET: no body, nothing new


def _forbidden_kind(ip: str) -> str | None:
    """Name the kind of non-public address `ip` is, or None if it is a public address.

    Unparseable input counts as forbidden: the guard fails closed.
    """
    try:
        addr = ipaddress.ip_address(ip.split("%", 1)[0])  # drop an IPv6 zone id
    except ValueError:
        return "unparseable"
    if isinstance(addr, ipaddress.IPv6Address):
        # An IPv4 address smuggled inside IPv6 reaches the IPv4 host it embeds.
        embedded = addr.ipv4_mapped or addr.sixtofour
        if embedded is not None:
            return _forbidden_kind(str(embedded))
    checks = (
        ("loopback", addr.is_loopback),
        ("unspecified", addr.is_unspecified),
        ("link-local", addr.is_link_local),
        ("multicast", addr.is_multicast),
        ("private", addr.is_private),
        ("reserved", addr.is_reserved),
        ("non-public", not addr.is_global),  # e.g. 100.64.0.0/10 carrier-grade NAT
    )
    return next((kind for kind, hit in checks if hit), None)


def is_forbidden_address(ip: str) -> bool:
    """True if `ip` is not a public unicast address, so fetching it could reach internal hosts."""
    return _forbidden_kind(ip) is not None


def _human_size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):g} MB"
    if n >= 1024:
        return f"{n / 1024:g} KB"
    return f"{n} bytes"


def _parse_url(url: str | httpx.URL) -> httpx.URL:
    """Parse and check the scheme; the caller has not yet touched the network."""
    try:
        parsed = url if isinstance(url, httpx.URL) else httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise FetchError(f"invalid URL {url!r}: {exc}") from None
    if parsed.scheme not in ("http", "https"):
        shown = parsed.scheme or "(none)"
        raise FetchError(f"unsupported URL scheme '{shown}' in {url} (only http and https)")
    if not parsed.host:
        raise FetchError(f"invalid URL {url!r}: no host")
    return parsed


def _without_fragment(url: httpx.URL) -> httpx.URL:
    return url.copy_with(fragment=None)


def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to, in the resolver's order (the one lookup a fetch does).

    Raises FetchError when the name does not resolve.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError) as exc:
        raise FetchError(f"unreachable: cannot resolve host {host!r} ({exc})") from None
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class _PinnedBackend(httpcore.NetworkBackend):
    """Connects only to addresses the SSRF guard checked and pinned for a (host, port).

    httpcore hands us the URL's host name; we connect to the pinned address instead, while
    TLS (SNI, certificate check) and the Host header still use the name. With no pin (the
    guard is off, or nothing checked this name) it resolves as usual only if `allow_any`.
    """

    def __init__(self, *, allow_any: bool) -> None:
        self._inner = httpcore.SyncBackend()
        self._allow_any = allow_any
        self._pins: dict[tuple[str, int], tuple[str, ...]] = {}
        self._lock = threading.Lock()

    def pin(self, host: str, port: int, addresses: list[str]) -> None:
        with self._lock:
            self._pins[(host.lower(), port)] = tuple(addresses)

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        with self._lock:
            addresses = self._pins.get((host.lower(), port))
        if addresses is None:
            if not self._allow_any:
                raise httpcore.ConnectError(f"refused: {host} was not checked before connecting")
            addresses = (host,)
        error: Exception | None = None
        for address in addresses:
            try:
                return self._inner.connect_tcp(address, port, timeout, local_address,
                                               socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
        assert error is not None
        raise error

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are not fetched")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def _pinned_transport(backend: _PinnedBackend) -> httpx.HTTPTransport:
    """An httpx transport whose connection pool dials through `backend`.

    httpx has no public option for a network backend, so the pool it built is swapped for
    one that has it; test_fetch checks that connections really go through the pin.
    """
    transport = httpx.HTTPTransport()  # builds the SSL context as httpx would
    pool = transport._pool
    assert isinstance(pool, httpcore.ConnectionPool)
    transport._pool = httpcore.ConnectionPool(
        ssl_context=pool._ssl_context, network_backend=backend,
        max_connections=100, max_keepalive_connections=20, keepalive_expiry=5.0)  # httpx's
    return transport


class Fetcher:
    """Fetches URLs under a `FetchPolicy`, reusing one connection pool and robots.txt cache.

    Not bounded: DNS lookup time (the system resolver's own timeout applies) and the total
    download time of a body that keeps trickling in within the per-read timeout. Through an
    HTTP proxy (HTTP_PROXY and friends) the proxy connects, so the pin cannot apply there.
    """

    def __init__(self, policy: FetchPolicy | None = None) -> None:
        self.policy = policy or FetchPolicy()
        self._backend = _PinnedBackend(allow_any=self.policy.allow_private)
        self._client = httpx.Client(
            follow_redirects=False,  # we follow by hand, checking each hop
            timeout=httpx.Timeout(self.policy.timeout_s),
            headers={"User-Agent": self.policy.user_agent},
            transport=_pinned_transport(self._backend),
        )
        # (scheme, host, port) -> parsed robots.txt, or None meaning "allow everything"
        self._robots: dict[tuple[str, str, int | None], Protego | None] = {}

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Release pooled connections."""
        self._client.close()

    def fetch(self, url: str, *, etag: str | None = None,
              last_modified: str | None = None) -> FetchResult:
        """Fetch `url`, following up to `max_redirects` checked redirects.

        With `etag` or `last_modified` (a previous result's validators) the GET is
        conditional, and a server with nothing new answers a result with `not_modified`.
        Raises FetchError with a one-line reason on any failure (policy, network, HTTP, size).
        """
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._fetch(url, check_robots=self.policy.respect_robots, headers=headers)

    # -- internals -------------------------------------------------------------------------

    def _fetch(self, url: str, *, check_robots: bool,
               headers: dict[str, str] | None = None) -> FetchResult:
        current = _parse_url(url)
        seen = {str(_without_fragment(current))}
        redirects = 0
        while True:
            self._check_host(current)
            if check_robots:
                self._check_robots(current)
            location, result = self._get_once(current, headers)
            if result is not None:
                return result
            assert location is not None
            try:
                target = current.join(location)
            except (httpx.InvalidURL, TypeError, ValueError) as exc:
                raise FetchError(
                    f"bad redirect Location {location!r} from {current}: {exc}"
                ) from None
            redirects += 1
            if redirects > self.policy.max_redirects:
                raise FetchError(
                    f"too many redirects (>{self.policy.max_redirects}) starting at {url}"
                )
            key = str(_without_fragment(target))
            if key in seen:
                raise FetchError(f"redirect loop: {current} redirects back to {key}")
            seen.add(key)
            if target.scheme not in ("http", "https"):
                raise FetchError(
                    f"unsupported URL scheme '{target.scheme}' in redirect from {current} "
                    "(only http and https)"
                )
            current = _parse_url(target)

    def _check_host(self, url: httpx.URL) -> None:
        """Refuse hosts that resolve to any non-public address (SSRF guard); pin the rest.

        The connection goes to these checked addresses: httpx does no lookup of its own.
        """
        if self.policy.allow_private:
            return
        host = url.raw_host.decode("ascii")  # IDNA form: what httpcore will connect to
        port = url.port or (443 if url.scheme == "https" else 80)
        addresses = resolve(host, port)
        for ip in addresses:
            kind = _forbidden_kind(ip)
            if kind is not None:
                if ip == host:  # an address literal in the URL
                    article = "an" if kind[0] in "aeiou" else "a"
                    reason = f"{host} is {article} {kind} address"
                else:
                    reason = f"{host} resolves to {kind} address {ip}"
                raise FetchError(f"refused: {reason} ({_ALLOW_HINT})")
        self._backend.pin(host, port, addresses)

    def _check_robots(self, url: httpx.URL) -> None:
        key = (url.scheme, url.host, url.port)
        if key not in self._robots:
            self._robots[key] = self._load_robots(url)
        rules = self._robots[key]
        if rules is not None and not rules.can_fetch(str(url), self.policy.user_agent):
            raise FetchError(f"disallowed by robots.txt: {_without_fragment(url)}")

    def _load_robots(self, url: httpx.URL) -> Protego | None:
        """Fetch and parse the host's robots.txt; None means allow everything.

        A missing robots.txt (any 4xx) allows all, as RFC 9309 says. A 5xx or unreachable
        robots.txt also allows all here, where RFC 9309 would disallow: an outlet whose robots
        endpoint is briefly broken should not silently drop articles from a research run, and
        the page fetch that follows fails on its own if the host is really down. The robots
        fetch obeys the same SSRF guard and size cap as any other fetch.
        """
        robots_url = url.copy_with(path="/robots.txt", query=None, fragment=None, userinfo=b"")
        try:
            result = self._fetch(str(robots_url), check_robots=False)
        except FetchError:
            return None
        return Protego.parse(result.content.decode("utf-8", errors="replace"))

    def _get_once(self, url: httpx.URL, headers: dict[str, str] | None = None
                  ) -> tuple[str | None, FetchResult | None]:
        """One GET: (Location, None) for a redirect, (None, result) for a body."""
        limit = self.policy.max_bytes
        try:
            with self._client.stream("GET", url, headers=headers) as response:
                status = response.status_code
                if status == 304 and headers:
                    return None, FetchResult(str(_without_fragment(url)), b"", "", None,
                                             response.headers.get("etag"),
                                             response.headers.get("last-modified"),
                                             not_modified=True)
                if status in _REDIRECT_STATUSES:
                    location = response.headers.get("location")
                    if not location:
                        raise FetchError(f"HTTP {status} redirect without a Location from {url}")
                    return location, None
                if status >= 300:
                    raise FetchError(f"HTTP {status} {response.reason_phrase}".rstrip())
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > limit:
                    raise FetchError(
                        f"response larger than {_human_size(limit)} limit "
                        f"(Content-Length {declared}): {url}"
                    )
                chunks: list[bytes] = []
                total = 0
                for chunk in response.iter_bytes():  # decoded, so gzip bombs are counted
                    total += len(chunk)
                    if total > limit:
                        raise FetchError(f"response larger than {_human_size(limit)} limit: {url}")
                    chunks.append(chunk)
                media_type = response.headers.get("content-type", "").split(";", 1)[0]
                return None, FetchResult(
                    url=str(_without_fragment(url)),
                    content=b"".join(chunks),
                    content_type=media_type.strip().lower(),
                    charset=response.charset_encoding,
                    etag=response.headers.get("etag"),
                    last_modified=response.headers.get("last-modified"),
                )
        except httpx.TimeoutException:
            raise FetchError(f"timed out after {self.policy.timeout_s:g} s: {url}") from None
        except (httpx.ConnectError, httpx.NetworkError) as exc:
            raise FetchError(f"unreachable: {url} ({str(exc) or type(exc).__name__})") from None
        except httpx.DecodingError as exc:
            raise FetchError(f"could not decode response from {url}: {exc}") from None
        except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError) as exc:
            raise FetchError(f"fetch failed: {url} ({str(exc) or type(exc).__name__})") from None
