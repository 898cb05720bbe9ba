"""The HTML dossier: one self-contained page, every article-derived string escaped."""

from __future__ import annotations

import json
import re
from xml.etree import ElementTree

import pytest

from corroborate.pipeline import IngestOptions, cluster_stored, crosscheck_story, ingest
from corroborate.report import (
    Dossier,
    build_dossier,
    coverage_svg,
    provenance_svg,
    timeline_svg,
    to_html,
)
from corroborate.store import Store

HOSTILE = "<script>alert(1)</script>"
IMG = '<img src=x onerror="alert(2)">'

# Two outlets report one (invented) bridge closure; one of them carries hostile markup in its
# title, its outlet name and its text, the way a scraped page or a feed might.
ARTICLES = [
    {
        "title": f"Rotterdam closes Erasmus Bridge {HOSTILE} after crack found",
        "maintext": (
            "Rotterdam closed the Erasmus Bridge to all traffic on Monday after inspectors "
            f"found a crack in a support cable, city engineer Mara Vos said. {HOSTILE}\n\n"
            "Repairs will cost about 12 million euros and could take three weeks, Vos said. "
            f"Commuters were told to use the Willems Bridge instead {IMG}."
        ),
        "date_publish": "2025-05-12 09:00:00",
        "source_domain": f"Maas Post {HOSTILE}",
        "url": "https://maaspost.example/bridge",
        "language": "en",
    },
    {
        "title": "Erasmus Bridge shut after inspectors find \u202ecable crack",
        "maintext": (
            "The Erasmus Bridge in Rotterdam was closed to traffic on Monday after inspectors "
            "found a crack in one of its support cables, city engineer Mara Vos said.\n\n"
            "Vos said repairs would cost about 12 million euros and could take three weeks. "
            "Drivers and cyclists were sent to the Willems Bridge."
        ),
        "date_publish": "2025-05-12 11:30:00",
        "source_domain": "Delta Courier",
        "url": "https://deltacourier.example/erasmus",
        "language": "en",
    },
]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Dossier:
    path = tmp_path_factory.mktemp("hostile") / "bridge.jsonl"
    path.write_text("\n".join(json.dumps(a) for a in ARTICLES) + "\n", encoding="utf-8")
    store = Store(":memory:")
    try:
        ingest([str(path)], store, IngestOptions(fetch=False, workers=1))
        cluster_stored(store)
        (story,) = store.stories.list(limit=5)
        return build_dossier(*crosscheck_story(store, story.id))
    finally:
        store.close()


def test_hostile_article_is_one_story_with_its_markup_as_text(hostile: Dossier) -> None:
    d = hostile
    assert len(d.articles) == 2
    said = " ".join([d.title, *d.outlets, *(a.title or "" for a in d.articles),
                     *(v.sentence for f in d.facts for v in f.versions)])
    assert HOSTILE in said  # the markup survived as text, so escaping is what is tested


def test_html_escapes_every_article_string(hostile: Dossier) -> None:
    page = to_html(hostile)
    assert "<script" not in page.lower() and "<img" not in page.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=&#34;alert(2)&#34;&gt;" in page


def test_html_page_is_self_contained(hostile: Dossier) -> None:
    page = to_html(hostile)
    assert page.startswith("<!doctype html>") and page.rstrip().endswith("</html>")
    assert "<style>" in page
    # nothing fetched: no scripts, stylesheets, images, fonts or frames from anywhere
    assert not re.search(r"<(script|link|img|iframe|object|embed)\b", page, re.I)
    assert not re.search(r"""\bsrc\s*=\s*["']?(https?:)?//""", page, re.I)
    # outside addresses only as links to the articles' originals: nothing loads until followed
    linking = re.findall(r"""<(\w+)[^>]*\bhref\s*=\s*["']?(?:https?:)?//""", page, re.I)
    assert {tag.lower() for tag in linking} <= {"a"}
    assert "@import" not in page and "url(http" not in page


def test_svg_fragments_are_well_formed_and_escaped(hostile: Dossier) -> None:
    d = hostile
    assert coverage_svg(d)  # two outlets at two times: drawn
    for svg in (provenance_svg(d), timeline_svg(d), coverage_svg(d)):
        root = ElementTree.fromstring(svg)  # raises on unescaped markup
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert not list(root.iter("{http://www.w3.org/2000/svg}script"))
    covered = " ".join(t.text or "" for t in ElementTree.fromstring(coverage_svg(d)).iter())
    assert "Maas Post" in covered  # the hostile outlet name, parsed back as text
    texts = " ".join(t.text or "" for t in ElementTree.fromstring(provenance_svg(d)).iter()
                     if t.text)
    assert "Maas Post" in texts


def test_bidi_overrides_in_article_text_are_isolated(hostile: Dossier) -> None:
    # U+202E in a headline must not flip the rest of the page
    page = to_html(hostile)
    assert "\u202e" in page
    outside = re.sub(r"<bdi>.*?</bdi>|\u2068[^\u2069]*\u2069", "", page, flags=re.S)
    assert "\u202e" not in outside
    for svg in (provenance_svg(hostile), timeline_svg(hostile)):
        for node in ElementTree.fromstring(svg).iter():
            for text in (node.text or "", node.tail or ""):
                assert "\u202e" not in re.sub("\u2068[^\u2069]*\u2069", "", text)
