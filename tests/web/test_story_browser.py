"""The story page an analyst reads in thirty seconds, in a real browser (Playwright on
Debian's chromium), on a real multi-outlet story: the gold's D01, eleven outlets' reports of
one Paris jewellery raid.

Coverage lists every outlet with each report linked to its original URL; key figures come
first; the verdict filter hides the other facts; the provenance graph fits a 1400×900
window. Screenshots of the story page, an article page and the stories list are kept in
tests/web/artifacts/ (with CORROBORATE_SCREENSHOTS=DIR, there: docs/screenshots/ holds the
README's).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    SKIP_NO_BROWSER,
    gold_db,
    main_story,
    serve,
)

from corroborate.store import Store

pytestmark = [SKIP_NO_BROWSER, pytest.mark.slow]
VIEWPORT = {"width": 1400, "height": 900}


@pytest.fixture(scope="module")
def site() -> Iterator[tuple[str, int]]:
    db = gold_db("D01")
    with serve(db) as base:
        yield base, main_story(db)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def _page(browser: object, url: str) -> object:
    page = browser.new_page(viewport=VIEWPORT)  # type: ignore[attr-defined]
    page.goto(url)
    return page


def test_coverage_panel_lists_every_outlet_with_each_report_linked_to_its_original(
        site: tuple[str, int], browser: object) -> None:
    from playwright.sync_api import expect

    base, story_id = site
    with Store(gold_db("D01")) as store:
        story = store.stories.get(story_id)
        assert story is not None and len(story.outlets) >= 5
        stored = store.get_articles([m.article_id for m in story.members])
    urls = {s.id: s.article.url for s in stored}
    copies_of = {s.id: s.near_duplicate_of for s in stored if s.near_duplicate_of in urls}
    assert copies_of  # AFP copies, stored as near-duplicates of the first one ingested
    page = _page(browser, f"{base}/stories/{story_id}")
    dossier = page.request.get(f"{base}/api/v1/stories/{story_id}/dossier").json()
    assert {a["article_id"]: a["url"] for a in dossier["articles"]} == urls
    panel = page.locator("#coverage")
    expect(panel).to_be_visible()
    rows = panel.locator("tbody th[scope=row]").all_inner_texts()
    assert sorted(rows) == sorted({a["outlet"] for a in dossier["articles"]})
    hrefs = panel.locator("a.headline").evaluate_all("els => els.map(a => a.href)")
    for article_id, url in urls.items():
        assert url, article_id  # every D01 report has its web address
        assert url in hrefs, (article_id, url)  # the headline links to the original
        expect(panel.locator(f'a[href="/articles/{article_id}"]')).to_have_count(1)
    # each syndicated copy sits under its original's report, linked to its own original URL
    for copy, original in copies_of.items():
        report = panel.locator("ul.reports > li").filter(
            has=page.locator(f'a[href="/articles/{original}"]')).first
        expect(report.locator(f'ul.copies a[href="/articles/{copy}"]')).to_have_count(1)
    page.close()


def test_key_figures_come_first_and_the_verdict_filter_hides_the_others(
        site: tuple[str, int], browser: object) -> None:
    from playwright.sync_api import expect

    base, story_id = site
    page = _page(browser, f"{base}/stories/{story_id}")
    headings = page.locator("main h2").all_inner_texts()
    facts_at = next(i for i, h in enumerate(headings) if h.startswith("Facts"))
    assert headings.index("Key figures") < facts_at
    assert page.locator("tr.key-figure").count() >= 1  # the loot's value, in euros and dollars
    cards = page.locator("details.fact")
    verdicts = cards.evaluate_all("els => els.map(e => e.dataset.verdict)")
    assert "agree" in verdicts and len(set(verdicts)) >= 2
    # every fact links to its articles' originals
    originals = page.locator("details.fact a.original")
    assert originals.count() >= cards.count()
    page.locator('#fact-filters input[name="verdict"][value="agree"]').check()
    shown = page.locator("details.fact:visible")
    expect(shown.first).to_be_visible()
    assert set(shown.evaluate_all("els => els.map(e => e.dataset.verdict)")) == {"agree"}
    hidden = page.locator("details.fact[hidden]").count()
    assert hidden == sum(v != "agree" for v in verdicts) and hidden > 0
    assert "verdict=agree" in page.url
    expect(page.locator("#filter-status")).to_contain_text("Showing")
    page.locator('#fact-filters input[name="verdict"][value=""]').check()
    expect(page.locator("details.fact[hidden]")).to_have_count(0)
    # by outlet: only the facts BBC News reports stay
    page.select_option("#filter-outlet", label="\u2068BBC News\u2069")
    outlets = page.locator("details.fact:visible").evaluate_all(
        "els => els.map(e => e.dataset.outlets)")
    assert outlets and all("BBC News" in o for o in outlets)
    assert len(outlets) < len(verdicts)
    page.close()


def test_provenance_graph_fits_the_window_with_the_top_origins(
        site: tuple[str, int], browser: object) -> None:
    base, story_id = site
    page = _page(browser, f"{base}/stories/{story_id}")
    graph = page.locator("#provenance-graph svg")
    graph.scroll_into_view_if_needed()
    box = graph.bounding_box()
    assert box is not None
    assert box["width"] <= VIEWPORT["width"] and box["height"] <= VIEWPORT["height"], box
    labels = graph.locator("g.node text").evaluate_all("els => els.map(e => e.textContent)")
    generic = {"he", "she", "they", "it", "them", "reports", "our correspondent"}
    assert labels and not generic & {label.casefold() for label in labels}
    # the origins of widest reach are drawn; all origins stay listed in the Sources table
    origins = page.request.get(f"{base}/api/v1/stories/{story_id}/dossier").json()["origins"]
    top = [o["name"] for o in origins[:3] if o["name"].casefold() not in generic]
    assert top and all(any(label.startswith(name[:20]) for label in labels) for name in top)
    rows = page.locator("#sources table.origins-table tbody tr")
    assert rows.count() == len(origins)
    page.close()


def test_screenshots_of_story_article_and_stories_list(site: tuple[str, int],
                                                       browser: object) -> None:
    base, story_id = site
    out = Path(os.environ.get("CORROBORATE_SCREENSHOTS") or ARTIFACTS)
    out.mkdir(parents=True, exist_ok=True)
    with Store(gold_db("D01")) as store:
        story = store.stories.get(story_id)
        assert story is not None
        article = story.members[0].article_id
    shots = {"story-page.png": f"/stories/{story_id}", "article-page.png": f"/articles/{article}",
             "stories-list.png": "/"}
    for name, path in shots.items():
        page = _page(browser, base + path)
        height = page.evaluate("document.documentElement.scrollHeight")
        # 1400 px wide; the first 2,400 px of a long page (the story's: header to key figures)
        page.screenshot(path=str(out / name), full_page=True,
                        clip={"x": 0, "y": 0, "width": 1400, "height": min(height, 2400)})
        page.close()
        assert (out / name).stat().st_size > 10_000
