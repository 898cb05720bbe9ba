"""Publication times as one clock: a time with no zone is taken as UTC, on any host.

Sources give some dates with a zone and some without; comparing or ordering them through
`datetime.timestamp()` would read the zone-less ones in the host's local zone, so results
would differ between machines. Every stage and the store use these two functions instead.
"""

from __future__ import annotations

from datetime import UTC, datetime


def as_utc(when: datetime) -> datetime:
    """`when` with a zone: UTC when it had none."""
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when


def epoch_days(when: datetime) -> float:
    """Days since 1970-01-01 UTC."""
    return as_utc(when).timestamp() / 86400.0
