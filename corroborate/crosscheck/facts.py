"""Facts from aligned claims: versions, independent sources, verdict, and dated details.

A date that only some outlets give for a fact ("as early as July" in one of two reports of a
deployment) becomes a detail fact of its own, so that the dossier can say it rests on one
outlet while the deployment itself rests on two.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from corroborate.crosscheck.compare import overlaps
from corroborate.crosscheck.provenance import Origin, group_sources
from corroborate.crosscheck.statements import Statement
from corroborate.crosscheck.verdicts import judge, outlets_of
from corroborate.records import Attribution, Fact, TimeMention, Verdict, Version


@dataclass(frozen=True, slots=True)
class Draft:
    """A fact before numbering: its asserting statements, denials, and the statement to show."""

    members: tuple[Statement, ...]
    denials: tuple[Statement, ...]
    lead: Statement
    timing: TimeMention | None = None  # set for a detail fact: the date only some outlets give


def drafts_from(groups: Sequence[Sequence[int]], leads: Sequence[int],
                statements: Sequence[Statement]) -> list[Draft]:
    """Aligned groups plus the anaphoric denials of their claims, and the dated details."""
    drafts: list[Draft] = []
    attached: set[int] = set()
    anaphoric = [s for s in statements if s.anaphoric]
    for group, lead in zip(groups, leads, strict=True):
        members = [statements[i] for i in group]
        asserting = tuple(s for s in members if not s.denies)
        denials = [s for s in members if s.denies]
        for d in anaphoric:
            if set(d.denied_targets) & set(group):
                denials.append(d)
                attached.add(d.index)
        main = Draft(asserting or tuple(denials), tuple(denials) if asserting else (),
                     statements[lead])
        drafts.append(main)
        drafts.extend(_timing_details(main))
    for d in anaphoric:
        if d.index not in attached:
            drafts.append(Draft((), (d,), d))
    return drafts


def _timing_details(draft: Draft) -> list[Draft]:
    """Dates that some outlets give for the fact while others give none at all."""
    members = draft.members
    if len(outlets_of(members)) < 2:
        return []
    undated = {s.outlet_id for s in members if not s.dated}
    dated = {s.outlet_id for s in members if s.times}
    if not undated - dated or not dated:
        return []
    times = [t for s in members for t in s.times]
    if not all(overlaps(a, b) for a in times for b in times):
        return []  # the outlets that date it do not agree: the verdict says so, not a detail
    out: list[Draft] = []
    seen: list[TimeMention] = []
    for s in members:
        for t in s.times:
            if any(overlaps(t, u) and (t.earliest, t.latest) == (u.earliest, u.latest)
                   for u in seen):
                continue
            seen.append(t)
            giving = tuple(m for m in members if any(overlaps(t, u) for u in m.times))
            out.append(Draft(giving, (), giving[0], timing=t))
    return out


def build_fact(fact_id: str, draft: Draft, parent: str | None, figures: bool = True) -> Fact:
    """The fact of a draft. With `figures` False its verdict leaves the claims' figures to
    their key-figure facts (key_figures.py) and judges what is said: dates, denials,
    opposite statements."""
    sources, origins = group_sources(draft.members, denies=False)
    deniers, denier_origins = group_sources(draft.denials, denies=True) if draft.denials \
        else ([], {})
    origins = {**origins, **denier_origins}
    if draft.timing is None:
        judged = draft.members if figures else tuple(replace(s, amounts=())
                                                      for s in draft.members)
        verdict, reason = judge(judged, draft.denials, sources, deniers, origins)
        statement = draft.lead.claim.text
    else:
        verdict, reason = _timing_verdict(draft)
        t = draft.timing
        statement = f"timing: {t.text} → {t.label}"
    everything = sorted({s.index: s for s in draft.members + draft.denials}.values(),
                        key=lambda s: (s.order, s.claim.start))
    versions = tuple(_version(s, origins[s.index]) for s in everything)
    asserting = [s for s in draft.members if not s.denies]
    return Fact(
        id=fact_id,
        statement=statement,
        versions=versions,
        verdict=verdict,
        reason=reason,
        outlets=tuple(outlets_of(draft.members)),
        sources=tuple(sources + deniers),
        independent_sources=len(sources) if asserting else 0,
        hedged=any(s.hedged for s in asserting),
        single_source=len(sources) == 1 and bool(asserting),
        detail_of=parent,
    )


def _timing_verdict(draft: Draft) -> tuple[Verdict, str]:
    assert draft.timing is not None
    outlets = outlets_of(draft.members)
    t = draft.timing
    said = f"{t.text} → {t.label}"
    if len(outlets) == 1:
        return Verdict.SINGLE_OUTLET, f"only {outlets[0]} gives this date ({said}); " \
            "the other outlets reporting the fact give none"
    return Verdict.AGREE, f"{', '.join(outlets)} give this date ({said}); other outlets none"


def _version(s: Statement, origin: Origin) -> Version:
    claim = s.claim
    outlet = Attribution(s.ref.outlet, None, s.ref.outlet_key, s.ref.outlet)
    return Version(
        article_id=s.article_id,
        outlet=s.ref.outlet,
        published=s.ref.published,
        claim=claim.text,
        claim_start=claim.start,
        claim_end=claim.end,
        sentence=s.sentence,
        sentence_start=claim.sentence_start,
        sentence_end=claim.sentence_end,
        certainty=claim.certainty,
        cues=claim.cues,
        chain=(outlet, *(n.attribution() for n in s.path)),
        primary_key=origin.key,
        primary_source=origin.name,
        amounts=s.amounts,
        times=s.dated,
        copy_of=s.ref.copy_of,
        denies=s.denies,
    )
