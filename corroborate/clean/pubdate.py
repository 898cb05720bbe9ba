"""Publication date of a page: the metadata users complain about most in every extractor.

Baseline: trafilatura's own date (htmldate). Later rules combine structured data, the URL,
bylines and visible datelines; each rule says what it fixes.
"""

from __future__ import annotations

from datetime import datetime

from dateutil import parser as dateutil_parser


def parse_iso_date(value: str | None) -> datetime | None:
    """Parse an ISO-like date string, or None when it is missing or unparseable."""
    if not value:
        return None
    try:
        return dateutil_parser.isoparse(value.strip())
    except (ValueError, OverflowError):
        try:
            return dateutil_parser.parse(value.strip())
        except (ValueError, OverflowError):
            return None
