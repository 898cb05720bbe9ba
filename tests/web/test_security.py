"""Untrusted article text stays inert; writes need loopback or the token; bodies are capped."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from web_corpus import LOCAL, corpus_db, hostile_ids

from corroborate.extract import extract_article
from corroborate.pipeline import cluster_stored
from corroborate.records import Article, DocFormat
from corroborate.store import Store
from corroborate.web import create_app
from corroborate.web.security import is_loopback_host, safe_href

LOOPBACK = ("127.0.0.1", 50000)
REMOTE = ("203.0.113.7", 50000)


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(corpus_db()), base_url=LOCAL, client=LOOPBACK) as c:
        yield c


@pytest.fixture(scope="module")
def hostile() -> tuple[int, int]:
    with Store(corpus_db()) as store:
        return hostile_ids(store)


class _Markup(HTMLParser):
    """Every element and attribute a browser would build from the page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def _parsed(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Markup()
    parser.feed(html)
    parser.close()
    return parser.tags


def _inert(html: str) -> None:
    """No element, attribute or URL from the hostile article survives as markup."""
    assert "alert" in html  # the hostile text is shown, as text
    for tag, attrs in _parsed(html):
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        for name in ("href", "src", "action", "formaction", "xlink:href"):
            value = (attrs.get(name) or "").strip().lower()
            assert not value.startswith(("javascript:", "data:", "vbscript:")), (tag, attrs)
        assert tag != "script" or attrs.get("src") == "/static/app.js", (tag, attrs)
        assert tag not in ("iframe", "object", "embed", "base", "img"), (tag, attrs)
    for live in ("<script>alert", "<img src=x", "<b onmouseover", "<svg onload"):
        assert live not in html, live


def test_hostile_article_is_inert_on_every_page(client: TestClient,
                                                hostile: tuple[int, int]) -> None:
    article_id, story_id = hostile
    for url in (f"/articles/{article_id}", f"/stories/{story_id}", "/", "/articles",
                "/search?q=harbour+budget", "/search?q=dredging+budget&mode=semantic"):
        r = client.get(url)
        assert r.status_code == 200, url
        _inert(r.text)
    page = client.get(f"/articles/{article_id}").text
    assert "&lt;script&gt;alert(&#39;text&#39;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(&#39;img&#39;)&gt;" in page


def test_hostile_article_downloads_are_escaped_and_cannot_run_script(
        client: TestClient, hostile: tuple[int, int]) -> None:
    _, story_id = hostile
    r = client.get(f"/stories/{story_id}/dossier.html")
    assert r.status_code == 200
    _inert(r.text)
    assert "script-src" not in r.headers["content-security-policy"]  # default-src 'none'
    data = client.get(f"/api/v1/stories/{story_id}/dossier").json()
    assert data["story"]["title"].startswith("<script>")  # JSON keeps the text as it is


def test_every_response_carries_a_strict_csp(client: TestClient) -> None:
    for url in ("/", "/ingest", "/api/v1/stories", "/static/app.js", "/nope"):
        csp = client.get(url).headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
    headers = client.get("/").headers
    assert headers["x-content-type-options"] == "nosniff"


def test_pages_use_no_inline_script_or_style(client: TestClient,
                                             hostile: tuple[int, int]) -> None:
    for url in ("/", f"/stories/{hostile[1]}", f"/articles/{hostile[0]}", "/ingest",
                "/search?q=fire"):
        html = client.get(url).text
        assert not re.findall(r"<script(?![^>]*\bsrc=)", html), url
        assert "<style" not in html, url
        # The report's SVG roots carry a style attribute, which the CSP ignores (the
        # stylesheet sizes them instead); no other element has one.
        styled = [tag for tag, attrs in _parsed(html) if "style" in attrs and tag != "svg"]
        assert not styled, (url, styled)


def _small_upload() -> dict[str, tuple[str, bytes, str]]:
    return {"files": ("note.txt", b"Riverton council met on Monday.", "text/plain")}


def test_writes_refused_from_remote_clients_without_a_token(tmp_path: Path) -> None:
    with TestClient(create_app(tmp_path / "t.db"), base_url=LOCAL, client=REMOTE) as remote:
        r = remote.post("/api/v1/ingest", files=_small_upload())
        assert r.status_code == 403
        assert remote.get("/api/v1/stories").status_code == 200  # reads are fine


def test_token_required_for_writes_when_set(tmp_path: Path) -> None:
    app = create_app(tmp_path / "t.db", token="s3cret-token")
    with TestClient(app, base_url=LOCAL, client=REMOTE) as remote:
        assert remote.post("/api/v1/ingest", files=_small_upload()).status_code == 401
        bad = remote.post("/api/v1/ingest", files=_small_upload(),
                          headers={"X-Corroborate-Token": "wrong"})
        assert bad.status_code == 401
        ok = remote.post("/api/v1/ingest", files=_small_upload(),
                         headers={"Authorization": "Bearer s3cret-token"})
        assert ok.status_code == 202, ok.text
        form = remote.post("/ingest", files=_small_upload(), data={"token": "s3cret-token"},
                           follow_redirects=False)
        assert form.status_code == 303 and form.headers["location"].startswith("/jobs/")
        app.state.web.jobs.wait(ok.json()["id"])


def test_cross_site_writes_refused(tmp_path: Path) -> None:
    with TestClient(create_app(tmp_path / "t.db"), base_url=LOCAL, client=LOOPBACK) as c:
        for headers in ({"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"},
                        {"Origin": "null"}):
            r = c.post("/ingest", files=_small_upload(), headers=headers,
                       follow_redirects=False)
            assert r.status_code == 403, headers


def test_upload_over_the_limit_refused(tmp_path: Path) -> None:
    app = create_app(tmp_path / "t.db", max_upload_bytes=64 * 1024)
    with TestClient(app, base_url=LOCAL, client=LOOPBACK) as c:
        big = {"files": ("big.txt", b"x" * (128 * 1024), "text/plain")}
        r = c.post("/api/v1/ingest", files=big)
        assert r.status_code == 413
        assert app.state.web.jobs.list() == []


def test_chunked_upload_over_the_limit_refused_with_413(tmp_path: Path) -> None:
    app = create_app(tmp_path / "t.db", max_upload_bytes=64 * 1024)
    body = (b'--XX\r\nContent-Disposition: form-data; name="files"; filename="big.txt"\r\n'
            b"Content-Type: text/plain\r\n\r\n" + b"x" * (128 * 1024) + b"\r\n--XX--\r\n")

    def chunks() -> Iterator[bytes]:  # a generator: sent chunked, no Content-Length
        yield from (body[i:i + 8192] for i in range(0, len(body), 8192))

    with TestClient(app, base_url=LOCAL, client=LOOPBACK) as c:
        for url in ("/api/v1/ingest", "/ingest"):
            r = c.post(url, content=chunks(), follow_redirects=False,
                       headers={"Content-Type": "multipart/form-data; boundary=XX"})
            assert r.request.headers.get("transfer-encoding") == "chunked"
            assert r.status_code == 413, (url, r.text)
            assert "limit" in r.json()["error"]["message"]
        assert app.state.web.jobs.list() == []


def _always_isolated(page: str, text: str) -> bool:
    """Every occurrence of `text` sits inside a <bdi> element or an FSI ... PDI isolate."""
    starts = [m.start() for m in re.finditer(re.escape(text), page)]
    return bool(starts) and all(
        page.rfind("<bdi>", 0, i) > page.rfind("</bdi>", 0, i)
        or page.rfind("\u2068", 0, i) > page.rfind("\u2069", 0, i) for i in starts)


def test_bidi_overrides_in_untrusted_text_are_isolated(tmp_path: Path) -> None:
    title = "Budget \u202etxt.exe\u202c vote passed"
    outlet = "\u202eTimes"
    article = Article(source="bidi.txt", format=DocFormat.TEXT, title=title, outlet=outlet,
                      text="Riverton council passed the budget on Monday, the mayor said.",
                      published=datetime(2025, 5, 2), published_via="test", language="en",
                      raw_sha256="bidi")
    with Store(tmp_path / "b.db") as store:
        with store.writer() as w:
            article_id = w.add_article(article, article.text_hash, b"bidi", signature=None,
                                       bands=())
            w.save_extraction(article_id, extract_article(article))
        cluster_stored(store)
        story_id = store.stories.story_of(article_id)
    with TestClient(create_app(tmp_path / "b.db"), base_url=LOCAL, client=LOOPBACK) as c:
        for url in (f"/articles/{article_id}", "/articles", "/", f"/stories/{story_id}",
                    "/search?q=budget"):
            page = re.sub(r"<svg.*?</svg>", "", c.get(url).text, flags=re.S)  # report's SVG
            assert f"<bdi>{title}</bdi>" in page, url
            assert _always_isolated(page, title) and _always_isolated(page, outlet), url
        head = c.get(f"/articles/{article_id}").text.split("</title>")[0]
        assert f"\u2068{title}\u2069" in head  # <title> cannot hold <bdi>: FSI ... PDI


def test_only_http_links_are_drawn() -> None:
    assert safe_href("https://example.org/a") == "https://example.org/a"
    for url in ("javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x",
                "file:///etc/passwd", "vbscript:x", None, ""):
        assert safe_href(url) is None


def test_loopback_hosts() -> None:
    assert all(map(is_loopback_host, ("127.0.0.1", "::1", "localhost", "127.1.2.3")))
    assert not any(map(is_loopback_host, ("0.0.0.0", "192.168.1.2", "example.org", "")))
