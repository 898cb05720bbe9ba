"""Analysts' corrections to the stories (migration 0008): recorded once, replayed forever.

A correction is kept as the article ids it was about, never only as story ids: a recluster
gives every story a new id, but the articles stay, so the clustering runs can replay each
correction on whichever stories now hold its articles (see `corroborate.corrections`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine

from corroborate.records import Correction, CorrectionAction

_ALL = 2**62  # "no limit" in a form both databases read (SQLite's -1 is an error elsewhere)
_SELECT = ("SELECT id, created_at, action, articles, target, story_ids, note "
           "FROM story_corrections")


class CorrectionReads:
    """Read-only queries (one short connection each)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def list(self, limit: int | None = None, offset: int = 0) -> list[Correction]:
        """Every correction, oldest first: the order they are replayed in."""
        with self.engine.connect() as conn:
            return _list(conn, limit, offset)

    def count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.exec_driver_sql(
                "SELECT COUNT(*) FROM story_corrections").scalar() or 0)


class CorrectionWrites:
    """Writes (and the reads a replay needs) inside the caller's transaction."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, action: CorrectionAction, articles: Sequence[int], target: Sequence[int],
            story_ids: Sequence[int], note: str = "") -> Correction:
        """Record a correction; it takes effect when replayed (in the same transaction)."""
        created = datetime.now(UTC).replace(microsecond=0)
        correction_id = self.conn.exec_driver_sql(
            "INSERT INTO story_corrections (created_at, action, articles, target, story_ids, "
            "note) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            (created.isoformat(), str(action), json.dumps(list(articles)),
             json.dumps(list(target)), json.dumps(list(story_ids)), note)).scalar_one()
        return Correction(correction_id, created, action, tuple(articles), tuple(target),
                          tuple(story_ids), note)

    def list(self) -> list[Correction]:
        """Every correction, oldest first, as this transaction sees them."""
        return _list(self.conn, None, 0)


def _list(conn: Connection, limit: int | None, offset: int) -> list[Correction]:
    rows = conn.exec_driver_sql(f"{_SELECT} ORDER BY id LIMIT ? OFFSET ?",
                                (_ALL if limit is None else limit, offset))
    return [_correction(r) for r in rows]


def _correction(r: Any) -> Correction:
    return Correction(id=r[0], created_at=datetime.fromisoformat(r[1]),
                      action=CorrectionAction(r[2]), articles=tuple(json.loads(r[3])),
                      target=tuple(json.loads(r[4])), story_ids=tuple(json.loads(r[5])),
                      note=r[6])
