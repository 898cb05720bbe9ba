"""Semantic search: the query embedded once, ranked by cosine against saved vectors.

Articles are ranked against the title+lead vectors the clusterer already saved (no article is
embedded again); claims are ranked within the best articles, their embeddings kept in memory
after first use, so a query costs one model call plus the claims not seen before.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

from corroborate.models import embed
from corroborate.store import Store
from corroborate.store.search_vectors import ClaimRow, SearchVectors

CANDIDATE_ARTICLES = 8  # claims are searched within this many best-matching articles
MAX_CLAIM_CACHE = 50_000


@dataclass(frozen=True, slots=True)
class ArticleMatch:
    article_id: int
    score: float


@dataclass(frozen=True, slots=True)
class ClaimMatch:
    claim: ClaimRow
    score: float


class SemanticIndex:
    """Article vectors loaded from the store, reloaded when clustering has saved more."""

    def __init__(self, store: Store) -> None:
        self.reads = SearchVectors(store.engine)
        self._lock = threading.Lock()
        self._mark: tuple[int, int] | None = None
        self._ids = np.zeros(0, dtype=np.int64)
        self._matrix = np.zeros((0, 0), dtype=np.float32)
        self._claims: dict[int, np.ndarray] = {}

    def search(self, query: str, limit: int = 20) -> tuple[list[ArticleMatch], list[ClaimMatch]]:
        """Best articles and best claims for the query, highest cosine first."""
        if not query.strip():
            return [], []
        ids, matrix = self._vectors()
        q = embed([query])[0]
        if len(ids) == 0 or matrix.shape[1] != q.shape[0]:
            return [], []
        scores = matrix @ q
        order = np.argsort(-scores)
        articles = [ArticleMatch(int(ids[i]), float(scores[i])) for i in order[:limit]]
        candidates = [int(ids[i]) for i in order[:CANDIDATE_ARTICLES]]
        claims = self.reads.claims_of(candidates)
        vectors = self._claim_vectors(claims)
        ranked = sorted((ClaimMatch(c, float(v @ q)) for c, v in zip(claims, vectors,
                                                                     strict=True)),
                        key=lambda m: -m.score)
        return articles, ranked[:limit]

    def size(self) -> int:
        """How many articles a semantic search ranks (those with an embedding)."""
        return len(self._vectors()[0])

    def _vectors(self) -> tuple[np.ndarray, np.ndarray]:
        mark = self.reads.version_mark()
        with self._lock:
            if mark != self._mark:
                self._ids, self._matrix = self.reads.article_vectors()
                self._mark = mark
            return self._ids, self._matrix

    def _claim_vectors(self, claims: list[ClaimRow]) -> list[np.ndarray]:
        with self._lock:
            found = {c.id: self._claims[c.id] for c in claims if c.id in self._claims}
        missing = [c for c in claims if c.id not in found]
        if missing:
            fresh = dict(zip((c.id for c in missing), embed([c.text for c in missing]),
                             strict=True))
            found.update(fresh)
            with self._lock:
                if len(self._claims) + len(fresh) > MAX_CLAIM_CACHE:
                    self._claims.clear()
                self._claims.update(fresh)
        return [found[c.id] for c in claims]
