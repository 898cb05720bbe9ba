"""Ingest job records (migration 0004): the web app's jobs outlive a server restart.

A job's record is its last snapshot as JSON; the runner writes it when the job is queued,
starts and ends (never mid-ingest, when the ingest transaction holds the write lock).
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Engine

UNFINISHED = ("queued", "ingesting", "clustering", "cross-checking")


class JobRecords:
    """Reads and writes of `ingest_jobs`, each in its own short transaction."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def save(self, snapshot: dict[str, Any]) -> None:
        with self.engine.begin() as conn:
            conn.exec_driver_sql(
                "INSERT INTO ingest_jobs (id, status, snapshot, created_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET status = excluded.status, "
                "snapshot = excluded.snapshot, created_at = excluded.created_at",
                (snapshot["id"], snapshot["status"], json.dumps(snapshot, ensure_ascii=False),
                 snapshot["created_at"]))

    def get(self, job_id: str) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            data = conn.exec_driver_sql(
                "SELECT snapshot FROM ingest_jobs WHERE id = ?", (job_id,)).scalar()
        return json.loads(data) if data else None

    def list(self, limit: int = 200) -> list[dict[str, Any]]:
        """Newest first."""
        with self.engine.connect() as conn:
            rows = conn.exec_driver_sql(
                "SELECT snapshot FROM ingest_jobs ORDER BY created_at DESC, rowid DESC "
                "LIMIT ?", (limit,)).scalars()
            return [json.loads(r) for r in rows]

    def interrupt_unfinished(self, when: str) -> int:
        """Mark jobs a previous server left queued or running as failed: it stopped."""
        count = 0
        for snap in self.list(limit=10_000):
            if snap["status"] in UNFINISHED:
                snap.update(status="failed", finished_at=when,
                            error="interrupted: the server stopped before the job finished")
                self.save(snap)
                count += 1
        return count
