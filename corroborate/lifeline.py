"""Worker processes that die with the process that owns them, however it dies.

With the forkserver start method, a pool's workers are children of the forkserver, not of
the process that owns the pool, and each holds pipes that keep the forkserver and the
resource tracker waiting. An owner killed with SIGKILL runs no clean-up, so before this
all of them ran on for good. Two ties, the first the kernel's, the second ours:

- Linux: PR_SET_PDEATHSIG makes the kernel SIGKILL a process when its parent dies. The
  forkserver (this module is preloaded there first) asks for it when the owner started it
  from its main thread, and then so does each worker, whose parent is the forkserver. The
  kernel acts even on a worker stuck in C code that never lets a Python thread run.
- Everywhere: each worker runs a watchdog thread that waits on the owner (a pidfd on
  Linux, else polling once a second) and ends the worker when the owner is gone.
Once the workers are gone the forkserver and the resource tracker see their pipes close
and exit on their own.
"""

from __future__ import annotations

import ctypes
import os
import select
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

OWNER_ENV = "CORROBORATE_POOL_OWNER"  # the owner's pid, set while it starts a forkserver
_PR_SET_PDEATHSIG = 1
_POLL_S = 1.0


def die_with_parent() -> bool:
    """Ask the kernel to SIGKILL this process when its parent dies; False where it cannot."""
    if not sys.platform.startswith("linux"):
        return False
    parent = os.getppid()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) != 0:
            return False
    except (OSError, AttributeError):
        return False
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)
    return True


@contextmanager
def owner_env(owner: int | None) -> Iterator[None]:
    """While the block runs, a forkserver started from it ties itself to `owner` (None: no)."""
    before = os.environ.pop(OWNER_ENV, None)
    if owner is not None:
        os.environ[OWNER_ENV] = str(owner)
    try:
        yield
    finally:
        os.environ.pop(OWNER_ENV, None)
        if before is not None:
            os.environ[OWNER_ENV] = before


def _tied_to_owner() -> bool:
    """In the forkserver and its workers: whether the forkserver was tied to its owner."""
    return os.environ.get(OWNER_ENV, "") == str(os.getppid())


def watch_owner(owner: int) -> None:
    """Pool initializer, in each worker: end this worker when `owner` ends."""
    if os.environ.get(OWNER_ENV) == str(owner):  # our forkserver dies with the owner
        die_with_parent()
    threading.Thread(target=_watch, args=(owner,), name="owner-watchdog", daemon=True).start()


def _watch(owner: int) -> None:
    try:
        fd = os.pidfd_open(owner)  # readable once the owner has exited
    except ProcessLookupError:
        os._exit(1)
    except (AttributeError, OSError):
        while _alive(owner):
            time.sleep(_POLL_S)
    else:
        select.select([fd], [], [])
    os._exit(1)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


if _tied_to_owner():  # imported as the preload of a forkserver its owner asked to tie
    die_with_parent()
