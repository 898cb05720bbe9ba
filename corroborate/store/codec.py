"""Extraction and cross-check records to JSON and back, for the store (and the CLI's --json).

The JSON is plain dataclass fields; enums as their string values, tuples as lists. Reading
goes through the record constructors, so a stored extraction comes back as the same types.
A cross-check is a deep tree of records (facts, versions, sources, graph, timeline): pydantic
reads it from the records' own type hints both ways, so no reader is written by hand and a
field added to a record is stored with no change here.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import asdict
from functools import cache
from typing import Any

from pydantic import TypeAdapter

from corroborate.records import (
    AmountKind,
    AmountMention,
    Attribution,
    Bound,
    Certainty,
    Claim,
    CrossCheck,
    EntityKind,
    EntityMention,
    Extraction,
    Granularity,
    TimeMention,
)


def extraction_to_dict(extraction: Extraction) -> dict[str, Any]:
    return asdict(extraction)


def extraction_to_json(extraction: Extraction) -> str:
    return json.dumps(extraction_to_dict(extraction), ensure_ascii=False)


def extraction_from_json(text: str) -> Extraction:
    data = json.loads(text)
    return Extraction(
        entities=tuple(_entity(e) for e in data["entities"]),
        times=tuple(_time(t) for t in data["times"]),
        amounts=tuple(_amount(a) for a in data["amounts"]),
        claims=tuple(_claim(c) for c in data["claims"]),
        skipped=data.get("skipped"),
        version=data.get("version", ""),
    )


def _entity(d: dict[str, Any]) -> EntityMention:
    return EntityMention(**{**d, "kind": EntityKind(d["kind"])})


def _time(d: dict[str, Any]) -> TimeMention:
    g = d.get("granularity")
    return TimeMention(**{**d, "granularity": Granularity(g) if g else None})


def _amount(d: dict[str, Any]) -> AmountMention:
    return AmountMention(**{
        **d,
        "kind": AmountKind(d["kind"]),
        "bound": Bound(d["bound"]),
        "usd": tuple(d["usd"]) if d.get("usd") else None,
        "eur": tuple(d["eur"]) if d.get("eur") else None,
    })


def _claim(d: dict[str, Any]) -> Claim:
    return Claim(**{
        **d,
        "chain": tuple(Attribution(**a) for a in d["chain"]),
        "certainty": Certainty(d["certainty"]),
        "cues": tuple(d["cues"]),
        "entities": tuple(d["entities"]),
        "times": tuple(d["times"]),
        "amounts": tuple(d["amounts"]),
    })


@cache
def _crosscheck_adapter() -> TypeAdapter[CrossCheck]:
    return TypeAdapter(CrossCheck)


def crosscheck_to_blob(check: CrossCheck) -> bytes:
    """A cross-check as compressed JSON (about a fifth of its text)."""
    return zlib.compress(_crosscheck_adapter().dump_json(check), 6)


def crosscheck_from_blob(blob: bytes) -> CrossCheck:
    """The cross-check `crosscheck_to_blob` stored, as the same records (equal to it)."""
    return _crosscheck_adapter().validate_json(zlib.decompress(blob))
