"""The fetcher against real loopback HTTP servers: policy, robots.txt, redirects, size, errors."""

from __future__ import annotations

import socket
import threading
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpcore
import pytest

from corroborate.errors import FetchError
from corroborate.ingest import fetch as fetch_module
from corroborate.ingest.fetch import Fetcher, FetchPolicy, is_forbidden_address

ARTICLE = (
    b"<html><head><title>Budget vote</title></head><body><p>The vote passed.</p></body></html>"
)
ROBOTS = b"User-agent: *\nDisallow: /private/\n"
SLOW_S = 2.0


def _gzip_bomb(zeros_mb: int = 100) -> bytes:
    """~100 MB of zeros gzip-compressed to ~100 KB, built without holding 100 MB at once."""
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)  # wbits 31: gzip container
    block = bytes(1024 * 1024)
    parts = [comp.compress(block) for _ in range(zeros_mb)]
    parts.append(comp.flush())
    return b"".join(parts)


GZIP_BOMB = _gzip_bomb()


@dataclass
class Seen:
    """What the server received, so tests can check the fetcher's side of the exchange."""

    requests: list[tuple[str, str]] = field(default_factory=list)  # (path, user-agent)
    hosts: list[str] = field(default_factory=list)  # Host headers, in order
    lock: threading.Lock = field(default_factory=threading.Lock)

    def paths(self) -> list[str]:
        with self.lock:
            return [path for path, _ in self.requests]


