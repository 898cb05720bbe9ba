"""Errors a user can see: each says what went wrong and what to do, in one line.

Expected failures (a bad input, an unreachable URL, a missing article) raise one of these;
the CLI prints the message and exits non-zero, with no traceback.
"""

from __future__ import annotations


class CorroborateError(Exception):
    """Base of every error corroborate raises on purpose."""

    exit_code = 1


class UsageError(CorroborateError):
    """The user asked for something that cannot be done as asked (bad path, unknown id)."""

    exit_code = 2


class NotFoundError(UsageError):
    """An id or path that does not exist."""


class NotReadyError(CorroborateError):
    """What was asked for is not computed yet (a story's cross-check still queued)."""

    exit_code = 3


class InputRejected(CorroborateError):
    """One input document cannot be ingested; the run goes on and reports it as skipped."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class FetchError(InputRejected):
    """A URL could not be fetched (network, policy, size, robots.txt)."""


class StrictModeError(CorroborateError):
    """--strict was given and at least one input was skipped."""


class NothingReadError(CorroborateError):
    """A run read no input at all: every path was missing, unreadable or skipped.

    Exit 0 would tell a script (cron, CI) that a mistyped path or an empty export worked.
    """


class StoreBusyError(CorroborateError):
    """Another process held the database's write lock for longer than we were told to wait."""


class StoreMissingError(NotFoundError):
    """A command that only reads was pointed at a store that does not exist.

    Creating it would answer a mistyped `--db` with an empty store and empty lists, which
    looks like "nothing found" instead of "wrong path".
    """
