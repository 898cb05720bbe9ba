"""Taking SQLite's write lock: wait for another writer, say so, fail clearly if it never ends.

Two processes may write one store (two ingests at once, the CLI beside the web app). SQLite
lets one write at a time; the other's BEGIN IMMEDIATE waits out the busy timeout and then
fails with a raw "database is locked", losing that process's batch. A writer here waits in
short rounds instead, logs once that it is waiting for another writer, and gives up only
after `wait_s`, with an error that says what happened and what to do.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import OperationalError

from corroborate.errors import StoreBusyError

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 30_000  # for every statement; WAL readers rarely wait at all
ROUND_MS = 2_000  # a writer's wait per round: long enough to be rare, short enough to report
WRITE_WAIT_S = 600.0  # a writer gives up after this long; a whole recluster fits in it

_SQLITE_BUSY, _SQLITE_LOCKED = 5, 6


@contextmanager
def write_transaction(engine: Engine, name: str, wait_s: float = WRITE_WAIT_S
                      ) -> Iterator[Connection]:
    """A connection inside a write transaction (BEGIN IMMEDIATE): committed at the end of the
    block, rolled back on error. Waits for another process's write to finish, up to `wait_s`."""
    started = time.monotonic()
    warned = False
    while True:
        conn = engine.connect().execution_options(write_lock=True, lock_wait_ms=ROUND_MS)
        try:
            transaction = conn.begin()
            break
        except OperationalError as exc:
            conn.close()
            if not is_busy(exc):
                raise
            waited = time.monotonic() - started
            if waited >= wait_s:
                raise StoreBusyError(
                    f"database {name} stayed locked by another writer for {waited:.0f} s: "
                    "another corroborate process (an ingest, a recluster, the web app) is "
                    "writing to it; try again when it has finished") from None
            if not warned:
                log.warning("database %s is being written by another process; waiting for it "
                            "(up to %.0f s)", name, wait_s)
                warned = True
    if warned:
        log.warning("database %s: the other writer finished after %.0f s; going on",
                    name, time.monotonic() - started)
    with conn, transaction:
        yield conn


def is_busy(exc: OperationalError) -> bool:
    """Whether SQLite refused because another connection holds a lock (not a real error)."""
    code = getattr(exc.orig, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED)
    message = str(exc.orig).lower()
    return "locked" in message or "busy" in message
