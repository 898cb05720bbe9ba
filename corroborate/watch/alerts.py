"""What changed in a story, read off its stored cross-check: the alerts a watcher raises.

A story's alerts compare its current cross-check with a *digest* of the one its alerts were
last computed from (kept in the store, `watch_baselines`), not with whatever was stored just
before: a watcher killed between recomputing and alerting finds the same difference on its
next round. Each change has a key that names it for good (the outlet, the source, the figure
and its values), so raising it again is a no-op in the store.

Kinds, in the order a story's alerts are listed:
  new_story     a new story matches the watchlist
  new_outlet    the story gains an outlet
  new_source    the story gains an independent source (a named or unnamed source, a wire)
  corroborated  the story's lead fact rested on one source and now has an independent second
  conflict      outlets now give incompatible versions of a fact
  disputed      a source now denies what another alleges
  developing    a key figure changes with publication time (a toll revised)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from corroborate.clock import as_utc
from corroborate.records import CrossCheck, Fact, Story, Verdict, Version

KINDS = ("new_story", "new_outlet", "new_source", "corroborated", "conflict", "disputed",
         "developing")
_OUTLET_ORIGIN = "outlet"  # an outlet's own reporting: an outlet, not a source, for alerts


@dataclass(frozen=True, slots=True)
class Change:
    """One alert-worthy change of a story (not yet tied to a watchlist)."""

    kind: str
    key: str  # unique within the story: "new_outlet:swiss daily record"
    title: str
    detail: str
    evidence: tuple[dict[str, Any], ...]


def digest(story: Story, check: CrossCheck) -> dict[str, Any]:
    """What alerts compare: outlets, sources, the lead fact, conflicts, key figures."""
    lead = lead_fact(check)
    figures: dict[str, dict[str, Any]] = {}
    for fact in check.facts:
        if fact.measure and fact.detail_of is None:
            best = figures.get(fact.measure)
            if best is None or len(fact.outlets) > best["outlets"]:
                figures[fact.measure] = {"outlets": len(fact.outlets),
                                         "verdict": str(fact.verdict),
                                         "values": _values(fact)}
    return {
        "title": story.title,
        "outlets": sorted({a.outlet for a in check.articles}),  # copies carry it too
        "sources": sorted(o.key for o in check.origins if o.kind != _OUTLET_ORIGIN),
        "lead_single_source": lead.single_source if lead else True,
        "disagreements": sorted(_disagreement_key(f) for f in _disagreements(check)),
        "figures": figures,
    }


def changes(before: dict[str, Any] | None, story: Story, check: CrossCheck) -> list[Change]:
    """The alert-worthy changes from `before` (a digest; None: a story never seen) to now."""
    if before is None:
        return [_new_story(story, check)]
    after = digest(story, check)
    found: list[Change] = []
    old_outlets = set(before.get("outlets", ()))
    for outlet in after["outlets"]:
        if outlet not in old_outlets:
            found.append(_new_outlet(outlet, check))
    old_sources = set(before.get("sources", ()))
    for origin in check.origins:
        if origin.kind != _OUTLET_ORIGIN and origin.key not in old_sources:
            found.append(Change(
                "new_source", f"new_source:{origin.key}", f"New source: {origin.name}",
                f"{origin.name} ({origin.kind}), carried by {', '.join(origin.outlets)}",
                tuple({"article_id": aid, "source": origin.name, "text": fact}
                      for aid, fact in zip(origin.article_ids, origin.facts or ("",),
                                           strict=False))))
    lead = lead_fact(check)
    if before.get("lead_single_source", True) and lead is not None and not lead.single_source:
        found.append(Change(
            "corroborated", "corroborated", "Corroborated by an independent source",
            f"{lead.statement} — now rests on {lead.independent_sources} independent sources: "
            f"{', '.join(lead.primary_sources)}", _evidence(lead.versions, per_source=True)))
    old_disagreements = set(before.get("disagreements", ()))
    for fact in _disagreements(check):
            key = _disagreement_key(fact)
            if key not in old_disagreements:
                found.append(Change(str(fact.verdict), f"{fact.verdict}:{key}",
                                    f"New {fact.verdict}: {_short(fact.statement)}",
                                    fact.reason, _evidence(fact.versions)))
    old_figures = before.get("figures", {})
    for measure, figure in after["figures"].items():
        old = old_figures.get(measure, {})
        if figure["verdict"] == Verdict.DEVELOPING and old.get("values") != figure["values"]:
            fact = _main_figure(check, measure)
            values = "→".join(_fmt(v) for v in figure["values"])
            found.append(Change("developing", f"developing:{measure}:{values}",
                                f"Figure changed ({measure}): {values}", fact.reason,
                                _evidence(fact.versions)))
    return found


def lead_fact(check: CrossCheck) -> Fact | None:
    """The story's main fact: the one most outlets report (the first of equals)."""
    main = [f for f in check.facts if f.detail_of is None]
    return max(main, key=lambda f: len(f.outlets), default=None)


