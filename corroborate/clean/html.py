"""HTML pages to clean articles, with trafilatura doing the main-text extraction.

trafilatura is the best-kept open extractor; what we add sits around it: decoding we
control, a bounded parse for hostile pages, and our own publication-date logic.
"""

from __future__ import annotations

from configparser import ConfigParser
from functools import lru_cache

import trafilatura
from lxml import etree
from trafilatura.settings import use_config

from corroborate.clean.decode import declared_charset, decode_text
from corroborate.clean.language import detect_language
from corroborate.clean.pubdate import parse_iso_date
from corroborate.errors import InputRejected
from corroborate.records import Article, DocFormat, RawDocument

EXTRACTOR = f"trafilatura {trafilatura.__version__}"
_MAX_TREE_SIZE = 200_000  # elements; bigger pages are hostile or not articles


@lru_cache(maxsize=1)
def _config() -> ConfigParser:
    cfg = use_config()
    cfg.set("DEFAULT", "MAX_TREE_SIZE", str(_MAX_TREE_SIZE))
    return cfg


def clean_html(raw: RawDocument) -> Article:
    """Extract the article in `raw` (an HTML page), or raise InputRejected saying why."""
    html = decode_text(raw.content, declared_charset(raw.content))
    url = raw.url or raw.meta.get("url")
    try:
        doc = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            config=_config(),
        )
    except (etree.LxmlError, ValueError, RecursionError) as exc:
        raise InputRejected(f"unparseable HTML: {type(exc).__name__}") from exc
    if doc is None or not (doc.text or "").strip():
        raise InputRejected("no article text found in HTML")
    meta = raw.meta
    published = parse_iso_date(meta.get("published")) or parse_iso_date(doc.date)
    return Article(
        source=raw.source,
        format=DocFormat.HTML,
        text=doc.text.strip(),
        title=meta.get("title") or doc.title,
        author=meta.get("author") or doc.author,
        outlet=meta.get("outlet") or doc.sitename or doc.hostname,
        url=url or doc.url,
        published=published,
        published_via="metadata" if meta.get("published") else ("htmldate" if published else None),
        language=detect_language(doc.text),
        extractor=EXTRACTOR,
        raw_sha256=raw.sha256,
    )
