"""One error format for every error the server answers, whoever raises it.

`{"error": {"code": "not_found", "message": "no story with id 7", "detail": null}}`: a stable
`code` for programs, a `message` for people, and `detail` where there is more to say (the
fields a request got wrong). Route errors, validation errors, unknown routes and methods,
crashes, and the refusals our middleware sends before any route runs all use it, so a client
parses one shape. Pages still answer browsers with an HTML page (see app.py).
"""

from __future__ import annotations

import json
import logging
from typing import Any

log = logging.getLogger(__name__)

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "invalid_request",
    429: "too_many_requests",
    500: "internal_error",
    503: "unavailable",
}


def error_body(
    status: int, message: str, detail: Any = None, code: str | None = None
) -> dict[str, Any]:
    """The JSON body of an error answer."""
    return {
        "error": {
            "code": code or CODES.get(status, f"http_{status}"),
            "message": message,
            "detail": detail,
        }
    }


def error_bytes(status: int, message: str) -> bytes:
    """The same, encoded, for middleware that answers before any route runs."""
    return json.dumps(error_body(status, message)).encode()


def validation_detail(errors: Any) -> tuple[str, list[dict[str, Any]]]:
    """A one-line message and the per-field list for a request that failed validation.

    Only location, message and type are kept: pydantic's `input` and `ctx` may hold
    whatever the client sent, or objects that are not JSON.
    """
    fields = [
        {
            "loc": [str(part) for part in e.get("loc", ())],
            "msg": str(e.get("msg", "")),
            "type": str(e.get("type", "")),
        }
        for e in errors
    ]
    message = "; ".join(f"{' '.join(f['loc']) or 'request'}: {f['msg']}" for f in fields[:3])
    return message or "the request is not valid", fields
