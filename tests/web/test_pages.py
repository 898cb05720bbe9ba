"""Every page, in-process (an httpx client on the ASGI app), on the seeds and example corpus."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from markupsafe import escape
from starlette.testclient import TestClient
from web_corpus import LOCAL, PAYMENT_DOLLARS, PAYMENT_POUNDS, corpus_db, seed_story_id

from corroborate.store import Store
from corroborate.web import create_app


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(corpus_db()), base_url=LOCAL, client=("127.0.0.1", 50000)) as c:
        yield c


@pytest.fixture(scope="module")
def seed_story() -> int:
    with Store(corpus_db()) as store:
        return seed_story_id(store)


def _titles() -> tuple[str, str]:
    """(seed story, fire story) titles as the pages print them (escaped)."""
    with Store(corpus_db()) as store:
        seed = store.stories.get(seed_story_id(store))
        fire = next(s for s in store.stories.list() if "Antwerp" in s.title)
        assert seed is not None
        return str(escape(seed.title)), str(escape(fire.title))


SEED, FIRE = _titles()


def _html(client: TestClient, url: str) -> str:
    r = client.get(url, headers={"accept": "text/html"})
    assert r.status_code == 200, (url, r.text[:500])
    assert r.headers["content-type"].startswith("text/html")
    return r.text


def _row(html: str, text: str) -> str:
    rows = [r for r in re.findall(r"<tr>.*?</tr>", html, re.S) if text in r]
    assert len(rows) == 1, text
    return rows[0]


def test_stories_page_lists_newest_first_with_counts_sources_and_conflicts(
        client: TestClient) -> None:
    # the corpus's cross-checks are stored (as `ingest` leaves them): rows read them
    html = _html(client, "/")
    fire = html.index(FIRE)
    seeds = html.index(SEED)
    assert fire < seeds  # 2025 before 2024
    row = _row(html, SEED)
    cells = re.findall(r'<td class="num"[^>]*>(.*?)</td>', row)
    assert cells[:2] == ["2", "2"]  # two articles, two outlets
    assert cells[2].isdigit() and int(cells[2]) >= 1  # independent primary sources
    assert "2024-06-27 → 2024-06-27" in row
    fire_row = _row(html, FIRE)
    assert "conflict" in fire_row


@pytest.mark.parametrize(("query", "shown", "hidden"), [
    ("entity=North+Korea", SEED, FIRE),
    ("outlet=eurowire", FIRE, SEED),
    ("since=2025-01-01", FIRE, SEED),
    ("until=2024-12-31", SEED, FIRE),
    ("place=Donetsk", SEED, FIRE),
    ("q=engineering+brigades", SEED, FIRE),
])
def test_stories_page_filters(client: TestClient, query: str, shown: str, hidden: str) -> None:
    html = _html(client, f"/?{query}")
    assert shown in html
    assert hidden not in html


def test_story_page_shows_payment_fact_with_both_versions_highlighted(
        client: TestClient, seed_story: int) -> None:
    html = _html(client, f"/stories/{seed_story}")
    facts = re.findall(r'<details class="fact verdict-(\w+)".*?</details>', html, re.S)
    assert facts
    blocks = re.findall(r'<details class="fact.*?</details>', html, re.S)
    # the key-figure fact of the money: the claim's other facts carry the same sentences
    payment = [b for b in blocks if PAYMENT_DOLLARS in b and PAYMENT_POUNDS in b
               and "3.2 % apart" in b]
    assert len(payment) == 1
    block = payment[0]
    assert "single source" in block  # both outlets rest on TV Chosun alone
    assert re.search(r"<mark class=\"cert-(hedged|conditional)\">[^<]*\$115 million", block)
    assert "TV Chosun" in block
    assert "3.2 % apart" in block  # the verdict reason, with the conversion
    assert "≈ $111.3M" in block  # the pound amount converted at the ECB rate


def test_story_page_puts_key_figures_first_then_discrepancies_agreement_background(
        client: TestClient) -> None:
    with Store(corpus_db()) as store:
        fire = next(s.id for s in store.stories.list() if "Antwerp" in s.title)
    html = _html(client, f"/stories/{fire}")
    # the key figures table leads, then the facts: its cards first, then the others by verdict
    assert html.index('id="coverage"') < html.index('id="key-figures"') < html.index('id="facts"')
    key = re.findall(r'<tr class="key-figure verdict-(\w+)" data-fact="(F\d+)"', html)
    assert key and {"conflict", "developing"} <= {v for v, _ in key}  # 1,200 vs 3,000; 2 -> 4
    cards = re.findall(r'<details class="fact verdict-(\w+)" id="fact-(F\d+)"', html)
    assert [f for _, f in cards[:len(key)]] == [f for _, f in key]
    rest = [v for v, _ in cards[len(key):]]
    rank = {"conflict": 0, "disputed": 1, "developing": 2, "agree": 3, "single_outlet": 4}
    assert rest and [rank[v] for v in rest] == sorted(rank[v] for v in rest)
    # the single-outlet background is collapsed, behind one expand
    background = html[html.index('<details class="background-facts"'):]
    assert background.startswith('<details class="background-facts" id="background-facts">')
    assert 'verdict-single_outlet' not in html[:html.index('<details class="background-facts"')]
    assert re.search(r'<div class="figure" id="provenance-graph"[^>]*><svg', html)
    assert re.search(r'<div class="figure" id="timeline-graph"[^>]*><svg', html)
    assert 'class="timeline-table"' in html
    for fmt in ("md", "html", "json"):
        assert f'href="/stories/{fire}/dossier.{fmt}"' in html


def test_story_page_filters_work_without_script(client: TestClient) -> None:
    with Store(corpus_db()) as store:
        fire = next(s.id for s in store.stories.list() if "Antwerp" in s.title)
    html = _html(client, f"/stories/{fire}?verdict=conflict")
    cards = re.findall(r'<details class="fact verdict-(\w+)" id="fact-F\d+"[^>]*?( hidden)?>',
                       html)
    shown = {v for v, hidden in cards if not hidden}
    assert shown == {"conflict"} and any(hidden for _, hidden in cards)
    assert 'value="conflict" checked' in html


def test_story_page_coverage_links_every_report_to_its_original(client: TestClient) -> None:
    with Store(corpus_db()) as store:
        fire = store.stories.get(next(s.id for s in store.stories.list()
                                      if "Antwerp" in s.title))
        assert fire is not None
        urls = {m.article_id: store.get_article(m.article_id).article.url  # type: ignore[union-attr]
                for m in fire.members}
    html = _html(client, f"/stories/{fire.id}")
    panel = html[html.index('id="coverage"'):html.index('id="key-figures"')]
    for member in fire.members:
        assert f'href="/articles/{member.article_id}"' in panel
        url = urls[member.article_id]
        if url and url.startswith("http"):
            assert f'href="{escape(url)}"' in panel
    assert 'id="not-covered"' in panel


def test_dossier_downloads(client: TestClient, seed_story: int) -> None:
    r = client.get(f"/stories/{seed_story}/dossier.json")
    assert r.status_code == 200
    assert "attachment" in r.headers["content-disposition"]
    assert r.json()["story"]["id"] == seed_story
    md = client.get(f"/stories/{seed_story}/dossier.md")
    assert md.headers["content-type"].startswith("text/markdown")
    assert PAYMENT_POUNDS in md.text
    page = client.get(f"/stories/{seed_story}/dossier.html")
    assert page.text.lstrip().lower().startswith("<!doctype html")
    assert "script-src" not in page.headers["content-security-policy"]


def test_article_page_highlights_claims_chains_amounts_and_removals(client: TestClient) -> None:
    with Store(corpus_db()) as store:
        aid = next(a.id for a in store.list_articles(limit=100)
                   if a.article.author == "Karina Strzelińska")
    html = _html(client, f"/articles/{aid}")
    assert re.search(r'<mark class="cert-(hedged|conditional)">[^<]*£88 million', html)
    assert "TV Chosun" in html
    assert "≈ $111.3M" in html and "ECB rate of 2024-06-27" in html
    assert "Images source: © Telegram," in html and "image credit" in html
    assert "2023-09" in html  # "Last year … in September", resolved


def test_articles_ingest_job_and_search_pages_render(client: TestClient) -> None:
    assert "Antwerp" in _html(client, "/articles")
    ingest = _html(client, "/ingest")
    assert 'enctype="multipart/form-data"' in ingest and 'name="files"' in ingest
    full = _html(client, "/search?q=engineering+brigades")
    assert "<mark>" in full and "Donetsk" in full
    semantic = _html(client, "/search?q=how+much+will+Russia+pay+North+Korea&mode=semantic")
    assert "million annually" in semantic


def test_unknown_ids_answer_404_pages(client: TestClient) -> None:
    for url in ("/stories/999999", "/articles/999999", "/jobs/nope", "/stories/0"):
        r = client.get(url, headers={"accept": "text/html"})
        assert r.status_code == 404, url
        assert "<h1>404</h1>" in r.text


def test_story_page_draws_coverage_over_time_when_reports_differ_in_time(
        client: TestClient, seed_story: int) -> None:
    html = _html(client, f"/stories/{seed_story}")  # 06:30 and 07:52 on 2024-06-27
    panel = html[html.index('id="coverage"'):html.index('id="key-figures"')]
    assert re.search(r'<div class="figure" id="coverage-graph"[^>]*><svg', panel)
    assert panel.count("<circle") == 2