class Handler(BaseHTTPRequestHandler):
    seen: Seen  # set per server

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass

    def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        headers = {"Content-Length": str(len(body)), **(headers or {})}
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self._send(302, headers={"Location": location})

    def do_GET(self) -> None:
        with self.seen.lock:
            self.seen.requests.append((self.path, self.headers.get("User-Agent", "")))
            self.seen.hosts.append(self.headers.get("Host", ""))
        path = self.path
        try:
            if path == "/robots.txt":
                self._send(200, ROBOTS, {"Content-Type": "text/plain"})
            elif path in ("/article", "/private/page"):
                self._send(200, ARTICLE, {"Content-Type": "Text/HTML; charset=ISO-8859-1"})
            elif path == "/moved":
                self._redirect("/article")
            elif path == "/loop":
                self._redirect("/loop")
            elif path.startswith("/chain/"):
                self._redirect(f"/chain/{int(path.rsplit('/', 1)[1]) + 1}")
            elif path == "/to-ftp":
                self._redirect("ftp://example.com/file")
            elif path == "/to-internal":
                port = self.server.server_address[1]
                self._redirect(f"http://127.0.0.2:{port}/article")
            elif path == "/bomb":
                self._send(200, GZIP_BOMB, {"Content-Encoding": "gzip"})
            elif path == "/declared-huge":
                self.send_response(200)
                self.send_header("Content-Length", str(100 * 1024 * 1024))
                self.end_headers()
                self.wfile.write(b"x" * 1024)
            elif path == "/endless":
                self.send_response(200)  # HTTP/1.0, no Content-Length: body runs to close
                self.end_headers()
                chunk = b"y" * 65536
                for _ in range(50 * 1024 * 1024 // len(chunk)):
                    self.wfile.write(chunk)
            elif path == "/slow":
                time.sleep(SLOW_S)
                self._send(200, b"late")
            else:
                self._send(404, b"no such page")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the fetcher hung up on purpose (size cap, timeout)


@dataclass
class Server:
    base: str
    seen: Seen


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    seen = Seen()
    handler = type("BoundHandler", (Handler,), {"seen": seen})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield Server(f"http://127.0.0.1:{httpd.server_address[1]}", seen)
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(FetchPolicy(allow_private=True, timeout_s=0.5, max_bytes=1024 * 1024)) as f:
        yield f


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_fetch_refuses_loopback_without_flag(server: Server) -> None:
    with Fetcher() as f, pytest.raises(FetchError) as err:
        f.fetch(f"{server.base}/article")
    assert "refused" in err.value.reason
    assert "127.0.0.1" in err.value.reason
    assert "--allow-private" in err.value.reason


def test_fetch_refuses_localhost_name_without_flag(server: Server) -> None:
    port = server.base.rsplit(":", 1)[1]
    with Fetcher() as f, pytest.raises(FetchError) as err:
        f.fetch(f"http://localhost:{port}/article")
    assert "localhost resolves to" in err.value.reason
    assert "--allow-private" in err.value.reason


def test_fetch_with_allow_private_follows_redirect_to_article(
    server: Server, fetcher: Fetcher
) -> None:
    result = fetcher.fetch(f"{server.base}/moved")
    assert result.url == f"{server.base}/article"
    assert result.content == ARTICLE
    assert result.content_type == "text/html"
    assert result.charset == "iso-8859-1"
    user_agents = {ua for path, ua in server.seen.requests if path in ("/moved", "/article")}
    assert user_agents == {FetchPolicy().user_agent}


def test_fetch_sends_user_agent_for_robots_and_reads_robots_once(server: Server) -> None:
    with Fetcher(FetchPolicy(allow_private=True)) as f:
        before = server.seen.paths().count("/robots.txt")
        f.fetch(f"{server.base}/article")
        f.fetch(f"{server.base}/article")
        assert server.seen.paths().count("/robots.txt") == before + 1
    robots_uas = {ua for path, ua in server.seen.requests if path == "/robots.txt"}
    assert robots_uas == {FetchPolicy().user_agent}


def test_fetch_refuses_path_disallowed_by_robots(server: Server, fetcher: Fetcher) -> None:
    with pytest.raises(FetchError, match=r"disallowed by robots\.txt"):
        fetcher.fetch(f"{server.base}/private/page")


def test_fetch_ignores_robots_when_policy_says_so(server: Server) -> None:
    policy = FetchPolicy(allow_private=True, respect_robots=False)
    with Fetcher(policy) as f:
        assert f.fetch(f"{server.base}/private/page").content == ARTICLE


def test_fetch_detects_redirect_loop(server: Server, fetcher: Fetcher) -> None:
    with pytest.raises(FetchError, match="redirect loop"):
        fetcher.fetch(f"{server.base}/loop")


def test_fetch_stops_after_too_many_redirects(server: Server, fetcher: Fetcher) -> None:
    with pytest.raises(FetchError, match=r"too many redirects \(>5\)"):
        fetcher.fetch(f"{server.base}/chain/0")
    assert "/chain/5" in server.seen.paths()  # five redirects followed, the sixth refused
    assert "/chain/6" not in server.seen.paths()


def test_fetch_caps_decoded_size_of_gzip_bomb(server: Server, fetcher: Fetcher) -> None:
    with pytest.raises(FetchError, match="response larger than 1 MB limit"):
        fetcher.fetch(f"{server.base}/bomb")


def test_fetch_rejects_declared_content_length_over_limit(server: Server, fetcher: Fetcher) -> None:
    with pytest.raises(FetchError, match=r"larger than 1 MB limit \(Content-Length"):
        fetcher.fetch(f"{server.base}/declared-huge")


def test_fetch_caps_body_without_content_length(server: Server, fetcher: Fetcher) -> None:
    with pytest.raises(FetchError, match="response larger than 1 MB limit"):
        fetcher.fetch(f"{server.base}/endless")


def test_fetch_reports_http_404(server: Server, fetcher: Fetcher) -> None:
    with pytest.raises(FetchError, match=r"^HTTP 404 Not Found$"):
        fetcher.fetch(f"{server.base}/missing")


def test_fetch_times_out_on_slow_server(server: Server, fetcher: Fetcher) -> None:
    started = time.monotonic()
    with pytest.raises(FetchError, match="timed out"):
        fetcher.fetch(f"{server.base}/slow")
    assert time.monotonic() - started < SLOW_S


def test_fetch_reports_closed_port_as_unreachable(fetcher: Fetcher) -> None:
    with pytest.raises(FetchError, match=r"^unreachable: "):
        fetcher.fetch(f"http://127.0.0.1:{_closed_port()}/article")


def test_fetch_rejects_unsupported_scheme(fetcher: Fetcher) -> None:
    with pytest.raises(FetchError, match="unsupported URL scheme 'ftp'"):
        fetcher.fetch("ftp://example.com/file")


def test_fetch_rejects_redirect_to_unsupported_scheme(server: Server, fetcher: Fetcher) -> None:
    with pytest.raises(FetchError, match="unsupported URL scheme 'ftp' in redirect"):
        fetcher.fetch(f"{server.base}/to-ftp")


def test_fetch_rechecks_address_on_every_redirect_hop(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Pretend 127.0.0.1 is a public host so the first hop passes; its redirect to
    # 127.0.0.2 must still be refused before anything connects there.
    real = fetch_module._forbidden_kind
    monkeypatch.setattr(
        fetch_module, "_forbidden_kind", lambda ip: None if ip == "127.0.0.1" else real(ip)
    )
    with Fetcher(FetchPolicy(timeout_s=0.5)) as f:
        assert f.fetch(f"{server.base}/article").content == ARTICLE
        with pytest.raises(FetchError) as err:
            f.fetch(f"{server.base}/to-internal")
    assert "127.0.0.2" in err.value.reason
    assert "--allow-private" in err.value.reason


@pytest.mark.parametrize(
    ("ip", "forbidden"),
    [
        ("10.0.0.1", True),
        ("172.16.5.4", True),
        ("192.168.1.1", True),
        ("127.0.0.1", True),
        ("169.254.169.254", True),  # cloud metadata endpoint
        ("100.64.0.1", True),  # carrier-grade NAT
        ("0.0.0.0", True),
        ("224.0.0.1", True),
        ("240.0.0.1", True),
        ("::1", True),
        ("::", True),
        ("fe80::1%eth0", True),
        ("fc00::1", True),
        ("::ffff:127.0.0.1", True),
        ("::ffff:10.1.2.3", True),
        ("2002:7f00:1::", True),  # 6to4 wrapping 127.0.0.1
        ("not-an-ip", True),
        ("8.8.8.8", False),
        ("1.1.1.1", False),
        ("2606:4700:4700::1111", False),
        ("::ffff:8.8.8.8", False),
    ],
)
def test_is_forbidden_address_classifies(ip: str, forbidden: bool) -> None:
    assert is_forbidden_address(ip) is forbidden


PUBLIC = "93.184.215.14"  # a public address that stands for the test server below


@pytest.fixture
def rebinding_dns(server: Server, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A hostile DNS server: news.example is PUBLIC the first time, 127.0.0.1 ever after.

    Returns the addresses actually dialled; dialling PUBLIC reaches the loopback test
    server, as if it were the public host. Any lookup other than through `resolve` fails.
    """
    answers = iter([[PUBLIC]] + [["127.0.0.1"]] * 20)
    monkeypatch.setattr(fetch_module, "resolve", lambda host, port: next(answers))
    real_lookup = socket.getaddrinfo

    def lookup(host: str, *args: object, **kwargs: object) -> object:
        assert host != "news.example", "the HTTP client resolved the name a second time"
        return real_lookup(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    dialled: list[str] = []
    real_connect = httpcore.SyncBackend.connect_tcp

    def connect(self: httpcore.SyncBackend, host: str, port: int,
                *args: object, **kwargs: object) -> httpcore.NetworkStream:
        dialled.append(host)
        return real_connect(self, "127.0.0.1" if host == PUBLIC else host, port,
                            *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(httpcore.SyncBackend, "connect_tcp", connect)
    return dialled


def test_fetch_connects_to_the_address_it_checked(server: Server,
                                                  rebinding_dns: list[str]) -> None:
    port = server.base.rsplit(":", 1)[1]
    with Fetcher(FetchPolicy(respect_robots=False, timeout_s=2)) as f:
        result = f.fetch(f"http://news.example:{port}/article")
    assert result.content == ARTICLE
    assert rebinding_dns == [PUBLIC]  # the checked answer, not a second lookup's loopback
    assert server.seen.hosts[-1] == f"news.example:{port}"  # the Host header keeps the name


def test_fetch_refuses_a_rebound_answer_before_connecting(server: Server,
                                                          rebinding_dns: list[str]) -> None:
    port = server.base.rsplit(":", 1)[1]
    with Fetcher(FetchPolicy(respect_robots=False, timeout_s=2)) as f:
        assert f.fetch(f"http://news.example:{port}/article").content == ARTICLE
        with pytest.raises(FetchError) as err:  # the next lookup answers 127.0.0.1
            f.fetch(f"http://news.example:{port}/article?again")
    assert "refused: news.example resolves to loopback address 127.0.0.1" in err.value.reason
    assert rebinding_dns == [PUBLIC]
    assert "/article?again" not in server.seen.paths()


def test_fetch_never_dials_a_name_it_did_not_check() -> None:
    backend = fetch_module._PinnedBackend(allow_any=False)
    with pytest.raises(httpcore.ConnectError, match="not checked"):
        backend.connect_tcp("unchecked.example", 80)
