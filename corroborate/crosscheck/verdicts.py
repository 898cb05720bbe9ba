"""The verdict on one fact, and the reason in words.

In order of what an analyst must see first:
- disputed: a source denies what another alleges; a conflict between sources, whichever
  outlets carry them;
- conflict: figures (or dates) that differ beyond the comparison's tolerance, not explained by
  publication time;
- developing: figures that move one way with publication time (a death toll 2 → 4);
- single outlet: one outlet reports it (its syndicated copies count with it);
- agree: two or more outlets, figures and dates within tolerance.
"""

from __future__ import annotations

from collections.abc import Sequence

from corroborate.crosscheck.compare import (
    CHANGE_WORDS,
    Comparison,
    Dated,
    Figure,
    Outcome,
    compare_dates,
    compare_figures,
    group_figures,
)
from corroborate.crosscheck.provenance import Origin
from corroborate.crosscheck.statements import Statement
from corroborate.records import SourceSupport, Verdict


def outlets_of(statements: Sequence[Statement]) -> list[str]:
    """Distinct outlets, syndicated copies counted with their original."""
    out: list[str] = []
    for s in statements:
        if s.original_outlet not in out:
            out.append(s.original_outlet)
    return out


def comparisons(statements: Sequence[Statement],
                origins: dict[int, Origin] | None = None) -> list[Comparison]:
    """Figures of each quantity, then dates, compared across the versions (copies left out:
    they repeat their original).

    Dates that differ make a conflict only when no figure develops: the dates of a rising
    death toll are those of its successive deaths.
    """
    originals = [s for s in statements if not s.is_copy]
    origins = origins or {}
    per_version = [[Figure(a, s.ref.outlet, s.published,
                           origins[s.index].key if s.index in origins else "",
                           bool(CHANGE_WORDS.search(s.sentence))) for a in s.amounts]
                   for s in originals]
    out = []
    for group in group_figures(per_version):
        result = compare_figures(group)
        if result is not None:
            out.append(result)
    dated = [Dated(s.dated, s.ref.outlet, s.outlet_id, not s.times, s.predicate)
             for s in originals]
    result = compare_dates(dated)
    if result is not None:
        if result.outcome is Outcome.CONFLICT and \
                any(c.outcome is Outcome.DEVELOPING for c in out):
            result = Comparison(Outcome.AGREE, result.reason + ", as the figure developed")
        out.append(result)
    return out


def judge(asserting: Sequence[Statement], denying: Sequence[Statement],
          sources: Sequence[SourceSupport], deniers: Sequence[SourceSupport],
          origins: dict[int, Origin]) -> tuple[Verdict, str]:
    """The verdict and its reason for one fact's versions."""
    outlets = outlets_of(asserting) or outlets_of(denying)
    results = comparisons(asserting, origins)
    parts: list[str] = []
    verdict = Verdict.AGREE
    if denying:
        verdict = Verdict.DISPUTED
        parts.append(_dispute_reason(sources, deniers))
    opposite = _opposite(asserting)
    if opposite and verdict is Verdict.AGREE:
        verdict = Verdict.CONFLICT
        parts.append(opposite)
    conflicts = [c for c in results if c.outcome is Outcome.CONFLICT]
    developing = [c for c in results if c.outcome is Outcome.DEVELOPING]
    agreeing = [c for c in results if c.outcome is Outcome.AGREE]
    if conflicts and verdict is Verdict.AGREE:
        verdict = Verdict.CONFLICT
    elif developing and verdict is Verdict.AGREE:
        verdict = Verdict.DEVELOPING
    elif verdict is Verdict.AGREE and len(outlets) == 1:
        verdict = Verdict.SINGLE_OUTLET
    if verdict is Verdict.SINGLE_OUTLET:
        parts.append(f"only {outlets[0]} reports it{_copies(asserting)}")
    elif verdict is Verdict.AGREE:
        parts.append(f"{len(outlets)} outlets report it ({', '.join(outlets)}){_copies(asserting)}")
    parts.extend(c.reason for c in conflicts + developing + agreeing)
    if verdict is Verdict.AGREE and not results:
        parts.append("no figures or dates to compare")
    hedges = _hedges(asserting)
    if hedges:
        parts.append(f"hedged: {hedges}")
    return verdict, "; ".join(parts)


def _opposite(statements: Sequence[Statement]) -> str:
    """The reason when an outlet negates the very verb another asserts ("never offered" vs
    "offered"), or "" when no such pair exists.

    Polarity alone is not enough: a fact's versions are aligned loosely, and "did not respond"
    next to "sent an e-mail" is no contradiction. Only versions from different outlets count,
    and only as they assert it: "many have speculated that the White House offered" next to
    "never offered" reports one denial, not two outlets disagreeing (a hedged version — could,
    claimed, speculated — is left out).
    """
    originals = [s for s in statements if not s.is_copy and s.predicate and not s.hedged]
    pairs = [(n, p) for n in originals if n.negated for p in originals
             if not p.negated and p.predicate == n.predicate
             and p.original_outlet != n.original_outlet and _same_subject(n, p)]
    if not pairs:
        return ""
    no = outlets_of([n for n, _ in pairs])
    yes = outlets_of([p for _, p in pairs])

    def says(outlets: list[str]) -> str:
        return f"{', '.join(outlets)} {'says' if len(outlets) == 1 else 'say'}"

    verb = pairs[0][0].predicate
    return (f"opposite statements: {says(no)} it is not so, {says(yes)} it is "
            f"(the same verb, '{verb}', negated in one)")


def _same_subject(a: Statement, b: Statement) -> bool:
    """Both say it of one subject: the same head words, or one's are all in the other's
    ("the White House" / "White House"); an unknown subject is given the benefit."""
    if not a.subject or not b.subject:
        return True
    wa, wb = set(a.subject.split()), set(b.subject.split())
    return wa <= wb or wb <= wa


def _copies(statements: Sequence[Statement]) -> str:
    copies = []
    for s in statements:
        if s.is_copy and s.ref.outlet not in copies and s.ref.outlet != s.original_outlet:
            copies.append(s.ref.outlet)
    if not copies:
        return ""
    return f" (also carried by {', '.join(copies)} as a syndicated copy, counted once)"


def _dispute_reason(sources: Sequence[SourceSupport], deniers: Sequence[SourceSupport]) -> str:
    def who(supports: Sequence[SourceSupport]) -> str:
        return "; ".join(f"{s.name} (in {', '.join(s.outlets)})" for s in supports)

    alleged = f"alleged by {who(sources)}" if sources else "the denied claim is not itself sourced"
    return f"{alleged}; denied by {who(deniers)}: a conflict between sources, not between outlets"


def _hedges(statements: Sequence[Statement]) -> str:
    words: list[str] = []
    for s in statements:
        if s.hedged:
            for cue in s.claim.cues or (s.claim.certainty.value,):
                if cue not in words:
                    words.append(cue)
    return ", ".join(words)
