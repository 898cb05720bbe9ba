"""Records become plain JSON values: the fast per-type path gives what the field-by-field
rules say (enums by value, times in ISO, tuples as lists, keys as text, nested records)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime

from corroborate.records import ArticleRef, Verdict
from corroborate.report.json_export import _plain


@dataclass(frozen=True)
class _Empty:
    """A record with no fields is still an object."""


@dataclass(frozen=True)
class _Holder:
    verdict: Verdict
    day: date
    refs: tuple[ArticleRef, ...]
    counts: dict[int, float]
    empty: _Empty


def test_records_become_plain_json_values() -> None:
    ref = ArticleRef(7, "EuroWire", "Harbour fire", datetime(2025, 3, 4, 9, 30, tzinfo=UTC),
                     shares_text_with=(3, 5))
    value = _plain(_Holder(Verdict.CONFLICT, date(2025, 3, 4), (ref,), {2: 0.5}, _Empty()))
    assert value == {
        "verdict": "conflict",
        "day": "2025-03-04",
        "refs": [{
            "article_id": 7, "outlet": "EuroWire", "title": "Harbour fire",
            "published": "2025-03-04T09:30:00+00:00", "url": None, "copy_of": None,
            "claims": 0, "outlet_key": "", "host": None, "origin": None,
            "published_via": None, "shares_text_with": [3, 5],
        }],
        "counts": {"2": 0.5},
        "empty": {},
    }
    assert type(value["verdict"]) is str  # the enum's value, not the enum itself
    assert json.loads(json.dumps(value)) == value
