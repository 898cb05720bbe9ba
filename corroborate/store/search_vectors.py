"""Reads for semantic search: the article vectors the clusterer saved, and claims by article.

Kept apart from sqlite.py and stories.py: search only reads what clustering already wrote
(cluster_profiles, migration 0003) and the claims table, so no article is embedded twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import Engine


@dataclass(frozen=True, slots=True)
class ClaimRow:
    """A stored claim, as search shows it."""

    id: int
    article_id: int
    position: int
    start: int
    end: int
    certainty: str
    primary_source: str | None
    text: str


class SearchVectors:
    """Read-only access to saved embeddings and claims (one short connection each)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def version_mark(self) -> tuple[int, int]:
        """(count, max article id) of saved vectors: changes whenever vectors are added."""
        with self.engine.connect() as conn:
            row = conn.exec_driver_sql(
                "SELECT COUNT(*), COALESCE(MAX(article_id), 0) FROM cluster_profiles "
                "WHERE vector IS NOT NULL").one()
        return int(row[0]), int(row[1])

    def article_vectors(self) -> tuple[np.ndarray, np.ndarray]:
        """Article ids and their unit-length title+lead vectors (one row each)."""
        with self.engine.connect() as conn:
            rows = conn.exec_driver_sql(
                "SELECT article_id, vector FROM cluster_profiles WHERE vector IS NOT NULL "
                "ORDER BY article_id").all()
        vectors = [np.frombuffer(r[1], dtype=np.float32) for r in rows]
        if not vectors:
            return np.zeros(0, dtype=np.int64), np.zeros((0, 0), dtype=np.float32)
        dim = vectors[-1].shape[0]  # the current model's; older profiles of another size skip
        kept = [i for i, v in enumerate(vectors) if v.shape[0] == dim]
        ids = np.array([rows[i][0] for i in kept], dtype=np.int64)
        return ids, np.vstack([vectors[i] for i in kept])

    def claims_of(self, article_ids: Sequence[int]) -> list[ClaimRow]:
        """The stored claims of the given articles, in article then text order."""
        if not article_ids:
            return []
        marks = ",".join("?" * len(article_ids))
        with self.engine.connect() as conn:
            rows = conn.exec_driver_sql(
                'SELECT id, article_id, position, start, "end", certainty, primary_source, '
                f"text FROM claims WHERE article_id IN ({marks}) ORDER BY article_id, position",
                tuple(int(i) for i in article_ids)).all()
        return [ClaimRow(*r) for r in rows]
