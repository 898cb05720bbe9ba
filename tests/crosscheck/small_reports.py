"""Small reports written for the crosscheck tests, stored and extracted as the product does."""

from __future__ import annotations

from datetime import datetime

from corroborate.extract import extract_article
from corroborate.records import (
    Article,
    CrossCheck,
    DocFormat,
    Extraction,
    Fact,
    StoredArticle,
)


def report(article_id: int, outlet: str, text: str, published: datetime,
           copy_of: int | None = None) -> tuple[StoredArticle, Extraction]:
    """One outlet's report as a stored article with its extraction (a copy when `copy_of`)."""
    article = Article(source=f"test:{article_id}", format=DocFormat.TEXT, text=text,
                      outlet=outlet, published=published, language="en")
    stored = StoredArticle(article_id, article, article.text_hash, copy_of,
                           0.9 if copy_of else None, published)
    return stored, extract_article(article)


def only_fact(result: CrossCheck, measure: str | None = None) -> Fact:
    """The one fact about what was said (measure None), or the one key-figure fact whose
    measure starts with `measure` (figures are judged there)."""
    facts = [f for f in result.facts if (f.measure is None) == (measure is None)
             and (f.measure or "").startswith(measure or "")]
    assert len(facts) == 1, [f.statement for f in result.facts]
    return facts[0]
