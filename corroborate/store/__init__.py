"""Storage: the only package that speaks SQL."""

from __future__ import annotations

from corroborate.store.sqlite import DEFAULT_DB, SearchHit, Store, StoreWriter

__all__ = ["DEFAULT_DB", "SearchHit", "Store", "StoreWriter"]
