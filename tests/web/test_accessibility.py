"""Every page passes axe-core with no serious or critical violation, in a real browser.

axe-core (tools/axe, pinned by its package-lock.json; scripts/setup runs `npm ci` there) is
injected into each page of the app over a real story (the gold's D01) and run as it is:
contrast, labels, landmarks, names of links and controls, and the rest of its rules.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from browser_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    SKIP_NO_BROWSER,
    axe_source,
    gold_db,
    main_story,
    serve,
)

from corroborate.store import Store

pytestmark = [SKIP_NO_BROWSER, pytest.mark.slow]
BLOCKING = ("serious", "critical")


@pytest.fixture(scope="module")
def pages() -> Iterator[tuple[str, dict[str, str]]]:
    db = gold_db("D01")
    story = main_story(db)
    with Store(db) as store:
        found = store.stories.get(story)
        assert found is not None
        article = found.members[0].article_id
    with serve(db) as base:
        yield base, {
            "stories list": "/",
            "stories list, filtered": "/?entity=Paris",
            "story page": f"/stories/{story}",
            "story page, filtered": f"/stories/{story}?verdict=agree",
            "article page": f"/articles/{article}",
            "articles list": "/articles",
            "search": "/search?q=jewellery",
            "search, by meaning": "/search",
            "ingest": "/ingest",
            "missing page": "/stories/999999",
        }


def _violations(page: object, source: str) -> list[str]:
    page.add_script_tag(content=source)  # type: ignore[attr-defined]
    result = page.evaluate("axe.run()")  # type: ignore[attr-defined]
    return [f"{v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(n["target"][0] for n in v["nodes"][:3])
            for v in result["violations"] if v["impact"] in BLOCKING]


def test_every_page_has_no_serious_or_critical_axe_violation(
        pages: tuple[str, dict[str, str]]) -> None:
    from playwright.sync_api import sync_playwright

    base, paths = pages
    source = axe_source()
    found: dict[str, list[str]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            # bypass_csp: our CSP (rightly) refuses the injected axe script
            page = browser.new_page(viewport={"width": 1400, "height": 900}, bypass_csp=True)
            # a job page: a job of one refused input finishes at once and loads no model
            response = page.request.post(f"{base}/api/v1/ingest",
                                         multipart={"urls": "file:///etc/hostname"})
            assert response.ok, response.text()
            paths = {**paths, "job page": f"/jobs/{response.json()['id']}"}
            for name, path in paths.items():
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                problems = _violations(page, source)
                if problems:
                    found[name] = problems
        finally:
            browser.close()
    assert found == {}, found


def test_the_check_finds_a_violation_where_there_is_one(pages: tuple[str, dict[str, str]]
                                                       ) -> None:
    """axe really runs: an image without text and a low-contrast line are reported."""
    from playwright.sync_api import sync_playwright

    source = axe_source()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.set_content('<html lang="en"><body><main><input type="text">'
                             "</main></body></html>")
            assert any(v.startswith("label") for v in _violations(page, source))
        finally:
            browser.close()