def _disagreements(check: CrossCheck) -> list[Fact]:
    """Conflicting and disputed facts; a statement sharing a sentence with a key figure's
    conflict is that conflict, said once (by the figure)."""
    found = [f for f in check.facts if f.verdict in (Verdict.CONFLICT, Verdict.DISPUTED)]
    by_figure = {(v.article_id, v.sentence_start) for f in found if f.measure
                 for v in f.versions}
    return [f for f in found if f.measure or not any(
        (v.article_id, v.sentence_start) in by_figure for v in f.versions)]


def _new_story(story: Story, check: CrossCheck) -> Change:
    lead = lead_fact(check)
    detail = lead.statement if lead else story.title
    return Change("new_story", "new_story", f"New story: {story.title}", detail,
                  _evidence(lead.versions) if lead else ())


def _new_outlet(outlet: str, check: CrossCheck) -> Change:
    refs = [a for a in check.articles if a.outlet == outlet]
    evidence = tuple({"article_id": a.article_id, "outlet": a.outlet, "text": a.title or "",
                      "url": a.url} for a in refs)
    title = refs[0].title if refs and refs[0].title else outlet
    copied = next((a for a in check.articles if refs and a.article_id == refs[0].copy_of),
                  None)
    carries = f" (carrying {copied.outlet}'s text)" if copied is not None else ""
    return Change("new_outlet", f"new_outlet:{outlet.casefold()}", f"New outlet: {outlet}",
                  f"{outlet} reports it{carries}: {title}", evidence)


def _main_figure(check: CrossCheck, measure: str) -> Fact:
    facts = [f for f in check.facts if f.measure == measure and f.detail_of is None]
    return max(facts, key=lambda f: len(f.outlets))


def _values(fact: Fact) -> list[float]:
    """The figure's distinct values in publication order (versions are in article order)."""
    dated = sorted((v for v in fact.versions if v.amounts and v.copy_of is None),
                   key=lambda v: (v.published is None, _instant(v.published), v.article_id))
    values: list[float] = []
    for version in dated:
        value = version.amounts[0].low
        if not values or values[-1] != value:
            values.append(value)
    return values


def _evidence(versions: tuple[Version, ...], per_source: bool = False
              ) -> tuple[dict[str, Any], ...]:
    seen: set[str] = set()
    out = []
    for v in versions:
        if v.copy_of is not None:
            continue
        key = v.primary_key if per_source else f"{v.article_id}"
        if key in seen:
            continue
        seen.add(key)
        out.append({"article_id": v.article_id, "outlet": v.outlet, "source": v.primary_source,
                    "text": v.sentence, "published": v.published.isoformat()
                    if v.published else None})
    return tuple(out)


def _instant(when: datetime | None) -> float:
    return as_utc(when).timestamp() if when is not None else 0.0


def _disagreement_key(fact: Fact) -> str:
    return fact.measure or re.sub(r"\W+", " ", fact.statement.casefold()).strip()[:80]


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _fmt(value: float) -> str:
    return f"{value:g}"
