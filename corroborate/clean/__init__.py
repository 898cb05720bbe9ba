"""Cleaning: raw documents to clean articles (main text, metadata, what was removed)."""

from __future__ import annotations

from corroborate.clean.html import clean_html
from corroborate.clean.text import clean_text_document
from corroborate.records import Article, DocFormat, RawDocument


def clean_document(raw: RawDocument) -> Article:
    """Clean one raw document by its format; raises InputRejected with the reason."""
    if raw.format is DocFormat.HTML:
        return clean_html(raw)
    return clean_text_document(raw)


__all__ = ["clean_document"]
