"""The analyst's path in a real browser: Playwright driving Debian's chromium, headless.

Ingest the seeds through the ingest page, watch the job finish, open the story, find the
one-source payment fact with both versions, expand it, see the timeline, download the JSON
dossier, and keep a screenshot of the story page in tests/web/artifacts/.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, SKIP_NO_BROWSER, serve
from conftest import shared_path
from web_corpus import PAYMENT_DOLLARS, PAYMENT_POUNDS

# CI (.ci/run) installs chromium and sets CORROBORATE_REQUIRE_BROWSER: there a missing
# browser fails the run instead of skipping these tests (browser_support.py).
pytestmark = [SKIP_NO_BROWSER, pytest.mark.slow]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on a free loopback port, in a thread, over a fresh database."""
    with serve(tmp_path_factory.mktemp("browser") / "browser.db") as url:
        yield url


def test_seeds_through_ingest_page_to_story_dossier(server: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    seeds = sorted(shared_path("seeds").glob("*.txt"))
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(accept_downloads=True, viewport={"width": 1280,
                                                                      "height": 900})
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

            page.goto(f"{server}/ingest")
            page.set_input_files("#files", [str(p) for p in seeds])
            page.click("#start-ingest")
            page.wait_for_url("**/jobs/*")
            expect(page.locator("#job")).to_have_attribute("data-status", "done",
                                                           timeout=120_000)
            expect(page.locator('[data-count="ingested"]')).to_have_text("2")
            expect(page.locator("#job-clustering")).to_contain_text("stories in all")

            page.click("#job-next a")
            page.locator("table.stories a").first.click()
            page.wait_for_url("**/stories/*")

            # the key-figure fact of the money (the claim's other facts cite the same
            # sentences): the one whose reason gives the conversion
            fact = page.locator("details.fact").filter(has_text=PAYMENT_POUNDS).filter(
                has_text=PAYMENT_DOLLARS).filter(has_text="3.2 % apart")
            expect(fact).to_have_count(1)
            expect(fact.locator("summary")).to_contain_text("single source")
            versions = fact.locator("li.version")
            expect(versions.first).to_be_hidden()  # collapsed until the analyst opens it
            fact.locator("summary").click()
            expect(versions).to_have_count(2)
            expect(fact.locator("mark", has_text=PAYMENT_DOLLARS)).to_be_visible()
            expect(fact.locator("mark", has_text=PAYMENT_POUNDS)).to_be_visible()
            expect(fact).to_contain_text("TV Chosun")

            page.locator("#timeline").scroll_into_view_if_needed()
            expect(page.locator("#timeline-graph svg")).to_be_visible()
            expect(page.locator(".timeline-table tbody tr").first).to_be_visible()
            expect(page.locator("#provenance-graph svg")).to_be_visible()

            page.screenshot(path=str(ARTIFACTS / "story-page.png"), full_page=True)

            with page.expect_download() as info:
                page.click("#download-json")
            download = info.value
            assert download.suggested_filename.endswith("-dossier.json")
            dossier = json.loads(Path(download.path()).read_text(encoding="utf-8"))
            assert dossier["schema_version"]
            assert any(PAYMENT_POUNDS in v["claim"] for f in dossier["facts"]
                       for v in f["versions"])
            # The only console errors allowed: the CSP ignoring the style attribute the
            # report puts on its SVG roots (the stylesheet sizes them instead).
            assert all(e.startswith("Applying inline style violates") for e in errors), errors
        finally:
            browser.close()
    assert (ARTIFACTS / "story-page.png").stat().st_size > 10_000
