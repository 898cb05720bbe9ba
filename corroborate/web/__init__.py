"""The web app: `create_app(db_path, token=None)` builds the FastAPI app (pages and /api/v1)."""

from __future__ import annotations

from corroborate.web.app import create_app

__all__ = ["create_app"]
