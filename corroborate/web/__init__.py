"""The web app: `create_app(db_path, token=None)` builds the FastAPI app (pages and /api/v1).

`create_app` is looked up on first use: the CLI imports `web.security` for `serve`'s token
check, and that alone must not import FastAPI into every command.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from corroborate.web.app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from corroborate.web.app import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
