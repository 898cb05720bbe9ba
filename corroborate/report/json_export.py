"""The dossier as JSON: a versioned, documented shape other tools can rely on.

The shape is described by docs/dossier.schema.json; `schema_version` changes with it
(minor: fields added; major: fields renamed, removed or retyped).
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from enum import Enum
from typing import Any

from corroborate.records import Fact, TimelineEntry, TimelineKind, Version
from corroborate.report.dossier import Dossier, fact_marks, hedge_cues


def to_json(d: Dossier) -> dict[str, Any]:
    """A JSON-ready dict (json.dumps takes it as is)."""
    background = {id(e) for e in d.background}
    return {
        "schema_version": d.schema_version,
        "story": {
            "id": d.story_id,
            "title": d.title,
            "outlets": list(d.outlets),
            "first_seen": _plain(d.first_seen),
            "last_seen": _plain(d.last_seen),
            "entities": list(d.entities),
            "places": list(d.places),
            "merged_from": list(d.merged_from),
        },
        "tolerance": d.tolerance,
        "independent_origins": d.independent_origins,
        "verdict_counts": d.verdict_counts,
        "key_figures": [f.id for f in d.key_figures],
        "summary": [_plain(s) for s in d.summary],
        "facts": [_fact(f) for f in d.facts],
        "origins": [_plain(o) for o in d.origins],
        "provenance": _plain(d.provenance),
        "origins_not_drawn": d.origins_not_drawn,
        "timeline": [_timeline_entry(e, background) for e in d.timeline],
        "articles": [_plain(a) for a in d.articles],
        "coverage": [_plain(c) for c in d.coverage],
        "not_covered_by": list(d.not_covered_by),
        "related_stories": d.related_stories,
    }


def _timeline_entry(e: TimelineEntry, background: set[int]) -> dict[str, Any]:
    """An entry with its part: the story's own "event", "background" it recalls, or a
    "publication"."""
    record = _plain(e)
    record["part"] = ("background" if id(e) in background else
                      "publication" if e.kind is TimelineKind.PUBLICATION else "event")
    return record


def _fact(f: Fact) -> dict[str, Any]:
    return {
        "id": f.id,
        "statement": f.statement,
        "verdict": str(f.verdict),
        "reason": f.reason,
        "outlets": list(f.outlets),
        "independent_sources": f.independent_sources,
        "primary_sources": [s.name for s in f.sources if not s.denies],
        "single_source": f.single_source,
        "hedged": f.hedged,
        "hedge_cues": list(hedge_cues(f)),
        "detail_of": f.detail_of,
        "measure": f.measure,
        "marks": list(fact_marks(f)),
        "sources": [_plain(s) for s in f.sources],
        "versions": [_version(v) for v in f.versions],
    }


def _version(v: Version) -> dict[str, Any]:
    record = _plain(v)
    record["hedged"] = v.hedged
    return record


def _plain(value: Any) -> Any:
    """Records to JSON values: dataclasses to objects, enums to their value, dates to ISO.

    Dispatched on the exact type, the dataclass fields' names kept per class: a big
    dossier is ~300,000 values, and the generic checks were most of a cold dossier read."""
    cls = type(value)
    if cls in _AS_IS:
        return value
    names = _FIELDS.get(cls, ())
    if names == ():
        names = _FIELDS[cls] = _field_names(cls)
    if names is not None:
        return {name: _plain(getattr(value, name)) for name in names}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


_AS_IS = frozenset({str, int, float, bool, type(None)})  # exact types: an enum is no str here
_FIELDS: dict[type, tuple[str, ...] | None] = {}  # None for a class that is no dataclass


def _field_names(cls: type) -> tuple[str, ...] | None:
    if dataclasses.is_dataclass(cls):
        return tuple(f.name for f in dataclasses.fields(cls))
    return None
