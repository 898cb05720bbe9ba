"""Webhook delivery: each alert POSTed as JSON, the body signed with HMAC-SHA256 under the
watchlist's secret (header `X-Corroborate-Signature: sha256=<hex>`), retried with
exponential back-off until it is accepted (any 2xx) or `MAX_ATTEMPTS` tries have failed.

Deliveries owed are rows in the store, so a restarted watcher goes on retrying; the SSRF
guard of ingest applies to the webhook's host unless the config allows private addresses.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

import httpx

from corroborate.errors import FetchError
from corroborate.ingest.fetch import is_forbidden_address, resolve
from corroborate.store import Store
from corroborate.store.watch import Alert

SIGNATURE_HEADER = "X-Corroborate-Signature"
MAX_ATTEMPTS = 8
FIRST_RETRY_S = 30.0


def sign(secret: str, body: bytes) -> str:
    """The signature header's value for a body."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, header: str) -> bool:
    """What a receiver does: recompute the signature and compare in constant time."""
    return hmac.compare_digest(sign(secret, body), header)


def alert_payload(alert: Alert, link: str) -> dict[str, Any]:
    return {"id": alert.id, "key": alert.key, "watchlist_id": alert.watchlist_id,
            "story_id": alert.story_id, "kind": alert.kind, "title": alert.title,
            "detail": alert.detail, "evidence": list(alert.evidence), "link": link,
            "created_at": alert.created_at}


def deliver_due(store: Store, base_url: str, *, allow_private: bool = False,
                timeout_s: float = 10.0, now: float | None = None,
                first_retry_s: float = FIRST_RETRY_S) -> tuple[int, int]:
    """Post every delivery that is due; (delivered, failed) this time."""
    now = time.time() if now is None else now
    done = failed = 0
    due = store.watch.due_deliveries(now)
    if not due:
        return 0, 0
    with httpx.Client(timeout=timeout_s, follow_redirects=False) as client:
        for d in due:
            body = json.dumps(alert_payload(d.alert, story_link(base_url, d.alert.story_id)),
                              ensure_ascii=False).encode()
            error = _post(client, d.url, body, d.secret, allow_private)
            with store.writer() as w:
                if error is None:
                    w.watch.delivered(d.alert.id, d.url)
                    done += 1
                    continue
                failed += 1
                attempts = d.attempts + 1
                next_try = now + first_retry_s * 2 ** (attempts - 1) \
                    if attempts < MAX_ATTEMPTS else float("inf")
                w.watch.delivery_failed(d.alert.id, d.url, error, next_try)
    return done, failed


def story_link(base_url: str, story_id: int) -> str:
    return f"{base_url.rstrip('/')}/stories/{story_id}"


def _post(client: httpx.Client, url: str, body: bytes, secret: str,
          allow_private: bool) -> str | None:
    """None when the receiver took it; else why not."""
    try:
        parsed = httpx.URL(url)
        if not allow_private:
            port = parsed.port or (443 if parsed.scheme == "https" else 80)
            for ip in resolve(parsed.host, port):
                if is_forbidden_address(ip):
                    return f"refused: {parsed.host} resolves to non-public address {ip}"
        response = client.post(url, content=body, headers={
            "Content-Type": "application/json", SIGNATURE_HEADER: sign(secret, body)})
    except FetchError as exc:
        return exc.reason
    except (httpx.HTTPError, httpx.InvalidURL, ValueError) as exc:
        return f"{type(exc).__name__}: {exc}"
    if 200 <= response.status_code < 300:
        return None
    return f"HTTP {response.status_code}"
