"""HTML pages to clean articles, with trafilatura doing the main-text extraction.

trafilatura is the best-kept open extractor; what we add sits around it: decoding we
control, one bounded parse shared by every step (trafilatura, our date rules, the title
look-up), line-level removal of page furniture it leaves in (html_postclean), and our own
publication-date logic (pubdate), which beats htmldate alone on the pages users complain
about. `benchmarks/extraction.py` measures all of it against plain trafilatura.
"""

from __future__ import annotations

import re
from configparser import ConfigParser
from functools import lru_cache

import trafilatura
from lxml import etree
from lxml.html import HtmlElement
from trafilatura.settings import use_config
from trafilatura.utils import load_html

from corroborate.clean.decode import declared_charset, decode_text
from corroborate.clean.html_postclean import postclean
from corroborate.clean.language import detect_language
from corroborate.clean.pubdate import find_published, parse_iso_date
from corroborate.errors import InputRejected
from corroborate.records import Article, DocFormat, RawDocument

EXTRACTOR = f"trafilatura {trafilatura.__version__} + corroborate rules"
_MAX_TREE_SIZE = 200_000  # elements; bigger pages are hostile or not articles
# No report is shorter than this; fewer words are a menu entry or a button label
# ("Home"), which trafilatura returns when a page has nothing else.
_MIN_WORDS = 5
_WORD = re.compile(r"\w+")
_PARSE_ERRORS = (etree.LxmlError, ValueError, TypeError, RecursionError, MemoryError)


@lru_cache(maxsize=1)
def _config() -> ConfigParser:
    cfg = use_config()
    cfg.set("DEFAULT", "MAX_TREE_SIZE", str(_MAX_TREE_SIZE))
    return cfg


def _parse(html: str) -> HtmlElement:
    """One parse, the way trafilatura itself would parse the page, or InputRejected."""
    try:
        tree = load_html(html)
    except _PARSE_ERRORS as exc:
        raise InputRejected(f"unparseable HTML: {type(exc).__name__}") from exc
    if tree is None:
        raise InputRejected("unparseable HTML: no document tree")
    return tree


def _title_candidates(tree: HtmlElement, extracted: str | None) -> list[str]:
    """The headline as the page states it in several places, to spot it repeated in the text."""
    found = [extracted or ""]
    found += tree.xpath('//meta[@property="og:title" or @name="twitter:title"]/@content')[:2]
    for tag in ("title", "h1"):
        el = next(iter(tree.iter(tag)), None)
        if el is not None:
            found.append(" ".join(el.text_content().split()))
    return [t for t in found if t]


def clean_html(raw: RawDocument) -> Article:
    """Extract the article in `raw` (an HTML page), or raise InputRejected saying why."""
    # The HTTP header's charset, when the page was fetched, outranks the page's own <meta>.
    html = decode_text(raw.content, raw.meta.get("charset") or declared_charset(raw.content))
    url = raw.url or raw.meta.get("url")
    tree = _parse(html)
    try:
        # Comments are readers' words, not the outlet's report: never part of the article.
        # trafilatura copies the tree it is given, so `tree` stays intact for the date rules.
        doc = trafilatura.bare_extraction(
            tree,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            config=_config(),
        )
    except _PARSE_ERRORS as exc:
        raise InputRejected(f"unparseable HTML: {type(exc).__name__}") from exc
    if doc is None or not (doc.text or "").strip():
        raise InputRejected("no article text found in HTML")
    text, removed = postclean(doc.text, _title_candidates(tree, doc.title))
    if len(_WORD.findall(text)) < _MIN_WORDS:
        raise InputRejected("no article text found in HTML (only a few words of page furniture)")

    meta = raw.meta
    published = parse_iso_date(meta.get("published"))
    via = "metadata" if published else None
    if published is None:
        try:
            published, via = find_published(tree, url or doc.url, doc.date)
        except RecursionError:  # absurdly nested markup: no date rather than no article
            published, via = parse_iso_date(doc.date), "htmldate" if doc.date else None
    return Article(
        source=raw.source,
        format=DocFormat.HTML,
        text=text,
        title=meta.get("title") or doc.title,
        author=meta.get("author") or doc.author,
        outlet=meta.get("outlet") or doc.sitename or doc.hostname,
        url=url or doc.url,
        published=published,
        published_via=via,
        language=detect_language(text),
        removed=tuple(removed),
        extractor=EXTRACTOR,
        raw_sha256=raw.sha256,
    )
